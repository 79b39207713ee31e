// Moving a tablet clerk to another township: both townships within the admin's area, audited; the
// old township's tablets drop his PIN at their next pull, the new township's get him.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { randomToken, sha256Hex } from '../../src/server/auth/secrets';
import { createAccount, createTownship } from '../../src/server/county/administration';
import { pullChanges } from '../../src/server/county/pull';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PullRequest } from '../../src/shared/sync-protocol';
import { OTHER_TOWNSHIP, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type ErrorBody = { error: { code: string } };
const FOREIGN_TOWNSHIP = { code: '150103001', name: '外县乡镇' };

describeOnEachDatabase('moving a clerk to another township', (kind) => {
  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'clerk-move');
    await createTownship(s.app.county, FOREIGN_TOWNSHIP);
    await createAccount(s.app.county, { username: 'wangfang', displayName: '王芳', password: 'first password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await createAccount(s.app.county, { username: 'outsider', password: 'outsider password', role: 'window-clerk', townshipCode: FOREIGN_TOWNSHIP.code });
  });
  afterEach(async () => {
    await s.close();
  });

  /** A tablet of a township as the server knows one; pulls from its cursor, the first from none. */
  const tablet = async (deviceId: string, townshipCode: string) => {
    await s.app.county.db
      .insertInto('devices')
      .values({ device_id: deviceId, township_code: townshipCode, credential_hash: sha256Hex(randomToken('dev')), enrolled_at: s.clock.now.toISOString(), revoked_at: null, revoked_by: null, last_seq: 0, last_seen_at: null, app_version: null })
      .execute();
    const principal = { kind: 'device' as const, deviceId, townshipCode, revokedAt: null };
    let cursor: string | null = null;
    return async () => {
      const req = { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId, cursor } as PullRequest;
      const res = await pullChanges(s.app.county, principal, req);
      cursor = res.cursor;
      return res.clerks.filter((c) => c.username === 'wangfang').at(-1);
    };
  };

  it('moves the clerk: audited with both townships; the old tablets forget his PIN at their next pull, the new ones receive him', async () => {
    const oldPull = await tablet('MOVEOLD1', TOWNSHIP.code);
    const newPull = await tablet('MOVENEW1', OTHER_TOWNSHIP.code);
    expect(await oldPull()).toMatchObject({ active: true });
    expect(await newPull()).toBeUndefined();

    const res = await s.admin('POST', '/api/admin/accounts/wangfang/move', { townshipCode: OTHER_TOWNSHIP.code });
    expect(res.statusCode).toBe(200);
    expect(bodyOf<{ townshipCode: string; area: { code: string } }>(res)).toMatchObject({ townshipCode: OTHER_TOWNSHIP.code, area: { code: OTHER_TOWNSHIP.code } });

    expect(await oldPull()).toMatchObject({ username: 'wangfang', townshipCode: TOWNSHIP.code, active: false });
    expect(await newPull()).toMatchObject({ username: 'wangfang', townshipCode: OTHER_TOWNSHIP.code, active: true });

    const audit = await s.app.county.db.selectFrom('audit_chain').select(['action', 'subject', 'detail']).where('action', '=', 'account.move').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]!.detail))).toEqual({ fromTownship: TOWNSHIP.code, toTownship: OTHER_TOWNSHIP.code });
  });

  it('refuses an account or a destination outside the admin’s area with the same answer as a missing account, and changes nothing', async () => {
    const missing = await s.admin('POST', '/api/admin/accounts/nobody/move', { townshipCode: OTHER_TOWNSHIP.code });
    const foreignAccount = await s.admin('POST', '/api/admin/accounts/outsider/move', { townshipCode: OTHER_TOWNSHIP.code });
    const foreignTownship = await s.admin('POST', '/api/admin/accounts/wangfang/move', { townshipCode: FOREIGN_TOWNSHIP.code });
    const noTownship = await s.admin('POST', '/api/admin/accounts/wangfang/move', { townshipCode: '150102999' });
    for (const r of [foreignAccount, foreignTownship, noTownship]) {
      expect(r.statusCode).toBe(missing.statusCode);
      expect(bodyOf<ErrorBody>(r).error.code).toBe(bodyOf<ErrorBody>(missing).error.code);
    }
    const rows = await s.app.county.db.selectFrom('accounts').select(['username', 'township_code']).where('username', 'in', ['wangfang', 'outsider']).orderBy('username').execute();
    expect(rows).toEqual([
      { username: 'outsider', township_code: FOREIGN_TOWNSHIP.code },
      { username: 'wangfang', township_code: TOWNSHIP.code },
    ]);
  });

  it('after the move his old clerk token proves nothing on the old township’s tablet; he signs in online on the new township’s, and his cases stay where they were made', async () => {
    const old = new TabletSim(undefined, undefined, () => s.clock.now);
    const oldCredential = await s.county.enrol(old);
    await s.county.signIn(old, oldCredential, 'wangfang', 'first password');
    const before = old.create(1, '王芳', 'wangfang');
    expect((await s.push(old, oldCredential)).statusCode).toBe(200);

    expect((await s.admin('POST', '/api/admin/accounts/wangfang/move', { townshipCode: OTHER_TOWNSHIP.code })).statusCode).toBe(200);
    const after = old.create(2, '王芳', 'wangfang');
    expect((await s.push(old, oldCredential)).statusCode).toBe(200);
    const cases = await s.app.county.db.selectFrom('cases').select(['id', 'township_code', 'clerk_unverified']).execute();
    expect(cases.find((c) => c.id === before.id)).toMatchObject({ township_code: TOWNSHIP.code, clerk_unverified: 0 });
    expect(cases.find((c) => c.id === after.id)).toMatchObject({ township_code: TOWNSHIP.code, clerk_unverified: 1 });

    const fresh = new TabletSim(undefined, undefined, () => s.clock.now);
    const freshCredential = await s.county.enrol(fresh, OTHER_TOWNSHIP.code);
    await s.county.signIn(fresh, freshCredential, 'wangfang', 'first password');
    expect(fresh.clerkTokens.has('wangfang')).toBe(true);
  });

  it('moves only a township’s clerks, and not into the township he is in', async () => {
    await createAccount(s.app.county, { username: 'deputy', password: 'deputy password', role: 'county-reviewer', area: { level: 'county', code: '150102' } });
    expect((await s.admin('POST', '/api/admin/accounts/deputy/move', { townshipCode: OTHER_TOWNSHIP.code })).statusCode).toBe(422);
    expect((await s.admin('POST', '/api/admin/accounts/wangfang/move', { townshipCode: TOWNSHIP.code })).statusCode).toBe(422);
  });
});
