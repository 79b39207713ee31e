// The tablet's sync service against a real county server (SQLite, in process through inject): the
// triggers, the state the screens show, and what a refusal leaves on the tablet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { createEnrolmentCode } from '../../src/server/county/administration';
import { requestCorrection } from '../../src/server/county/case-review';
import { createCasesRepository, createDeviceRepository, createReferenceRepository, createSyncRepository, type JiexuDb } from '../../src/storage';
import { relaySyncToClients, SYNC_REQUESTED } from '../../src/sync/background-sync';
import { AUDIT_PER_PUSH } from '../../src/sync/client';
import { clockSkewZh, syncErrorZh } from '../../src/sync/messages';
import { nodeGzip } from '../../src/sync/node-gzip';
import { createTabletSync, type NetworkWatcher, type TabletSyncDeps } from '../../src/sync/tablet-sync';
import { caseFacts, freshDb, idNumber, registration } from '../storage/support';
import { ADMIN, setUpCounty, TOWNSHIP } from '../support/sync-fixtures';

const SERVER = 'http://county.test';

/** fetch over Fastify's inject, counting requests by path; `fail` makes the network fail. */
function injectFetch(app: FastifyInstance, log: string[], net: { fail: boolean }): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    log.push(path);
    if (net.fail) throw new TypeError('fetch failed');
    const res = await app.inject({ method: init.method as 'POST', url: path, headers: init.headers as Record<string, string>, payload: Buffer.from(init.body as Uint8Array) });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
  }) as unknown as typeof fetch;
}

function fakeNetwork(initial: boolean): NetworkWatcher & { set(online: boolean): void } {
  let online = initial;
  const listeners = new Set<(online: boolean) => void>();
  return {
    online: () => online,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    set(next) {
      online = next;
      for (const l of listeners) l(next);
    },
  };
}

function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    timers: { setTimeout: (fn: () => void, ms: number) => pending.push({ fn, ms }), clearTimeout: () => void pending.splice(0) },
  };
}

let db: JiexuDb;
let dir: string;
let app: FastifyInstance;
let clock: Date;
let requests: string[];
let net: { fail: boolean };

beforeEach(async () => {
  db = await freshDb();
  dir = mkdtempSync(join(tmpdir(), 'jiexu-tablet-sync-'));
  clock = new Date('2024-05-01T08:00:00.000Z');
  app = await buildServer(
    { host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' },
    { now: () => clock },
  );
  requests = [];
  net = { fail: false };
});
afterEach(async () => {
  db.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(over: Partial<TabletSyncDeps> = {}) {
  const reference = createReferenceRepository(db);
  const cases = createCasesRepository(db, { now: () => clock });
  const device = createDeviceRepository(db, { now: () => clock });
  const sync = createSyncRepository(db, { cases, reference });
  const network = fakeNetwork(true);
  const { timers, pending: timerQueue } = manualTimers();
  const s = createTabletSync({
    db,
    cases,
    device,
    sync,
    appVersion: 'test',
    fetch: injectFetch(app, requests, net),
    now: () => clock,
    random: () => 0,
    sleep: async () => {},
    timers,
    network,
    compress: nodeGzip,
    maxConsecutiveFailures: 3,
    ...over,
  });
  return { s, cases, device, sync, network, timerQueue };
}

async function code(township = TOWNSHIP.code): Promise<string> {
  return (await createEnrolmentCode(app.county, { townshipCode: township }, ADMIN.username)).code;
}

async function register(cases: ReturnType<typeof service>['cases'], n: number, from = 0) {
  const made = [];
  for (let i = from; i < from + n; i++) {
    made.push(await cases.create({ facts: caseFacts({ person: { idNumber: idNumber('19700315', String(1 + 2 * i).padStart(3, '0')), femaleCategory: null } }), registration: registration({ name: `士兵${i}` }), clerk: '王芳' }));
  }
  return made;
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not reached');
}

describe('the tablet sync service', () => {
  it('does nothing before enrolment and says why', async () => {
    await setUpCounty(app);
    const { s, cases } = service();
    await register(cases, 1);
    expect(await s.syncNow()).toEqual({ status: 'not-enrolled' });
    expect(requests).toEqual([]);
    expect(syncErrorZh('not-enrolled')).toContain('注册');
  });

  it('enrols with a code, then pushes every case once, pulls, and shows the counts and the last success', async () => {
    await setUpCounty(app);
    const { s, cases, sync } = service({ batchSize: 2 });
    const made = await register(cases, 5);
    const seen: { sent: number; total: number }[] = [];
    s.subscribe(() => {
      const p = s.getState().progress;
      if (p) seen.push({ sent: p.sent, total: p.total });
    });

    const enrolled = await s.enrol(`${SERVER}/`, await code());
    expect(enrolled).toMatchObject({ ok: true, enrolment: { serverUrl: SERVER, township: TOWNSHIP } });
    await until(() => !s.getState().running && s.getState().lastSuccessAt !== null);

    const state = s.getState();
    expect(state).toMatchObject({ pending: 0, lastErrorCode: null, revoked: false, updateRequired: false, clockSkewMs: null, progress: null });
    expect(state.lastSuccessAt).toBe(clock.toISOString());
    expect(seen.at(-1)).toEqual({ sent: 5, total: 5 });
    expect(seen.map((p) => p.sent)).toEqual(expect.arrayContaining([0, 2, 4, 5]));
    expect(requests.filter((p) => p === '/api/sync/push')).toHaveLength(3);
    expect(requests).toContain('/api/sync/pull');
    expect(await sync.cursor()).not.toBeNull();
    for (const c of made) expect((await cases.syncInfo(c.id))?.syncState).toBe('synced');
    const onServer = await app.county.db.selectFrom('cases').select('id').execute();
    expect(onServer.map((r) => r.id).sort()).toEqual(made.map((c) => c.id).sort());

    // Nothing new: a second run pushes nothing and still pulls.
    requests.length = 0;
    expect(await s.syncNow()).toMatchObject({ status: 'done', pushed: 0 });
    expect(requests).toEqual(['/api/sync/pull']);
  });

  it('a wrong or used enrolment code is refused with its code, and nothing is stored', async () => {
    await setUpCounty(app);
    const { s, device } = service();
    expect(await s.enrol(SERVER, 'WRONG-CODE')).toMatchObject({ ok: false, code: 'enrolment-code-invalid' });
    expect(await s.enrol('not a url', 'x')).toMatchObject({ ok: false, code: 'invalid-server-url' });
    expect(await device.enrolment()).toBeNull();
    expect(syncErrorZh('enrolment-code-used')).toContain('已被使用');
  });

  it('after ten wrong enrolment codes even a valid one is refused for a while, and the clerk is told in Chinese how long', async () => {
    await setUpCounty(app);
    const { s, device } = service();
    for (let i = 0; i < 10; i++) expect(await s.enrol(SERVER, `AAAA-BBBB-CC${String(i).padStart(2, '0')}`)).toMatchObject({ ok: false, code: 'enrolment-code-invalid' });
    const valid = await code();
    const locked = await s.enrol(SERVER, valid);
    expect(locked).toMatchObject({ ok: false, code: 'too-many-attempts', retryAfterSeconds: 300 });
    expect(locked.ok ? '' : syncErrorZh(locked.code, locked)).toBe('输错次数过多，已暂时锁定：请5分钟后再试。如需立即解锁，请联系县局管理员。');
    expect(await device.enrolment()).toBeNull();
    clock = new Date(clock.getTime() + 5 * 60_000);
    expect(await s.enrol(SERVER, valid)).toMatchObject({ ok: true });
  });

  it('syncs at start when online, when the network comes back, and every interval while online — not while offline', async () => {
    await setUpCounty(app);
    const { s, cases, network, timerQueue } = service();
    network.set(false);
    await s.start();
    await s.enrol(SERVER, await code());
    expect(requests).not.toContain('/api/sync/push');
    await register(cases, 2);
    await until(() => s.getState().pending === 2);

    network.set(true);
    await until(() => s.getState().pending === 0 && !s.getState().running);
    expect(requests.filter((p) => p === '/api/sync/push')).toHaveLength(1);
    expect(timerQueue.map((t) => t.ms)).toEqual([5 * 60_000]);

    await register(cases, 1, 10);
    await until(() => s.getState().pending === 1);
    timerQueue.shift()!.fn();
    await until(() => s.getState().pending === 0 && !s.getState().running);
    expect(requests.filter((p) => p === '/api/sync/push')).toHaveLength(2);

    network.set(false);
    expect(timerQueue).toEqual([]);
    s.stop();
  });

  it('a service worker’s Background Sync relay triggers a run; a failed run asks for one', async () => {
    await setUpCounty(app);
    let relay: () => void = () => {};
    let asked = 0;
    const { s, cases } = service({
      onSyncRequested: (fn) => {
        relay = fn;
        return () => {};
      },
      requestBackgroundSync: async () => {
        asked++;
        return true;
      },
    });
    await s.enrol(SERVER, await code());
    await until(() => !s.getState().running);
    await s.start();
    await until(() => !s.getState().running);
    await register(cases, 1);
    net.fail = true;
    expect(await s.syncNow()).toMatchObject({ status: 'gave-up', retries: 3 });
    expect(s.getState()).toMatchObject({ pending: 1, lastErrorCode: 'network' });
    expect(asked).toBe(1);

    net.fail = false;
    relay();
    await until(() => s.getState().pending === 0 && !s.getState().running);
    expect(s.getState().lastErrorCode).toBeNull();
    s.stop();
  });

  it('a revoked tablet is refused, says so, keeps its unsynced cases, and stops asking', async () => {
    await setUpCounty(app);
    const { s, cases, device } = service();
    await s.enrol(SERVER, await code());
    await until(() => !s.getState().running);
    const deviceId = (await device.getOrCreateDevice()).deviceId;
    const res = await app.inject({ method: 'POST', url: `/api/admin/devices/${deviceId}/revoke`, headers: { cookie: (await adminCookie()) } });
    expect(res.statusCode).toBe(200);

    const kept = await register(cases, 2);
    expect(await s.syncNow()).toMatchObject({ status: 'refused', refusal: { code: 'device-revoked' } });
    expect(s.getState()).toMatchObject({ revoked: true, lastErrorCode: 'device-revoked', pending: 2 });
    expect(syncErrorZh('device-revoked')).toContain('本设备已被县局停用，未同步的记录仍保存在本机');
    for (const c of kept) expect(await cases.get(c.id)).toBeDefined();

    requests.length = 0;
    expect(await s.syncNow()).toEqual({ status: 'revoked' });
    expect(requests).toEqual([]);

    // Enrolled again with a new code, it sends what it kept.
    await s.enrol(SERVER, await code());
    await until(() => s.getState().pending === 0 && !s.getState().running);
    expect(s.getState()).toMatchObject({ revoked: false, lastErrorCode: null });
  });

  it('a server of another protocol version stops sync with 请更新应用, keeping the outbox', async () => {
    await setUpCounty(app);
    const mismatch = (async () => new Response(JSON.stringify({ error: { code: 'protocol-mismatch', message: 'protocol 2 only', supported: [2] } }), { status: 400 })) as unknown as typeof fetch;
    const { s, cases, device } = service({ fetch: mismatch });
    await device.saveEnrolment({ serverUrl: SERVER, credential: 'dev_0123456789abcdefghijkl', deviceId: 'K7Q2MX3B', township: TOWNSHIP });
    await register(cases, 1);
    expect(await s.syncNow()).toMatchObject({ status: 'refused' });
    expect(s.getState()).toMatchObject({ updateRequired: true, lastErrorCode: 'protocol-mismatch', pending: 1 });
    expect(syncErrorZh('protocol-mismatch')).toContain('请更新应用');
  });

  it('tells the clerk when the tablet clock is off by more than a few minutes', async () => {
    await setUpCounty(app);
    const tabletClock = () => new Date(clock.getTime() + 10 * 60_000);
    const { s, cases } = service({ now: tabletClock });
    await register(cases, 1);
    await s.enrol(SERVER, await code());
    await until(() => s.getState().lastSuccessAt !== null && !s.getState().running);
    expect(s.getState().clockSkewMs).toBe(10 * 60_000);
    expect(clockSkewZh(10 * 60_000)).toContain('快约10分钟');
  });

  it('a correction requested at the county reaches the tablet on the next sync', async () => {
    await setUpCounty(app);
    const { s, cases } = service();
    const [a] = await register(cases, 1);
    await s.enrol(SERVER, await code());
    await until(() => s.getState().lastSuccessAt !== null && !s.getState().running);
    await requestCorrection(app.county, a!.id, '请补充退役证编号', ADMIN.username);
    expect(await s.syncNow()).toMatchObject({ status: 'done', pulledCaseUpdates: 1 });
    expect(await cases.syncInfo(a!.id)).toMatchObject({ syncState: 'synced', countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号', serverRevision: 2 });
    expect((await cases.get(a!.id))?.revision).toBe(2);
  });

  it('each pushed mutation carries the county account of the clerk who signed in for the shift; a picked name sends none', async () => {
    await setUpCounty(app);
    const bodies: { batch: Record<string, unknown>[] }[] = [];
    const inner = injectFetch(app, requests, net);
    const capture = (async (url: string, init: RequestInit) => {
      if (new URL(url).pathname === '/api/sync/push') bodies.push(JSON.parse(gunzipSync(Buffer.from(init.body as Uint8Array)).toString('utf8')) as { batch: Record<string, unknown>[] });
      return inner(url, init);
    }) as unknown as typeof fetch;
    const { s, cases, device } = service({ fetch: capture });
    await device.setCurrentClerk('王芳', 'wangfang');
    const [signedIn] = await register(cases, 1);
    await device.setCurrentClerk('王芳');
    const [picked] = await register(cases, 1, 1);
    await s.enrol(SERVER, await code());
    await until(() => s.getState().lastSuccessAt !== null && !s.getState().running);

    const sent = bodies.flatMap((b) => b.batch);
    expect(sent.map((m) => [m.caseId, m.clerk, m.account])).toEqual([
      [signedIn!.id, '王芳', 'wangfang'],
      [picked!.id, '王芳', undefined],
    ]);
    expect(Object.keys(sent[1]!)).not.toContain('account');
    const stored = await app.county.db.selectFrom('case_versions').select(['case_id', 'clerk_account']).execute();
    expect(stored.find((v) => v.case_id === signedIn!.id)?.clerk_account).toBe('wangfang');
    expect(stored.find((v) => v.case_id === picked!.id)?.clerk_account).toBeNull();
  });

  it('with an empty outbox, the clerks’ shift starts still reach the county’s chain, in bounded pages, and are marked sent', async () => {
    await setUpCounty(app);
    const bodies: { batch: unknown[]; auditEntries?: { id: string }[] }[] = [];
    const inner = injectFetch(app, requests, net);
    const capture = (async (url: string, init: RequestInit) => {
      if (new URL(url).pathname === '/api/sync/push') bodies.push(JSON.parse(gunzipSync(Buffer.from(init.body as Uint8Array)).toString('utf8')) as (typeof bodies)[number]);
      return inner(url, init);
    }) as unknown as typeof fetch;
    const { s, device } = service({ fetch: capture });
    await s.enrol(SERVER, await code());
    await until(() => s.getState().lastSuccessAt !== null && !s.getState().running);
    bodies.length = 0;

    // More shift starts than one push carries: clerks who only sign in and look at cases.
    const total = AUDIT_PER_PUSH + 20;
    for (let i = 0; i < total; i++) await device.setCurrentClerk(i % 2 === 0 ? '王芳' : '李华');
    const made = await db.audit.filter((e) => e.action === 'shift.start').primaryKeys();
    expect(made).toHaveLength(total);

    expect(await s.syncNow()).toMatchObject({ status: 'done', pushed: 0 });
    expect(bodies.map((b) => [b.batch.length, b.auditEntries?.length])).toEqual([
      [0, AUDIT_PER_PUSH],
      [0, 20],
    ]);
    expect(bodies.flatMap((b) => b.auditEntries!.map((e) => e.id)).sort()).toEqual([...made].sort());
    expect((await db.audit.bulkGet(made)).every((e) => e?.sentAt === clock.toISOString())).toBe(true);
    const chained = await app.county.db.selectFrom('audit_chain').select('actor').where('action', '=', 'tablet.shift.start').execute();
    expect(chained).toHaveLength(total);
    expect((await app.county.db.selectFrom('devices').select('last_seq').executeTakeFirstOrThrow()).last_seq).toBe(0);

    // Everything sent: the next run pushes nothing.
    requests.length = 0;
    expect(await s.syncNow()).toMatchObject({ status: 'done', pushed: 0 });
    expect(requests).toEqual(['/api/sync/pull']);
  });
});

async function adminCookie(): Promise<string> {
  const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN });
  return String(login.headers['set-cookie']).split(';')[0]!;
}

describe('the service worker relay', () => {
  it('posts SYNC_REQUESTED to every open window, and fails (to be retried) when none is open', async () => {
    const got: unknown[] = [];
    const win = { postMessage: (m: unknown) => got.push(m) };
    await relaySyncToClients({ matchAll: async () => [win, win] });
    expect(got).toEqual([{ type: SYNC_REQUESTED }, { type: SYNC_REQUESTED }]);
    await expect(relaySyncToClients({ matchAll: async () => [] })).rejects.toThrow(/no open window/);
  });
});
