// When the tablet is locked, and what lifts the lock. Pure: the time comes in with each event, so the
// rules are tested as tables and the data-at-rest encryption can hang its key on the same states.
//
// locked ──password──▶ unlocked (a shift opens, or the clerk's own open shift goes on)
// unlocked ──idle / 锁定──▶ locked, the shift kept: the shift's clerk lifts it with his PIN
// unlocked or locked ──shift over / sign-out / clerk disabled──▶ locked, no shift: only a password
//
// Nothing here is persisted but the shift (its clerk and start time): a reload always starts locked,
// and a PIN after it is accepted only within the shift it belongs to.

import { MAX_PIN_FAILURES } from '../../storage';

export interface LockConfig {
  /** No touch or key for this long locks the tablet. */
  idleMs: number;
  /** A shift lasts this long from the password that opened it; then only a password opens another. */
  shiftMs: number;
}

export const DEFAULT_LOCK_CONFIG: LockConfig = { idleMs: 5 * 60_000, shiftMs: 12 * 3_600_000 };

export interface ShiftClerk {
  /** The county user name; `local:<name>` for a clerk of a tablet not enrolled at a county. */
  id: string;
  displayName: string;
}

export interface Shift {
  clerk: ShiftClerk;
  startedAt: number;
}

export type LockReason = 'start' | 'idle' | 'manual' | 'shift-over' | 'signed-out' | 'clerk-removed';

export type LockState = { status: 'locked'; reason: LockReason; shift: Shift | null } | { status: 'unlocked'; shift: Shift; lastActivity: number };

/**
 * `password`: the county password (online, or offline against its verifier); `pin`: the 6-digit PIN;
 * `local-pin`: the PIN of a clerk of a tablet with no county, which is all he has, so it opens a shift.
 */
export type Factor = 'password' | 'pin' | 'local-pin';

export type LockEvent =
  /** The page opened: the shift stored on the tablet, if any. */
  | { type: 'restore'; shift: Shift | null; at: number }
  /** A credential of `clerk` was verified. */
  | { type: 'signed-in'; clerk: ShiftClerk; factor: Factor; at: number }
  | { type: 'activity'; at: number }
  /** Time passes: the idle lock and the end of the shift. */
  | { type: 'tick'; at: number }
  | { type: 'lock'; at: number }
  | { type: 'sign-out' }
  /** The clerk's credentials left the tablet (disabled at the county). */
  | { type: 'clerk-removed'; clerkId: string };

export const INITIAL_LOCK_STATE: LockState = { status: 'locked', reason: 'start', shift: null };

export function shiftOver(shift: Shift, at: number, config: LockConfig): boolean {
  return at - shift.startedAt >= config.shiftMs || at < shift.startedAt;
}

export type PinRefusal = 'no-shift' | 'other-clerk' | 'shift-over' | 'pin-blocked';

/** Whether `clerkId` may use his PIN now; `failedAttempts` is his count of wrong PINs in a row. */
export function pinUse(state: LockState, clerkId: string, failedAttempts: number, at: number, config: LockConfig): { ok: true } | { ok: false; reason: PinRefusal } {
  if (failedAttempts >= MAX_PIN_FAILURES) return { ok: false, reason: 'pin-blocked' };
  if (!state.shift) return { ok: false, reason: 'no-shift' };
  if (state.shift.clerk.id !== clerkId) return { ok: false, reason: 'other-clerk' };
  if (shiftOver(state.shift, at, config)) return { ok: false, reason: 'shift-over' };
  return { ok: true };
}

function locked(reason: LockReason, shift: Shift | null): LockState {
  return { status: 'locked', reason, shift };
}

export function transition(state: LockState, event: LockEvent, config: LockConfig = DEFAULT_LOCK_CONFIG): LockState {
  switch (event.type) {
    case 'restore':
      // Even a shift still running starts locked: the page holds no proof of who is at the tablet.
      if (event.shift && !shiftOver(event.shift, event.at, config)) return locked('start', event.shift);
      return locked(event.shift ? 'shift-over' : 'start', null);
    case 'signed-in': {
      const own = state.shift && state.shift.clerk.id === event.clerk.id && !shiftOver(state.shift, event.at, config) ? state.shift : null;
      if (event.factor === 'pin') {
        if (!own) return state;
        return { status: 'unlocked', shift: own, lastActivity: event.at };
      }
      return { status: 'unlocked', shift: own ?? { clerk: event.clerk, startedAt: event.at }, lastActivity: event.at };
    }
    case 'activity':
      return state.status === 'unlocked' ? { ...state, lastActivity: Math.max(state.lastActivity, event.at) } : state;
    case 'tick':
      if (state.shift && shiftOver(state.shift, event.at, config)) return locked('shift-over', null);
      if (state.status === 'unlocked' && event.at - state.lastActivity >= config.idleMs) return locked('idle', state.shift);
      return state;
    case 'lock':
      if (state.status === 'locked') return state;
      return shiftOver(state.shift, event.at, config) ? locked('shift-over', null) : locked('manual', state.shift);
    case 'sign-out':
      return locked('signed-out', null);
    case 'clerk-removed':
      return state.shift?.clerk.id === event.clerkId ? locked('clerk-removed', null) : state;
  }
}

/** When the next `tick` can change the state (for a timer), or null when no time-driven change is due. */
export function nextDeadline(state: LockState, config: LockConfig): number | null {
  if (!state.shift) return null;
  const end = state.shift.startedAt + config.shiftMs;
  return state.status === 'unlocked' ? Math.min(end, state.lastActivity + config.idleMs) : end;
}

/** What a new state means for the stored shift: a new one to record, or the old one to end. */
export function shiftChange(before: LockState, after: LockState): 'opened' | 'ended' | null {
  if (after.shift && after.shift !== before.shift) return 'opened';
  if (!after.shift && before.shift) return 'ended';
  return null;
}
