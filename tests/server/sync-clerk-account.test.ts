// The clerk's county account on the wire ("every case records the clerk who registered it"):
// stored on each version and on the case, checked by the policy, and never a reason to refuse a case.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCaseClerk, type Principal } from '../../src/server/auth/policy';
import { createAccount } from '../../src/server/county/administration';
import type { PushResponse, SyncErrorBody } from '../../src/shared/sync-protocol';
import { OTHER_TOWNSHIP, TOWNSHIP, TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type CaseDetail = {
  registeredBy: string | null;
  flags: { conflict: boolean; clerkUnverified: boolean };
  versions: { source: string; actor: string; clerkAccount: string | null; clerkProblem: string | null; conflicting: boolean }[];
};

const device: Principal & { kind: 'device' } = { kind: 'device', deviceId: 'K7Q2MX3B', townshipCode: TOWNSHIP.code, revokedAt: null };

describe('the policy’s check of a pushed case’s clerk account', () => {
  const clerk = { role: 'window-clerk' as const, townshipCode: TOWNSHIP.code, active: true };
  it.each([
    ['a live clerk of the device’s township is verified', clerk, null],
    ['an account the county does not have is unknown', null, 'unknown-account'],
    ['a disabled clerk is flagged as disabled', { ...clerk, active: false }, 'account-disabled'],
    ['a clerk of another township is flagged', { ...clerk, townshipCode: OTHER_TOWNSHIP.code }, 'other-township'],
    ['a county admin account is not a clerk', { role: 'admin' as const, townshipCode: null, active: true }, 'not-a-clerk'],
  ])('%s', (_name, account, problem) => {
    const r = checkCaseClerk(device, account);
    expect(r.verified ? null : r.problem).toBe(problem);
  });
});

describeOnEachDatabase('the clerk account of pushed cases', (kind) => {

  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'clerk-account'));
    await createAccount(s.app.county, { username: 'wangfang', displayName: '王芳', password: 'a long enough password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await createAccount(s.app.county, { username: 'lisi', displayName: '李四', password: 'a long enough password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await createAccount(s.app.county, { username: 'zhaoliu', displayName: '赵六', password: 'a long enough password', role: 'window-clerk', townshipCode: OTHER_TOWNSHIP.code });
  });
  afterEach(async () => {
    await s.close();
  });

  const detail = async (caseId: string) => bodyOf<CaseDetail>(await s.admin('GET', `/api/admin/cases/${caseId}`));
  const push = async (body?: Record<string, unknown>) => {
    const res = await s.push(tablet, credential, body);
    expect(res.statusCode, res.body).toBe(200);
    const r = bodyOf<PushResponse>(res);
    await tablet.acknowledge(r.ackedThroughSeq);
    return r;
  };

  const signIn = (username: string) => s.county.signIn(tablet, credential, username, 'a long enough password');

  it('a case registered by a signed-in clerk of the township records his account on the case and its version, unflagged', async () => {
    await signIn('wangfang');
    await signIn('lisi');
    const c = tablet.create(1, '王芳', 'wangfang');
    expect(tablet.pushBody().batch).toEqual([expect.objectContaining({ clerk: '王芳', account: 'wangfang' })]);
    await push();
    const d = await detail(c.id);
    expect(d.registeredBy).toBe('wangfang');
    expect(d.flags.clerkUnverified).toBe(false);
    expect(d.versions).toEqual([expect.objectContaining({ actor: '王芳', clerkAccount: 'wangfang', clerkProblem: null })]);

    // Another clerk changes it: his account is on his version, the case keeps the one who registered it.
    tablet.update(c.id, 5, '李四', 'lisi');
    await push();
    const after = await detail(c.id);
    expect(after.registeredBy).toBe('wangfang');
    expect(after.versions.map((v) => [v.actor, v.clerkAccount])).toEqual([
      ['王芳', 'wangfang'],
      ['李四', 'lisi'],
    ]);
  });

  it('an unknown, disabled or other township’s account is stored as sent and the case flagged with the reason — the case is never refused', async () => {
    await s.app.county.db.updateTable('accounts').set({ active: 0 }).where('username', '=', 'lisi').execute();
    const unknown = tablet.create(1, '王五', 'wangwu');
    const disabled = tablet.create(2, '李四', 'lisi');
    const elsewhere = tablet.create(3, '赵六', 'zhaoliu');
    const admin = tablet.create(4, '管理员', 'county-admin');
    await signIn('wangfang');
    const fine = tablet.create(5, '王芳', 'wangfang');
    const r = await push();
    expect(r.results.map((x) => x.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(await s.count('cases')).toBe(5);

    const expected: [typeof unknown, string, string][] = [
      [unknown, 'wangwu', 'unknown-account'],
      [disabled, 'lisi', 'account-disabled'],
      [elsewhere, 'zhaoliu', 'other-township'],
      [admin, 'county-admin', 'not-a-clerk'],
    ];
    for (const [c, account, problem] of expected) {
      const d = await detail(c.id);
      expect(d.registeredBy, account).toBe(account);
      expect(d.flags.clerkUnverified, account).toBe(true);
      expect(d.versions[0], account).toMatchObject({ clerkAccount: account, clerkProblem: problem });
    }
    expect((await detail(fine.id)).flags.clerkUnverified).toBe(false);
    const flagged = bodyOf<{ cases: { id: string; registeredBy: string | null; flags: { clerkUnverified: boolean } }[] }>(await s.admin('GET', '/api/admin/cases?flag=clerk-unverified'));
    expect(flagged.cases.map((x) => x.id).sort()).toEqual([unknown.id, disabled.id, elsewhere.id, admin.id].sort());
    expect(flagged.cases.every((x) => x.flags.clerkUnverified && x.registeredBy !== null)).toBe(true);
  });

  it('a later change by an unverified account flags a case registered by a verified one, also when it conflicts', async () => {
    await signIn('wangfang');
    const c = tablet.create(1, '王芳', 'wangfang');
    await push();
    expect((await s.admin('POST', `/api/admin/cases/${c.id}/correction-request`, { message: '请补充材料' })).statusCode).toBe(200);
    tablet.update(c.id, 5, '赵六', 'zhaoliu');
    expect((await push()).results[0]).toMatchObject({ outcome: 'conflict' });
    const d = await detail(c.id);
    expect(d.flags).toMatchObject({ conflict: true, clerkUnverified: true });
    expect(d.registeredBy).toBe('wangfang');
    expect(d.versions.find((v) => v.conflicting)).toMatchObject({ clerkAccount: 'zhaoliu', clerkProblem: 'other-township' });
  });

  it('a tablet of protocol 1, offline through the server upgrade, is accepted: its cases are stored, flagged as of an unverified clerk', async () => {
    const old = tablet.create(1);
    const withAccount = tablet.create(2, '王芳', 'wangfang');
    const body = tablet.pushBody(undefined, { protocol: 1 });
    const batch = body.batch as Record<string, unknown>[];
    expect(Object.keys(batch[0]!)).not.toContain('account');
    const r = await push(body);
    expect(r.protocol).toBe(1);
    expect(r.results.map((x) => x.outcome)).toEqual(['applied', 'applied']);
    for (const [c, account] of [
      [old, null],
      [withAccount, 'wangfang'],
    ] as const) {
      const d = await detail(c.id);
      expect(d.registeredBy).toBe(account);
      expect(d.flags.clerkUnverified).toBe(true);
      expect(d.versions[0]).toMatchObject({ clerkAccount: account, clerkProblem: 'protocol-1' });
    }
  });

  it('the token the county signed at sign-in proves the clerk; an expired one is flagged softly, a missing, forged or other tablet’s one hard — no case is refused', async () => {
    await signIn('wangfang');
    const proved = tablet.create(1, '王芳', 'wangfang');
    const missing = tablet.create(2, '李四', 'lisi');
    const forged = tablet.create(3, '王芳', 'wangfang');
    const body = tablet.pushBody();
    const token = tablet.clerkTokens.get('wangfang')!;
    const [head, payload, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    (body.batch as Record<string, unknown>[])[2]!.clerkToken = [head, Buffer.from(JSON.stringify({ ...claims, exp: '2099-01-01T00:00:00.000Z' })).toString('base64url'), mac].join('.');
    expect((await push(body)).results.map((x) => x.outcome)).toEqual(['applied', 'applied', 'applied']);

    // Another tablet of the township: its clerk's token is of that tablet, not this one.
    const other = new TabletSim(undefined, undefined, () => s.clock.now);
    const otherCredential = await s.county.enrol(other);
    await s.county.signIn(other, otherCredential, 'lisi', 'a long enough password');
    const borrowed = tablet.create(4, '李四', 'lisi');
    const lent = tablet.pushBody();
    (lent.batch as Record<string, unknown>[])[0]!.clerkToken = other.clerkTokens.get('lisi');
    await push(lent);

    s.clock.advance(31 * 86_400_000);
    const late = tablet.create(5, '王芳', 'wangfang');
    await push();

    const versions = await s.app.county.db.selectFrom('case_versions').select(['case_id', 'clerk_problem', 'clerk_verified']).execute();
    const cases = await s.app.county.db.selectFrom('cases').select(['id', 'clerk_unverified', 'clerk_token_expired']).execute();
    const of = (id: string) => ({ ...versions.find((v) => v.case_id === id), ...cases.find((c) => c.id === id) });
    expect(of(proved.id)).toMatchObject({ clerk_problem: null, clerk_verified: 'wangfang', clerk_unverified: 0, clerk_token_expired: 0 });
    expect(of(missing.id)).toMatchObject({ clerk_problem: 'token-missing', clerk_verified: null, clerk_unverified: 1 });
    expect(of(forged.id)).toMatchObject({ clerk_problem: 'token-invalid', clerk_verified: null, clerk_unverified: 1 });
    expect(of(borrowed.id)).toMatchObject({ clerk_problem: 'token-other-device', clerk_verified: null, clerk_unverified: 1 });
    expect(of(late.id)).toMatchObject({ clerk_problem: 'token-expired', clerk_verified: 'wangfang', clerk_unverified: 0, clerk_token_expired: 1 });
  });

  it('an account longer than any county user name is refused as invalid-batch naming the field', async () => {
    tablet.create(1, '王芳', 'x'.repeat(65));
    const res = await s.push(tablet, credential);
    expect(res.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(res).error).toMatchObject({ code: 'invalid-batch', problems: [expect.objectContaining({ path: 'batch[0].account' })] });
    expect(await s.count('cases')).toBe(0);
  });
});
