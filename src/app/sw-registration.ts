// Service-worker registration and the update prompt (workbox-window, prompt mode).
//
// A new version of the app installs in the background and then waits. The clerk decides when it
// takes over by pressing 更新 in the banner; the page then reloads once the new worker controls it.
// The page never reloads on its own, and never while a form holds unsaved input (unsaved-input.ts):
// if the new version takes control at such a moment (pressed in another window, say), the banner
// asks for a reload once the input is saved.
import type { Workbox } from 'workbox-window';
import { unsavedInput, type UnsavedInputRegistry } from './unsaved-input';

export type UpdateStatus =
  /** No service worker here (an old browser, or plain http:// on a network address). */
  | 'unsupported'
  /** Registering, or installing the first version: offline use is not ready yet. */
  | 'registering'
  /** A worker controls the page: the app starts without network. */
  | 'ready'
  /** A new version is installed and waits for 更新. */
  | 'update-waiting'
  /** 更新 was pressed: waiting for the new version to take control, then reloading. */
  | 'updating'
  /** The new version controls the page but this page still runs the old one: reload when saved. */
  | 'reload-needed'
  /** Registration failed; `error` says why. */
  | 'error';

export interface UpdateState {
  status: UpdateStatus;
  error?: string;
}

export interface ServiceWorkerUpdater {
  getState(): UpdateState;
  subscribe(listener: () => void): () => void;
  /**
   * 更新: asks the waiting version to take over; the page reloads when it does. Refused (returns
   * false, nothing happens) while input is unsaved or when no version is waiting.
   */
  applyUpdate(): boolean;
  /** 重新载入 after the new version took control elsewhere; refused while input is unsaved. */
  reloadNow(): boolean;
  // Reports from the registration side (workbox-window, or a test).
  reportRegistered(): void;
  reportWaiting(): void;
  reportControllerChange(): void;
  reportError(error: unknown): void;
}

export interface UpdaterDeps {
  /** Sends SKIP_WAITING to the waiting worker. */
  skipWaiting(): void;
  reload(): void;
  /** Whether a worker controlled the page when it loaded (then the next controller is a new version). */
  initiallyControlled: boolean;
  unsaved?: UnsavedInputRegistry;
  /** This page cannot have a service worker: the state stays 'unsupported'. */
  unsupported?: boolean;
}

export function createServiceWorkerUpdater(deps: UpdaterDeps): ServiceWorkerUpdater {
  const unsaved = deps.unsaved ?? unsavedInput;
  let state: UpdateState = { status: deps.unsupported ? 'unsupported' : deps.initiallyControlled ? 'ready' : 'registering' };
  // Once a controller has been seen, every later controller change is a new version.
  let controlled = deps.initiallyControlled;
  const listeners = new Set<() => void>();
  const setState = (next: UpdateState) => {
    if (deps.unsupported) return;
    state = next;
    for (const listener of [...listeners]) listener();
  };

  const reloadIfClean = (): boolean => {
    if (unsaved.hasUnsavedInput()) {
      setState({ status: 'reload-needed' });
      return false;
    }
    deps.reload();
    return true;
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    applyUpdate() {
      if (state.status !== 'update-waiting' || unsaved.hasUnsavedInput()) return false;
      setState({ status: 'updating' });
      deps.skipWaiting();
      return true;
    },
    reloadNow() {
      if (state.status !== 'reload-needed' || unsaved.hasUnsavedInput()) return false;
      deps.reload();
      return true;
    },
    reportRegistered() {
      // Nothing to show until the worker controls the page; an error state is kept.
    },
    reportWaiting() {
      if (state.status === 'updating' || state.status === 'reload-needed') return;
      setState({ status: 'update-waiting' });
    },
    reportControllerChange() {
      if (!controlled) {
        // The first version now controls the page (clientsClaim): nothing to reload.
        controlled = true;
        if (state.status === 'registering') setState({ status: 'ready' });
        return;
      }
      if (state.status === 'updating') {
        reloadIfClean();
        return;
      }
      // Another window (or the browser) activated the new version: this page runs the old code.
      setState({ status: 'reload-needed' });
    },
    reportError(error) {
      setState({ status: 'error', error: error instanceof Error ? error.message : String(error) });
    },
  };
}

/** The first screen's own work is done well within this (on a slow tablet, about a second). */
const FIRST_SCREEN_GRACE_MS = 1500;

/** After the first screen, at the next idle moment (Safari has no requestIdleCallback: at once). */
function whenIdle(run: () => void): void {
  window.setTimeout(() => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run, { timeout: FIRST_SCREEN_GRACE_MS });
    else run();
  }, FIRST_SCREEN_GRACE_MS);
}

/** How often a long-running station asks the server for a new version, when online. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Connects a workbox-window `Workbox` to the updater and registers the worker. Kept apart from
 * `startServiceWorker` so that a test can drive it with a stand-in for the Workbox class.
 */
export function connectWorkbox(wb: Pick<Workbox, 'addEventListener' | 'register'>, updater: ServiceWorkerUpdater): Promise<ServiceWorkerRegistration | undefined> {
  wb.addEventListener('waiting', () => updater.reportWaiting());
  wb.addEventListener('controlling', () => updater.reportControllerChange());
  return wb.register().then(
    (registration) => {
      updater.reportRegistered();
      return registration;
    },
    (error: unknown) => {
      updater.reportError(error);
      return undefined;
    },
  );
}

/** Registers /sw.js (the build's worker) and returns the updater the banner shows. */
export function startServiceWorker(scriptUrl = '/sw.js'): ServiceWorkerUpdater {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) {
    return createServiceWorkerUpdater({ skipWaiting: () => {}, reload: () => {}, initiallyControlled: false, unsupported: true });
  }
  let wb: Workbox | undefined;
  const updater = createServiceWorkerUpdater({
    skipWaiting: () => wb?.messageSkipWaiting(),
    reload: () => window.location.reload(),
    initiallyControlled: navigator.serviceWorker.controller !== null,
  });
  // Registered once the first screen is up and the tablet idle: installing the worker fetches and
  // stores the whole app (about 1 MB), which would otherwise compete with that first screen for a
  // slow tablet's processor and link. workbox-window itself is not needed to draw anything.
  whenIdle(() => {
    void import('workbox-window')
      .then(async ({ Workbox }) => {
        wb = new Workbox(scriptUrl, { scope: '/' });
        const registration = await connectWorkbox(wb, updater);
        if (registration) watchForUpdates(registration, updater);
      })
      .catch((error: unknown) => updater.reportError(error));
  });
  return updater;
}

/**
 * Stations stay open for days. Check for a new version hourly and when the network returns, and
 * report a waiting worker found that way: workbox-window stops reporting updates it did not start.
 */
function watchForUpdates(registration: ServiceWorkerRegistration, updater: ServiceWorkerUpdater): void {
  const reportWhenInstalled = (worker: ServiceWorker | null) => {
    if (!worker) return;
    const onStateChange = () => {
      if (worker.state === 'installed' && registration.waiting === worker) updater.reportWaiting();
      if (worker.state !== 'installing') worker.removeEventListener('statechange', onStateChange);
    };
    worker.addEventListener('statechange', onStateChange);
  };
  const check = () => {
    if (!navigator.onLine) return;
    registration.update().then(
      () => {
        if (registration.waiting && registration.active) updater.reportWaiting();
        else reportWhenInstalled(registration.installing);
      },
      // Offline or the server is down: the next check will try again.
      () => {},
    );
  };
  window.setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  window.addEventListener('online', check);
}
