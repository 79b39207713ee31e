import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { dexieModuleBuild } from './vite.config';

// One project per runtime: the domain and the command line run in Node, the tablet code in a DOM
// with fake-indexeddb, the county server in Node against SQLite and PostgreSQL, e2e in real Chromium.
export default defineConfig({
  plugins: [react()],
  define: { __APP_VERSION__: JSON.stringify('test') },
  resolve: { alias: [dexieModuleBuild] },
  test: {
    // One worker more than there are cores: the server suites spend much of their time waiting on
    // real servers, PostgreSQL and timers, and a third worker on 2 cores fills those waits.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'domain',
          environment: 'node',
          include: ['tests/domain/**/*.test.ts', 'tests/shared/**/*.test.ts', 'tests/cli/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'client',
          environment: 'jsdom',
          include: [
            'tests/app/**/*.test.{ts,tsx}',
            'tests/features/**/*.test.{ts,tsx}',
            'tests/storage/**/*.test.{ts,tsx}',
            'tests/sync/**/*.test.{ts,tsx}',
          ],
          setupFiles: ['tests/support/client-setup.ts'],
          // PIN verifiers are real Argon2id hashes (19 MiB, in WebAssembly): a second on an idle core,
          // several on a shared one, which vitest's 5 s default turns into random failures.
          testTimeout: 20_000,
          // Through Vite, so that its import of 'dexie' meets the alias above: one Dexie, as in the build.
          server: { deps: { inline: ['dexie-react-hooks'] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts'],
          globalSetup: ['tests/support/postgres-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          // PostgreSQL too: the sync test runs against both databases, as the server tests do.
          globalSetup: ['tests/support/e2e-global-setup.ts', 'tests/support/postgres-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
