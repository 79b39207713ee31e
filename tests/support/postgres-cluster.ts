// A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary folder, on a free port, removed on
// stop. initdb refuses to run as root, so as root the folder is handed to the postgres user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_BIN = process.env.JIEXU_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_USER = 'postgres';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresUid(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/** Why a cluster cannot be started here, or null when it can. */
export function postgresUnavailableReason(): string | null {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) return `${join(PG_BIN, bin)} missing; install postgresql-15 (apt-get install -y postgresql-15)`;
  }
  if (isRoot()) {
    if (postgresUid() === null) return `running as root and there is no "${PG_USER}" user to run initdb as`;
    if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser') && !existsSync('/usr/bin/runuser')) {
      return 'running as root and runuser is missing (util-linux)';
    }
  }
  return null;
}

function runPg(bin: string, args: string[], cwd: string): Promise<string> {
  const [cmd, cmdArgs] = isRoot() ? ['runuser', ['-u', PG_USER, '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
  return new Promise((resolve, reject) => {
    execFile(cmd, cmdArgs, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} failed: ${stderr.trim() || stdout.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** A TCP port that was free a moment ago (the caller retries if another process takes it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, local only). */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Tests run without durability (no fsync, asynchronous commit, no full-page writes): nothing is kept
 * after the run. `durable: true` keeps PostgreSQL's own defaults, as a county's server has them: for
 * benchmarks, whose figures must be what a deployment would see.
 */
export async function startPostgresCluster(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const reason = postgresUnavailableReason();
  if (reason !== null) throw new Error(`cannot start PostgreSQL: ${reason}`);

  const dir = mkdtempSync(join(tmpdir(), 'jiexu-pg-'));
  const dataDir = join(dir, 'data');
  const sockDir = join(dir, 'sock');
  const log = join(dir, 'pg.log');
  mkdirSync(sockDir);
  if (isRoot()) {
    const owner = postgresUid();
    if (owner === null) throw new Error(`no "${PG_USER}" user`);
    for (const p of [dir, sockDir]) chownSync(p, owner.uid, owner.gid);
  }

  let started = false;
  const cleanup = () => {
    if (started) {
      try {
        execFileSync(...pgCtlStop(dataDir, 'immediate'), { stdio: 'ignore' });
      } catch {
        // already stopped
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test runner dies before teardown, do not leave a postgres behind.
  const onExit = () => cleanup();
  process.once('exit', onExit);

  try {
    await runPg('initdb', ['-D', dataDir, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], dir);
    let port = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      port = await freePort();
      try {
        await runPg(
          'pg_ctl',
          ['-D', dataDir, '-l', log, '-w', '-t', '60', '-o', `-k ${sockDir} -p ${port} -h 127.0.0.1${options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'}`, 'start'],
          dir,
        );
        started = true;
      } catch (err) {
        lastError = err;
      }
    }
    if (!started) throw new Error(`${(lastError as Error).message}\n--- pg.log ---\n${tail(log)}`);

    const url = `postgres://${PG_USER}@127.0.0.1:${port}/postgres`;
    return {
      url,
      port,
      dir,
      async stop() {
        process.removeListener('exit', onExit);
        if (started) {
          await runPg('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'], dir).catch(() => {});
          started = false;
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    process.removeListener('exit', onExit);
    cleanup();
    throw err;
  }
}

function pgCtlStop(dataDir: string, mode: 'fast' | 'immediate'): [string, string[]] {
  const args = ['-D', dataDir, '-m', mode, '-w', 'stop'];
  return isRoot() ? ['runuser', ['-u', PG_USER, '--', join(PG_BIN, 'pg_ctl'), ...args]] : [join(PG_BIN, 'pg_ctl'), args];
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the cluster at clusterUrl, for one test file or one test. */
export async function createTestDatabase(clusterUrl: string, label = 'test'): Promise<TestDatabase> {
  const name = `jiexu_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: clusterUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
