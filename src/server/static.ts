import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
// Vite names bundled assets name-<hash>.ext (8+ base64url characters); only such names are safe to keep for a
// year. A "hash" of lowercase letters only is more likely a word (my-component.js), so it is revalidated instead.
const HASHED_ASSET = /^\/assets\/(?:[^/]+\/)*[^/]+-(?=[a-z]*[A-Z0-9_-])[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

/**
 * The service worker, the page and the manifest must be revalidated on every load, or a tablet keeps an
 * old version; hashed assets never change under their name. Everything else is revalidated (cheap: 304).
 */
export function cacheControlFor(urlPath: string): string {
  return HASHED_ASSET.test(urlPath) ? IMMUTABLE : REVALIDATE;
}

type Encoding = 'br' | 'gzip';
const VARIANTS: ReadonlyArray<{ encoding: Encoding; suffix: string }> = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
];

/** Encodings the client accepts, honouring q=0 ("not acceptable") and the * wildcard. */
export function acceptedEncodings(header: string | undefined): Set<Encoding> {
  const accepted = new Set<Encoding>();
  if (!header) return accepted;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let quality = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m?.[1] !== undefined) quality = Number(m[1]);
    }
    q.set(name, quality);
  }
  for (const { encoding } of VARIANTS) {
    const quality = q.get(encoding) ?? (encoding === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*');
    if (quality !== undefined && quality > 0) accepted.add(encoding);
  }
  return accepted;
}

async function statFile(path: string): Promise<Stats | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

function etagOf(s: Stats, encoding: Encoding | null): string {
  return `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** RFC 9110 §13.1.2 / §13.1.3: If-None-Match wins over If-Modified-Since. */
function notModified(request: FastifyRequest, etag: string, mtime: Date): boolean {
  const inm = request.headers['if-none-match'];
  if (typeof inm === 'string') {
    if (inm.trim() === '*') return true;
    return inm.split(',').some((t) => stripWeak(t.trim()) === etag);
  }
  const ims = request.headers['if-modified-since'];
  if (typeof ims === 'string') {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

type Resolved = { kind: 'file'; fsPath: string; urlPath: string } | { kind: 'bad-path' };

/** Maps a request URL to a path inside root, or refuses it; never leaves root. */
export function resolveInside(root: string, rawUrl: string): Resolved {
  const rawPath = rawUrl.split('?', 1)[0] ?? '/';
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-path' };
  }
  if (!urlPath.startsWith('/') || urlPath.includes('\0') || urlPath.includes('\\')) return { kind: 'bad-path' };
  const segments = urlPath.split('/').filter((s) => s !== '');
  // Dot segments are refused rather than resolved, and dotfiles (.build-stamp) are not part of the app.
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'bad-path' };
  const fsPath = resolve(root, ...segments);
  if (fsPath !== root && !fsPath.startsWith(root + sep)) return { kind: 'bad-path' };
  return { kind: 'file', fsPath, urlPath: '/' + segments.join('/') };
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}

function looksLikeFile(urlPath: string): boolean {
  return extname(basename(urlPath)) !== '';
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, fsPath: string, original: Stats, urlPath: string) {
  const accepted = acceptedEncodings(request.headers['accept-encoding']);
  let body = { path: fsPath, stats: original, encoding: null as Encoding | null };
  for (const { encoding, suffix } of VARIANTS) {
    if (!accepted.has(encoding)) continue;
    const variant = await statFile(fsPath + suffix);
    // A variant older than its original is left over from an earlier build: never serve it.
    if (variant && variant.mtimeMs >= original.mtimeMs) {
      body = { path: fsPath + suffix, stats: variant, encoding };
      break;
    }
  }

  const etag = etagOf(body.stats, body.encoding);
  reply.header('Vary', 'Accept-Encoding');
  reply.header('Cache-Control', cacheControlFor(urlPath));
  reply.header('ETag', etag);
  reply.header('Last-Modified', original.mtime.toUTCString());

  if (notModified(request, etag, original.mtime)) {
    return reply.code(304).send();
  }
  reply.header('Content-Type', contentTypeFor(fsPath));
  if (body.encoding) reply.header('Content-Encoding', body.encoding);
  reply.header('Content-Length', String(body.stats.size));
  if (request.method === 'HEAD') return reply.send();
  return reply.send(createReadStream(body.path));
}

/**
 * Serves the built PWA from distDir: precompressed .br/.gz siblings chosen by Accept-Encoding, validators
 * and 304s, cache headers per file kind, and index.html for client-side routes.
 */
export function registerStatic(app: FastifyInstance, distDir: string): void {
  const root = resolve(distDir);
  const indexPath = resolve(root, 'index.html');

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const target = resolveInside(root, request.url);
    if (target.kind === 'bad-path') {
      return reply.code(400).send(errorBody('bad-path', 'The request path is not allowed'));
    }
    const isRoot = target.urlPath === '/';
    const urlPath = isRoot ? '/index.html' : target.urlPath;
    const fsPath = isRoot ? indexPath : target.fsPath;
    const found = await statFile(fsPath);
    if (found) return sendFile(request, reply, fsPath, found, urlPath);

    if ((isRoot || !looksLikeFile(urlPath)) && acceptsHtml(request)) {
      const index = await statFile(indexPath);
      if (index) return sendFile(request, reply, indexPath, index, '/index.html');
      return reply
        .code(503)
        .send(errorBody('app-not-built', `The app is not built: ${indexPath} is missing (run npm run build)`));
    }
    return reply.code(404).send(errorBody('not-found', `No file at ${urlPath}`));
  };

  app.route({ method: ['GET', 'HEAD'], url: '/', handler });
  app.route({ method: ['GET', 'HEAD'], url: '/*', handler });
}
