// The outbox the cases repository writes, pushed to a real county server (SQLite, in process):
// what the tablet stores is what the protocol accepts, and only acknowledged mutations leave.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app';
import { createCasesRepository, createDeviceRepository, type JiexuDb } from '../../src/storage';
import { figuresOf, wireMutationSchema } from '../../src/shared/sync-protocol';
import { createDexieOutbox } from '../../src/sync/dexie-outbox';
import { pushOnce } from '../../src/sync/client';
import { toWireMutation } from '../../src/sync/outbox';
import { nodeGzip } from '../../src/sync/node-gzip';
import { caseFacts, freshDb, idNumber, registration, steppingClock } from '../storage/support';
import { setUpCounty, TabletSim } from '../support/sync-fixtures';

/** fetch over Fastify's inject: the real routes, no socket. */
function injectFetch(app: FastifyInstance): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    const res = await app.inject({
      method: init.method as 'POST',
      url: new URL(url).pathname,
      headers: init.headers as Record<string, string>,
      payload: Buffer.from(init.body as Uint8Array),
    });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
  }) as unknown as typeof fetch;
}

describe('the Dexie outbox', () => {
  let db: JiexuDb;
  let dir: string;
  let app: FastifyInstance;
  beforeEach(async () => {
    db = await freshDb();
    dir = mkdtempSync(join(tmpdir(), 'jiexu-dexie-outbox-'));
    app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' });
  });
  afterEach(async () => {
    db.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists what the repository wrote in seq order, as wire mutations the protocol accepts', async () => {
    const cases = createCasesRepository(db, { now: steppingClock() });
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await cases.update(a.id, { facts: caseFacts({ service: { enlistment: '1988-03', discharge: '1993-12', militarySubsidyReceived: false } }), registration: registration(), clerk: '王芳', expectedRevision: 1 });
    await cases.create({ facts: caseFacts({ person: { idNumber: idNumber('19720101', '005'), femaleCategory: null } }), registration: registration({ name: '李四' }), clerk: '王芳' });
    const outbox = createDexieOutbox(db);
    const pending = await outbox.pending(10);
    expect(pending.map((m) => [m.seq, m.kind])).toEqual([
      [1, 'case.create'],
      [2, 'case.update'],
      [3, 'case.create'],
    ]);
    for (const m of pending) {
      const wire = toWireMutation(m);
      expect(wireMutationSchema.safeParse(wire).success).toBe(true);
      expect(wire.figures).toEqual(figuresOf(m.payload.determination));
    }
    await outbox.acknowledge(2);
    expect((await outbox.pending(10)).map((m) => m.seq)).toEqual([3]);
    expect(await outbox.count()).toBe(1);
  });

  it('a real server accepts the repository’s cases; the outbox empties only through acknowledgements', async () => {
    const cases = createCasesRepository(db, { now: steppingClock() });
    for (let i = 0; i < 3; i++) {
      await cases.create({ facts: caseFacts({ person: { idNumber: idNumber('19700315', String(1 + 2 * i).padStart(3, '0')), femaleCategory: null } }), registration: registration(), clerk: '王芳' });
    }
    const device = await createDeviceRepository(db).getOrCreateDevice();
    const county = await setUpCounty(app);
    // The cases were numbered with the tablet's own id, before enrolment gave it the server's.
    const tablet = new TabletSim(device.deviceId);
    const credential = await county.enrol(tablet);
    const outbox = createDexieOutbox(db);
    const config = {
      baseUrl: 'http://county.test',
      deviceId: tablet.deviceId,
      credential,
      appVersion: 'test',
      fetch: injectFetch(app),
      now: () => new Date(),
      compress: nodeGzip,
      timeoutMs: 30_000,
      batchSize: 2,
    };
    const first = await pushOnce(config, outbox);
    expect(first).toMatchObject({ kind: 'pushed', sent: 2, ackedThroughSeq: 2 });
    expect(await outbox.count()).toBe(1);
    const revoked = await pushOnce({ ...config, credential: 'dev_wrong' }, outbox);
    expect(revoked).toMatchObject({ kind: 'refused', code: 'unauthenticated' });
    expect(await outbox.count()).toBe(1);
    expect(await pushOnce(config, outbox)).toMatchObject({ kind: 'pushed', sent: 1, ackedThroughSeq: 3 });
    expect(await pushOnce(config, outbox)).toEqual({ kind: 'nothing-to-push' });
    const onServer = await app.county.db.selectFrom('cases').select(['id', 'figures_differ']).execute();
    expect(onServer).toHaveLength(3);
    expect(onServer.every((c) => c.figures_differ === 0)).toBe(true);
  });
});
