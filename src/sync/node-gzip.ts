// The Node implementation of Compressor, for the command line, benchmarks and tests.
import { gzip } from 'node:zlib';
import type { Compressor } from './compression';

export const nodeGzip: Compressor = (bytes) =>
  new Promise((resolve, reject) => gzip(bytes, (err, out) => (err ? reject(err) : resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength)))));
