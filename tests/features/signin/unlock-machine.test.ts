// The unlock state machine, as tables: which credential lifts which lock, when the tablet locks by
// itself, and what a reload keeps.
import { describe, expect, it } from 'vitest';
import {
  INITIAL_LOCK_STATE,
  nextDeadline,
  pinUse,
  shiftChange,
  transition,
  type LockConfig,
  type LockEvent,
  type LockState,
  type Shift,
} from '../../../src/features/signin/unlock-machine';

const MIN = 60_000;
const HOUR = 60 * MIN;
const CONFIG: LockConfig = { idleMs: 5 * MIN, shiftMs: 12 * HOUR };
const WANG = { id: 'wangfang', displayName: '王芳' };
const LI = { id: 'lisi', displayName: '李四' };
const T0 = Date.UTC(2026, 11, 7, 1, 0, 0);
const WANG_SHIFT: Shift = { clerk: WANG, startedAt: T0 };

const unlocked = (shift: Shift, lastActivity: number): LockState => ({ status: 'unlocked', shift, lastActivity });
const idleLocked = (shift: Shift): LockState => ({ status: 'locked', reason: 'idle', shift });

function run(events: LockEvent[], from: LockState = INITIAL_LOCK_STATE): LockState {
  return events.reduce((s, e) => transition(s, e, CONFIG), from);
}

describe('the unlock state machine', () => {
  const cases: { name: string; from: LockState; event: LockEvent; expect: { status: 'locked' | 'unlocked'; reason?: string; shiftClerk: string | null; shiftStart?: number } }[] = [
    { name: 'a password opens a shift from the locked start', from: INITIAL_LOCK_STATE, event: { type: 'signed-in', clerk: WANG, factor: 'password', at: T0 }, expect: { status: 'unlocked', shiftClerk: 'wangfang', shiftStart: T0 } },
    { name: 'a PIN does not open a shift', from: INITIAL_LOCK_STATE, event: { type: 'signed-in', clerk: WANG, factor: 'pin', at: T0 }, expect: { status: 'locked', reason: 'start', shiftClerk: null } },
    { name: 'a local PIN opens a shift on a tablet with no county', from: INITIAL_LOCK_STATE, event: { type: 'signed-in', clerk: { id: 'local:王丽', displayName: '王丽' }, factor: 'local-pin', at: T0 }, expect: { status: 'unlocked', shiftClerk: 'local:王丽', shiftStart: T0 } },
    { name: 'the shift’s own clerk lifts the idle lock with his PIN, the shift going on', from: idleLocked(WANG_SHIFT), event: { type: 'signed-in', clerk: WANG, factor: 'pin', at: T0 + HOUR }, expect: { status: 'unlocked', shiftClerk: 'wangfang', shiftStart: T0 } },
    { name: 'another clerk’s PIN does not lift the idle lock', from: idleLocked(WANG_SHIFT), event: { type: 'signed-in', clerk: LI, factor: 'pin', at: T0 + HOUR }, expect: { status: 'locked', reason: 'idle', shiftClerk: 'wangfang' } },
    { name: 'another clerk’s password opens his own shift', from: idleLocked(WANG_SHIFT), event: { type: 'signed-in', clerk: LI, factor: 'password', at: T0 + HOUR }, expect: { status: 'unlocked', shiftClerk: 'lisi', shiftStart: T0 + HOUR } },
    { name: 'the own clerk’s password lifts the idle lock within the same shift', from: idleLocked(WANG_SHIFT), event: { type: 'signed-in', clerk: WANG, factor: 'password', at: T0 + HOUR }, expect: { status: 'unlocked', shiftClerk: 'wangfang', shiftStart: T0 } },
    { name: 'a PIN after the shift is over is refused', from: idleLocked(WANG_SHIFT), event: { type: 'signed-in', clerk: WANG, factor: 'pin', at: T0 + 12 * HOUR }, expect: { status: 'locked', reason: 'idle', shiftClerk: 'wangfang' } },
    { name: 'a password after the shift is over opens a new one', from: idleLocked(WANG_SHIFT), event: { type: 'signed-in', clerk: WANG, factor: 'password', at: T0 + 13 * HOUR }, expect: { status: 'unlocked', shiftClerk: 'wangfang', shiftStart: T0 + 13 * HOUR } },
    { name: 'no touch for the idle time locks, the shift kept', from: unlocked(WANG_SHIFT, T0), event: { type: 'tick', at: T0 + 5 * MIN }, expect: { status: 'locked', reason: 'idle', shiftClerk: 'wangfang' } },
    { name: 'a moment less than the idle time does not', from: unlocked(WANG_SHIFT, T0), event: { type: 'tick', at: T0 + 5 * MIN - 1 }, expect: { status: 'unlocked', shiftClerk: 'wangfang' } },
    { name: '锁定 locks at once, the shift kept', from: unlocked(WANG_SHIFT, T0), event: { type: 'lock', at: T0 + 1 }, expect: { status: 'locked', reason: 'manual', shiftClerk: 'wangfang' } },
    { name: 'the end of the shift locks and ends it', from: unlocked(WANG_SHIFT, T0 + 12 * HOUR - 1), event: { type: 'tick', at: T0 + 12 * HOUR }, expect: { status: 'locked', reason: 'shift-over', shiftClerk: null } },
    { name: 'the end of the shift ends it while locked too', from: idleLocked(WANG_SHIFT), event: { type: 'tick', at: T0 + 12 * HOUR }, expect: { status: 'locked', reason: 'shift-over', shiftClerk: null } },
    { name: 'signing out locks and ends the shift', from: unlocked(WANG_SHIFT, T0), event: { type: 'sign-out' }, expect: { status: 'locked', reason: 'signed-out', shiftClerk: null } },
    { name: 'a clerk disabled at the county loses his shift', from: unlocked(WANG_SHIFT, T0), event: { type: 'clerk-removed', clerkId: 'wangfang' }, expect: { status: 'locked', reason: 'clerk-removed', shiftClerk: null } },
    { name: 'another clerk disabled leaves the shift alone', from: unlocked(WANG_SHIFT, T0), event: { type: 'clerk-removed', clerkId: 'lisi' }, expect: { status: 'unlocked', shiftClerk: 'wangfang' } },
    { name: 'a reload within the shift starts locked, the shift kept for the PIN', from: INITIAL_LOCK_STATE, event: { type: 'restore', shift: WANG_SHIFT, at: T0 + HOUR }, expect: { status: 'locked', reason: 'start', shiftClerk: 'wangfang' } },
    { name: 'a reload after the shift starts locked with no shift', from: INITIAL_LOCK_STATE, event: { type: 'restore', shift: WANG_SHIFT, at: T0 + 12 * HOUR }, expect: { status: 'locked', reason: 'shift-over', shiftClerk: null } },
    { name: 'a shift that starts after the tablet’s clock is not trusted', from: INITIAL_LOCK_STATE, event: { type: 'restore', shift: WANG_SHIFT, at: T0 - HOUR }, expect: { status: 'locked', reason: 'shift-over', shiftClerk: null } },
  ];

  it.each(cases)('$name', ({ from, event, expect: want }) => {
    const next = transition(from, event, CONFIG);
    expect(next.status).toBe(want.status);
    if (next.status === 'locked') expect(next.reason).toBe(want.reason);
    expect(next.shift?.clerk.id ?? null).toBe(want.shiftClerk);
    if (want.shiftStart !== undefined) expect(next.shift?.startedAt).toBe(want.shiftStart);
  });

  it('a touch puts the idle lock off', () => {
    const s = run([
      { type: 'signed-in', clerk: WANG, factor: 'password', at: T0 },
      { type: 'activity', at: T0 + 4 * MIN },
      { type: 'tick', at: T0 + 5 * MIN },
    ]);
    expect(s.status).toBe('unlocked');
    expect(run([{ type: 'tick', at: T0 + 9 * MIN }], s).status).toBe('locked');
  });

  const pinCases: { name: string; state: LockState; clerk: string; failed: number; at: number; want: ReturnType<typeof pinUse> }[] = [
    { name: 'the shift’s clerk within his shift', state: idleLocked(WANG_SHIFT), clerk: 'wangfang', failed: 0, at: T0 + HOUR, want: { ok: true } },
    { name: 'after four wrong PINs', state: idleLocked(WANG_SHIFT), clerk: 'wangfang', failed: 4, at: T0 + HOUR, want: { ok: true } },
    { name: 'after five wrong PINs, until the password', state: idleLocked(WANG_SHIFT), clerk: 'wangfang', failed: 5, at: T0 + HOUR, want: { ok: false, reason: 'pin-blocked' } },
    { name: 'another clerk', state: idleLocked(WANG_SHIFT), clerk: 'lisi', failed: 0, at: T0 + HOUR, want: { ok: false, reason: 'other-clerk' } },
    { name: 'with no shift open', state: INITIAL_LOCK_STATE, clerk: 'wangfang', failed: 0, at: T0, want: { ok: false, reason: 'no-shift' } },
    { name: 'after the shift', state: idleLocked(WANG_SHIFT), clerk: 'wangfang', failed: 0, at: T0 + 12 * HOUR, want: { ok: false, reason: 'shift-over' } },
  ];

  it.each(pinCases)('the PIN: $name', ({ state, clerk, failed, at, want }) => {
    expect(pinUse(state, clerk, failed, at, CONFIG)).toEqual(want);
  });

  it('tells the timer when the next lock is due, and what became of the shift', () => {
    const open = transition(INITIAL_LOCK_STATE, { type: 'signed-in', clerk: WANG, factor: 'password', at: T0 }, CONFIG);
    expect(nextDeadline(open, CONFIG)).toBe(T0 + 5 * MIN);
    expect(nextDeadline(idleLocked(WANG_SHIFT), CONFIG)).toBe(T0 + 12 * HOUR);
    expect(nextDeadline(INITIAL_LOCK_STATE, CONFIG)).toBeNull();
    expect(shiftChange(INITIAL_LOCK_STATE, open)).toBe('opened');
    const idle = transition(open, { type: 'tick', at: T0 + 5 * MIN }, CONFIG);
    expect(shiftChange(open, idle)).toBeNull();
    expect(shiftChange(idle, transition(idle, { type: 'sign-out' }, CONFIG))).toBe('ended');
  });
});
