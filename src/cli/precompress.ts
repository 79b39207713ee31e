// `npm run build` runs this after `vite build`: the server then sends brotli or gzip without compressing
// on every request, at quality levels too slow to use on the fly.
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { appVersion, packageRoot } from '../server/package-info';
import { isMain } from './is-main';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export const COMPRESSIBLE_EXTENSIONS = ['.js', '.mjs', '.css', '.html', '.json', '.webmanifest', '.svg', '.txt'];
/** Below this, the headers of a compressed response outweigh the saving. */
export const MIN_COMPRESS_BYTES = 1024;
export const BUILD_STAMP = '.build-stamp';

export interface PrecompressResult {
  file: string;
  bytes: number;
  br: number | null;
  gz: number | null;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

async function writeIfSmaller(target: string, compressed: Buffer, originalBytes: number): Promise<number | null> {
  if (compressed.length < originalBytes) {
    await writeFile(target, compressed);
    return compressed.length;
  }
  // A leftover variant from an earlier build would be served in place of the new file.
  await rm(target, { force: true });
  return null;
}

async function compressOne(path: string): Promise<PrecompressResult> {
  const data = await readFile(path);
  if (data.length < MIN_COMPRESS_BYTES) {
    await rm(`${path}.br`, { force: true });
    await rm(`${path}.gz`, { force: true });
    return { file: path, bytes: data.length, br: null, gz: null };
  }
  const [br, gz] = await Promise.all([
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzip(data, { level: 9 }),
  ]);
  return {
    file: path,
    bytes: data.length,
    br: await writeIfSmaller(`${path}.br`, br, data.length),
    gz: await writeIfSmaller(`${path}.gz`, gz, data.length),
  };
}

/**
 * Writes name.br (brotli, maximum quality) and name.gz (gzip level 9) beside every compressible file
 * of distDir, then the build stamp that `npm start` compares sources against.
 * @param sourcesAsOf when the build started: sources changed after it make the build stale.
 */
export async function precompressDist(distDir: string, sourcesAsOf: Date = new Date()): Promise<PrecompressResult[]> {
  const root = resolve(distDir);
  const files: string[] = [];
  for await (const path of walk(root)) {
    if (COMPRESSIBLE_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext))) files.push(path);
  }
  const results: PrecompressResult[] = [];
  // Two at a time: brotli at quality 11 is CPU-bound and the machine is shared.
  for (let i = 0; i < files.length; i += 2) {
    results.push(...(await Promise.all(files.slice(i, i + 2).map(compressOne))));
  }
  await writeBuildStamp(root, sourcesAsOf);
  return results;
}

export interface BuildStamp {
  version: string;
  sourcesAsOf: string;
  builtAt: string;
}

export async function writeBuildStamp(distDir: string, sourcesAsOf: Date): Promise<void> {
  const stamp: BuildStamp = { version: appVersion, sourcesAsOf: sourcesAsOf.toISOString(), builtAt: new Date().toISOString() };
  await writeFile(join(distDir, BUILD_STAMP), JSON.stringify(stamp, null, 2) + '\n');
}

async function main(): Promise<void> {
  const distDir = resolve(process.argv[2] ?? join(packageRoot, 'dist'));
  try {
    await stat(distDir);
  } catch {
    console.error(`precompress: ${distDir} does not exist; run vite build first`);
    process.exit(1);
  }
  // When run by `npm run build` the build started moments ago; vite has just written every file.
  const results = await precompressDist(distDir, new Date(Date.now() - 60_000));
  const total = results.reduce((n, r) => n + r.bytes, 0);
  const br = results.reduce((n, r) => n + (r.br ?? r.bytes), 0);
  const gz = results.reduce((n, r) => n + (r.gz ?? r.bytes), 0);
  console.log(
    `precompress: ${results.length} files in ${relative(process.cwd(), distDir) || '.'}: ${total} bytes → brotli ${br}, gzip ${gz}`,
  );
}

if (isMain(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`precompress failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  });
}
