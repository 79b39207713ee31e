// An HTTP proxy on 127.0.0.1 between the sync client and a county server that misbehaves on
// purpose, driven by a seeded PRNG so a failing run can be replayed: it drops, delays, truncates,
// duplicates and reorders requests, and drops, delays and truncates responses. A hook lets the
// test kill the server while a request is inside it.

import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same faults. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const REQUEST_FAULTS = ['drop-request', 'delay-request', 'truncate-request', 'duplicate-request', 'hold-and-reorder', 'replay-later'] as const;
export const RESPONSE_FAULTS = ['drop-response', 'delay-response', 'truncate-response'] as const;
export type RequestFault = (typeof REQUEST_FAULTS)[number];
export type ResponseFault = (typeof RESPONSE_FAULTS)[number];
export type FaultKind = RequestFault | ResponseFault;

export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultProxyOptions {
  seed: number;
  /** The server's port (changes when it is restarted). */
  targetPort: () => number;
  rates: FaultRates;
  maxDelayMs: number;
  /** How long a held request waits for the next one before it is forwarded anyway. */
  holdMs: number;
  /** Called once a request's body has been handed to the server (to kill it mid-request). */
  onForwarded?: (path: string) => void;
}

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('aborted', () => reject(new Error('aborted')));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FaultProxy {
  readonly counts: Record<FaultKind, number> = Object.fromEntries([...REQUEST_FAULTS, ...RESPONSE_FAULTS].map((k) => [k, 0])) as Record<FaultKind, number>;
  requests = 0;
  /** Requests that reached the server (duplicates and replays included). */
  forwarded = 0;
  private readonly random: () => number;
  private server: Server | null = null;
  private port = 0;
  private rates: FaultRates;
  /** Forwarded after the next request (reordering). */
  private later: (() => Promise<void>)[] = [];

  constructor(private readonly options: FaultProxyOptions) {
    this.random = mulberry32(options.seed);
    this.rates = options.rates;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setRates(rates: FaultRates): void {
    this.rates = rates;
  }

  get totalFaults(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const f of this.later.splice(0)) await f().catch(() => {});
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private pick<K extends FaultKind>(kinds: readonly K[]): K | null {
    let roll = this.random();
    for (const k of kinds) {
      const rate = this.rates[k] ?? 0;
      if (roll < rate) return k;
      roll -= rate;
    }
    return null;
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: `127.0.0.1:${this.options.targetPort()}`, 'content-length': String(body.length), connection: 'close' };
      const up = httpRequest({ host: '127.0.0.1', port: this.options.targetPort(), method: req.method, path: req.url, headers, agent: false }, (upRes) => {
        readAll(upRes).then((b) => resolve({ status: upRes.statusCode ?? 502, headers: upRes.headers, body: b }), reject);
      });
      up.on('error', reject);
      up.end(body, () => {
        this.forwarded++;
        this.options.onForwarded?.(req.url ?? '');
      });
    });
  }

  private async runLater(): Promise<void> {
    for (const f of this.later.splice(0)) await f().catch(() => {});
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const body = await readAll(req);
    const fault = this.pick(REQUEST_FAULTS);
    if (fault) this.counts[fault]++;

    if (fault === 'drop-request') {
      res.destroy();
      await this.runLater();
      return;
    }
    if (fault === 'hold-and-reorder') {
      // Sent to the server only after the next request (or after holdMs): the client has given up on it by then.
      let done = false;
      const send = async () => {
        if (done) return;
        done = true;
        await this.forward(req, body).then(
          (up) => this.relay(res, up, null),
          () => res.destroy(),
        );
      };
      setTimeout(() => void send(), this.options.holdMs);
      this.later.push(send);
      return;
    }
    if (fault === 'delay-request') await sleep(this.random() * this.options.maxDelayMs);

    let sent = body;
    if (fault === 'truncate-request') sent = body.subarray(0, Math.floor(this.random() * body.length));

    let upstream: Upstream;
    try {
      if (fault === 'duplicate-request') {
        // Both copies reach the server at once; the client sees one answer.
        const both = await Promise.allSettled([this.forward(req, sent), this.forward(req, sent)]);
        const ok = both.filter((b): b is PromiseFulfilledResult<Upstream> => b.status === 'fulfilled');
        if (ok.length === 0) throw new Error('both copies failed');
        upstream = ok[Math.floor(this.random() * ok.length)]!.value;
      } else {
        upstream = await this.forward(req, sent);
      }
    } catch {
      res.destroy();
      await this.runLater();
      return;
    }
    if (fault === 'replay-later') {
      // The same request reaches the server again after the next one: a stale, reordered copy.
      this.later.push(async () => {
        await this.forward(req, body).catch(() => {});
      });
    } else {
      await this.runLater();
    }
    const responseFault = this.pick(RESPONSE_FAULTS);
    if (responseFault) this.counts[responseFault]++;
    await this.relay(res, upstream, responseFault);
  }

  private async relay(res: ServerResponse, up: Upstream, fault: ResponseFault | null): Promise<void> {
    if (res.destroyed || res.writableEnded) return;
    if (fault === 'drop-response') {
      res.destroy();
      return;
    }
    if (fault === 'delay-response') await sleep(this.random() * this.options.maxDelayMs);
    const headers = { ...up.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    headers['content-length'] = String(up.body.length);
    res.writeHead(up.status, headers);
    if (fault === 'truncate-response') {
      res.write(up.body.subarray(0, Math.floor(this.random() * up.body.length)));
      // Flushed, then the connection breaks before the rest.
      await sleep(1);
      res.destroy();
      return;
    }
    res.end(up.body);
  }
}
