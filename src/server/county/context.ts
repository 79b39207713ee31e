import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database';
import type { ChangeLogTable, Database } from '../db/schema';

/** What the county services need: the database, its kind (for the few dialect differences) and a clock. */
export interface CountyContext {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The server's clock: authoritative for received-at times, code expiry and sessions. */
  now: () => Date;
}

/** Booleans as both databases store them. */
export const flag = (b: boolean): number => (b ? 1 : 0);

/**
 * Records a change a tablet learns of by pull. On PostgreSQL the table lock makes change ids
 * visible in the order they were taken, so a pull cursor never passes a change still uncommitted.
 * Call inside the transaction that makes the change.
 */
export async function logChange(trx: Kysely<Database>, kind: DatabaseKind, change: Omit<ChangeLogTable, 'id'>): Promise<void> {
  if (kind === 'postgres') await sql`lock table change_log in exclusive mode`.execute(trx);
  await trx.insertInto('change_log').values(change).execute();
}
