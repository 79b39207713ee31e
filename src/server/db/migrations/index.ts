import type { Migration } from 'kysely';
import { serverMeta } from './0001_server_meta';
import { sync } from './0002_sync';

/**
 * Every migration this program knows, oldest first, written with Kysely's schema builder so that the
 * same list runs on SQLite and PostgreSQL. Names sort in order; never rename or edit a released one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_server_meta': serverMeta,
  '0002_sync': sync,
};

export const latestMigrationName: string = Object.keys(migrations).sort().at(-1) ?? '';
