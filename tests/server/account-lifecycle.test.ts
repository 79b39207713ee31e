// The account lifecycle beyond disable/enable: one's own password, an admin's reset to a one-time
// password that must be changed at first use, revoking an account's sessions (a tablet clerk's PIN
// with them), and migration 0008's roles and areas for accounts made before it.
import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { randomToken, sha256Hex } from '../../src/server/auth/secrets';
import { createAccount } from '../../src/server/county/administration';
import { pullChanges } from '../../src/server/county/pull';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { migrations } from '../../src/server/db/migrations/index';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PullRequest } from '../../src/shared/sync-protocol';
import { TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase, freshDatabase } from './helpers';

type ErrorBody = { error: { code: string; message: string; problems?: { path: string }[] } };

describeOnEachDatabase('the account lifecycle', (kind) => {
  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'lifecycle');
    await createAccount(s.app.county, { username: 'wangfang', displayName: '王芳', password: 'first password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await createAccount(s.app.county, { username: 'deputy', password: 'deputy password', role: 'county-reviewer', area: { level: 'county', code: '150102' } });
  });
  afterEach(async () => {
    await s.close();
  });

  const login = async (username: string, password: string) => {
    const res = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username, password } });
    return { res, cookie: String(res.headers['set-cookie']).split(';')[0]! };
  };
  const as = (cookie: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    s.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  /** A tablet of TOWNSHIP as the server knows one: a device row and its bearer credential. */
  const tablet = async () => {
    const credential = randomToken('dev');
    const deviceId = 'LIFECYC1';
    await s.app.county.db
      .insertInto('devices')
      .values({ device_id: deviceId, township_code: TOWNSHIP.code, credential_hash: sha256Hex(credential), enrolled_at: s.clock.now.toISOString(), revoked_at: null, revoked_by: null, last_seq: 0, last_seen_at: null, app_version: null })
      .execute();
    const principal = { kind: 'device' as const, deviceId, townshipCode: TOWNSHIP.code, revokedAt: null };
    const pulledClerk = async () => {
      const req = { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId, cursor: null } as PullRequest;
      return (await pullChanges(s.app.county, principal, req)).clerks.filter((c) => c.username === 'wangfang').at(-1);
    };
    const signIn = (password: string) => s.app.inject({ method: 'POST', url: '/api/sync/clerk-sign-in', headers: { authorization: `Bearer ${credential}` }, payload: { username: 'wangfang', password } });
    return { pulledClerk, signIn };
  };

  it('an account changes its own password with the current one; a wrong current one is refused and the old one stops working', async () => {
    const { cookie } = await login('deputy', 'deputy password');
    const wrong = await as(cookie, 'POST', '/api/admin/password', { currentPassword: 'not it at all', newPassword: 'deputy password 2' });
    expect(wrong.statusCode).toBe(403);
    expect(bodyOf<ErrorBody>(wrong).error.code).toBe('wrong-current-password');
    const weak = await as(cookie, 'POST', '/api/admin/password', { currentPassword: 'deputy password', newPassword: 'short' });
    expect(bodyOf<ErrorBody>(weak).error.problems?.map((p) => p.path)).toEqual(['newPassword']);
    const same = await as(cookie, 'POST', '/api/admin/password', { currentPassword: 'deputy password', newPassword: 'deputy password' });
    expect(same.statusCode).toBe(422);
    expect((await as(cookie, 'POST', '/api/admin/password', { currentPassword: 'deputy password', newPassword: 'deputy password 2' })).statusCode).toBe(200);
    // The session that changed it stays open; the old password no longer signs in.
    expect((await as(cookie, 'GET', '/api/admin/townships')).statusCode).toBe(200);
    expect((await login('deputy', 'deputy password')).res.statusCode).toBe(401);
    expect((await login('deputy', 'deputy password 2')).res.statusCode).toBe(200);
  });

  it('a reset gives a one-time password shown once: the account may only change it, then works as before', async () => {
    const { cookie: before } = await login('deputy', 'deputy password');
    const reset = await s.admin('POST', '/api/admin/accounts/deputy/reset-password');
    expect(reset.statusCode).toBe(200);
    const { oneTimePassword } = bodyOf<{ oneTimePassword: string }>(reset);
    expect(oneTimePassword).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // The reset ends its sessions; the stored hash is not the password.
    expect((await as(before, 'GET', '/api/admin/townships')).statusCode).toBe(401);
    const stored = await s.app.county.db.selectFrom('accounts').select('password_hash').where('username', '=', 'deputy').executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(oneTimePassword);

    const { res, cookie } = await login('deputy', oneTimePassword);
    expect(bodyOf<{ mustChangePassword: boolean }>(res).mustChangePassword).toBe(true);
    const blocked = await as(cookie, 'GET', '/api/admin/townships');
    expect(blocked.statusCode).toBe(403);
    expect(bodyOf<ErrorBody>(blocked).error.code).toBe('password-change-required');
    expect(bodyOf<{ mustChangePassword: boolean }>(await as(cookie, 'GET', '/api/admin/session')).mustChangePassword).toBe(true);
    expect((await as(cookie, 'POST', '/api/admin/password', { currentPassword: oneTimePassword, newPassword: 'a new deputy password' })).statusCode).toBe(200);
    expect((await as(cookie, 'GET', '/api/admin/townships')).statusCode).toBe(200);
    expect((await login('deputy', oneTimePassword)).res.statusCode).toBe(401);
  });

  it('a clerk reset to a one-time password is told so on the tablet and his tablets forget his PIN until he changes it on the county page', async () => {
    const t = await tablet();
    expect((await t.signIn('first password')).statusCode).toBe(200);
    expect(await t.pulledClerk()).toMatchObject({ active: true });
    const { oneTimePassword } = bodyOf<{ oneTimePassword: string }>(await s.admin('POST', '/api/admin/accounts/wangfang/reset-password'));
    expect(await t.pulledClerk()).toMatchObject({ active: false });
    const refused = await t.signIn(oneTimePassword);
    expect(refused.statusCode).toBe(403);
    expect(bodyOf<ErrorBody>(refused).error.code).toBe('password-change-required');

    const { res, cookie } = await login('wangfang', oneTimePassword);
    expect(bodyOf<{ role: string; mustChangePassword: boolean }>(res)).toMatchObject({ role: 'window-clerk', mustChangePassword: true });
    expect((await as(cookie, 'POST', '/api/admin/password', { currentPassword: oneTimePassword, newPassword: 'second password' })).statusCode).toBe(200);
    expect(await t.pulledClerk()).toMatchObject({ active: true });
    expect((await t.signIn('second password')).statusCode).toBe(200);
    // Signed in on the county page, a clerk still does nothing there but change his password.
    expect((await as(cookie, 'GET', '/api/admin/cases')).statusCode).toBe(403);
  });

  it('revoking an account’s sessions ends its county sessions at once and a clerk’s PIN at the next pull, until he signs in online again', async () => {
    const { cookie } = await login('deputy', 'deputy password');
    const ended = await s.admin('POST', '/api/admin/accounts/deputy/revoke-sessions');
    expect(bodyOf(ended)).toEqual({ username: 'deputy', sessionsEnded: 1, tabletPinsRevoked: false });
    expect((await as(cookie, 'GET', '/api/admin/townships')).statusCode).toBe(401);

    const t = await tablet();
    expect((await t.signIn('first password')).statusCode).toBe(200);
    expect(bodyOf(await s.admin('POST', '/api/admin/accounts/wangfang/revoke-sessions'))).toEqual({ username: 'wangfang', sessionsEnded: 0, tabletPinsRevoked: true });
    expect(await t.pulledClerk()).toMatchObject({ active: false });
    expect((await t.signIn('first password')).statusCode).toBe(200);
    expect(await t.pulledClerk()).toMatchObject({ active: true });
  });

  it('an administrator or auditor is managed only from a wider area: a peer admin of the county is refused, the 盟市 admin is not', async () => {
    await createAccount(s.app.county, { username: 'peer', password: 'peer password 1', role: 'admin', area: { level: 'county', code: '150102' } });
    await createAccount(s.app.county, { username: 'watcher', password: 'watcher password', role: 'auditor', area: { level: 'county', code: '150102' } });
    await createAccount(s.app.county, { username: 'chief', password: 'chief password', role: 'admin', area: { level: 'league', code: '150100' } });
    for (const name of ['peer', 'watcher']) {
      for (const verb of ['reset-password', 'revoke-sessions', 'disable']) {
        const refused = await s.admin('POST', `/api/admin/accounts/${name}/${verb}`);
        expect(refused.statusCode, `${verb} ${name}`).toBe(403);
        expect(bodyOf<ErrorBody>(refused).error.message).toContain('only from a wider area');
      }
    }
    const { cookie } = await login('chief', 'chief password');
    expect((await as(cookie, 'POST', '/api/admin/accounts/watcher/reset-password')).statusCode).toBe(200);
    expect((await as(cookie, 'POST', '/api/admin/accounts/peer/disable')).statusCode).toBe(200);
  });

  it('an admin may not reset, revoke or create accounts outside his area, nor grant a role of a wider area', async () => {
    await createAccount(s.app.county, { username: 'league-auditor', password: 'auditor password', role: 'auditor', area: { level: 'league', code: '150100' } });
    for (const url of ['/api/admin/accounts/league-auditor/reset-password', '/api/admin/accounts/league-auditor/revoke-sessions', '/api/admin/accounts/league-auditor/disable']) {
      const res = await s.admin('POST', url);
      expect(res.statusCode, url).toBe(403);
      expect(bodyOf<ErrorBody>(res).error.code).toBe('forbidden');
    }
    const wider = await s.admin('POST', '/api/admin/accounts', { username: 'tf1', password: 'task force password', role: 'league-task-force', area: { level: 'league', code: '150100' } });
    expect(wider.statusCode).toBe(403);
    const elsewhere = await s.admin('POST', '/api/admin/accounts', { username: 'rv1', password: 'reviewer password', role: 'county-reviewer', area: { level: 'county', code: '150103' } });
    expect(elsewhere.statusCode).toBe(403);
    const here = await s.admin('POST', '/api/admin/accounts', { username: 'rv2', password: 'reviewer password', role: 'county-reviewer', area: { level: 'county', code: '150102' } });
    expect(here.statusCode).toBe(201);
    expect(bodyOf(here)).toMatchObject({ role: 'county-reviewer', area: { level: 'county', code: '150102' }, townshipCode: null });
    const wrongLevel = await s.admin('POST', '/api/admin/accounts', { username: 'rv3', password: 'reviewer password', role: 'county-reviewer', area: { level: 'township', code: TOWNSHIP.code } });
    expect(bodyOf<ErrorBody>(wrongLevel).error.problems?.map((p) => p.path)).toEqual(['area.level']);
    expect(bodyOf<{ accounts: { username: string }[] }>(await s.admin('GET', '/api/admin/accounts')).accounts.map((a) => a.username)).not.toContain('league-auditor');
  });
});

describeOnEachDatabase('migration 0008: roles and areas of accounts made before it', (kind) => {
  it('makes a clerk a window clerk of his township and an admin an admin of the one county of the townships, or of the region when there are several', async () => {
    for (const [townships, adminArea] of [
      [['150102001', '150102002'], ['county', '150102']],
      [['150102001', '150103001'], ['region', '150000']],
    ] as const) {
      const fresh = await freshDatabase(kind, 'roles_migration');
      const app = await openDatabase(fresh.database);
      try {
        const migrator = new Migrator({ db: app.db, provider: { getMigrations: async () => ({ ...migrations }) } });
        const to7 = await migrator.migrateTo('0007_device_revocations');
        expect(to7.error).toBeUndefined();
        const at = '2024-05-01T08:00:00.000Z';
        for (const code of townships) await sql`insert into townships (code, name, county_code, created_at) values (${code}, ${'乡' + code}, ${code.slice(0, 6)}, ${at})`.execute(app.db);
        await sql`insert into accounts (id, username, display_name, role, township_code, password_hash, active, created_at, updated_at) values ('a1', 'chief', 'chief', 'admin', null, 'scrypt$x', 1, ${at}, ${at}), ('c1', 'wangfang', '王芳', 'clerk', ${townships[0]}, 'scrypt$x', 1, ${at}, ${at})`.execute(app.db);
        await migrateToLatest(app);
        const rows = await app.db.selectFrom('accounts').select(['username', 'role', 'area_level', 'area_code', 'township_code', 'must_change_password']).orderBy('username').execute();
        expect(rows).toEqual([
          { username: 'chief', role: 'admin', area_level: adminArea[0], area_code: adminArea[1], township_code: null, must_change_password: 0 },
          { username: 'wangfang', role: 'window-clerk', area_level: 'township', area_code: townships[0], township_code: townships[0], must_change_password: 0 },
        ]);
        // The longest role fits the widened column (PostgreSQL enforces the length).
        await app.db.updateTable('accounts').set({ role: 'region-task-force' }).where('username', '=', 'chief').execute();
      } finally {
        await app.destroy();
        await fresh.cleanup();
      }
    }
  });
});
