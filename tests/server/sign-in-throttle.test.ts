// Limits on guessing secrets over the network: county page passwords, clerk passwords on a tablet,
// enrolment codes. The rules are pure functions on an injected clock; the counts are in the
// database, so every behaviour is checked on SQLite and PostgreSQL.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { beginAttempt, signInKeys } from '../../src/server/auth/attempts';
import {
  afterSuccess,
  countFailure,
  currentCount,
  decideAttempt,
  lockMs,
  THROTTLE_RULES,
  tooManyAttempts,
  type AttemptCount,
} from '../../src/server/auth/throttle';
import { createAccount, createEnrolmentCode, createTownship } from '../../src/server/county/administration';
import { describeOnEachDatabase, freshDatabase, testConfig } from './helpers';
import { PROJECT_ROOT } from '../support/server-process';
import { ADMIN, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';

type ErrorBody = { error: { code: string; message: string; retryAfterSeconds?: number } };

const MINUTE = 60_000;
const T0 = new Date('2024-05-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const account = THROTTLE_RULES.account;
const address = THROTTLE_RULES.address;

function failures(n: number, rule = account, when = T0): AttemptCount | null {
  let c: AttemptCount | null = null;
  for (let i = 0; i < n; i++) c = countFailure(c, when, rule);
  return c;
}

describe('the throttle rules (pure, on an injected clock)', () => {
  it('four wrong passwords cost nothing; the fifth locks the user name for five minutes', () => {
    expect(decideAttempt([{ count: failures(4), rule: account }], T0)).toEqual({ allow: true });
    const five = failures(5);
    expect(decideAttempt([{ count: five, rule: account }], T0)).toEqual({ allow: false, retryAt: at(5 * MINUTE), retryAfterSeconds: 300 });
    expect(decideAttempt([{ count: five, rule: account }], at(5 * MINUTE - 1000))).toMatchObject({ allow: false, retryAfterSeconds: 1 });
    expect(decideAttempt([{ count: five, rule: account }], at(5 * MINUTE))).toEqual({ allow: true });
  });

  it.each([
    [4, 0],
    [5, 5],
    [6, 10],
    [7, 20],
    [8, 40],
    [9, 60],
    [50, 60],
  ])('the failure that brings the count to %i locks for %i minutes', (n, minutes) => {
    expect(lockMs(n, account)).toBe(minutes * MINUTE);
  });

  it('an address has twenty free failures', () => {
    expect(decideAttempt([{ count: failures(19, address), rule: address }], T0)).toEqual({ allow: true });
    expect(decideAttempt([{ count: failures(20, address), rule: address }], T0)).toMatchObject({ allow: false, retryAfterSeconds: 300 });
  });

  it('a count is forgotten after a quiet day (user name) or hour (address), counted from the end of its lock', () => {
    const c = failures(5);
    expect(currentCount(c, at(24 * 60 * MINUTE), account)).toEqual(c);
    expect(currentCount(c, at(5 * MINUTE + 24 * 60 * MINUTE), account)).toBeNull();
    expect(countFailure(c, at(5 * MINUTE + 24 * 60 * MINUTE), account)).toMatchObject({ failures: 1, lockedUntil: null });
    const a = failures(3, address);
    expect(currentCount(a, at(59 * MINUTE), address)).toEqual(a);
    expect(currentCount(a, at(60 * MINUTE), address)).toBeNull();
  });

  it('a success clears a user name’s count, but only gives back its own attempt to an address', () => {
    expect(afterSuccess(failures(5), T0, account)).toBeNull();
    expect(afterSuccess(failures(3, address), T0, address)).toMatchObject({ failures: 2, lockedUntil: null });
    expect(afterSuccess(failures(1, address), T0, address)).toBeNull();
    // The twentieth attempt, counted ahead and locking the address, turned out right: its lock goes.
    expect(afterSuccess(failures(20, address), T0, address)).toMatchObject({ failures: 19, lockedUntil: null });
    // A lock earned by other failures stays.
    expect(afterSuccess(failures(22, address), T0, address)).toMatchObject({ failures: 21, lockedUntil: expect.any(String) });
  });

  it('an attempt under several keys waits for the last of their locks', () => {
    const d = decideAttempt(
      [
        { count: failures(5), rule: account },
        { count: failures(21, address), rule: address },
      ],
      T0,
    );
    expect(d).toEqual({ allow: false, retryAt: at(10 * MINUTE), retryAfterSeconds: 600 });
  });

  it('the refusal is HTTP 429 with a stable code and says in English when to retry', () => {
    const r = tooManyAttempts('sign-in', { allow: false, retryAt: at(5 * MINUTE), retryAfterSeconds: 300 });
    expect(r).toMatchObject({ status: 429, code: 'too-many-attempts', retryAfterSeconds: 300 });
    expect(r.message).toContain('try again after 2024-05-01T08:05:00.000Z (in 5 minutes)');
    expect(tooManyAttempts('enrolment', { allow: false, retryAt: at(30_000), retryAfterSeconds: 30 }).message).toMatch(/enrolment codes.*\(in 30 seconds\)/);
  });
});

describeOnEachDatabase('limits on guessing passwords and codes', (kind) => {

  const CLERK = { username: 'wangfang', password: 'window clerk password' };
  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'throttle');
    await createAccount(s.app.county, { username: CLERK.username, displayName: '王芳', password: CLERK.password, role: 'window-clerk', townshipCode: TOWNSHIP.code });
  });
  afterEach(async () => {
    await s.close();
  });

  const login = (app: FastifyInstance, username: string, password: string, remoteAddress = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/admin/login', payload: { username, password }, remoteAddress });
  const adminLogin = (password: string, remoteAddress?: string) => login(s.app, ADMIN.username, password, remoteAddress);
  const clerkSignIn = (credential: string | null, password: string, remoteAddress = '10.0.0.2') =>
    s.app.inject({
      method: 'POST',
      url: '/api/sync/clerk-sign-in',
      headers: credential ? { authorization: `Bearer ${credential}` } : {},
      payload: { username: CLERK.username, password },
      remoteAddress,
    });
  const codeOf = (res: LightMyRequestResponse) => bodyOf<ErrorBody>(res).error.code;
  // Failures counted as the routes count them, without spending a password hash on each: the
  // first test shows the routes count them so.
  const counted = async (app: FastifyInstance, username: string, remoteAddress: string, n: number) => {
    for (let i = 0; i < n; i++) await beginAttempt(app.county, 'sign-in', signInKeys(username, remoteAddress));
  };
  const sprayed = async (app: FastifyInstance, remoteAddress: string, n: number) => {
    for (let i = 0; i < n; i++) await beginAttempt(app.county, 'sign-in', signInKeys(`sprayed-${i}`, remoteAddress));
  };

  async function wrong(n: number, send: (i: number) => Promise<LightMyRequestResponse>): Promise<void> {
    for (let i = 0; i < n; i++) {
      const res = await send(i);
      expect(res.statusCode, `wrong attempt ${i + 1}`).toBe(401);
      expect(codeOf(res)).toBe('wrong-credentials');
    }
  }

  it('five wrong passwords lock the user name: even the right one is then refused with 429, too-many-attempts and Retry-After', async () => {
    await wrong(5, () => adminLogin('wrong password'));
    const locked = await adminLogin(ADMIN.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('300');
    expect(locked.headers['set-cookie']).toBeUndefined();
    const body = bodyOf<ErrorBody>(locked);
    expect(body.error).toMatchObject({ code: 'too-many-attempts', retryAfterSeconds: 300 });
    expect(body.error.message).toContain('try again after 2024-05-01T08:05:00.000Z (in 5 minutes)');

    s.clock.advance(4 * MINUTE);
    expect((await adminLogin(ADMIN.password)).headers['retry-after']).toBe('60');
    s.clock.advance(MINUTE);
    expect((await adminLogin(ADMIN.password)).statusCode).toBe(200);
  });

  it('a right password clears the count of wrong ones', async () => {
    await counted(s.app, ADMIN.username, '10.0.0.1', 4);
    expect((await adminLogin(ADMIN.password)).statusCode).toBe(200);
    await counted(s.app, ADMIN.username, '10.0.0.1', 4);
    // Eight failures would have locked; four since the right password do not.
    await wrong(1, () => adminLogin('wrong password'));
  });

  it('after a lock runs out, the next wrong password locks again for twice as long', async () => {
    await counted(s.app, ADMIN.username, '10.0.0.1', 5);
    expect((await adminLogin(ADMIN.password)).headers['retry-after']).toBe('300');
    s.clock.advance(5 * MINUTE);
    await wrong(1, () => adminLogin('wrong password'));
    const again = await adminLogin(ADMIN.password);
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBe('600');
  });

  it('an unknown user name is counted and locked the same way, with the same answers as a real one', async () => {
    const answers = async (username: string, remoteAddress: string) => {
      // The fifth and sixth over HTTP.
      await counted(s.app, username, remoteAddress, 4);
      const out: { status: number; retryAfter: unknown; body: unknown }[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await login(s.app, username, 'wrong password', remoteAddress);
        out.push({ status: res.statusCode, retryAfter: res.headers['retry-after'], body: bodyOf(res) });
      }
      return out;
    };
    const real = await answers(ADMIN.username, '10.0.0.3');
    const unknown = await answers('no-such-user', '10.0.0.4');
    expect(unknown).toEqual(real);
    expect(unknown.map((a) => a.status)).toEqual([401, 429]);
    expect(unknown[1]!.retryAfter).toBe('300');
  });

  it('the tablet’s clerk sign-in and the county page count one user name together', async () => {
    const tablet = new TabletSim();
    const credential = await s.county.enrol(tablet);
    await wrong(3, () => clerkSignIn(credential, 'wrong password'));
    await wrong(2, () => login(s.app, CLERK.username, 'wrong password'));
    const refused = await clerkSignIn(credential, CLERK.password);
    expect(refused.statusCode).toBe(429);
    expect(codeOf(refused)).toBe('too-many-attempts');
    expect(refused.headers['retry-after']).toBe('300');
  });

  it('a request without a device credential can neither guess a clerk’s password nor lock him out', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await clerkSignIn(null, i === 7 ? CLERK.password : 'wrong password');
      expect(res.statusCode).toBe(401);
      expect(codeOf(res)).toBe('unauthenticated');
    }
    const credential = await s.county.enrol(new TabletSim());
    expect((await clerkSignIn(credential, CLERK.password)).statusCode).toBe(200);
  });

  it('twenty wrong passwords from one address lock it for every user name; other addresses go on', async () => {
    await sprayed(s.app, '10.0.0.9', 19);
    await wrong(1, () => login(s.app, 'sprayed-19', 'Password123', '10.0.0.9'));
    const fromThere = await adminLogin(ADMIN.password, '10.0.0.9');
    expect(fromThere.statusCode).toBe(429);
    expect(fromThere.headers['retry-after']).toBe('300');
    expect((await adminLogin(ADMIN.password, '10.0.0.10')).statusCode).toBe(200);
  });

  it('guesses sent all at once are each counted: only five are checked', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => login(s.app, CLERK.username, 'wrong password', '10.0.0.5')));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  it('the county admin lists the locks and unlocks a user name and an address', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/sign-in-locks'],
      ['POST', `/api/admin/accounts/${CLERK.username}/unlock`],
      ['POST', '/api/admin/addresses/10.0.0.9/unlock'],
    ] as const) {
      const res = await s.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }

    await wrong(5, () => login(s.app, CLERK.username, 'wrong password', '10.0.0.6'));
    await sprayed(s.app, '10.0.0.9', 20);
    const locks = bodyOf<{ locks: { kind: string; subject: string; failures: number; lockedUntil: string | null }[] }>(await s.admin('GET', '/api/admin/sign-in-locks')).locks;
    expect(locks).toContainEqual({ kind: 'account', subject: CLERK.username, failures: 5, lastFailureAt: T0.toISOString(), lockedUntil: '2024-05-01T08:05:00.000Z' });
    expect(locks).toContainEqual({ kind: 'address', subject: '10.0.0.9', failures: 20, lastFailureAt: T0.toISOString(), lockedUntil: '2024-05-01T08:05:00.000Z' });
    const accounts = bodyOf<{ accounts: { username: string; signInLockedUntil: string | null }[] }>(await s.admin('GET', '/api/admin/accounts')).accounts;
    expect(accounts.find((a) => a.username === CLERK.username)?.signInLockedUntil).toBe('2024-05-01T08:05:00.000Z');
    expect(accounts.find((a) => a.username === ADMIN.username)?.signInLockedUntil).toBeNull();

    expect((await login(s.app, CLERK.username, CLERK.password, '10.0.0.6')).statusCode).toBe(429);
    const unlocked = await s.admin('POST', `/api/admin/accounts/${CLERK.username.toUpperCase()}/unlock`, {});
    expect(bodyOf(unlocked)).toEqual({ username: CLERK.username, wasLocked: true });
    // The password is right: the clerk signs in to the county page, where he may only change his password.
    expect((await login(s.app, CLERK.username, CLERK.password, '10.0.0.6')).statusCode).toBe(200);

    expect((await adminLogin(ADMIN.password, '10.0.0.9')).statusCode).toBe(429);
    expect(bodyOf(await s.admin('POST', '/api/admin/addresses/10.0.0.9/unlock', {}))).toEqual({ address: '10.0.0.9', wasLocked: true });
    expect((await adminLogin(ADMIN.password, '10.0.0.9')).statusCode).toBe(200);
    expect(bodyOf(await s.admin('POST', '/api/admin/addresses/10.0.0.9/unlock', {}))).toEqual({ address: '10.0.0.9', wasLocked: false });
  });

  it('ten wrong enrolment codes from one address lock enrolment there, even with a valid code; other addresses enrol', async () => {
    const enrol = async (code: string, remoteAddress: string) =>
      s.app.inject({ method: 'POST', url: '/api/enrol', payload: await new TabletSim().enrolRequest(code, s.app.county.now()), remoteAddress });
    for (let i = 0; i < 10; i++) {
      const res = await enrol(`AAAA-BBBB-CC${String(i).padStart(2, '0')}`, '10.0.0.7');
      expect(codeOf(res)).toBe('enrolment-code-invalid');
    }
    const { code } = await createEnrolmentCode(s.app.county, { townshipCode: TOWNSHIP.code }, ADMIN.username);
    const locked = await enrol(code, '10.0.0.7');
    expect(locked.statusCode).toBe(429);
    expect(codeOf(locked)).toBe('too-many-attempts');
    expect(locked.headers['retry-after']).toBe('300');
    expect(bodyOf<ErrorBody>(locked).error.message).toContain('(in 5 minutes)');
    expect((await enrol(code, '10.0.0.8')).statusCode).toBe(200);
  });

  it('behind a trusted proxy, failed sign-ins are counted by the client address it forwards', async () => {
    const fresh = await freshDatabase(kind, 'throttle_proxy');
    const app = await buildServer(testConfig(fresh.database, { trustProxy: ['127.0.0.1'] }), { now: () => T0 });
    try {
      await createAccount(app.county, { username: ADMIN.username, password: ADMIN.password, role: 'admin', area: { level: 'county', code: '150102' } });
      const viaProxy = (password: string, client: string) =>
        app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: ADMIN.username, password }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } });
      await sprayed(app, '127.0.0.1', 20);
      // The proxy's own address is locked, yet a client behind it is not.
      expect((await login(app, ADMIN.username, ADMIN.password, '127.0.0.1')).statusCode).toBe(429);
      expect((await viaProxy(ADMIN.password, '192.168.5.20')).statusCode).toBe(200);
    } finally {
      await app.close();
      await fresh.cleanup();
    }
  });
});

function runAdmin(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join('src', 'cli', 'admin.ts'), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describeOnEachDatabase('a sign-in lock in the database', (kind) => {

  // Far ahead of the real clock, which the command line runs on: its view of the lock does not depend on how long the test takes.
  const LATER = new Date('2099-05-01T08:00:00.000Z');

  it('survives a restart (a new server on the same database) and is lifted by `npm run admin -- unlock`', async () => {
    const fresh = await freshDatabase(kind, 'throttle_restart');
    const env = { ...fresh.env, DATABASE_URL: fresh.env.DATABASE_URL ?? '' };
    const start = () => buildServer(testConfig(fresh.database), { now: () => LATER });
    const login = (app: FastifyInstance, password: string) => app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'wangfang', password }, remoteAddress: '10.0.0.1' });
    try {
      let app = await start();
      await createTownship(app.county, TOWNSHIP);
      await createAccount(app.county, { username: 'wangfang', password: 'window clerk password', role: 'admin', area: { level: 'county', code: '150102' } });
      for (let i = 0; i < 5; i++) expect((await login(app, 'wrong password')).statusCode).toBe(401);
      await app.close();

      app = await start();
      try {
        const locked = await login(app, 'window clerk password');
        expect(locked.statusCode).toBe(429);
        expect(locked.headers['retry-after']).toBe('300');

        expect(await runAdmin(['unlock', '--username', 'WangFang'], env)).toEqual({ code: 0, out: 'User name wangfang is unlocked; its failed sign-ins are cleared.\n' });
        expect((await login(app, 'window clerk password')).statusCode).toBe(200);
      } finally {
        await app.close();
      }
    } finally {
      await fresh.cleanup();
    }
  });
});
