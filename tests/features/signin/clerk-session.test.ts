// Offline sign-in with a PIN after one online sign-in; wrong PINs limited; several clerks per tablet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setPin, signInAtCounty, signInWithPin } from '../../../src/features/signin/clerk-session';
import { buildServer } from '../../../src/server/app';
import { createAccount, createEnrolmentCode } from '../../../src/server/county/administration';
import { createClerkCredentialsRepository, createDeviceRepository, MAX_PIN_FAILURES, type JiexuDb } from '../../../src/storage';
import type { ClerkPublic } from '../../../src/shared/sync-protocol';
import { freshDb, steppingClock } from '../../storage/support';
import { ADMIN, OTHER_TOWNSHIP, setUpCounty, TabletSim, TOWNSHIP } from '../../support/sync-fixtures';

const WANG: ClerkPublic = { username: 'wangfang', displayName: '王芳', townshipCode: TOWNSHIP.code, active: true };
const LI: ClerkPublic = { username: 'lisi', displayName: '李四', townshipCode: TOWNSHIP.code, active: true };

let db: JiexuDb;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(() => db.close());

describe('offline sign-in with a PIN', () => {
  it('works after the online sign-in set the PIN; the verifier alone is stored', async () => {
    const credentials = createClerkCredentialsRepository(db, { now: steppingClock() });
    expect(await setPin(credentials, WANG, '482916', '482916')).toEqual({ ok: true, clerk: { username: 'wangfang', displayName: '王芳' } });
    const stored = JSON.stringify(await db.meta.toArray());
    expect(stored).not.toContain('482916');
    expect(stored).toContain('$argon2id$');
    expect(await signInWithPin(credentials, 'wangfang', '482916')).toEqual({ ok: true, clerk: { username: 'wangfang', displayName: '王芳' } });
  });

  it('a clerk who never signed in online on this tablet cannot sign in offline', async () => {
    const credentials = createClerkCredentialsRepository(db);
    expect(await signInWithPin(credentials, 'wangfang', '482916')).toEqual({ ok: false, reason: 'unknown-clerk' });
  });

  it(`${MAX_PIN_FAILURES} wrong PINs lock the clerk — even the right PIN then — until he signs in online again`, async () => {
    const credentials = createClerkCredentialsRepository(db, { now: steppingClock() });
    await setPin(credentials, WANG, '482916', '482916');
    const left: number[] = [];
    for (let i = 0; i < MAX_PIN_FAILURES; i++) {
      const r = await signInWithPin(credentials, 'wangfang', '000001');
      expect(r.ok).toBe(false);
      if (!r.ok && r.reason === 'wrong-pin') left.push(r.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect(await signInWithPin(credentials, 'wangfang', '482916')).toEqual({ ok: false, reason: 'locked' });
    expect((await credentials.list())[0]?.lockedAt).not.toBeNull();

    // Online again: a new PIN, unlocked, the count back to zero.
    await setPin(credentials, WANG, '739205', '739205');
    expect(await signInWithPin(credentials, 'wangfang', '739205')).toMatchObject({ ok: true });
    expect(await signInWithPin(credentials, 'wangfang', '482916')).toMatchObject({ ok: false, reason: 'wrong-pin', attemptsLeft: MAX_PIN_FAILURES - 1 });
  });

  it('a right PIN resets the count of wrong ones', async () => {
    const credentials = createClerkCredentialsRepository(db);
    await setPin(credentials, WANG, '482916', '482916');
    await signInWithPin(credentials, 'wangfang', '000001');
    await signInWithPin(credentials, 'wangfang', '482916');
    expect((await credentials.get('wangfang'))?.failedAttempts).toBe(0);
  });

  it('several clerks share a tablet, each with his own PIN and count', async () => {
    const credentials = createClerkCredentialsRepository(db);
    await setPin(credentials, WANG, '482916', '482916');
    await setPin(credentials, LI, '615283', '615283');
    expect((await credentials.list()).map((c) => c.username).sort()).toEqual(['lisi', 'wangfang']);
    expect(await signInWithPin(credentials, 'lisi', '482916')).toMatchObject({ ok: false, reason: 'wrong-pin' });
    expect(await signInWithPin(credentials, 'wangfang', '482916')).toMatchObject({ ok: true });
    expect((await credentials.get('lisi'))?.failedAttempts).toBe(1);
    expect((await credentials.get('wangfang'))?.failedAttempts).toBe(0);
  });

  it('a PIN that is too simple or typed differently twice is refused in Chinese, nothing stored', async () => {
    const credentials = createClerkCredentialsRepository(db);
    expect(await setPin(credentials, WANG, '123456', '123456')).toEqual({ ok: false, message: expect.stringContaining('过于简单') });
    expect(await setPin(credentials, WANG, '482916', '482961')).toEqual({ ok: false, message: expect.stringContaining('不一致') });
    expect(await credentials.list()).toEqual([]);
  });

  it('the shift records the clerk’s account beside his name', async () => {
    const device = createDeviceRepository(db);
    await device.setCurrentClerk('王芳', 'wangfang');
    expect(await device.currentClerk()).toBe('王芳');
    expect(await device.currentClerkAccount()).toBe('wangfang');
    const events = await db.audit.toArray();
    expect(events.at(-1)).toMatchObject({ action: 'shift.start', actor: '王芳', changes: [{ path: 'clerkAccount', after: 'wangfang' }] });
  });
});

describe('online sign-in at the county', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiexu-signin-'));
    // A fixed server clock: how long a sign-in lock lasts does not depend on how long a test runs.
    app = await buildServer(
      { host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' },
      { now: () => new Date('2024-05-01T08:00:00.000Z') },
    );
    await setUpCounty(app);
    await createAccount(app.county, { username: 'wangfang', displayName: '王芳', password: 'window clerk password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await createAccount(app.county, { username: 'zhaoliu', displayName: '赵六', password: 'window clerk password', role: 'window-clerk', townshipCode: OTHER_TOWNSHIP.code });
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const injectFetch = (async (url: string, init: RequestInit) => {
    const res = await app.inject({ method: 'POST', url: new URL(url).pathname, headers: init.headers as Record<string, string>, payload: init.body as string });
    return new Response(res.body, { status: res.statusCode });
  }) as unknown as typeof fetch;

  async function enrolled() {
    const device = createDeviceRepository(db);
    const { deviceId } = await device.getOrCreateDevice();
    const { code } = await createEnrolmentCode(app.county, { townshipCode: TOWNSHIP.code }, ADMIN.username);
    const res = await app.inject({ method: 'POST', url: '/api/enrol', payload: await new TabletSim(deviceId).enrolRequest(code, app.county.now()) });
    const enrolled = res.json<{ credential: string; deviceId: string }>();
    await device.saveEnrolment({ serverUrl: 'http://county.test', credential: enrolled.credential, deviceId: enrolled.deviceId, township: TOWNSHIP });
    return device;
  }

  it('needs an enrolled tablet', async () => {
    expect(await signInAtCounty(createDeviceRepository(db), 'wangfang', 'window clerk password', injectFetch)).toEqual({ ok: false, message: expect.stringContaining('尚未在县局注册') });
  });

  it('accepts a clerk of the tablet’s township with his password', async () => {
    const device = await enrolled();
    expect(await signInAtCounty(device, ' WangFang ', 'window clerk password', injectFetch)).toEqual({ ok: true, clerk: { username: 'wangfang', displayName: '王芳', townshipCode: TOWNSHIP.code, active: true } });
  });

  it('refuses a wrong password, and a clerk of another township, in Chinese', async () => {
    const device = await enrolled();
    expect(await signInAtCounty(device, 'wangfang', 'wrong password!', injectFetch)).toEqual({ ok: false, message: '用户名或密码不正确。' });
    expect(await signInAtCounty(device, 'zhaoliu', 'window clerk password', injectFetch)).toEqual({ ok: false, message: expect.stringContaining('不属于本设备所在的乡镇') });
  });

  it('after five wrong passwords the tablet says in Chinese that the clerk is locked and when to try again, even with the right one', async () => {
    const device = await enrolled();
    for (let i = 0; i < 5; i++) expect(await signInAtCounty(device, 'wangfang', 'wrong password!', injectFetch)).toEqual({ ok: false, message: '用户名或密码不正确。' });
    expect(await signInAtCounty(device, 'wangfang', 'window clerk password', injectFetch)).toEqual({ ok: false, message: '输错次数过多，已暂时锁定：请5分钟后再试。如需立即解锁，请联系县局管理员。' });
  });
});
