import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAccount } from '../../src/server/county/administration';
import { SESSION_HOURS } from '../../src/server/auth/authenticate';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { describeOnEachDatabase, freshDatabase } from './helpers';
import { ADMIN, OTHER_TOWNSHIP, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PullResponse } from '../../src/shared/sync-protocol';
import { PROJECT_ROOT } from '../support/server-process';

type ErrorBody = { error: { code: string; message: string; problems?: { path: string }[] } };

describeOnEachDatabase('the admin API and sign-in', (kind) => {

  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'auth');
  });
  afterEach(async () => {
    await s.close();
  });

  it('every admin route refuses a request without a session (401), and a clerk signed in on the county page may only change his password there (403)', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/townships'],
      ['POST', '/api/admin/townships'],
      ['POST', '/api/admin/enrolment-codes'],
      ['GET', '/api/admin/devices'],
      ['POST', '/api/admin/devices/K7Q2MX3B/revoke'],
      ['GET', '/api/admin/accounts'],
      ['POST', '/api/admin/accounts'],
      ['POST', '/api/admin/accounts/x/disable'],
      ['POST', '/api/admin/accounts/x/enable'],
      ['GET', '/api/admin/cases'],
      ['GET', '/api/admin/cases/x'],
      ['POST', '/api/admin/cases/x/resolve'],
      ['POST', '/api/admin/cases/x/correction-request'],
      ['POST', '/api/admin/parameter-sets'],
    ] as const) {
      const res = await s.app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(bodyOf<ErrorBody>(res).error.code).toBe('unauthenticated');
    }
    await createAccount(s.app.county, { username: 'wangfang', password: 'long enough pw', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    const clerkLogin = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'wangfang', password: 'long enough pw' } });
    expect(clerkLogin.statusCode).toBe(200);
    expect(bodyOf<{ role: string; actions: string[] }>(clerkLogin)).toMatchObject({ role: 'window-clerk', actions: ['session.read', 'password.change'] });
    const clerkCookie = String(clerkLogin.headers['set-cookie']).split(';')[0]!;
    const asClerk = await s.app.inject({ method: 'GET', url: '/api/admin/townships', headers: { cookie: clerkCookie } });
    expect(asClerk.statusCode).toBe(403);
    expect(bodyOf<ErrorBody>(asClerk).error.code).toBe('forbidden');
    const wrong = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: ADMIN.username, password: 'wrong password' } });
    expect(wrong.statusCode).toBe(401);
    expect(bodyOf<ErrorBody>(wrong).error.code).toBe('wrong-credentials');
  });

  it('a session cookie is HttpOnly and SameSite=Strict, expires after its hours, and ends at logout', async () => {
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN });
    expect(String(login.headers['set-cookie'])).toMatch(/^jiexu_session=ses_[^;]+; Path=\/api\/admin; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const get = () => s.app.inject({ method: 'GET', url: '/api/admin/townships', headers: { cookie } });
    expect((await get()).statusCode).toBe(200);
    s.clock.advance(SESSION_HOURS * 3_600_000);
    expect((await get()).statusCode).toBe(401);

    const second = String((await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN })).headers['set-cookie']).split(';')[0]!;
    await s.app.inject({ method: 'POST', url: '/api/admin/logout', headers: { cookie: second } });
    expect((await s.app.inject({ method: 'GET', url: '/api/admin/townships', headers: { cookie: second } })).statusCode).toBe(401);
  });

  it('the admin creates townships and clerk accounts, with field-named problems for bad input', async () => {
    const bad = await s.admin('POST', '/api/admin/townships', { code: '999999001', name: '' });
    expect(bad.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(bad).error.problems?.map((p) => p.path)).toEqual(['code', 'name']);
    expect((await s.admin('POST', '/api/admin/townships', { code: '150102003', name: '东风路街道' })).statusCode).toBe(201);
    expect((await s.admin('POST', '/api/admin/townships', { code: '150102003', name: '东风路街道' })).statusCode).toBe(409);

    const weak = await s.admin('POST', '/api/admin/accounts', { username: 'zs', password: 'short', townshipCode: '' });
    expect(bodyOf<ErrorBody>(weak).error.problems?.map((p) => p.path)).toEqual(['username', 'password', 'townshipCode']);
    const made = await s.admin('POST', '/api/admin/accounts', { username: 'ZhangSan', displayName: '张三', password: 'long enough pw', townshipCode: '150102003' });
    expect(made.statusCode).toBe(201);
    expect(bodyOf<{ username: string; role: string }>(made)).toMatchObject({ username: 'zhangsan', role: 'window-clerk' });
    const accounts = bodyOf<{ accounts: Record<string, unknown>[] }>(await s.admin('GET', '/api/admin/accounts')).accounts;
    expect(JSON.stringify(accounts)).not.toContain('scrypt');
  });

  it('a clerk signs in online on an enrolled tablet of his township only', async () => {
    await createAccount(s.app.county, { username: 'wangfang', displayName: '王芳', password: 'long enough pw', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    const here = new TabletSim();
    const there = new TabletSim();
    const hereCredential = await s.county.enrol(here);
    const thereCredential = await s.county.enrol(there, OTHER_TOWNSHIP.code);
    const signIn = (credential: string | null, password = 'long enough pw') =>
      s.app.inject({ method: 'POST', url: '/api/sync/clerk-sign-in', headers: credential ? { authorization: `Bearer ${credential}` } : {}, payload: { username: 'wangfang', password } });
    const ok = await signIn(hereCredential);
    expect(ok.statusCode).toBe(200);
    expect(bodyOf(ok)).toEqual({ clerk: { username: 'wangfang', displayName: '王芳', townshipCode: TOWNSHIP.code, active: true }, clerkToken: { token: expect.stringMatching(/^ct1\.\S{40,}$/), expiresAt: '2024-05-31T08:00:00.000Z' } });
    expect(bodyOf<ErrorBody>(await signIn(thereCredential)).error.code).toBe('forbidden');
    expect(bodyOf<ErrorBody>(await signIn(hereCredential, 'wrong password')).error.code).toBe('wrong-credentials');
    expect(bodyOf<ErrorBody>(await signIn(null)).error.code).toBe('unauthenticated');
  });

  it('the admin disables a clerk who left: he signs in on no tablet, and the tablets learn it at their next pull; enabled again, he may', async () => {
    await createAccount(s.app.county, { username: 'wangfang', displayName: '王芳', password: 'long enough pw', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    const tablet = new TabletSim();
    const credential = await s.county.enrol(tablet);
    const signIn = () => s.app.inject({ method: 'POST', url: '/api/sync/clerk-sign-in', headers: { authorization: `Bearer ${credential}` }, payload: { username: 'wangfang', password: 'long enough pw' } });
    const pulledClerks = async () => {
      const res = await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor: null });
      return bodyOf<PullResponse>(res).clerks;
    };
    expect((await signIn()).statusCode).toBe(200);

    const disabled = await s.admin('POST', '/api/admin/accounts/WangFang/disable');
    expect(disabled.statusCode).toBe(200);
    expect(bodyOf(disabled)).toMatchObject({ username: 'wangfang', active: false });
    expect(bodyOf<ErrorBody>(await signIn()).error.code).toBe('account-disabled');
    expect(await pulledClerks()).toContainEqual({ username: 'wangfang', displayName: '王芳', townshipCode: TOWNSHIP.code, active: false });
    const listed = bodyOf<{ accounts: { username: string; active: boolean }[] }>(await s.admin('GET', '/api/admin/accounts')).accounts;
    expect(listed.find((a) => a.username === 'wangfang')?.active).toBe(false);

    expect((await s.admin('POST', '/api/admin/accounts/wangfang/enable')).statusCode).toBe(200);
    expect((await signIn()).statusCode).toBe(200);
    expect(await pulledClerks()).toContainEqual({ username: 'wangfang', displayName: '王芳', townshipCode: TOWNSHIP.code, active: true });
  });

  it('a disabled administrator’s sessions end at once; nobody disables himself, or an account that does not exist', async () => {
    await createAccount(s.app.county, { username: 'deputy', password: 'long enough pw', role: 'admin', area: { level: 'county', code: '150102' } });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'deputy', password: 'long enough pw' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const asDeputy = () => s.app.inject({ method: 'GET', url: '/api/admin/townships', headers: { cookie } });
    expect((await asDeputy()).statusCode).toBe(200);
    // A peer of the same county may not; an administrator of the 盟市 above may.
    expect(bodyOf<ErrorBody>(await s.admin('POST', '/api/admin/accounts/deputy/disable')).error.code).toBe('forbidden');
    expect((await asDeputy()).statusCode).toBe(200);
    await createAccount(s.app.county, { username: 'chief', password: 'long enough pw', role: 'admin', area: { level: 'league', code: '150100' } });
    const chief = String((await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'chief', password: 'long enough pw' } })).headers['set-cookie']).split(';')[0]!;
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/accounts/deputy/disable', headers: { cookie: chief } })).statusCode).toBe(200);
    expect((await asDeputy()).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'deputy', password: 'long enough pw' } })).statusCode).toBe(403);

    const self = await s.admin('POST', `/api/admin/accounts/${ADMIN.username}/disable`);
    expect(self.statusCode).toBe(409);
    expect(bodyOf<ErrorBody>(self).error.code).toBe('cannot-disable-self');
    // No account of that name answers as one outside the admin's area would: no list of names by trial.
    expect(bodyOf<ErrorBody>(await s.admin('POST', '/api/admin/accounts/nobody/disable')).error.code).toBe('forbidden');
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/accounts/deputy/enable' })).statusCode).toBe(401);
  });
});

function runAdmin(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const full: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (!('DATABASE_URL' in env)) delete full.DATABASE_URL;
    execFile(process.execPath, ['--import', 'tsx', join('src', 'cli', 'admin.ts'), ...args], { cwd: PROJECT_ROOT, env: full }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describeOnEachDatabase('npm run admin', (kind) => {

  // Fourteen command-line runs, each a process of its own: more than the default time on a loaded machine.
  it('creates the first admin (password from JIEXU_ADMIN_PASSWORD), a township and an enrolment code on the server’s database', async () => {
    const fresh = await freshDatabase(kind, 'admin_cli');
    try {
      const township = await runAdmin(['create-township', '--code', '150102001', '--name', '海拉尔路街道'], fresh.env);
      expect(township).toEqual({ code: 0, out: expect.stringContaining('Created township 150102001 海拉尔路街道 (新城区)') });
      const noArea = await runAdmin(['create-admin', '--username', 'chief'], { ...fresh.env, JIEXU_ADMIN_PASSWORD: 'correct horse battery' });
      expect(noArea.code).toBe(2);
      expect(noArea.out).toContain('--area is required');
      const noPassword = await runAdmin(['create-admin', '--username', 'chief', '--area', 'county:150102'], { ...fresh.env, JIEXU_ADMIN_PASSWORD: '' });
      expect(noPassword.code).toBe(2);
      expect(noPassword.out).toContain('set JIEXU_ADMIN_PASSWORD');
      const created = await runAdmin(['create-admin', '--username', 'chief', '--area', 'county:150102'], { ...fresh.env, JIEXU_ADMIN_PASSWORD: 'correct horse battery' });
      expect(created).toEqual({ code: 0, out: expect.stringContaining('Created administrator chief of county:150102.') });
      const code = await runAdmin(['create-enrolment-code', '--township', '150102001'], fresh.env);
      expect(code.out).toMatch(/Enrolment code for 150102001 海拉尔路街道: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
      const bad = await runAdmin(['create-township', '--code', '12', '--name', 'x'], fresh.env);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('code: expected a 9-digit township code');
      const clerk = await runAdmin(['create-clerk', '--username', 'wangfang', '--township', '150102001'], { ...fresh.env, JIEXU_CLERK_PASSWORD: 'long enough pw' });
      expect(clerk.code).toBe(0);
      const disabled = await runAdmin(['disable-account', '--username', 'wangfang'], fresh.env);
      expect(disabled).toEqual({ code: 0, out: expect.stringContaining('Account wangfang is disabled: it signs in nowhere, and its tablets forget its PIN at their next sync.') });

      const auditor = await runAdmin(['create-account', '--username', 'auditor1', '--role', 'auditor', '--area', '150100'], { ...fresh.env, JIEXU_ACCOUNT_PASSWORD: 'long enough pw' });
      expect(auditor).toEqual({ code: 0, out: expect.stringContaining('Created auditor auditor1 (auditor1) of league:150100.') });
      const wrongLevel = await runAdmin(['create-account', '--username', 'reviewer1', '--role', 'county-reviewer', '--area', 'league:150100'], { ...fresh.env, JIEXU_ACCOUNT_PASSWORD: 'long enough pw' });
      expect(wrongLevel).toEqual({ code: 1, out: expect.stringContaining('area.level: a county-reviewer has an area of level county') });
      const reset = await runAdmin(['reset-password', '--username', 'wangfang'], fresh.env);
      expect(reset.out).toMatch(/One-time password of wangfang: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\n/);
      const revoked = await runAdmin(['revoke-sessions', '--username', 'wangfang'], fresh.env);
      expect(revoked).toEqual({ code: 0, out: expect.stringContaining('Ended 0 county-page session(s) of wangfang; its tablets forget its PIN at their next sync.') });

      const db = await openDatabase(fresh.database);
      try {
        await migrateToLatest(db);
        const flags = await db.db.selectFrom('accounts').select(['must_change_password', 'pin_revoked']).where('username', '=', 'wangfang').executeTakeFirstOrThrow();
        expect(flags).toEqual({ must_change_password: 1, pin_revoked: 1 });
        const accounts = await db.db.selectFrom('accounts').select(['username', 'role', 'area_level', 'area_code', 'active', 'password_hash']).orderBy('username').execute();
        expect(accounts).toEqual([
          { username: 'auditor1', role: 'auditor', area_level: 'league', area_code: '150100', active: 1, password_hash: expect.stringMatching(/^scrypt\$/) },
          { username: 'chief', role: 'admin', area_level: 'county', area_code: '150102', active: 1, password_hash: expect.stringMatching(/^scrypt\$/) },
          { username: 'wangfang', role: 'window-clerk', area_level: 'township', area_code: '150102001', active: 0, password_hash: expect.stringMatching(/^scrypt\$/) },
        ]);
      } finally {
        await db.destroy();
      }
    } finally {
      await fresh.cleanup();
    }
  }, 120_000);
});
