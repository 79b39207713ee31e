import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { precompressDist } from '../../src/cli/precompress';
import { acceptedEncodings, cacheControlFor } from '../../src/server/static';
import { freshDatabase, tempDir, testConfig, writeFiles, type FreshDatabase } from './helpers';

// A stand-in for vite's output, so these tests do not depend on the real build.
const big = (label: string) => `/* ${label} */\n` + Array.from({ length: 200 }, (_, i) => `export const value${i} = "${label} ${i}";`).join('\n');
const INDEX_HTML = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>退役士兵社保接续 · 窗口受理</title>
<link rel="manifest" href="/manifest.webmanifest"><script type="module" src="/assets/index-Bx9_k2Qz.js"></script></head>
<body><div id="root"></div>${'<!-- padding so the page is worth compressing -->'.repeat(40)}</body></html>`;
const FILES: Record<string, string | Buffer> = {
  'index.html': INDEX_HTML,
  'sw.js': big('service worker'),
  'registerSW.js': big('register'),
  'workbox-5f3a9c1d.js': big('workbox'),
  'manifest.webmanifest': JSON.stringify({ name: '退役士兵社保接续', icons: Array.from({ length: 40 }, (_, i) => ({ src: `/icon-${i}.png` })) }),
  'assets/index-Bx9_k2Qz.js': big('app entry'),
  'assets/index-C1d2E3f4.css': `body{margin:0}\n`.repeat(100),
  'assets/font-Ab12Cd34.woff2': Buffer.from('wOF2-not-really-a-font'),
  'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'icons/icon-192.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`,
  'data/parameters.json': JSON.stringify({ values: Array.from({ length: 100 }, (_, i) => ({ i, unit: 'CNY' })) }),
  'robots.txt': 'User-agent: *\n',
};
const SECRET = 'TOP-SECRET-OUTSIDE-DIST';

let fresh: FreshDatabase;
let app: FastifyInstance;
let root: ReturnType<typeof tempDir>;
let distDir: string;
let port: number;

beforeAll(async () => {
  root = tempDir('static');
  distDir = join(root.dir, 'dist');
  await writeFiles(distDir, FILES);
  await writeFiles(root.dir, { 'secret.txt': SECRET, 'dist-other/secret.txt': SECRET });
  await precompressDist(distDir);
  fresh = await freshDatabase('sqlite', 'static');
  app = await buildServer(testConfig(fresh.database, { distDir }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await app?.close();
  await fresh?.cleanup();
  root?.remove();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

/** A request sent byte for byte, so that no client library normalises "../" away first. */
function rawGet(path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data }));
    socket.on('error', reject);
  });
}

describe('serving the built PWA', () => {
  it('serves index.html at / as UTF-8 HTML that is always revalidated, with the PWA security headers', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    for (const directive of ["script-src 'self'", "worker-src 'self'", "connect-src 'self'", 'img-src', 'data:', "object-src 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('prefers the brotli file when the client accepts br, and says it varies by Accept-Encoding', async () => {
    const res = app.inject({ method: 'GET', url: '/assets/index-Bx9_k2Qz.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const r = await res;
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const brFile = await readFile(join(distDir, 'assets/index-Bx9_k2Qz.js.br'));
    expect(Number(r.headers['content-length'])).toBe(brFile.length);
    expect(brotliDecompressSync(r.rawPayload).toString()).toBe(FILES['assets/index-Bx9_k2Qz.js']);
  });

  it('falls back to gzip, then to the plain file, following Accept-Encoding and its q-values', async () => {
    const gz = await get('/sw.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(FILES['sw.js']);

    const refusedBr = await get('/sw.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
    expect(refusedBr.headers['content-encoding']).toBe('gzip');

    const plain = await get('/sw.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(FILES['sw.js']);
    expect(plain.headers.vary).toBe('Accept-Encoding');

    const none = await get('/sw.js');
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('parses Accept-Encoding like RFC 9110 (q=0 refuses, * accepts the rest)', () => {
    expect([...acceptedEncodings('gzip, br')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('br;q=0, *')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*;q=0')]).toEqual([]);
    expect([...acceptedEncodings(' GZIP ; q=0.8 ')]).toEqual(['gzip']);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });

  it('serves an uncompressed file (image, tiny file) as it is, even to a client that accepts br', async () => {
    const png = await get('/icons/icon-192.png', { 'accept-encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.equals(FILES['icons/icon-192.png'] as Buffer)).toBe(true);
  });

  it.each([
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['/assets/index-C1d2E3f4.css', 'text/css; charset=utf-8'],
    ['/assets/logo.svg', 'image/svg+xml'],
    ['/favicon.svg', 'image/svg+xml'],
    ['/assets/font-Ab12Cd34.woff2', 'font/woff2'],
    ['/data/parameters.json', 'application/json; charset=utf-8'],
    ['/robots.txt', 'text/plain; charset=utf-8'],
    ['/registerSW.js', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s (also when compressed)', async (url, type) => {
    for (const enc of ['br', 'gzip', 'identity']) {
      const res = await get(url, { 'accept-encoding': enc });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
    }
  });

  it.each([
    ['/sw.js', 'no-cache'],
    ['/', 'no-cache'],
    ['/index.html', 'no-cache'],
    ['/registerSW.js', 'no-cache'],
    ['/workbox-5f3a9c1d.js', 'no-cache'],
    ['/manifest.webmanifest', 'no-cache'],
    ['/assets/index-Bx9_k2Qz.js', 'public, max-age=31536000, immutable'],
    ['/assets/index-C1d2E3f4.css', 'public, max-age=31536000, immutable'],
    ['/assets/font-Ab12Cd34.woff2', 'public, max-age=31536000, immutable'],
    ['/assets/logo.svg', 'no-cache'],
    ['/icons/icon-192.png', 'no-cache'],
    ['/cases/42', 'no-cache'],
  ])('caches %s with "%s"', async (url, expected) => {
    const res = await get(url, { accept: 'text/html', 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(expected);
  });

  it('treats only hashed names under /assets/ as immutable', () => {
    expect(cacheControlFor('/assets/vendor-react-DxY_12ab.js')).toContain('immutable');
    expect(cacheControlFor('/assets/index-D-OiKLFz.css')).toContain('immutable');
    expect(cacheControlFor('/assets/workbox-window.prod.es5-Bd17z0YL.js')).toContain('immutable');
    expect(cacheControlFor('/assets/logo.png')).toBe('no-cache');
    expect(cacheControlFor('/assets/my-component.js')).toBe('no-cache');
    expect(cacheControlFor('/sw-Bx9_k2Qz.js')).toBe('no-cache');
  });

  it('answers a repeated request with 304 when the ETag or the modification time still match', async () => {
    const first = await get('/sw.js', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers['last-modified']).toBeDefined();

    const again = await get('/sw.js', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('no-cache');

    const weak = await get('/sw.js', { 'accept-encoding': 'br', 'if-none-match': `"other", W/${etag}` });
    expect(weak.statusCode).toBe(304);

    const byDate = await get('/sw.js', { 'accept-encoding': 'br', 'if-modified-since': String(first.headers['last-modified']) });
    expect(byDate.statusCode).toBe(304);

    // Each encoding is a different representation: a gzip client's tag must not validate the brotli body.
    const gz = await get('/sw.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.etag).not.toBe(etag);
    const crossed = await get('/sw.js', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(crossed.statusCode).toBe(200);

    const stale = await get('/sw.js', { 'accept-encoding': 'br', 'if-none-match': '"something-else"' });
    expect(stale.statusCode).toBe(200);
  });

  it('sends a new ETag once the file changes, and never a compressed copy older than the file', async () => {
    const before = await get('/robots.txt');
    const path = join(distDir, 'robots.txt');
    await writeFile(path, 'User-agent: *\nDisallow: /private\n');
    const later = new Date(Date.now() + 5_000);
    await utimes(path, later, later);
    const after = await get('/robots.txt', { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Disallow');

    // favicon.svg.br is left from the "previous build": the server must send the new favicon instead.
    const favicon = join(distDir, 'favicon.svg');
    const newSvg = `<svg xmlns="http://www.w3.org/2000/svg"><title>new</title>${'<g/>'.repeat(400)}</svg>`;
    await writeFile(favicon, newSvg);
    await utimes(favicon, later, later);
    const res = await get('/favicon.svg', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe(newSvg);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/assets/index-Bx9_k2Qz.js', headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.body).toBe('');
  });

  it('answers a client-side route with index.html when the browser asks for a page', async () => {
    for (const url of ['/cases/42', '/intake?step=2', '/deep/nested/route/']) {
      const res = await get(url, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toBe(INDEX_HTML);
    }
  });

  it('does not answer a missing file, a non-page request or an /api path with index.html', async () => {
    const script = await get('/assets/index-OldHash1.js', { accept: 'text/html' });
    expect(script.statusCode).toBe(404);
    expect(script.json()).toMatchObject({ error: { code: 'not-found' } });

    const fetchLike = await get('/cases/42', { accept: '*/*' });
    expect(fetchLike.statusCode).toBe(404);
    expect(fetchLike.json()).toMatchObject({ error: { code: 'not-found' } });

    const api = await get('/api/cases/42', { accept: 'text/html' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  it('refuses to serve dotfiles such as the build stamp', async () => {
    await writeFile(join(distDir, '.build-stamp'), '{"secret":true}');
    const res = await get('/.build-stamp', { accept: 'text/html' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('secret');
  });

  it.each([
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/..%5csecret.txt',
    '/%2e%2e%5c%2e%2e%5csecret.txt',
    '/secret.txt%00.js',
    '/../dist-other/secret.txt',
  ])('does not leave the dist folder for %s', async (url) => {
    const res = await get(url, { accept: 'text/html' });
    expect([400, 404]).toContain(res.statusCode);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('root:');
    expect(res.json()).toHaveProperty('error.code');
  });

  it.each(['/../secret.txt', '/assets/../../secret.txt', '/./../secret.txt', '/..\\secret.txt', '//../secret.txt'])(
    'does not leave the dist folder for the raw request line %s',
    async (path) => {
      const res = await rawGet(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.text).not.toContain(SECRET);
    },
  );

  it('serves the same files over a real socket, with keep-alive and compression', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/assets/index-Bx9_k2Qz.js', headers: { 'accept-encoding': 'br' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.body).toString()).toBe(FILES['assets/index-Bx9_k2Qz.js']);
  });

  it('answers a path that is not valid percent-encoding with 400 JSON', async () => {
    const res = await get('/cases/%E0%A4%A', { accept: 'text/html' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toHaveProperty('error.code');
  });

  it('answers other methods on app paths with 404 JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/index.html', payload: 'x' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not-found' } });
  });
});

describe('serving without a build', () => {
  it('answers a page request with 503 JSON that says the app is not built', async () => {
    const empty = tempDir('nodist');
    const db = await freshDatabase('sqlite', 'nodist');
    const server = await buildServer(testConfig(db.database, { distDir: empty.dir }));
    try {
      const res = await server.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'app-not-built' } });
      expect((await server.inject({ url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await server.close();
      await db.cleanup();
      empty.remove();
    }
  });
});
