import { readdir } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { openDatabase, type AppDatabase } from '../../src/server/db/database';
import { appliedMigrationNames, migrateToLatest } from '../../src/server/db/migrate';
import { latestMigrationName, migrations } from '../../src/server/db/migrations/index';
import { StartupError } from '../../src/server/errors';
import { appVersion } from '../../src/server/package-info';
import { describeOnEachDatabase, freshDatabase, testConfig, type FreshDatabase } from './helpers';

async function meta(app: AppDatabase): Promise<Record<string, string>> {
  const rows = await app.db.selectFrom('server_meta').select(['key', 'value']).execute();
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

async function tableNames(app: AppDatabase): Promise<string[]> {
  return (await app.db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name).sort();
}

const FUTURE = '9999_cases_from_a_newer_version';

describe('the list of migrations', () => {
  it('is written oldest first, with numbered names and none missing from the folder', async () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    names.forEach((name, i) => expect(name).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}_[a-z_]+$`)));
    const files = (await readdir(new URL('../../src/server/db/migrations/', import.meta.url))).filter((f) => /^\d{4}_.*\.ts$/.test(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(names);
  });
});

describeOnEachDatabase('migrations', (kind) => {

  let fresh: FreshDatabase;
  let app: AppDatabase;
  beforeEach(async () => {
    fresh = await freshDatabase(kind, 'migrations');
    app = await openDatabase(fresh.database);
  });
  afterEach(async () => {
    await app.destroy();
    await fresh.cleanup();
  });

  it('migrating an empty database applies every known migration and records the schema and program version', async () => {
    expect(await tableNames(app)).toEqual([]);
    const outcome = await migrateToLatest(app);
    expect(outcome.applied).toEqual(Object.keys(migrations).sort());
    expect(outcome.schemaVersion).toBe(latestMigrationName);
    expect(await appliedMigrationNames(app)).toEqual(Object.keys(migrations).sort());
    expect(await tableNames(app)).toEqual(expect.arrayContaining(['kysely_migration', 'server_meta']));
    const recorded = await meta(app);
    expect(recorded.schema_version).toBe(latestMigrationName);
    expect(recorded.app_version).toBe(appVersion);
    expect(new Date(recorded.database_created_at ?? '').getTime()).not.toBeNaN();
  });

  it('migrating again changes nothing: no migration re-runs, the creation time stays', async () => {
    await migrateToLatest(app);
    const before = await meta(app);
    const tablesBefore = await tableNames(app);
    const again = await migrateToLatest(app);
    expect(again.applied).toEqual([]);
    expect(await appliedMigrationNames(app)).toEqual(Object.keys(migrations).sort());
    expect(await tableNames(app)).toEqual(tablesBefore);
    const after = await meta(app);
    expect(after.database_created_at).toBe(before.database_created_at);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  });

  it('a second server started on a migrated database serves health without migrating', async () => {
    await migrateToLatest(app);
    const server = await buildServer(testConfig(fresh.database));
    try {
      expect(server.migration.applied).toEqual([]);
      expect((await server.inject({ url: '/api/health' })).json()).toMatchObject({ status: 'ok', db: kind });
    } finally {
      await server.close();
    }
  });

  it('a database written by a newer version is refused, naming the unknown migrations, and left untouched', async () => {
    await migrateToLatest(app);
    await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(app.db);
    await app.db.updateTable('server_meta').set({ value: 'written-by-9.9.9' }).where('key', '=', 'app_version').execute();
    const tablesBefore = await tableNames(app);

    const refused = await migrateToLatest(app).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(StartupError);
    expect((refused as StartupError).code).toBe('database-newer-than-program');
    expect((refused as Error).message).toMatch(/written by a newer version/);
    expect((refused as Error).message).toContain(`applied migrations this program (version ${appVersion}) does not know: ${FUTURE}`);

    await expect(buildServer(testConfig(fresh.database))).rejects.toThrow(FUTURE);
    expect((await meta(app)).app_version).toBe('written-by-9.9.9');
    expect(await tableNames(app)).toEqual(tablesBefore);
  });

  it('a newer database is refused even before this program has migrated it (only unknown names present)', async () => {
    await sql`create table kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(app.db);
    await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(app.db);
    await expect(migrateToLatest(app)).rejects.toThrow(/newer version of Jiexu.*9999_cases_from_a_newer_version/s);
    expect(await tableNames(app)).not.toContain('server_meta');
  });
});
