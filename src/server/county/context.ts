import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database';
import type { ChangeLogTable, Database } from '../db/schema';
import type { QueueSettings } from './overdue';

/** What the county services need: the database, its kind (for the few dialect differences) and a clock. */
export interface CountyContext {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The server's clock: authoritative for received-at times, code expiry and sessions. */
  now: () => Date;
  /** The overdue queue's and the stale-tablet alert's days (county/overdue.ts); defaults when absent. */
  queue?: QueueSettings;
}

/** Booleans as both databases store them. */
export const flag = (b: boolean): number => (b ? 1 : 0);

/**
 * Records a change a tablet learns of by pull. On PostgreSQL the table lock makes change ids
 * visible in the order they were taken, so a pull cursor never passes a change still uncommitted.
 * Call inside the transaction that makes the change, after its other writes: the lock is the last
 * one every writer takes, so that no writer holding it waits for a row another one holds.
 */
export async function logChange(trx: Kysely<Database>, kind: DatabaseKind, change: Omit<ChangeLogTable, 'id'>): Promise<void> {
  await logChanges(trx, kind, [change]);
}

/** Several changes as logChange records one: one lock, one insert. Nothing for none. */
export async function logChanges(trx: Kysely<Database>, kind: DatabaseKind, changes: readonly Omit<ChangeLogTable, 'id'>[]): Promise<void> {
  if (changes.length === 0) return;
  if (kind === 'postgres') await sql`lock table change_log in exclusive mode`.execute(trx);
  await trx.insertInto('change_log').values([...changes]).execute();
}
