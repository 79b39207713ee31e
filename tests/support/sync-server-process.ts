// The county server as its own process (src/cli/start.ts through tsx, no build) on a given database,
// so a test can kill it with SIGKILL in the middle of a request and start it again on the same data.
// Node runs tsx as a loader (`node --import tsx`) rather than through the `tsx` command, which would
// put the server in a grandchild process that a SIGKILL of its parent leaves running.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, PROJECT_ROOT } from './server-process';

export interface ServerProcess {
  port: number;
  /** SIGKILL: no shutdown, no flush; what the database committed is all that survives. */
  kill(): Promise<void>;
  /** Starts again on the same database (new port). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

async function waitForHealth(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before answering:\n${log()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not answer /api/health within 60 s:\n${log()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  let child: ChildProcess;
  let log = '';
  let port = 0;
  const launch = async () => {
    port = await freePort();
    const full: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), JIEXU_SKIP_BUILD: '1', DIST_DIR: join(PROJECT_ROOT, 'tests', '.no-dist'), LOG_LEVEL: 'error', ...env };
    delete full.NODE_ENV;
    if (!('DATABASE_URL' in env)) delete full.DATABASE_URL;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], { cwd: PROJECT_ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    await waitForHealth(port, child, () => log);
  };
  await launch();
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
  };
  return {
    get port() {
      return port;
    },
    kill,
    async restart() {
      await launch();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(killer);
      }
    },
    output: () => log,
  };
}
