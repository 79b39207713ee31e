// The real county server as a child process, as `npm start` runs it: `tsx src/cli/start.ts` with
// HOST, PORT and DATA_DIR set, on a free port and a throwaway data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  output(): string;
  /** SIGTERM, wait for the process to exit, remove the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now: the kernel's choice for a listen on port 0. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not read the probe port'));
      });
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, deadlineMs: number): Promise<void> {
  let lastProblem = 'no answer yet';
  while (Date.now() < deadlineMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.signalCode ?? `code ${child.exitCode}`}) before answering ${url}/api/health:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return;
      lastProblem = `status ${res.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer ${url}/api/health in time (${lastProblem}):\n${output()}`);
}

export interface StartServerOptions {
  env?: NodeJS.ProcessEnv;
  /** How long start-up (including a build, if dist/ is stale) may take. */
  startupTimeoutMs?: number;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'jiexu-e2e-data-'));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, ...options.env };
  // As `npm start` from a shell: the embedded database (a developer's DATABASE_URL must not leak in)
  // and no NODE_ENV (the test runner's NODE_ENV=test would make a rebuild a development build).
  for (const name of ['DATABASE_URL', 'NODE_ENV']) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const child = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli/start.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log;

  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        // A server that ignores SIGTERM would hang the run; it is reported by its own test.
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited(child);
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    await waitForHealth(url, child, output, Date.now() + (options.startupTimeoutMs ?? 120_000));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, dataDir, output, stop };
}
