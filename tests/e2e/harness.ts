// Shared set-up of the browser tests: the real server on a free port with a throwaway data folder
// (SQLite, or a fresh database on the run's throwaway PostgreSQL cluster), and Debian's Chromium.
// Each test file (or each database variant of one) gets its own server and browser.
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { createTestDatabase, type TestDatabase } from '../support/postgres-cluster';
import { startServer, type RunningServer } from '../support/server-process';

/** False when Chromium is missing outside CI: the global setup has already said so loudly. */
export const chromiumAvailable = inject('chromium').available;

export const APP_TITLE = '退役士兵社保接续 · 窗口受理';

export interface Harness {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** The server's DATABASE_URL: a fresh database on the test cluster, or '' for SQLite in server.dataDir. */
  readonly databaseUrl: string;
}

export interface HarnessOptions {
  /** The server's database (SQLite unless told): PostgreSQL needs the e2e project's PostgreSQL global setup. */
  database?: 'sqlite' | 'postgres';
}

/** Starts the server and the browser before the file's (or describe block's) tests and stops both after them. */
export function useServerAndBrowser(options: HarnessOptions = {}): Harness {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (options.database === 'postgres') {
      const pgUrl = inject('pgUrl');
      if (!pgUrl) throw new Error(`PostgreSQL is not available in this run: ${inject('pgSkipReason') ?? 'no cluster'}`);
      database = await createTestDatabase(pgUrl, 'e2e');
    }
    server = await startServer(database ? { env: { DATABASE_URL: database.url } } : {});
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });
  return {
    get databaseUrl() {
      return database?.url ?? '';
    },
    get server() {
      if (!server) throw new Error('the server is not running (beforeAll failed?)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running (beforeAll failed?)');
      return browser;
    },
  };
}
