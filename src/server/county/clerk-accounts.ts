// The clerk account a tablet sends with each case version (every case records the clerk who
// registered it): read once per batch, checked by the policy, stored as sent with the reason when
// the policy could not verify it. Never a refusal (see checkCaseClerk).

import type { Kysely } from 'kysely';
import { checkCaseClerk, type ClerkAccountProblem, type Principal } from '../auth/policy';
import type { Database, Role } from '../db/schema';

export type ClerkAccounts = ReadonlyMap<string, { role: Role; townshipCode: string | null; active: boolean }>;

/** The accounts named in a batch, by user name (one query; none when no mutation names one). */
export async function loadClerkAccounts(trx: Kysely<Database>, usernames: readonly (string | null | undefined)[]): Promise<ClerkAccounts> {
  const names = [...new Set(usernames.filter((u): u is string => typeof u === 'string'))];
  if (names.length === 0) return new Map();
  const rows = await trx.selectFrom('accounts').select(['username', 'role', 'township_code', 'active']).where('username', 'in', names).execute();
  return new Map(rows.map((r) => [r.username, { role: r.role, townshipCode: r.township_code, active: r.active === 1 }]));
}

/** What a version stores of its clerk's account: the account as sent (or null) and why it is unverified (or null). */
export function clerkOfVersion(
  device: Principal & { kind: 'device' },
  accounts: ClerkAccounts,
  account: string | null | undefined,
): { clerk_account: string | null; clerk_problem: ClerkAccountProblem | null } {
  // A tablet of the previous version, or a name picked without signing in: nothing to check.
  if (account === null || account === undefined) return { clerk_account: null, clerk_problem: null };
  const check = checkCaseClerk(device, accounts.get(account) ?? null);
  return { clerk_account: account, clerk_problem: check.verified ? null : check.problem };
}
