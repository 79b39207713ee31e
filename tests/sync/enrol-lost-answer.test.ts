// Enrolment on a flaky network: the tablet's key pair is made before the code is redeemed, and the
// code is bound to it, so a tablet whose answer is lost on the way asks again and gets in — through a
// real HTTP proxy that drops the first answer after the server has redeemed the code.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { createEnrolmentCode } from '../../src/server/county/administration';
import { createCasesRepository, createDeviceRepository, createReferenceRepository, createSyncRepository, type JiexuDb } from '../../src/storage';
import { deviceKey, signWithDeviceKey } from '../../src/storage/device-key';
import { nodeGzip } from '../../src/sync/node-gzip';
import { createTabletSync } from '../../src/sync/tablet-sync';
import { FaultProxy } from '../support/fault-proxy';
import { ADMIN, setUpCounty, TOWNSHIP } from '../support/sync-fixtures';
import { caseFacts, freshDb, idNumber, registration } from '../storage/support';

let db: JiexuDb;
let dir: string;
let app: FastifyInstance;
let proxy: FaultProxy;

beforeEach(async () => {
  db = await freshDb();
  dir = mkdtempSync(join(tmpdir(), 'jiexu-enrol-lost-'));
  app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' });
  await setUpCounty(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  proxy = new FaultProxy({ seed: 1, targetPort: () => port, rates: {}, maxDelayMs: 0, holdMs: 0 });
  await proxy.start();
});
afterEach(async () => {
  await proxy.close();
  db.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function tablet(net: { online: boolean }) {
  const reference = createReferenceRepository(db);
  const cases = createCasesRepository(db);
  const device = createDeviceRepository(db);
  const sync = createSyncRepository(db, { cases, reference });
  const s = createTabletSync({
    db,
    cases,
    device,
    sync,
    appVersion: 'test',
    fetch: (input, init) => globalThis.fetch(input, init),
    random: () => 0,
    sleep: async () => {},
    network: { online: () => net.online, subscribe: () => () => {} },
    compress: nodeGzip,
  });
  return { s, cases, device };
}

it('an enrolment whose answer is lost succeeds when the tablet asks again with the same code, as the same device', async () => {
  const { code } = await createEnrolmentCode(app.county, { townshipCode: TOWNSHIP.code }, ADMIN.username);
  // Offline for the scheduler until the test syncs: the runs happen when the test says.
  const net = { online: false };
  const { s, cases, device } = tablet(net);
  const localId = (await device.getOrCreateDevice()).deviceId;
  // A case registered before enrolment is numbered with the tablet's own id.
  const early = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });

  proxy.setRates({ 'drop-response': 1 });
  expect(await s.enrol(proxy.url, code)).toMatchObject({ ok: false, code: 'network' });
  // The server did redeem the code: a tablet without the key could no longer use it.
  const redeemed = await app.county.db.selectFrom('devices').select(['device_id', 'local_device_id']).execute();
  expect(redeemed).toEqual([{ device_id: expect.any(String), local_device_id: localId }]);
  expect(proxy.counts['drop-response']).toBe(1);

  proxy.setRates({});
  const retried = await s.enrol(proxy.url, code);
  expect(retried).toMatchObject({ ok: true, enrolment: { township: TOWNSHIP, revokedAt: null } });
  expect((await device.getOrCreateDevice()).deviceId).toBe(redeemed[0]!.device_id);
  expect(await app.county.db.selectFrom('devices').select('device_id').execute()).toEqual([{ device_id: redeemed[0]!.device_id }]);

  // Enrolled: what it holds goes to the county, the case numbered before enrolment included.
  const later = await cases.create({ facts: caseFacts({ person: { idNumber: idNumber('19700315', '005'), femaleCategory: null } }), registration: registration(), clerk: '王芳' });
  expect(later.caseNumber).toContain(`-${redeemed[0]!.device_id}-`);
  net.online = true;
  expect(await s.syncNow()).toMatchObject({ status: 'done', pushed: 2 });
  const stored = await app.county.db.selectFrom('cases').select('case_number').orderBy('case_number').execute();
  expect(stored.map((r) => r.case_number).sort()).toEqual([early.caseNumber, later.caseNumber].sort());
  // The tablet's audit entries went along: in the county's chain, marked sent (and kept) here.
  const entries = await db.audit.toArray();
  expect(entries.length).toBeGreaterThanOrEqual(2);
  expect(entries.every((e) => e.sentAt !== undefined)).toBe(true);
  const chained = await app.county.db.selectFrom('audit_chain').select(['action', 'actor']).where('action', '=', 'tablet.case.create').where('actor', '=', '王芳').execute();
  expect(chained).toHaveLength(2);
});

it('the device key is made once, its private half cannot be read out, and it signs bytes the public half verifies', async () => {
  const [a, b] = await Promise.all([deviceKey(db), deviceKey(db)]);
  expect(a.publicKey).toEqual(b.publicKey);
  const stored = (await db.meta.get('device.key'))?.value as { privateKey: CryptoKey };
  expect(stored.privateKey.extractable).toBe(false);
  await expect(crypto.subtle.exportKey('jwk', stored.privateKey)).rejects.toThrow();
  const bytes = new TextEncoder().encode('export bundle');
  const signature = (await signWithDeviceKey(db, bytes)) as Uint8Array<ArrayBuffer>;
  const publicKey = await crypto.subtle.importKey('jwk', { ...a.publicKey, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, bytes)).toBe(true);
  expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, new TextEncoder().encode('another bundle'))).toBe(false);
});
