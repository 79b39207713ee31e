// Which forms hold input the clerk has not saved. A reload (an app update, a closed tab) would throw
// that input away, so the update banner and the page-close guard ask this registry first.
//
// A form calls `useUnsavedInput(isDirty)` — for react-hook-form, `useUnsavedInput(formState.isDirty)`.
import { useEffect, useState, useSyncExternalStore } from 'react';

export interface UnsavedInputRegistry {
  /** Records whether the form known by `owner` holds unsaved input. */
  set(owner: object, dirty: boolean): void;
  /** Forgets `owner` (the form was unmounted). */
  release(owner: object): void;
  /** True while any form holds unsaved input. */
  hasUnsavedInput(): boolean;
  /** Calls `listener` whenever `hasUnsavedInput()` may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export function createUnsavedInputRegistry(): UnsavedInputRegistry {
  const dirtyOwners = new Set<object>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    set(owner, dirty) {
      const had = dirtyOwners.has(owner);
      if (dirty === had) return;
      if (dirty) dirtyOwners.add(owner);
      else dirtyOwners.delete(owner);
      notify();
    },
    release(owner) {
      if (dirtyOwners.delete(owner)) notify();
    },
    hasUnsavedInput: () => dirtyOwners.size > 0,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** The registry of this page: every form and the update banner share it. */
export const unsavedInput: UnsavedInputRegistry = createUnsavedInputRegistry();

/** Reports this component's form as dirty or clean; forgets it on unmount. */
export function useUnsavedInput(isDirty: boolean, registry: UnsavedInputRegistry = unsavedInput): void {
  // One identity per mounted form, stable across renders.
  const [owner] = useState(() => ({}));
  useEffect(() => {
    registry.set(owner, isDirty);
  }, [registry, owner, isDirty]);
  useEffect(() => () => registry.release(owner), [registry, owner]);
}

/** True while any form on the page holds unsaved input; re-renders when that changes. */
export function useHasUnsavedInput(registry: UnsavedInputRegistry = unsavedInput): boolean {
  return useSyncExternalStore(registry.subscribe, registry.hasUnsavedInput, registry.hasUnsavedInput);
}

/**
 * Makes the browser ask before the page is closed or reloaded while input is unsaved. Installed
 * once by the shell; the listener exists only while something is dirty, so the page stays
 * eligible for the back/forward cache otherwise.
 */
export function guardPageCloseWhileDirty(registry: UnsavedInputRegistry = unsavedInput, target: Window = window): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    event.preventDefault();
  };
  let installed = false;
  const sync = () => {
    const dirty = registry.hasUnsavedInput();
    if (dirty && !installed) target.addEventListener('beforeunload', onBeforeUnload);
    if (!dirty && installed) target.removeEventListener('beforeunload', onBeforeUnload);
    installed = dirty;
  };
  sync();
  const unsubscribe = registry.subscribe(sync);
  return () => {
    unsubscribe();
    if (installed) target.removeEventListener('beforeunload', onBeforeUnload);
    installed = false;
  };
}
