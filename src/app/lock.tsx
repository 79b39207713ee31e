// The tablet's lock for the page: the unlock state machine (features/signin/unlock-machine.ts) held
// in memory only, so that a reload starts locked, with the idle and end-of-shift timers. The header
// reads it to hide everything but the lock screen; LockGate decides what the screens may show.
import { createContext, useContext, useSyncExternalStore } from 'react';
import { DEFAULT_LOCK_CONFIG, INITIAL_LOCK_STATE, nextDeadline, transition, type LockConfig, type LockEvent, type LockReason, type LockState, type Shift } from '../features/signin/unlock-machine';
import type { LockSettings } from '../storage';

/** The machine's config from the device setting as stored. */
export function lockConfigOf(settings: LockSettings): LockConfig {
  return { idleMs: settings.idleSeconds * 1000, shiftMs: settings.shiftHours * 3_600_000 };
}

/** What the screens render by: replaced only when the lock or the shift changes, not at each touch. */
export interface LockView {
  locked: boolean;
  reason: LockReason | null;
  shift: Shift | null;
}

export interface LockStore {
  getState(): LockState;
  getView(): LockView;
  subscribe(listener: () => void): () => void;
  dispatch(event: LockEvent): LockState;
  /** The transition `event` would make now, without making it (to prepare a new shift first). */
  preview(event: LockEvent): LockState;
  config(): LockConfig;
  setConfig(config: LockConfig): void;
  now(): number;
  /** Stops the timers and listeners (the page's store lives as long as the page). */
  dispose(): void;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

export function createLockStore(options: { now?: () => number; target?: Window } = {}): LockStore {
  const now = options.now ?? (() => Date.now());
  const target = options.target ?? (typeof window === 'undefined' ? undefined : window);
  let state: LockState = INITIAL_LOCK_STATE;
  let config: LockConfig = DEFAULT_LOCK_CONFIG;
  let view: LockView = { locked: true, reason: state.status === 'locked' ? state.reason : null, shift: null };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    const due = nextDeadline(state, config);
    // setTimeout holds at most 2^31-1 ms; a later deadline is checked again when that one fires.
    if (due !== null) timer = setTimeout(() => dispatch({ type: 'tick', at: now() }), Math.min(Math.max(0, due - now()), 2 ** 31 - 1));
  };

  function dispatch(event: LockEvent): LockState {
    const next = transition(state, event, config);
    if (next === state) {
      if (event.type === 'tick') schedule();
      return state;
    }
    state = next;
    const reason = next.status === 'locked' ? next.reason : null;
    if (view.locked !== (next.status === 'locked') || view.shift !== next.shift || view.reason !== reason) {
      view = { locked: next.status === 'locked', reason, shift: next.shift };
      for (const l of [...listeners]) l();
    }
    if (event.type !== 'activity') schedule();
    return state;
  }

  const onActivity = () => {
    if (state.status === 'unlocked') dispatch({ type: 'activity', at: now() });
  };
  // A tablet that slept lets its timers slip: the time is checked again as soon as it is shown.
  const onVisible = () => {
    if (target?.document.visibilityState !== 'hidden') dispatch({ type: 'tick', at: now() });
  };
  for (const e of ACTIVITY_EVENTS) target?.addEventListener(e, onActivity, { capture: true, passive: true });
  target?.document.addEventListener('visibilitychange', onVisible);

  return {
    getState: () => state,
    getView: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch,
    preview: (event) => transition(state, event, config),
    config: () => config,
    setConfig(c) {
      config = c;
      dispatch({ type: 'tick', at: now() });
      schedule();
    },
    now,
    dispose() {
      clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) target?.removeEventListener(e, onActivity, { capture: true });
      target?.document.removeEventListener('visibilitychange', onVisible);
    },
  };
}

export const LockContext = createContext<LockStore | null>(null);

/** The page's lock store; null outside the tablet's screens (the county page has no lock). */
export function useLockStore(): LockStore | null {
  return useContext(LockContext);
}

const noView = () => null;
const noSubscribe = () => () => undefined;

/** The lock as the screens render it, or null without a lock store above. */
export function useLockView(): LockView | null {
  const store = useLockStore();
  return useSyncExternalStore(store ? store.subscribe : noSubscribe, store ? store.getView : noView, store ? store.getView : noView);
}
