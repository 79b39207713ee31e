import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { describeDatabase, type DatabaseConfig } from '../config';
import { StartupError } from '../errors';
import type { Database } from './schema';

export type DatabaseKind = DatabaseConfig['kind'];

export interface AppDatabase {
  kind: DatabaseKind;
  db: Kysely<Database>;
  /** Human-readable, password hidden. */
  description: string;
  destroy(): Promise<void>;
}

function openSqlite(file: string): Kysely<Database> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets health checks and reports read while a sync writes; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Opens the configured database and checks that it answers, so that a wrong DATABASE_URL or an
 * unwritable DATA_DIR stops the program at start with a clear message.
 */
export async function openDatabase(config: DatabaseConfig): Promise<AppDatabase> {
  const description = describeDatabase(config);
  let db: Kysely<Database>;
  try {
    db = config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
  } catch (err) {
    throw new StartupError('database-unavailable', `Cannot open ${description}: ${(err as Error).message}`, { cause: err });
  }
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => {});
    throw new StartupError('database-unavailable', `Cannot use ${description}: ${(err as Error).message}`, { cause: err });
  }
  return { kind: config.kind, db, description, destroy: () => db.destroy() };
}
