// `npm start` as a real process: the tsx entry point, signals, exit codes and messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { freePort } from '../support/postgres-cluster';
import { describeOnEachDatabase, freshDatabase, tempDir, writeFiles, type FreshDatabase } from './helpers';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const STRIPPED = ['HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'TLS_CERT', 'TLS_KEY', 'DIST_DIR', 'LOG_LEVEL'];

interface Started {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(env: Record<string, string>): Started {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !STRIPPED.includes(k)));
  const child = spawn(TSX, ['src/cli/start.ts'], {
    cwd: ROOT,
    env: { ...base, JIEXU_SKIP_BUILD: '1', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => {
    child.on('exit', (code, signal) => {
      // Let the last output arrive before anyone reads it.
      setImmediate(() => {
        resolvePromise({ code, signal });
        for (const l of listeners) l();
      });
    });
  });
  let done = false;
  exited.then(() => (done = true));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolvePromise, reject) => {
      const check = () => {
        const m = pattern.exec(output);
        if (m) {
          listeners.delete(check);
          resolvePromise(m);
        } else if (done) {
          listeners.delete(check);
          reject(new Error(`the process exited before printing ${pattern}; it printed:\n${output}`));
        }
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => output, waitFor, exited };
}

let dist: ReturnType<typeof tempDir>;
const running = new Set<ChildProcess>();
beforeAll(async () => {
  dist = tempDir('start-dist');
  await writeFiles(dist.dir, { 'index.html': '<!doctype html><title>Jiexu test build</title>' });
});
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  dist?.remove();
});

function launch(env: Record<string, string>): Started {
  const started = start({ DIST_DIR: dist.dir, ...env });
  running.add(started.child);
  return started;
}

describeOnEachDatabase('npm start', (kind) => {

  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(kind, 'start');
  });
  afterAll(async () => {
    await fresh?.cleanup();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('serves, then on %s closes the server and the database and exits 0', async (signal) => {
    const port = await freePort();
    const proc = launch({ ...fresh.env, PORT: String(port) });
    const [, url] = await proc.waitFor(/Open (http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    const health = await fetch(`${url}api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', db: kind });
    const page = await fetch(url!, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('Jiexu test build');

    proc.child.kill(signal);
    const { code } = await proc.exited;
    expect(code, proc.output()).toBe(0);
    expect(proc.output()).toContain(`${signal}: closing`);
    await expect(fetch(`${url}api/health`)).rejects.toThrow();
    if (kind === 'sqlite') {
      // SQLite removes the write-ahead log only when the last connection closes cleanly.
      expect(existsSync(join(fresh.dataDir, 'jiexu.sqlite'))).toBe(true);
      expect(existsSync(join(fresh.dataDir, 'jiexu.sqlite-wal'))).toBe(false);
    }
  });

  it('refuses a database written by a newer version: exits non-zero with a message naming the migration', async () => {
    const newer = await freshDatabase(kind, 'start_newer');
    try {
      const app = await openDatabase(newer.database);
      await migrateToLatest(app);
      await sql`insert into kysely_migration (name, timestamp) values (${'0042_review_queue'}, ${new Date().toISOString()})`.execute(app.db);
      await app.destroy();

      const proc = launch({ ...newer.env, PORT: String(await freePort()) });
      const { code } = await proc.exited;
      expect(code).toBe(1);
      expect(proc.output()).toMatch(/written by a newer version of Jiexu/);
      expect(proc.output()).toContain('does not know: 0042_review_queue');
      expect(proc.output()).not.toMatch(/Open http/);
    } finally {
      await newer.cleanup();
    }
  });
});

describe('npm start refuses to run with', () => {
  let fresh: FreshDatabase;
  let blocker: Server;
  beforeAll(async () => {
    fresh = await freshDatabase('sqlite', 'start_errors');
  });
  afterAll(async () => {
    await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
    await fresh?.cleanup();
  });

  it('a port already in use', async () => {
    blocker = createServer();
    const port = await new Promise<number>((r) => blocker.listen(0, '127.0.0.1', () => r((blocker.address() as { port: number }).port)));
    const proc = launch({ ...fresh.env, PORT: String(port) });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('an unreadable TLS file', async () => {
    const proc = launch({ ...fresh.env, PORT: String(await freePort()), TLS_CERT: '/nonexistent/cert.pem', TLS_KEY: '/nonexistent/key.pem' });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output()).toMatch(/Cannot read the TLS certificate \/nonexistent\/cert\.pem \(TLS_CERT\)/);
  });

  it('a PORT that is not a port', async () => {
    const proc = launch({ ...fresh.env, PORT: 'eighty' });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output()).toContain('PORT must be a whole number from 0 to 65535, not "eighty"');
  });
});

describe('npm start on all interfaces', () => {
  it('prints the LAN addresses and says tablets need HTTPS, then stops cleanly', async () => {
    const fresh = await freshDatabase('sqlite', 'start_lan');
    try {
      const proc = launch({ ...fresh.env, HOST: '0.0.0.0', PORT: String(await freePort()) });
      await proc.waitFor(/Stop with Ctrl\+C/);
      expect(proc.output()).toMatch(/need HTTPS/);
      expect(proc.output()).toMatch(/npm run cert -- --host/);
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('npm start with an unreachable PostgreSQL', () => {
  it('exits non-zero, says which database it could not use, and hides the password', async () => {
    const port = await freePort();
    const data = tempDir('start-pg-down');
    try {
      const proc = launch({ DATA_DIR: data.dir, PORT: String(await freePort()), DATABASE_URL: `postgres://jiexu:hunter2secret@127.0.0.1:${port}/county` });
      const { code } = await proc.exited;
      expect(code).toBe(1);
      expect(proc.output()).toContain(`Cannot use PostgreSQL postgres://jiexu:***@127.0.0.1:${port}/county`);
      expect(proc.output()).not.toContain('hunter2secret');
    } finally {
      data.remove();
    }
  });
});
