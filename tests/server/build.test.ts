import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBuild } from '../../src/cli/build-if-stale';
import { BUILD_STAMP, MIN_COMPRESS_BYTES, precompressDist, writeBuildStamp } from '../../src/cli/precompress';
import { tempDir, writeFiles } from './helpers';

const longText = (label: string) => Array.from({ length: 300 }, (_, i) => `${label} line ${i}`).join('\n');

describe('precompressing the build', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('precompress')));
  afterEach(() => dir.remove());

  it('writes .br and .gz beside compressible files that shrink, skipping tiny, incompressible and binary ones', async () => {
    const incompressible = randomBytes(4096);
    await writeFiles(dir.dir, {
      'index.html': `<!doctype html>${longText('html')}`,
      'assets/app-AbCd1234.js': longText('js'),
      'assets/app-AbCd1234.css': longText('css'),
      'manifest.webmanifest': JSON.stringify({ lines: longText('m').split('\n') }),
      'icon.svg': `<svg>${longText('svg')}</svg>`,
      'tiny.js': 'export {};',
      'noise.txt': incompressible,
      'icon.png': randomBytes(4096),
    });
    const results = await precompressDist(dir.dir);

    for (const file of ['index.html', 'assets/app-AbCd1234.js', 'assets/app-AbCd1234.css', 'manifest.webmanifest', 'icon.svg']) {
      const original = readFileSync(join(dir.dir, file));
      const br = readFileSync(join(dir.dir, `${file}.br`));
      const gz = readFileSync(join(dir.dir, `${file}.gz`));
      expect(brotliDecompressSync(br).equals(original), file).toBe(true);
      expect(gunzipSync(gz).equals(original), file).toBe(true);
      expect(br.length).toBeLessThan(original.length);
    }
    for (const file of ['tiny.js', 'noise.txt', 'icon.png']) {
      expect(existsSync(join(dir.dir, `${file}.br`)), file).toBe(false);
      expect(existsSync(join(dir.dir, `${file}.gz`)), file).toBe(false);
    }
    expect(results.find((r) => r.file.endsWith('tiny.js'))?.bytes).toBeLessThan(MIN_COMPRESS_BYTES);
    expect(results.some((r) => r.file.endsWith('.png'))).toBe(false);

    const stamp = JSON.parse(readFileSync(join(dir.dir, BUILD_STAMP), 'utf8')) as { sourcesAsOf: string; version: string };
    expect(new Date(stamp.sourcesAsOf).getTime()).not.toBeNaN();
  });

  it('removes a compressed copy left from an earlier build when the new file no longer gets one', async () => {
    await writeFiles(dir.dir, { 'app.js': longText('old') });
    await precompressDist(dir.dir);
    expect(existsSync(join(dir.dir, 'app.js.br'))).toBe(true);
    await writeFiles(dir.dir, { 'app.js': 'export {};' });
    await precompressDist(dir.dir);
    expect(existsSync(join(dir.dir, 'app.js.br'))).toBe(false);
    expect(existsSync(join(dir.dir, 'app.js.gz'))).toBe(false);
  });
});

describe('deciding whether the PWA must be rebuilt', () => {
  let dir: ReturnType<typeof tempDir>;
  const past = new Date(Date.now() - 3_600_000);

  beforeEach(async () => {
    dir = tempDir('stale');
    await writeFiles(dir.dir, {
      'src/app/main.tsx': 'export {};',
      'src/domain/rules.ts': 'export {};',
      'public/icon.svg': '<svg/>',
      'index.html': '<!doctype html>',
      'vite.config.ts': 'export default {};',
      'package-lock.json': '{}',
      'dist/index.html': '<!doctype html>',
    });
    for (const f of ['src/app/main.tsx', 'src/domain/rules.ts', 'src/app', 'src/domain', 'src', 'public/icon.svg', 'public', 'index.html', 'vite.config.ts', 'package-lock.json']) {
      await utimes(join(dir.dir, f), past, past);
    }
    await writeBuildStamp(join(dir.dir, 'dist'), new Date(past.getTime() + 60_000));
  });
  afterEach(() => dir.remove());

  it('a build newer than every source is current', () => {
    expect(checkBuild(dir.dir)).toEqual({ stale: false, reason: 'the build is up to date' });
  });

  it.each(['src/domain/rules.ts', 'public/icon.svg', 'index.html', 'vite.config.ts', 'package-lock.json'])(
    'a change to %s after the build makes it stale',
    async (file) => {
      const now = new Date();
      await utimes(join(dir.dir, file), now, now);
      const status = checkBuild(dir.dir);
      expect(status.stale).toBe(true);
      expect(status.reason).toContain(file);
    },
  );

  it('a file deleted from src/ after the build makes it stale (the folder changed)', async () => {
    await rm(join(dir.dir, 'src/domain/rules.ts'));
    expect(checkBuild(dir.dir).stale).toBe(true);
  });

  it('a missing dist/ or a missing build stamp (interrupted build) is stale', async () => {
    await rm(join(dir.dir, 'dist', BUILD_STAMP));
    expect(checkBuild(dir.dir)).toMatchObject({ stale: true, reason: expect.stringContaining(BUILD_STAMP) });
    await rm(join(dir.dir, 'dist'), { recursive: true });
    expect(checkBuild(dir.dir)).toMatchObject({ stale: true, reason: expect.stringContaining('has no build') });
  });
});
