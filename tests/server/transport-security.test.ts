import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { STRICT_TRANSPORT_SECURITY } from '../../src/server/security';
import { ADMIN } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type ErrorBody = { error: { code: string; message: string } };

describeOnEachDatabase('what the server tells strangers, and how it keeps a session on https', (kind) => {
  let s: SyncTestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('answers a session cookie that is not valid percent-encoding as no session (401), never 500', async () => {
    s = await startSyncServer(kind, 'cookie');
    for (const cookie of ['jiexu_session=%E0%A4%A', 'jiexu_session=%', 'a=%ZZ; jiexu_session=%E0%A4%A; b=1']) {
      const res = await s.app.inject({ method: 'GET', url: '/api/admin/townships', headers: { cookie } });
      expect(res.statusCode, cookie).toBe(401);
      expect(bodyOf<ErrorBody>(res).error.code).toBe('unauthenticated');
    }
  });

  it('health says the database does not answer, and nothing of why', async () => {
    s = await startSyncServer(kind, 'health-internals');
    await sql`drop table server_meta`.execute(s.app.appDb.db);
    const res = await s.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    const body = bodyOf<ErrorBody>(res);
    expect(body.error.code).toBe('database-unavailable');
    expect(body.error.message).not.toMatch(/server_meta|relation|table|sqlite|postgres/i);
  });

  it('behind a trusted proxy that says https: the session cookie is Secure and HSTS is sent', async () => {
    s = await startSyncServer(kind, 'proxy-https', { trustProxy: ['127.0.0.1'] });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN, headers: { 'x-forwarded-proto': 'https' } });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/; Secure$/);
    expect(login.headers['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const logout = await s.app.inject({ method: 'POST', url: '/api/admin/logout', headers: { cookie, 'x-forwarded-proto': 'https' } });
    expect(String(logout.headers['set-cookie'])).toMatch(/Max-Age=0; Secure$/);

    // The same proxy on plain http: no Secure (the browser would drop the cookie), no HSTS.
    const plain = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN, headers: { 'x-forwarded-proto': 'http' } });
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('without TRUST_PROXY, a client that claims https by header is not believed', async () => {
    s = await startSyncServer(kind, 'no-proxy');
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN, headers: { 'x-forwarded-proto': 'https' } });
    expect(login.statusCode).toBe(200);
    expect(String(login.headers['set-cookie'])).not.toContain('Secure');
    expect(login.headers['strict-transport-security']).toBeUndefined();
  });
});
