import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, pushRequestSchema, type PushResponse, type TabletAuditEntry } from '../../src/shared/sync-protocol';
import type { AuditOutbox } from '../../src/sync/outbox';
import { backoffDelay } from '../../src/sync/backoff';
import { pushOnce, type SyncClientConfig } from '../../src/sync/client';
import { createSyncScheduler, syncNow, type SyncReport } from '../../src/sync/loop';
import { nodeGzip } from '../../src/sync/node-gzip';
import { TabletSim } from '../support/sync-fixtures';

type Handler = (body: Record<string, unknown>, init: RequestInit) => Promise<Response> | Response;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function ack(body: Record<string, unknown>, through?: number): Response {
  const batch = body.batch as { seq: number; mutationId: string; caseId: string; revision: number }[];
  const response: PushResponse = {
    protocol: PROTOCOL_VERSION,
    ackedThroughSeq: through ?? batch.at(-1)!.seq,
    serverTime: '2024-05-01T08:00:00.000Z',
    results: batch.map((m) => ({ seq: m.seq, mutationId: m.mutationId, caseId: m.caseId, outcome: 'applied', serverRevision: m.revision, conflict: false, possibleDuplicate: false, figuresDiffer: false })),
  };
  return json(200, response);
}

/** A fetch that decodes the (gzip) body as the server would and hands it to `handler`. */
function fakeFetch(handler: Handler, seen: { headers: Record<string, string>[]; bodies: Record<string, unknown>[] } = { headers: [], bodies: [] }): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    const raw = Buffer.from(init.body as Uint8Array);
    const text = headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    const body = JSON.parse(text) as Record<string, unknown>;
    seen.headers.push(headers);
    seen.bodies.push(body);
    return handler(body, init);
  }) as unknown as typeof fetch;
}

function config(tablet: TabletSim, fetchImpl: typeof fetch, over: Partial<SyncClientConfig> = {}): SyncClientConfig {
  return {
    baseUrl: 'https://county.example/',
    deviceId: tablet.deviceId,
    credential: 'dev_secret',
    appVersion: '0.1.0',
    fetch: fetchImpl,
    now: () => new Date('2024-05-01T08:00:00.000Z'),
    compress: nodeGzip,
    timeoutMs: 1000,
    batchSize: 2,
    ...over,
  };
}

describe('pushOnce', () => {
  it('sends the oldest pending mutations gzip-compressed with the device credential, and drops them from the outbox only on acknowledgement', async () => {
    const t = new TabletSim();
    t.create(1);
    t.create(2);
    t.create(3);
    const seen = { headers: [] as Record<string, string>[], bodies: [] as Record<string, unknown>[] };
    const outcome = await pushOnce(config(t, fakeFetch((b) => ack(b), seen)), t);
    expect(outcome).toMatchObject({ kind: 'pushed', sent: 2, ackedThroughSeq: 2 });
    expect(t.outbox.map((m) => m.seq)).toEqual([3]);
    expect(seen.headers[0]).toMatchObject({ authorization: 'Bearer dev_secret', 'content-encoding': 'gzip', 'content-type': 'application/json' });
    expect(pushRequestSchema.safeParse(seen.bodies[0]).success).toBe(true);
    expect((seen.bodies[0]!.batch as { seq: number }[]).map((m) => m.seq)).toEqual([1, 2]);
  });

  it.each([
    ['the network fails', () => Promise.reject(new TypeError('fetch failed')), /^network: fetch failed/],
    ['the server answers 503 while restarting', () => json(503, { error: { code: 'internal-error', message: 'closing' } }), /^status 503/],
    ['the answer is cut off', () => new Response('{"protocol":1,"acked', { status: 200 }), /^garbled response/],
    ['the answer is not a push response', () => json(200, { hello: 'proxy' }), /^garbled response/],
    ['a body damaged on the way is refused as bad-request', () => json(400, { error: { code: 'bad-request', message: 'unexpected end of file' } }), /^status 400 bad-request/],
  ])('keeps every mutation and asks for a retry when %s', async (_name, respond, reason) => {
    const t = new TabletSim();
    t.create(1);
    const outcome = await pushOnce(config(t, fakeFetch(respond as Handler)), t);
    expect(outcome.kind).toBe('retry');
    expect((outcome as { reason: string }).reason).toMatch(reason);
    expect(t.outbox).toHaveLength(1);
  });

  it('an acknowledgement that does not cover what was sent is not trusted', async () => {
    const t = new TabletSim();
    t.create(1);
    t.create(2);
    const outcome = await pushOnce(config(t, fakeFetch((b) => ack(b, 1))), t);
    expect(outcome.kind).toBe('retry');
    expect(t.outbox).toHaveLength(2);
  });

  it('gives up on a request that takes longer than the timeout, keeping the outbox', async () => {
    const t = new TabletSim();
    t.create(1);
    const hang: Handler = (_b, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const outcome = await pushOnce(config(t, fakeFetch(hang), { timeoutMs: 20 }), t);
    expect(outcome).toEqual({ kind: 'retry', reason: 'timeout' });
    expect(t.outbox).toHaveLength(1);
  });

  it.each([
    ['device-revoked', 403, false],
    ['protocol-mismatch', 400, true],
    ['schema-mismatch', 400, true],
    ['invalid-batch', 422, false],
    ['unauthenticated', 401, false],
  ])('stops on %s (update required: %s), keeping the outbox', async (code, status, updateRequired) => {
    const t = new TabletSim();
    t.create(1);
    const outcome = await pushOnce(config(t, fakeFetch(() => json(status, { error: { code, message: 'because' } }))), t);
    expect(outcome).toMatchObject({ kind: 'refused', code, status, updateRequired, message: 'because' });
    expect(t.outbox).toHaveLength(1);
  });
});

describe('syncNow', () => {
  it('pushes batch after batch until the outbox is empty, reporting progress and outcomes', async () => {
    const t = new TabletSim();
    for (let i = 0; i < 5; i++) t.create(i);
    const progress: number[] = [];
    const results: number[] = [];
    const report = await syncNow(config(t, fakeFetch((b) => ack(b))), t, {
      sleep: async () => {},
      random: () => 0.5,
      onProgress: (p) => progress.push(p.remaining),
      onResults: (r) => void results.push(...r.map((x) => x.seq)),
    });
    expect(report).toMatchObject({ status: 'done', pushed: 5, retries: 0 });
    expect(progress).toEqual([3, 1, 0]);
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(t.outbox).toEqual([]);
  });

  it('retries failures after exponential delays with jitter, then succeeds', async () => {
    const t = new TabletSim();
    t.create(1);
    let calls = 0;
    const sleeps: number[] = [];
    const report = await syncNow(
      config(
        t,
        fakeFetch((b) => (++calls <= 3 ? Promise.reject(new TypeError('offline')) : ack(b))),
      ),
      t,
      { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, backoff: { baseMs: 100, maxMs: 10_000 } },
    );
    expect(report).toMatchObject({ status: 'done', pushed: 1, retries: 3 });
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('gives up after too many consecutive failures, and stops at once on a refusal — the outbox untouched either way', async () => {
    const t = new TabletSim();
    t.create(1);
    const offline = await syncNow(config(t, fakeFetch(() => Promise.reject(new TypeError('offline')))), t, { sleep: async () => {}, random: () => 0, maxConsecutiveFailures: 4 });
    expect(offline).toMatchObject({ status: 'gave-up', retries: 4, reason: 'network: offline' });
    const revoked = await syncNow(config(t, fakeFetch(() => json(403, { error: { code: 'device-revoked', message: 'revoked' } }))), t, { sleep: async () => {}, random: () => 0 });
    expect(revoked).toMatchObject({ status: 'refused', refusal: { code: 'device-revoked' } });
    expect(t.outbox).toHaveLength(1);
  });

  it('with an empty outbox sends the unsent audit entries alone, and stops when an answer acknowledges none of them', async () => {
    const t = new TabletSim();
    const entry = (i: number): TabletAuditEntry => ({ id: `018f3000-0000-7000-8000-${String(i).padStart(12, '0')}`, at: '2024-05-01T08:00:00.000Z', actor: '王芳', action: 'shift.start', caseId: null, caseNumber: null, revision: null, changes: [], reason: null });
    const unsent = new Map([1, 2, 3].map((i) => [entry(i).id, entry(i)]));
    const audit: AuditOutbox = { unsent: async (limit) => [...unsent.values()].slice(0, limit), markSent: async (ids) => void ids.forEach((id) => unsent.delete(id)) };
    const answer = (acknowledged: string[] | undefined) => json(200, { protocol: PROTOCOL_VERSION, ackedThroughSeq: 0, serverTime: '2024-05-01T08:00:00.000Z', results: [], ...(acknowledged ? { auditAcknowledged: acknowledged } : {}) });
    const seen = { headers: [] as Record<string, string>[], bodies: [] as Record<string, unknown>[] };
    const run = (handler: Handler) => syncNow(config(t, fakeFetch(handler, seen), { audit }), t, { sleep: async () => {}, random: () => 0 });

    // The server acknowledges the first page only: the rest goes with the next push of the run.
    let calls = 0;
    expect(await run((b) => answer(++calls === 1 ? [(b.auditEntries as { id: string }[])[0]!.id] : (b.auditEntries as { id: string }[]).map((e) => e.id)))).toMatchObject({ status: 'done', pushed: 0 });
    expect(seen.bodies.map((b) => [(b.batch as unknown[]).length, (b.auditEntries as { id: string }[]).length])).toEqual([
      [0, 3],
      [0, 2],
    ]);
    expect(seen.bodies.every((b) => pushRequestSchema.safeParse(b).success)).toBe(true);
    expect(unsent.size).toBe(0);

    // An answer that takes nothing off the tablet is not asked again and again (a second push is refused here).
    unsent.set(entry(4).id, entry(4));
    seen.bodies.length = 0;
    expect(await run(() => (seen.bodies.length > 1 ? json(403, { error: { code: 'device-revoked', message: 'revoked' } }) : answer(undefined)))).toMatchObject({ status: 'done', pushed: 0 });
    expect(seen.bodies).toHaveLength(1);
    expect(unsent.size).toBe(1);
  });
});

describe('backoff', () => {
  it('doubles up to the cap, scaled by a random factor (full jitter)', () => {
    const p = { baseMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5, 30].map((a) => backoffDelay(a, () => 0.999999, p))).toEqual([999, 1999, 3999, 7999, 7999, 7999]);
    expect(backoffDelay(3, () => 0, p)).toBe(0);
  });
});

describe('the sync scheduler', () => {
  it('runs one sync at a time: a trigger during a run joins it; it runs every interval until stopped', async () => {
    let runs = 0;
    let release: (r: SyncReport) => void = () => {};
    const run = () => {
      runs++;
      return new Promise<SyncReport>((resolve) => (release = resolve));
    };
    const timers: { fn: () => void; ms: number }[] = [];
    const scheduler = createSyncScheduler(run, 180_000, { setTimeout: (fn, ms) => timers.push({ fn, ms }), clearTimeout: () => timers.splice(0) });
    const a = scheduler.trigger();
    const b = scheduler.trigger();
    expect(runs).toBe(1);
    expect(scheduler.running).toBe(true);
    const done: SyncReport = { status: 'done', pushed: 0, retries: 0, pulledCaseUpdates: 0, lastSuccessAt: 'now' };
    release(done);
    expect(await a).toBe(done);
    expect(await b).toBe(done);
    expect(scheduler.running).toBe(false);

    scheduler.start();
    expect(timers.map((t) => t.ms)).toEqual([180_000]);
    timers.shift()!.fn();
    expect(runs).toBe(2);
    scheduler.stop();
    release(done);
    await Promise.resolve();
    expect(timers).toEqual([]);
  });
});
