import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAccount } from '../../src/server/county/administration';
import type { AuditEntryItem } from '../../src/server/audit/list';
import { verifyAuditChain } from '../../src/server/audit/verify';
import { describeOnEachDatabase } from './helpers';
import { ADMIN, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';

describeOnEachDatabase('the audit chain as the server appends to it', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'audit-hooks'));
  });
  afterEach(async () => {
    await s.close();
  });

  const entries = async (): Promise<AuditEntryItem[]> => bodyOf<{ entries: AuditEntryItem[] }>(await s.admin('GET', '/api/admin/audit?limit=500')).entries;
  const actions = async () => (await entries()).map((e) => e.action);

  async function signInAs(username: string, password: string): Promise<string> {
    const res = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username, password } });
    expect(res.statusCode).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  it('the set-up is on record: townships, the admin, his sign-in, the enrolment code and its redemption, and the chain verifies', async () => {
    expect(await actions()).toEqual(['township.create', 'township.create', 'account.create', 'sign-in.success', 'enrolment-code.create', 'enrolment.redeem']);
    const list = await entries();
    expect(list[3]).toMatchObject({ actor: ADMIN.username, role: 'admin', area: { level: 'county', code: '150102' }, subject: ADMIN.username, detail: { channel: 'county-page' } });
    expect(list[5]).toMatchObject({ actor: expect.stringMatching(/^device:/), area: { level: 'township', code: TOWNSHIP.code } });
    // The enrolment code itself never reaches the log.
    expect(JSON.stringify(list)).not.toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(await verifyAuditChain(s.app.county.db)).toMatchObject({ ok: true, count: 6 });
  });

  it('wrong passwords are one entry a minute per user name, with the refusal; the address only beside the chain', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: ADMIN.username, password: 'wrong' } });
      expect(res.statusCode).toBe(401);
    }
    s.clock.advance(60_000);
    await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: ADMIN.username, password: 'wrong' } });
    const failures = (await entries()).filter((e) => e.action === 'sign-in.failure');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ actor: 'anonymous', subject: ADMIN.username, area: { level: 'county', code: '150102' }, detail: { channel: 'county-page', refusal: 'wrong-credentials' } });
    expect(failures[0]!.personal).toEqual({ address: '127.0.0.1' });
    const chain = await s.app.county.db.selectFrom('audit_chain').selectAll().where('action', '=', 'sign-in.failure').execute();
    expect(JSON.stringify(chain)).not.toContain('127.0.0.1');
  });

  it('a sign-in under a name no account has keeps the typed name beside the chain, never in it', async () => {
    const typed = 'Tr0ub4dor&3-typed-as-a-name';
    expect((await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: typed, password: 'whatever' } })).statusCode).toBe(401);
    const failures = (await entries()).filter((e) => e.action === 'sign-in.failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ subject: 'unknown-account', detail: { refusal: 'wrong-credentials' } });
    expect(failures[0]!.personal).toEqual({ address: '127.0.0.1', username: typed.toLowerCase() });
    const chain = await s.app.county.db.selectFrom('audit_chain').selectAll().execute();
    expect(JSON.stringify(chain).toLowerCase()).not.toContain(typed.toLowerCase());
    expect(await verifyAuditChain(s.app.county.db)).toMatchObject({ ok: true });
  });

  it('each pushed change the server accepts is one entry with digests of the case, none for a repeated push', async () => {
    tablet.create(1);
    tablet.create(2);
    expect((await s.push(tablet, credential)).statusCode).toBe(200);
    expect((await s.push(tablet, credential)).statusCode).toBe(200);
    const pushed = (await entries()).filter((e) => e.action === 'tablet.case.create');
    expect(pushed).toHaveLength(2);
    expect(pushed[0]).toMatchObject({ actor: `device:${tablet.deviceId}`, area: { level: 'township', code: TOWNSHIP.code }, detail: { outcome: 'applied', factsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(pushed[0]!.occurredAt).not.toBeNull();
    // The veteran's name and ID number are in the case, not in the chain.
    const chain = JSON.stringify(await s.app.county.db.selectFrom('audit_chain').selectAll().execute());
    const cases = await s.app.county.db.selectFrom('cases').select(['name', 'id_number']).execute();
    for (const c of cases) {
      expect(chain).not.toContain(c.id_number);
      expect(chain).not.toContain(c.name);
    }
  });

  it('reading a case at the county, disabling an account and revoking a device are on record with who did it', async () => {
    tablet.create(1);
    await s.push(tablet, credential);
    const caseId = (await s.app.county.db.selectFrom('cases').select('id').executeTakeFirstOrThrow()).id;
    expect((await s.admin('GET', `/api/admin/cases/${caseId}`)).statusCode).toBe(200);
    await createAccount(s.app.county, { username: 'wangfang', password: 'a long enough password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    expect((await s.admin('POST', '/api/admin/accounts/wangfang/disable')).statusCode).toBe(200);
    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '平板丢失' })).statusCode).toBe(200);
    const list = await entries();
    expect(list.find((e) => e.action === 'case.read')).toMatchObject({ actor: ADMIN.username, role: 'admin', subject: caseId, area: { level: 'township', code: TOWNSHIP.code } });
    expect(list.find((e) => e.action === 'account.create' && e.subject === 'wangfang')).toMatchObject({ actor: 'command line' });
    expect(list.find((e) => e.action === 'account.disable')).toMatchObject({ actor: ADMIN.username, subject: 'wangfang' });
    expect(list.find((e) => e.action === 'device.revoke')).toMatchObject({ actor: ADMIN.username, subject: tablet.deviceId, detail: { reason: '平板丢失' } });
  });

  it('the head is there for every county role; entries only for auditors and admins, of their own area', async () => {
    const password = 'a long enough password';
    await createAccount(s.app.county, { username: 'reviewer', password, role: 'county-reviewer', area: { level: 'county', code: '150102' } });
    await createAccount(s.app.county, { username: 'auditor-here', password, role: 'auditor', area: { level: 'county', code: '150102' } });
    await createAccount(s.app.county, { username: 'auditor-elsewhere', password, role: 'auditor', area: { level: 'county', code: '150103' } });
    const as = (cookie: string, url: string) => s.app.inject({ method: 'GET', url, headers: { cookie } });
    const reviewer = await signInAs('reviewer', password);
    const head = bodyOf<{ seq: number; hash: string }>(await as(reviewer, '/api/admin/audit/head'));
    expect(head).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await as(reviewer, '/api/admin/audit')).statusCode).toBe(403);

    const here = bodyOf<{ entries: AuditEntryItem[] }>(await as(await signInAs('auditor-here', password), '/api/admin/audit?limit=500')).entries;
    expect(here.map((e) => e.action)).toContain('enrolment.redeem');
    expect(here.find((e) => e.action === 'sign-in.success' && e.subject === 'reviewer')?.personal).toEqual({ address: '127.0.0.1' });
    const elsewhere = bodyOf<{ entries: AuditEntryItem[] }>(await as(await signInAs('auditor-elsewhere', password), '/api/admin/audit?limit=500')).entries;
    expect(elsewhere.every((e) => e.area?.code.startsWith('150103'))).toBe(true);
    expect(elsewhere.map((e) => e.subject)).toContain('auditor-elsewhere');

    const page = bodyOf<{ entries: AuditEntryItem[] }>(await s.admin('GET', '/api/admin/audit?after=2&limit=2')).entries;
    expect(page.map((e) => e.seq)).toEqual([3, 4]);
    expect((await s.admin('GET', '/api/admin/audit?limit=many')).statusCode).toBe(422);
  });

  // Every place a secret could leak to: the chain itself and the personal values beside it.
  async function storedAudit(): Promise<string> {
    const db = s.app.county.db;
    return JSON.stringify([await db.selectFrom('audit_chain').selectAll().execute(), await db.selectFrom('audit_values').selectAll().execute()]);
  }

  it('a password reset is on record with who did it and what ended, never with the one-time password', async () => {
    const password = 'a long enough password';
    await createAccount(s.app.county, { username: 'wangfang', password, role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await signInAs('wangfang', password);
    const res = await s.admin('POST', '/api/admin/accounts/wangfang/reset-password');
    expect(res.statusCode).toBe(200);
    const { oneTimePassword } = bodyOf<{ oneTimePassword: string }>(res);
    const reset = (await entries()).filter((e) => e.action === 'account.reset-password');
    expect(reset).toHaveLength(1);
    expect(reset[0]).toMatchObject({ actor: ADMIN.username, role: 'admin', subject: 'wangfang', area: { level: 'township', code: TOWNSHIP.code }, detail: { sessionsEnded: 1, tabletPinsForgotten: true } });
    expect(await storedAudit()).not.toContain(oneTimePassword);
    expect(await storedAudit()).not.toContain(password);
    expect(await verifyAuditChain(s.app.county.db)).toMatchObject({ ok: true });
  });

  it('revoking an account’s sessions is on record with who did it, how many ended and whether its tablets forget its PIN', async () => {
    const password = 'a long enough password';
    await createAccount(s.app.county, { username: 'wangfang', password, role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await signInAs('wangfang', password);
    await signInAs('wangfang', password);
    expect((await s.admin('POST', '/api/admin/accounts/wangfang/revoke-sessions')).statusCode).toBe(200);
    const revoked = (await entries()).filter((e) => e.action === 'account.revoke-sessions');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actor: ADMIN.username, role: 'admin', subject: 'wangfang', area: { level: 'township', code: TOWNSHIP.code }, detail: { sessionsEnded: 2, tabletPinsRevoked: true } });
    expect(revoked[0]!.personal).toBeUndefined();
  });

  it('an account changing its own password is on record as acting itself, never with either password', async () => {
    const password = 'a long enough password';
    await createAccount(s.app.county, { username: 'shenhe', password, role: 'county-reviewer', area: { level: 'county', code: '150102' } });
    const { oneTimePassword } = bodyOf<{ oneTimePassword: string }>(await s.admin('POST', '/api/admin/accounts/shenhe/reset-password'));
    const cookie = await signInAs('shenhe', oneTimePassword);
    const next = 'another long enough password';
    const res = await s.app.inject({ method: 'POST', url: '/api/admin/password', headers: { cookie }, payload: { currentPassword: oneTimePassword, newPassword: next } });
    expect(res.statusCode).toBe(200);
    const changed = (await entries()).filter((e) => e.action === 'account.change-password');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ actor: 'shenhe', role: 'county-reviewer', subject: 'shenhe', area: { level: 'county', code: '150102' }, detail: { wasOneTime: true, otherSessionsEnded: 0 } });
    const stored = await storedAudit();
    expect(stored).not.toContain(oneTimePassword);
    expect(stored).not.toContain(next);
    expect(await verifyAuditChain(s.app.county.db)).toMatchObject({ ok: true });
  });

  it('a wrong current password changes nothing and is recorded as a failure of that account, once a minute', async () => {
    const cookie = await signInAs(ADMIN.username, ADMIN.password);
    for (let i = 0; i < 2; i++) {
      const res = await s.app.inject({ method: 'POST', url: '/api/admin/password', headers: { cookie }, payload: { currentPassword: 'not the password', newPassword: 'another long enough password' } });
      expect(res.statusCode).toBe(403);
    }
    expect(await actions()).not.toContain('account.change-password');
    const failures = (await entries()).filter((e) => e.action === 'password.change-failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ actor: ADMIN.username, subject: ADMIN.username, detail: { refusal: 'wrong-current-password' } });
    expect(JSON.stringify(failures)).not.toContain('not the password');
  });

  it('a revoked tablet asking to sign a clerk in is refused before any password is tried, and appends nothing: nothing changed', async () => {
    await createAccount(s.app.county, { username: 'wangfang', password: 'a long enough password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    expect((await s.admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '平板丢失' })).statusCode).toBe(200);
    const before = (await entries()).length;
    const res = await s.app.inject({ method: 'POST', url: '/api/sync/clerk-sign-in', headers: { authorization: `Bearer ${credential}` }, payload: { username: 'wangfang', password: 'a long enough password' } });
    expect(res.statusCode).toBe(403);
    expect(bodyOf<{ error: { code: string } }>(res).error.code).toBe('device-revoked');
    expect((await entries()).length).toBe(before);
  });
});
