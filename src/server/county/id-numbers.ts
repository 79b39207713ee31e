// ID numbers as the server keys cases by them: normalised, and locked per number on PostgreSQL so
// that everything that links or unlinks possible duplicates of one veteran (push, the county's
// resolution of a conflict) runs one at a time.

import { sql, type Kysely } from 'kysely';
import { normaliseIdNumber } from '../../domain';
import type { Database } from '../db/schema';
import type { CountyContext } from './context';

export { normaliseIdNumber };

export const ID_NUMBER_LOCK_PREFIX = 'jiexu-id:';

/**
 * Sorted, so two transactions locking numbers of the same veterans lock in the same order and never
 * deadlock. JavaScript compares UTF-16 code units; SQL that sorts the same keys uses collate "C".
 */
export function idNumberLockKeys(idNumbers: readonly string[]): string[] {
  return [...new Set(idNumbers)].sort().map((id) => `${ID_NUMBER_LOCK_PREFIX}${id}`);
}

export async function lockIdNumbers(trx: Kysely<Database>, ctx: CountyContext, idNumbers: readonly string[]): Promise<void> {
  if (ctx.kind !== 'postgres' || idNumbers.length === 0) return;
  // unnest keeps the array's order, so one statement takes them all in that order.
  await sql`select count(pg_advisory_xact_lock(hashtext(k))) from unnest(${idNumberLockKeys(idNumbers)}::text[]) as k`.execute(trx);
}
