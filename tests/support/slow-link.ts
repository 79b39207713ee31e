// A TCP proxy on 127.0.0.1 that behaves like a slow link: each direction is paced at a fixed bit
// rate (bytes queue behind each other, as on a real bottleneck) and delayed by half the round-trip
// time; a new connection first spends one round trip on the TCP handshake. It counts the bytes and
// connections that crossed it, so a benchmark can compare its time with the pure transfer time.

import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SlowLinkOptions {
  targetPort: number;
  /** Bits per second in each direction. */
  bitsPerSecond: number;
  roundTripMs: number;
}

/** Paces one direction: a chunk leaves when the link is free, arrives rtt/2 after its last byte left. */
class Pipe {
  bytes = 0;
  private freeAt: number;
  private lastDelivery = 0;

  constructor(
    private readonly to: Socket,
    private readonly options: SlowLinkOptions,
    startAt: number,
  ) {
    this.freeAt = startAt;
  }

  send(chunk: Buffer): void {
    this.bytes += chunk.length;
    const now = performance.now();
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + (chunk.length * 8 * 1000) / this.options.bitsPerSecond;
    // Never overtake an earlier chunk, whatever the timer granularity.
    const at = Math.max(this.freeAt + this.options.roundTripMs / 2, this.lastDelivery);
    this.lastDelivery = at;
    setTimeout(() => {
      if (!this.to.destroyed) this.to.write(chunk);
    }, at - now);
  }

  /** When the last byte queued so far will have arrived. */
  get drainedAt(): number {
    return this.lastDelivery;
  }
}

export class SlowLink {
  bytesUp = 0;
  bytesDown = 0;
  connections = 0;
  private server: Server | null = null;
  private port = 0;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: SlowLinkOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  resetCounts(): void {
    this.bytesUp = 0;
    this.bytesDown = 0;
    this.connections = 0;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => this.connect(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private connect(client: Socket): void {
    this.connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: this.options.targetPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // The handshake: the first byte the client sends leaves one round trip after it connected.
    const opened = performance.now() + this.options.roundTripMs;
    const up = new Pipe(upstream, this.options, opened);
    const down = new Pipe(client, this.options, performance.now());
    client.on('data', (c: Buffer) => {
      this.bytesUp += c.length;
      up.send(c);
    });
    upstream.on('data', (c: Buffer) => {
      this.bytesDown += c.length;
      down.send(c);
    });
    // A close travels the link too: after everything queued before it.
    const closeLater = (pipe: Pipe, socket: Socket) => () => {
      setTimeout(() => socket.end(), Math.max(0, pipe.drainedAt - performance.now()));
    };
    client.on('end', closeLater(up, upstream));
    upstream.on('end', closeLater(down, client));
    const forget = (s: Socket) => () => {
      this.sockets.delete(s);
    };
    client.on('close', forget(client));
    upstream.on('close', forget(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
