// Request bodies may arrive gzip-compressed (Content-Encoding: gzip: the tablets' sync batches), and
// API responses are gzip-compressed for clients that accept it. Fastify checks the decompressed size
// against bodyLimit, so a small bomb cannot expand without bound.

import { createGunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';
import { acceptedEncodings } from '../static';

const gzipAsync = promisify(gzip);

/** Responses smaller than this gain nothing from compression. */
const MIN_COMPRESS_BYTES = 512;

function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export function registerApiCompression(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') return payload;
    if (encoding !== 'gzip' || !isApi(request.url)) {
      throw new ApiError(415, 'unsupported-media-type', `Content-Encoding ${encoding} is not accepted here (only gzip, on /api)`);
    }
    const gunzip = createGunzip() as ReturnType<typeof createGunzip> & { receivedEncodedLength: number };
    gunzip.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      gunzip.receivedEncodedLength += chunk.length;
    });
    payload.on('error', (err) => gunzip.destroy(err));
    gunzip.on('error', (err: Error & { statusCode?: number }) => {
      err.statusCode = 400;
    });
    return payload.pipe(gunzip);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!isApi(request.url) || reply.hasHeader('content-encoding')) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    reply.header('Vary', 'Accept-Encoding');
    if (Buffer.byteLength(payload) < MIN_COMPRESS_BYTES || !acceptedEncodings(request.headers['accept-encoding']).has('gzip')) return payload;
    const compressed = await gzipAsync(payload);
    reply.header('Content-Encoding', 'gzip');
    reply.removeHeader('content-length');
    return compressed;
  });
}
