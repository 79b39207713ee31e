import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../server/package-info';
import { BUILD_STAMP, precompressDist, type BuildStamp } from './precompress';

/** What the PWA build reads: a change to any of them makes dist/ stale. */
export const BUILD_INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'];

export interface BuildStatus {
  stale: boolean;
  reason: string;
}

function newestMtime(path: string): { mtimeMs: number; path: string } | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  if (!st.isDirectory()) return { mtimeMs: st.mtimeMs, path };
  // A directory's own mtime changes when a file is deleted or renamed in it.
  let newest = { mtimeMs: st.mtimeMs, path };
  for (const entry of readdirSync(path)) {
    const inner = newestMtime(join(path, entry));
    if (inner && inner.mtimeMs > newest.mtimeMs) newest = inner;
  }
  return newest;
}

function readStamp(distDir: string): Date | null {
  try {
    const stamp = JSON.parse(readFileSync(join(distDir, BUILD_STAMP), 'utf8')) as Partial<BuildStamp>;
    const at = typeof stamp.sourcesAsOf === 'string' ? new Date(stamp.sourcesAsOf) : null;
    return at && !Number.isNaN(at.getTime()) ? at : null;
  } catch {
    return null;
  }
}

/** Whether distDir holds a complete build of the current sources under root. */
export function checkBuild(root: string = packageRoot, distDir: string = join(root, 'dist')): BuildStatus {
  if (!existsSync(join(distDir, 'index.html'))) return { stale: true, reason: `${distDir} has no build` };
  const stampAt = readStamp(distDir);
  if (stampAt === null) return { stale: true, reason: `${join(distDir, BUILD_STAMP)} is missing or unreadable (interrupted build?)` };
  for (const input of BUILD_INPUTS) {
    const newest = newestMtime(join(root, input));
    if (newest && newest.mtimeMs > stampAt.getTime()) {
      return { stale: true, reason: `${newest.path} changed after the last build` };
    }
  }
  return { stale: false, reason: 'the build is up to date' };
}

function run(bin: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // A build started from a test runner inherits NODE_ENV=test, which gives a development React bundle.
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => reject(new Error(`cannot run ${bin}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${bin} ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

export interface BuildIfStaleOptions {
  root?: string;
  /** Rebuild even when the build looks current. */
  force?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds the PWA (vite build, then precompress and the build stamp) when dist/ is missing or older than
 * its sources. Used by `npm start` and by the end-to-end tests' setup.
 */
export async function buildIfStale(options: BuildIfStaleOptions = {}): Promise<{ built: boolean; reason: string }> {
  const root = resolve(options.root ?? packageRoot);
  const log = options.log ?? ((line: string) => console.log(line));
  const distDir = join(root, 'dist');
  const status = options.force ? { stale: true, reason: 'a rebuild was asked for' } : checkBuild(root, distDir);
  if (!status.stale) return { built: false, reason: status.reason };

  log(`Building the app: ${status.reason}`);
  // Sources read by vite are as of this moment; anything saved during the build makes the next start rebuild.
  const sourcesAsOf = new Date();
  await run(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], root);
  const results = await precompressDist(distDir, sourcesAsOf);
  log(`Built ${distDir} (${results.filter((r) => r.br !== null).length} files precompressed)`);
  return { built: true, reason: status.reason };
}
