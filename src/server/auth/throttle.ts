// Whether a guess at a secret (a password, an enrolment code) may be tried now: pure functions of
// the failure counts and the time, so every limit is decided here and tested without timers.
// attempts.ts keeps the counts in the database and calls these.
//
// Counts are kept per account (user name, whether or not it exists, so the answer does not tell
// which names exist) and per client address. An attempt is counted as a failure before the secret
// is checked, so parallel guesses cannot all slip in under the limit; a success then gives it back
// (address) or clears the count (account).

export type ThrottleKind = 'account' | 'address' | 'enrolment-address';

export interface ThrottleRule {
  /** Failures that cost nothing; the next one locks. */
  freeFailures: number;
  /** The first lock; each further failure doubles it, up to maxLockMs. */
  firstLockMs: number;
  maxLockMs: number;
  /** A count is forgotten after this long without a failure or a lock. */
  forgetAfterMs: number;
  /** A success clears the count (account), or only gives back its own pre-counted attempt (address). */
  resetOnSuccess: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const THROTTLE_RULES: Readonly<Record<ThrottleKind, ThrottleRule>> = {
  // 5 wrong passwords lock the user name for 5 minutes, then 10, 20, 40, 60 … : at most ~30 guesses a day.
  account: { freeFailures: 5, firstLockMs: 5 * MINUTE, maxLockMs: HOUR, forgetAfterMs: 24 * HOUR, resetOnSuccess: true },
  // One office's clerks may share an address: more room, but spraying many user names is stopped.
  address: { freeFailures: 20, firstLockMs: 5 * MINUTE, maxLockMs: HOUR, forgetAfterMs: HOUR, resetOnSuccess: false },
  // A code has 60 random bits; this mostly stops a script hammering the server.
  'enrolment-address': { freeFailures: 10, firstLockMs: 5 * MINUTE, maxLockMs: HOUR, forgetAfterMs: HOUR, resetOnSuccess: false },
};

/** One key's count as stored (ISO 8601 UTC times). */
export interface AttemptCount {
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

const ms = (iso: string | null): number => (iso === null ? Number.NEGATIVE_INFINITY : Date.parse(iso));

/** The count as it stands at `now`: null once forgotten (or never made). */
export function currentCount(count: AttemptCount | null, now: Date, rule: ThrottleRule): AttemptCount | null {
  if (count === null || count.failures <= 0) return null;
  const quietSince = Math.max(ms(count.lastFailureAt), ms(count.lockedUntil));
  return now.getTime() - quietSince >= rule.forgetAfterMs ? null : count;
}

/** How long the failure that brings the count to `failures` locks: 0 while failures are free. */
export function lockMs(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeFailures) return 0;
  const doublings = Math.min(failures - rule.freeFailures, 30);
  return Math.min(rule.firstLockMs * 2 ** doublings, rule.maxLockMs);
}

export function lockedUntil(count: AttemptCount | null, now: Date, rule: ThrottleRule): Date | null {
  const c = currentCount(count, now, rule);
  if (c === null || c.lockedUntil === null) return null;
  const until = ms(c.lockedUntil);
  return until > now.getTime() ? new Date(until) : null;
}

export type AttemptDecision = { allow: true } | { allow: false; retryAt: Date; retryAfterSeconds: number };

/** An attempt is refused while any of its keys is locked; it may be retried when the last lock ends. */
export function decideAttempt(counts: readonly { count: AttemptCount | null; rule: ThrottleRule }[], now: Date): AttemptDecision {
  let retryAt: Date | null = null;
  for (const { count, rule } of counts) {
    const until = lockedUntil(count, now, rule);
    if (until !== null && (retryAt === null || until > retryAt)) retryAt = until;
  }
  if (retryAt === null) return { allow: true };
  return { allow: false, retryAt, retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)) };
}

/** The count after one more failure at `now` (a forgotten count starts again at one). */
export function countFailure(count: AttemptCount | null, now: Date, rule: ThrottleRule): AttemptCount {
  const failures = (currentCount(count, now, rule)?.failures ?? 0) + 1;
  const lock = lockMs(failures, rule);
  return { failures, lastFailureAt: now.toISOString(), lockedUntil: lock > 0 ? new Date(now.getTime() + lock).toISOString() : null };
}

/** The count after an attempt that was pre-counted as a failure turned out not to be one: null when nothing is left. */
export function giveBack(count: AttemptCount | null, now: Date, rule: ThrottleRule): AttemptCount | null {
  const c = currentCount(count, now, rule);
  if (c === null || c.failures <= 1) return null;
  const failures = c.failures - 1;
  // The lock this attempt itself set is lifted; a lock earned by other failures stays.
  return { ...c, failures, lockedUntil: failures < rule.freeFailures ? null : c.lockedUntil };
}

/** The count after a success: cleared for an account, the attempt given back for an address. */
export function afterSuccess(count: AttemptCount | null, now: Date, rule: ThrottleRule): AttemptCount | null {
  return rule.resetOnSuccess ? null : giveBack(count, now, rule);
}

export const TOO_MANY_ATTEMPTS = 'too-many-attempts';

function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The refusal of a throttled attempt: HTTP 429, a stable code, when to retry in English. */
export function tooManyAttempts(
  what: 'sign-in' | 'enrolment',
  refusal: Extract<AttemptDecision, { allow: false }>,
): { status: 429; code: typeof TOO_MANY_ATTEMPTS; message: string; retryAfterSeconds: number } {
  const when = `try again after ${refusal.retryAt.toISOString()} (in ${inWords(refusal.retryAfterSeconds)})`;
  const message =
    what === 'sign-in'
      ? `Too many failed sign-in attempts for this user name or from this address; ${when}, or ask the county administrator to unlock the account`
      : `Too many wrong enrolment codes from this address; ${when}`;
  return { status: 429, code: TOO_MANY_ATTEMPTS, message, retryAfterSeconds: refusal.retryAfterSeconds };
}
