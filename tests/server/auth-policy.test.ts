// Every decision of the authorization module, table-driven: who, what, and the answer.
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, decide, type Action, type Principal } from '../../src/server/auth/policy';
import type { Role } from '../../src/shared/roles';
import { enrolmentCodeHash, hashPassword, newEnrolmentCode, normaliseEnrolmentCode, verifyPassword } from '../../src/server/auth/secrets';

const device: Principal = { kind: 'device', deviceId: 'K7Q2MX3B', townshipCode: '150102001', revokedAt: null };
const revoked: Principal = { ...device, revokedAt: '2024-05-01T08:00:00.000Z' } as Principal;
const admin: Principal = { kind: 'account', accountId: 'a', username: 'chief', role: 'admin', area: { level: 'county', code: '150102' }, townshipCode: null, active: true, mustChangePassword: false };
const disabledAdmin: Principal = { ...admin, active: false } as Principal;
const resetAdmin: Principal = { ...admin, mustChangePassword: true } as Principal;
const clerkAccount: Principal = { kind: 'account', accountId: 'c', username: 'wangfang', role: 'window-clerk', area: { level: 'township', code: '150102001' }, townshipCode: '150102001', active: true, mustChangePassword: false };
const leagueTaskForce: Principal = { kind: 'account', accountId: 'l', username: 'league', role: 'league-task-force', area: { level: 'league', code: '150100' }, townshipCode: null, active: true, mustChangePassword: false };
const township = (code: string) => ({ level: 'township' as const, code });
const now = new Date('2024-05-01T08:00:00.000Z');
const code = (over: Partial<{ expiresAt: string; redeemedAt: string | null }> = {}) => ({ expiresAt: '2024-05-02T08:00:00.000Z', redeemedAt: null, ...over });
const clerk = (over: Partial<{ role: Role; townshipCode: string | null; active: boolean; mustChangePassword: boolean }> = {}) => ({ role: 'window-clerk' as const, townshipCode: '150102001', active: true, ...over });

const table: [string, Principal, Action, string | null][] = [
  ['anyone with a valid unused code may enrol a new device', ANONYMOUS, { type: 'enrol.redeem', code: code(), existingDevice: null, now }, null],
  ['an unknown code is refused', ANONYMOUS, { type: 'enrol.redeem', code: null, existingDevice: null, now }, 'enrolment-code-invalid'],
  ['a used code is refused', ANONYMOUS, { type: 'enrol.redeem', code: code({ redeemedAt: '2024-05-01T07:00:00.000Z' }), existingDevice: null, now }, 'enrolment-code-used'],
  ['a code at its expiry instant is refused', ANONYMOUS, { type: 'enrol.redeem', code: code({ expiresAt: now.toISOString() }), existingDevice: null, now }, 'enrolment-code-expired'],
  ['a live device may not be enrolled again', ANONYMOUS, { type: 'enrol.redeem', code: code(), existingDevice: { revokedAt: null }, now }, 'device-already-enrolled'],
  ['a revoked device may be enrolled again with a new code', ANONYMOUS, { type: 'enrol.redeem', code: code(), existingDevice: { revokedAt: '2024-04-01T00:00:00.000Z' }, now }, null],
  ['a device pushes as itself', device, { type: 'sync.push', claimedDeviceId: 'K7Q2MX3B' }, null],
  ['nobody pushes without a credential', ANONYMOUS, { type: 'sync.push', claimedDeviceId: 'K7Q2MX3B' }, 'unauthenticated'],
  ['an admin session is not a device credential', admin, { type: 'sync.pull', claimedDeviceId: 'K7Q2MX3B' }, 'unauthenticated'],
  ['a revoked device may not push', revoked, { type: 'sync.push', claimedDeviceId: 'K7Q2MX3B' }, 'device-revoked'],
  ['a revoked device may not pull', revoked, { type: 'sync.pull', claimedDeviceId: 'K7Q2MX3B' }, 'device-revoked'],
  ['a device may not push in another device’s name', device, { type: 'sync.push', claimedDeviceId: 'ZZZZZZZZ' }, 'forbidden'],
  ['a device writes a new case of its township', device, { type: 'case.write', caseTownshipCode: '150102001', existing: null }, null],
  ['a device changes its own case', device, { type: 'case.write', caseTownshipCode: '150102001', existing: { deviceId: 'K7Q2MX3B', townshipCode: '150102001' } }, null],
  ['a device may not change another device’s case', device, { type: 'case.write', caseTownshipCode: '150102001', existing: { deviceId: 'ZZZZZZZZ', townshipCode: '150102001' } }, 'forbidden'],
  ['a device may not write a case of another township', device, { type: 'case.write', caseTownshipCode: '150102002', existing: null }, 'forbidden'],
  ['a revoked device may not write a case', revoked, { type: 'case.write', caseTownshipCode: '150102001', existing: null }, 'device-revoked'],
  ['a device reads county changes to its township’s cases', device, { type: 'case.read-updates', caseTownshipCode: '150102001' }, null],
  ['a device may not read another township’s cases', device, { type: 'case.read-updates', caseTownshipCode: '150102002' }, 'forbidden'],
  ['a clerk of the device’s township signs in on it', device, { type: 'clerk.sign-in', clerk: clerk() }, null],
  ['a clerk of another township may not sign in on the device', device, { type: 'clerk.sign-in', clerk: clerk({ townshipCode: '150102002' }) }, 'forbidden'],
  ['a disabled clerk may not sign in', device, { type: 'clerk.sign-in', clerk: clerk({ active: false }) }, 'account-disabled'],
  ['an outreach worker of the device’s township signs in on it', device, { type: 'clerk.sign-in', clerk: clerk({ role: 'outreach-worker' }) }, null],
  ['a clerk with a one-time password is told to change it before signing in on a tablet', device, { type: 'clerk.sign-in', clerk: clerk({ mustChangePassword: true }) }, 'password-change-required'],
  ['an admin account does not sign in on a tablet', device, { type: 'clerk.sign-in', clerk: clerk({ role: 'admin', townshipCode: null }) }, 'forbidden'],
  ['a wrong password is refused', device, { type: 'clerk.sign-in', clerk: null }, 'wrong-credentials'],
  ['clerk sign-in needs an enrolled device', ANONYMOUS, { type: 'clerk.sign-in', clerk: clerk() }, 'unauthenticated'],
  ['a live enrolled device may try a clerk’s password', device, { type: 'clerk.sign-in.device' }, null],
  ['nobody tries a clerk’s password without a device credential', ANONYMOUS, { type: 'clerk.sign-in.device' }, 'unauthenticated'],
  ['a revoked device may not try a clerk’s password', revoked, { type: 'clerk.sign-in.device' }, 'device-revoked'],
  ['an admin signs in to the county page', ANONYMOUS, { type: 'account.sign-in', account: { role: 'admin', active: true } }, null],
  ['a clerk signs in to the county page (to change his password there)', ANONYMOUS, { type: 'account.sign-in', account: { role: 'window-clerk', active: true } }, null],
  ['a disabled admin does not sign in', ANONYMOUS, { type: 'account.sign-in', account: { role: 'admin', active: false } }, 'account-disabled'],
  ['an admin revokes a device of his county', admin, { type: 'county', action: 'device.revoke', target: township('150102001') }, null],
  ['an admin may not revoke a device of another county', admin, { type: 'county', action: 'device.revoke', target: township('150103001') }, 'forbidden'],
  ['a device that does not exist is refused as one outside the area', admin, { type: 'county', action: 'device.revoke', target: null }, 'forbidden'],
  ['an admin resolves a conflict', admin, { type: 'county', action: 'case.resolve-conflict', target: township('150102002') }, null],
  ['a county admin may not create an account of his 盟市', admin, { type: 'county', action: 'account.create', target: { level: 'league', code: '150100' } }, 'forbidden'],
  ['a county admin may create another admin of his county', admin, { type: 'county', action: 'account.create', target: { level: 'county', code: '150102' } }, null],
  ['a 盟市 task force reads the cases of a county of its 盟市', leagueTaskForce, { type: 'county', action: 'case.read', target: township('150102001') }, null],
  ['a 盟市 task force may not read a case of another 盟市', leagueTaskForce, { type: 'county', action: 'case.read', target: township('150202001') }, 'forbidden'],
  ['a task force is read-only', leagueTaskForce, { type: 'county', action: 'case.request-correction', target: township('150102001') }, 'forbidden'],
  ['nobody uses the admin API without signing in', ANONYMOUS, { type: 'county', action: 'case.list' }, 'unauthenticated'],
  ['a device credential does not open the admin API', device, { type: 'county', action: 'enrolment-code.create' }, 'unauthenticated'],
  ['a clerk account may not use the admin API', clerkAccount, { type: 'county', action: 'account.create' }, 'forbidden'],
  ['a clerk account may change its own password on the county page', clerkAccount, { type: 'county', action: 'password.change' }, null],
  ['a disabled admin may not use the admin API', disabledAdmin, { type: 'county', action: 'township.create' }, 'account-disabled'],
  ['an admin with a one-time password may only change it', resetAdmin, { type: 'county', action: 'township.list' }, 'password-change-required'],
  ['an admin with a one-time password may change it', resetAdmin, { type: 'county', action: 'password.change' }, null],
];

describe('the authorization policy', () => {
  it.each(table)('%s', (_name, principal, action, refusal) => {
    const d = decide(principal, action);
    if (refusal === null) expect(d).toEqual({ allow: true });
    else {
      expect(d).toMatchObject({ allow: false, code: refusal });
      expect((d as { message: string }).message.length).toBeGreaterThan(10);
    }
  });
});

describe('secrets', () => {
  it('passwords are stored as scrypt hashes with their cost, and only the right password verifies', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(h).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(h);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });

  it('an enrolment code is 60 random bits in Crockford groups; typed loosely it hashes the same', () => {
    const c = newEnrolmentCode();
    expect(c).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$/);
    expect(newEnrolmentCode()).not.toBe(c);
    expect(normaliseEnrolmentCode('o1il-abcd efgh')).toBe('0111ABCDEFGH');
    expect(enrolmentCodeHash(c.toLowerCase().replaceAll('-', ' '))).toBe(enrolmentCodeHash(c));
  });
});
