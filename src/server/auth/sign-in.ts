// A password check for the county page login and the tablet's clerk sign-in, counted and limited
// (throttle.ts): the same work and the same answers whether or not the user name exists.

import type { FastifyBaseLogger } from 'fastify';
import type { Selectable } from 'kysely';
import type { CountyContext } from '../county/context';
import type { AccountsTable } from '../db/schema';
import { beginAttempt, signInKeys } from './attempts';
import { hashPassword, verifyPassword } from './secrets';

// Spent on unknown user names too, so the answer's timing does not tell which names exist.
let dummy: Promise<string> | null = null;
const dummyHash = () => (dummy ??= hashPassword('not a password of anyone'));

/**
 * The account when `password` is its password, null when the name is unknown or the password wrong
 * (counted as a failure). Throws the 429 `too-many-attempts` refusal while the user name or the
 * address is locked, without checking the password: a right one is refused too.
 */
export async function checkPassword(ctx: CountyContext, log: FastifyBaseLogger, input: { username: string; password: string; address: string }): Promise<Selectable<AccountsTable> | null> {
  const attempt = await beginAttempt(ctx, 'sign-in', signInKeys(input.username, input.address));
  let account: Selectable<AccountsTable> | undefined;
  let ok: boolean;
  try {
    account = await ctx.db.selectFrom('accounts').selectAll().where('username', '=', input.username).executeTakeFirst();
    ok = await verifyPassword(input.password, account?.password_hash ?? (await dummyHash()));
  } catch (err) {
    await attempt.notCounted().catch(() => {});
    throw err;
  }
  if (account && ok) {
    await attempt.succeeded();
    return account;
  }
  if (attempt.locks.length > 0) {
    log.warn({ locked: attempt.locks }, `sign-in locked after repeated wrong passwords: ${attempt.locks.map((k) => `${k.kind} ${k.subject}`).join(', ')}`);
  }
  return null;
}
