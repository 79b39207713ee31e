// The counts of failed guesses, kept in the database (sign_in_throttle) so that a lock survives a
// restart and holds for every server process on one PostgreSQL. Whether an attempt may go ahead is
// decided by the pure functions of throttle.ts; this file only reads and writes the counts.

import type { Kysely } from 'kysely';
import type { CountyContext } from '../county/context';
import type { SignInLockItem } from '../../shared/admin-api';
import type { Database, SignInThrottleTable } from '../db/schema';
import { ApiError } from '../errors';
import {
  afterSuccess,
  countFailure,
  currentCount,
  decideAttempt,
  giveBack,
  lockedUntil,
  THROTTLE_RULES,
  tooManyAttempts,
  type AttemptCount,
  type ThrottleKind,
} from './throttle';

export interface AttemptKey {
  kind: ThrottleKind;
  subject: string;
}

/** As long as the column: a longer user name is no account's, and such names may share a count. */
const SUBJECT_LENGTH = 64;

/** The keys a password guess is counted under: the user name (known or not) and the client address. */
export function signInKeys(username: string, address: string): AttemptKey[] {
  return [
    { kind: 'account', subject: username.slice(0, SUBJECT_LENGTH) },
    { kind: 'address', subject: address.slice(0, SUBJECT_LENGTH) },
  ];
}

export function enrolmentKeys(address: string): AttemptKey[] {
  return [{ kind: 'enrolment-address', subject: address.slice(0, SUBJECT_LENGTH) }];
}

/** An attempt let through, already counted as a failure: report how it ended. */
export interface Attempt {
  /** The secret was right: an account's count is cleared, an address gets its attempt back. */
  succeeded(): Promise<void>;
  /** Nothing was guessed after all (e.g. the request was refused for another reason): the attempt is given back. */
  notCounted(): Promise<void>;
  /** The keys this attempt locks if it fails (for the log). */
  readonly locks: AttemptKey[];
}

const toCount = (r: Pick<SignInThrottleTable, 'failures' | 'last_failure_at' | 'locked_until'>): AttemptCount => ({
  failures: r.failures,
  lastFailureAt: r.last_failure_at,
  lockedUntil: r.locked_until,
});

// Rows are locked in one order (kind, subject) by every transaction, so two attempts never deadlock.
const sorted = (keys: AttemptKey[]) => [...keys].sort((a, b) => (a.kind === b.kind ? (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) : a.kind < b.kind ? -1 : 1));

async function lockRows(ctx: CountyContext, trx: Kysely<Database>, keys: AttemptKey[], at: string): Promise<Map<string, AttemptCount>> {
  // On PostgreSQL a missing row cannot be locked: insert an empty one first (the loser of a race waits
  // for the winner), then lock. SQLite runs one transaction at a time anyway.
  await trx
    .insertInto('sign_in_throttle')
    .values(keys.map((k) => ({ kind: k.kind, subject: k.subject, failures: 0, last_failure_at: at, locked_until: null })))
    .onConflict((oc) => oc.columns(['kind', 'subject']).doNothing())
    .execute();
  const rows = await trx
    .selectFrom('sign_in_throttle')
    .selectAll()
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('subject', '=', k.subject)]))))
    .orderBy('kind')
    .orderBy('subject')
    .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
    .execute();
  return new Map(rows.map((r) => [`${r.kind}\u0000${r.subject}`, toCount(r)]));
}

async function store(trx: Kysely<Database>, key: AttemptKey, count: AttemptCount | null): Promise<void> {
  if (count === null) {
    await trx.deleteFrom('sign_in_throttle').where('kind', '=', key.kind).where('subject', '=', key.subject).execute();
    return;
  }
  await trx
    .updateTable('sign_in_throttle')
    .set({ failures: count.failures, last_failure_at: count.lastFailureAt, locked_until: count.lockedUntil })
    .where('kind', '=', key.kind)
    .where('subject', '=', key.subject)
    .execute();
}

/** Counts older than any rule remembers (a day, past the longest lock) are dropped as attempts come. */
const PRUNE_AFTER_MS = Math.max(...Object.values(THROTTLE_RULES).map((r) => r.forgetAfterMs + r.maxLockMs));

// Its own statement, outside any attempt's transaction, skipping rows another attempt holds: it
// never waits for a lock while holding one, so it cannot deadlock with an attempt.
async function prune(ctx: CountyContext, now: Date): Promise<void> {
  const before = new Date(now.getTime() - PRUNE_AFTER_MS).toISOString();
  if (ctx.kind === 'sqlite') {
    await ctx.db.deleteFrom('sign_in_throttle').where('last_failure_at', '<', before).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)])).execute();
    return;
  }
  await ctx.db
    .deleteFrom('sign_in_throttle')
    .where((eb) =>
      eb(
        eb.refTuple('kind', 'subject'),
        'in',
        eb
          .selectFrom('sign_in_throttle')
          .select(['kind', 'subject'])
          .where('last_failure_at', '<', before)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', before)]))
          .forUpdate()
          .skipLocked()
          .$asTuple('kind', 'subject'),
      ),
    )
    .execute();
}

/**
 * Lets an attempt under `keys` go ahead, counting it as a failure now, or throws the 429 refusal
 * (`too-many-attempts`, with retryAfterSeconds for the Retry-After header) while any key is locked.
 */
export async function beginAttempt(ctx: CountyContext, what: 'sign-in' | 'enrolment', keys: AttemptKey[]): Promise<Attempt> {
  const ordered = sorted(keys);
  const now = ctx.now();
  const at = now.toISOString();
  await prune(ctx, now);
  const locks = await ctx.db.transaction().execute(async (trx) => {
    const counts = await lockRows(ctx, trx, ordered, at);
    const get = (k: AttemptKey) => counts.get(`${k.kind}\u0000${k.subject}`) ?? null;
    const decision = decideAttempt(
      ordered.map((k) => ({ count: get(k), rule: THROTTLE_RULES[k.kind] })),
      now,
    );
    if (!decision.allow) {
      // The empty rows made for the lock are not kept.
      for (const k of ordered) if (currentCount(get(k), now, THROTTLE_RULES[k.kind]) === null) await store(trx, k, null);
      return decision;
    }
    const locking: AttemptKey[] = [];
    for (const k of ordered) {
      const next = countFailure(get(k), now, THROTTLE_RULES[k.kind]);
      if (next.lockedUntil !== null) locking.push(k);
      await store(trx, k, next);
    }
    return locking;
  });
  if (!Array.isArray(locks)) {
    const r = tooManyAttempts(what, locks);
    throw new ApiError(r.status, r.code, r.message, { details: { retryAfterSeconds: r.retryAfterSeconds } });
  }

  const settle = (next: (count: AttemptCount | null, key: AttemptKey) => AttemptCount | null) => async () => {
    const settledAt = ctx.now();
    await ctx.db.transaction().execute(async (trx) => {
      const counts = await lockRows(ctx, trx, ordered, settledAt.toISOString());
      for (const k of ordered) await store(trx, k, next(counts.get(`${k.kind}\u0000${k.subject}`) ?? null, k));
    });
  };
  let settled = false;
  const once = (f: () => Promise<void>) => async () => {
    if (settled) return;
    settled = true;
    await f();
  };
  return {
    locks,
    succeeded: once(settle((c, k) => afterSuccess(c, ctx.now(), THROTTLE_RULES[k.kind]))),
    notCounted: once(settle((c, k) => giveBack(c, ctx.now(), THROTTLE_RULES[k.kind]))),
  };
}

/** Clears the count of a key (the admin unlocking an account or an address); whether it was locked. */
export async function clearCount(ctx: CountyContext, key: AttemptKey): Promise<{ wasLocked: boolean }> {
  const row = await ctx.db.selectFrom('sign_in_throttle').selectAll().where('kind', '=', key.kind).where('subject', '=', key.subject).executeTakeFirst();
  await ctx.db.deleteFrom('sign_in_throttle').where('kind', '=', key.kind).where('subject', '=', key.subject).execute();
  return { wasLocked: row !== undefined && lockedUntil(toCount(row), ctx.now(), THROTTLE_RULES[key.kind]) !== null };
}

/** Every key with failures still remembered, locked ones first. */
export async function listCounts(ctx: CountyContext): Promise<SignInLockItem[]> {
  const now = ctx.now();
  const rows = await ctx.db.selectFrom('sign_in_throttle').selectAll().orderBy('kind').orderBy('subject').execute();
  const out: SignInLockItem[] = [];
  for (const r of rows) {
    const rule = THROTTLE_RULES[r.kind];
    const c = currentCount(toCount(r), now, rule);
    if (c === null) continue;
    const until = lockedUntil(c, now, rule);
    out.push({ kind: r.kind, subject: r.subject, failures: c.failures, lastFailureAt: c.lastFailureAt, lockedUntil: until === null ? null : until.toISOString() });
  }
  return out.sort((a, b) => Number(b.lockedUntil !== null) - Number(a.lockedUntil !== null));
}
