// Batches go gzip-compressed. The browser has CompressionStream; Node code injects node-gzip.ts.

export type Compressor = (bytes: Uint8Array) => Promise<Uint8Array>;

/** gzip through the browser's CompressionStream (Chromium 80+, Safari 16.4+), or null where missing. */
export function browserGzip(): Compressor | null {
  if (typeof CompressionStream === 'undefined') return null;
  return async (bytes) => {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}
