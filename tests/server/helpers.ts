import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, inject, it } from 'vitest';
import type { DatabaseConfig, ServerConfig } from '../../src/server/config';
import { createTestDatabase } from '../support/postgres-cluster';

export interface DatabaseTarget {
  kind: 'sqlite' | 'postgres';
  /** Why this database's tests are skipped in this run (never silently: the skipped test carries it). */
  skipReason: string | null;
}

/** Every database the server supports; PostgreSQL carries the global setup's skip reason when it is absent. */
export function databases(): DatabaseTarget[] {
  const pgUrl = inject('pgUrl');
  return [
    { kind: 'sqlite', skipReason: null },
    { kind: 'postgres', skipReason: pgUrl ? null : `PostgreSQL unavailable: ${inject('pgSkipReason') ?? 'no cluster'}` },
  ];
}

/**
 * A describe block run once per database ("TITLE on sqlite", "TITLE on postgres"). A database that
 * is not available shows as one skipped test naming why (with CI=true the global setup already
 * failed the run instead).
 */
export function describeOnEachDatabase(title: string, body: (kind: DatabaseTarget['kind']) => void): void {
  describe.each(databases())(`${title} on $kind`, ({ kind, skipReason }) => {
    if (skipReason !== null) {
      it.skip(`SKIPPED: ${skipReason}`, () => {});
      return;
    }
    body(kind);
  });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `jiexu-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FreshDatabase {
  database: DatabaseConfig;
  /** Environment for a spawned `npm start`: DATA_DIR always, DATABASE_URL for PostgreSQL. */
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** An empty database of the given kind: a new SQLite file in a temp DATA_DIR, or a new database on the test cluster. */
export async function freshDatabase(kind: DatabaseTarget['kind'], label: string): Promise<FreshDatabase> {
  const data = tempDir('data');
  if (kind === 'sqlite') {
    return {
      database: { kind: 'sqlite', file: join(data.dir, 'jiexu.sqlite') },
      env: { DATA_DIR: data.dir },
      dataDir: data.dir,
      cleanup: async () => data.remove(),
    };
  }
  const pgUrl = inject('pgUrl');
  if (!pgUrl) throw new Error('PostgreSQL is not available in this run');
  const db = await createTestDatabase(pgUrl, label);
  return {
    database: { kind: 'postgres', url: db.url },
    env: { DATA_DIR: data.dir, DATABASE_URL: db.url },
    dataDir: data.dir,
    cleanup: async () => {
      await db.drop();
      data.remove();
    },
  };
}

export function testConfig(database: DatabaseConfig, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: tmpdir(),
    database,
    tls: null,
    distDir: join(tmpdir(), 'jiexu-no-dist'),
    logLevel: 'silent',
    ...overrides,
  };
}

export async function writeFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}
