import { Migrator, sql, type Kysely, type MigrationProvider, type MigrationResult } from 'kysely';
import { StartupError } from '../errors';
import { appVersion } from '../package-info';
import type { AppDatabase } from './database';
import { latestMigrationName, migrations as knownMigrations } from './migrations/index';
import { META, type Database } from './schema';

const MIGRATION_TABLE = 'kysely_migration';

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly list: typeof knownMigrations) {}

  async getMigrations() {
    return { ...this.list };
  }
}

async function migrationTableExists(app: AppDatabase): Promise<boolean> {
  if (app.kind === 'sqlite') {
    const found = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`.execute(app.db);
    return found.rows.length > 0;
  }
  // to_regclass follows search_path, exactly as Kysely's migrator does when it creates the table.
  const found = await sql<{ oid: string | null }>`select to_regclass(${MIGRATION_TABLE})::text as oid`.execute(app.db);
  return found.rows[0]?.oid != null;
}

/** Names of migrations recorded as applied in the database, in the order they ran. */
export async function appliedMigrationNames(app: AppDatabase): Promise<string[]> {
  if (!(await migrationTableExists(app))) return [];
  const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by timestamp, name`.execute(app.db);
  return rows.rows.map((r) => r.name);
}

/**
 * Refuses a database that a newer version of the program has migrated: running old code on it could
 * misread or damage data it does not understand.
 */
export async function assertNoUnknownMigrations(app: AppDatabase, known: Readonly<Record<string, unknown>> = knownMigrations): Promise<void> {
  const unknown = (await appliedMigrationNames(app)).filter((name) => !Object.hasOwn(known, name));
  if (unknown.length > 0) {
    throw new StartupError(
      'database-newer-than-program',
      `Refusing to use ${app.description}: it was written by a newer version of Jiexu. ` +
        `It has applied migrations this program (version ${appVersion}) does not know: ${unknown.join(', ')}. ` +
        'Upgrade this program, or point it at another database. Nothing was changed.',
    );
  }
}

export interface MigrationOutcome {
  /** Migrations applied by this call, oldest first (empty when the database was up to date). */
  applied: string[];
  schemaVersion: string;
}

/**
 * Brings the database to the latest schema this program knows, then records the schema and program
 * version. Safe to run at every start and from several processes (Kysely takes a lock).
 */
export async function migrateToLatest(app: AppDatabase): Promise<MigrationOutcome> {
  await assertNoUnknownMigrations(app);

  const migrator = new Migrator({ db: app.db, provider: new StaticMigrationProvider(knownMigrations) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error')?.migrationName;
    const detail = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      'migration-failed',
      `Migrating ${app.description} failed${failed ? ` in ${failed}` : ''}: ${detail}`,
      { cause: error },
    );
  }

  await recordVersions(app.db);
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    schemaVersion: latestMigrationName,
  };
}

async function recordVersions(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  for (const [key, value] of [
    [META.schemaVersion, latestMigrationName],
    [META.appVersion, appVersion],
  ] as const) {
    await db
      .insertInto('server_meta')
      .values({ key, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }
}
