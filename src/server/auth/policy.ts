// Every authorization decision of the county server is made here, as a pure function of who asks
// (a Principal, resolved from the request by authenticate.ts) and what they ask for (an Action with
// the facts the decision needs). Routes call authorize() and never decide themselves. What county
// accounts may do is the table of policy-table.ts (role × action × area scope); a tablet's
// township scopes what its device may do.

import { ApiError } from '../errors';
import type { Role } from '../db/schema';
import { areaContains, isTabletRole, type Area } from '../../shared/roles';
import { grantOf, type CountyAction } from './policy-table';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'device'; deviceId: string; townshipCode: string; revokedAt: string | null }
  | { kind: 'account'; accountId: string; username: string; role: Role; area: Area; townshipCode: string | null; active: boolean; mustChangePassword: boolean };

export type AccountPrincipal = Principal & { kind: 'account' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** What a county account may do on the county page and its API: the actions of policy-table.ts. */
export type { CountyAction };

export type Action =
  /** Redeem an enrolment code: anyone holding a valid code may. */
  | { type: 'enrol.redeem'; code: { expiresAt: string; redeemedAt: string | null } | null; existingDevice: { revokedAt: string | null } | null; now: Date }
  /** Push or pull as `claimedDeviceId` (the id in the request body). */
  | { type: 'sync.push' | 'sync.pull'; claimedDeviceId: string }
  /** A device writes a case (its mutation); `existing` is the case as the server has it. */
  | { type: 'case.write'; caseTownshipCode: string; existing: { deviceId: string; townshipCode: string } | null }
  /** A device reads a case's county-side changes. */
  | { type: 'case.read-updates'; caseTownshipCode: string }
  /** A device asks to sign a clerk in: checked before a password is tried, so only a live enrolled device can guess (and lock clerks out). */
  | { type: 'clerk.sign-in.device' }
  /** A clerk signs in online on a device; `clerk` is null when the name or password is wrong. */
  | { type: 'clerk.sign-in'; clerk: { role: Role; townshipCode: string | null; active: boolean; mustChangePassword?: boolean } | null }
  /** An account signs in to the county page. */
  | { type: 'account.sign-in'; account: { role: Role; active: boolean } }
  /**
   * A county account acts. `target`: the area of what it acts on (a township, device, account, case,
   * or for a creation what is created); null when that does not exist; absent for a list (filtered by
   * the account's area afterwards) and for the first check before the target is looked up.
   * `fromStatus`: the case's status, for lifecycle steps whose rows depend on it: a role that may take
   * the step, on a case of its area, but not from this status is answered 409 step-not-allowed-from-status.
   */
  | { type: 'county'; action: CountyAction; target?: Area | null; fromStatus?: string };

export type Decision = { allow: true } | { allow: false; status: 401 | 403 | 409 | 410; code: string; message: string };

const ALLOW: Decision = { allow: true };

function deny(status: 401 | 403 | 409 | 410, code: string, message: string): Decision {
  return { allow: false, status, code, message };
}

const UNAUTHENTICATED_DEVICE = deny(401, 'unauthenticated', 'This request needs a device credential (Authorization: Bearer …); enrol the device first');
const REVOKED = deny(
  403,
  'device-revoked',
  'This device has been revoked by the county administrator and may no longer sync. Its unsynced cases stay on the device; contact the county office to enrol it again.',
);

/** A device that may act at all: authenticated and not revoked. */
function activeDevice(p: Principal): Decision {
  if (p.kind !== 'device') return UNAUTHENTICATED_DEVICE;
  if (p.revokedAt !== null) return REVOKED;
  return ALLOW;
}

export function decide(p: Principal, action: Action): Decision {
  switch (action.type) {
    case 'enrol.redeem': {
      if (action.code === null) return deny(403, 'enrolment-code-invalid', 'This enrolment code is not valid: check it, or ask the county office for a new one');
      if (action.code.redeemedAt !== null) return deny(410, 'enrolment-code-used', 'This enrolment code has already been used: each code enrols one device once');
      if (Date.parse(action.code.expiresAt) <= action.now.getTime()) {
        return deny(410, 'enrolment-code-expired', `This enrolment code expired at ${action.code.expiresAt}; ask the county office for a new one`);
      }
      // A revoked device may be enrolled again with a new code (a lost tablet found); a live one may not be enrolled twice.
      if (action.existingDevice !== null && action.existingDevice.revokedAt === null) {
        return deny(409, 'device-already-enrolled', 'This device is already enrolled; the county office must revoke it before it can be enrolled again');
      }
      return ALLOW;
    }
    case 'sync.push':
    case 'sync.pull': {
      const d = activeDevice(p);
      if (!d.allow || p.kind !== 'device') return d;
      if (action.claimedDeviceId !== p.deviceId) {
        return deny(403, 'forbidden', `The request names device ${action.claimedDeviceId} but its credential belongs to device ${p.deviceId}`);
      }
      return ALLOW;
    }
    case 'case.write': {
      const d = activeDevice(p);
      if (!d.allow || p.kind !== 'device') return d;
      // A case belongs to the device that created it; another device never changes it.
      if (action.existing !== null && action.existing.deviceId !== p.deviceId) {
        return deny(403, 'forbidden', `Case belongs to device ${action.existing.deviceId}; device ${p.deviceId} may not change it`);
      }
      if (action.caseTownshipCode !== p.townshipCode) {
        return deny(403, 'forbidden', `Device ${p.deviceId} is enrolled for township ${p.townshipCode}, not ${action.caseTownshipCode}`);
      }
      return ALLOW;
    }
    case 'case.read-updates': {
      const d = activeDevice(p);
      if (!d.allow || p.kind !== 'device') return d;
      return action.caseTownshipCode === p.townshipCode ? ALLOW : deny(403, 'forbidden', `Device ${p.deviceId} may not read cases of township ${action.caseTownshipCode}`);
    }
    case 'clerk.sign-in.device':
      return activeDevice(p);
    case 'clerk.sign-in': {
      const d = activeDevice(p);
      if (!d.allow || p.kind !== 'device') return d;
      if (action.clerk === null) return deny(401, 'wrong-credentials', 'Unknown user name or wrong password');
      const problem = clerkAccountProblem(p.townshipCode, action.clerk);
      if (problem === null && action.clerk.mustChangePassword === true) {
        return deny(403, 'password-change-required', 'This account has a one-time password: change it on the county page first, then sign in here with the new one');
      }
      if (problem === null) return ALLOW;
      if (problem.problem === 'account-disabled') return deny(403, 'account-disabled', 'This clerk account is disabled');
      if (problem.problem === 'not-a-clerk') return deny(403, 'forbidden', 'Only window clerks and outreach workers sign in on a tablet');
      return deny(403, 'forbidden', problem.message);
    }
    case 'account.sign-in': {
      // Every role signs in to the county page; a tablet role's session may only change its password there.
      if (!action.account.active) return deny(403, 'account-disabled', 'This account is disabled');
      return ALLOW;
    }
    case 'county':
      return decideCounty(p, action);
  }
}

/** One answer for a target that does not exist and one outside the account's area: no existence oracle. */
export const NOT_IN_AREA_MESSAGE = 'Not within your area: it does not exist, or it lies outside the area your account covers';
const NOT_IN_AREA = deny(403, 'forbidden', NOT_IN_AREA_MESSAGE);

export const PASSWORD_CHANGE_REQUIRED = deny(
  403,
  'password-change-required',
  'This account signed in with a one-time password: change it first on the county page (POST /api/admin/password)',
);

function decideCounty(p: Principal, action: Action & { type: 'county' }): Decision {
  if (p.kind !== 'account') return deny(401, 'unauthenticated', 'Sign in on the county page first (POST /api/admin/login)');
  if (!p.active) return deny(403, 'account-disabled', 'This account is disabled');
  const scope = grantOf(p.role, action.action);
  // A one-time password opens nothing but the change of it (and the session that says so).
  if (p.mustChangePassword && scope !== 'self') return PASSWORD_CHANGE_REQUIRED;
  if (scope === null) return deny(403, 'forbidden', `The role ${p.role} may not ${action.action}`);
  if (scope === 'self' || action.target === undefined) return ALLOW;
  if (action.target === null || !areaContains(p.area, action.target)) return NOT_IN_AREA;
  // The status last: a case outside the area says nothing of where it stands.
  if (action.fromStatus !== undefined && grantOf(p.role, action.action, action.fromStatus) === null) {
    return deny(409, 'step-not-allowed-from-status', `${action.action} may not be taken on a case in status ${action.fromStatus}`);
  }
  return ALLOW;
}

/** Why a clerk account may not act on a device: a sign-in is refused for it, a pushed case flagged. */
export const CLERK_ACCOUNT_PROBLEMS = ['unknown-account', 'account-disabled', 'not-a-clerk', 'other-township'] as const;
export type ClerkAccountProblem = (typeof CLERK_ACCOUNT_PROBLEMS)[number];

type ClerkAccountFacts = { role: Role; townshipCode: string | null; active: boolean };

/** The one rule for a clerk account on a device of `townshipCode`: null when he may act on it. */
function clerkAccountProblem(townshipCode: string, clerk: ClerkAccountFacts | null): { problem: ClerkAccountProblem; message: string } | null {
  if (clerk === null) return { problem: 'unknown-account', message: 'No account of that user name exists at the county' };
  if (!clerk.active) return { problem: 'account-disabled', message: 'The clerk account is disabled (it may have been disabled after the case was registered offline)' };
  if (!isTabletRole(clerk.role)) return { problem: 'not-a-clerk', message: 'The account is not a window clerk or outreach worker account' };
  if (clerk.townshipCode !== townshipCode) return { problem: 'other-township', message: `This clerk belongs to township ${clerk.townshipCode ?? '(none)'}, not this device's ${townshipCode}` };
  return null;
}

/**
 * The clerk account a tablet sent with a case version (`account` is null when the county has no
 * account of that name). Never a refusal: the case was registered offline, perhaps before the account
 * was disabled, and losing it is worse than keeping it flagged for the county to check.
 */
export function checkCaseClerk(p: Principal & { kind: 'device' }, account: ClerkAccountFacts | null): { verified: true } | { verified: false; problem: ClerkAccountProblem; message: string } {
  const problem = clerkAccountProblem(p.townshipCode, account);
  return problem === null ? { verified: true } : { verified: false, ...problem };
}

/** Throws the refusal as an ApiError (the error body carries its code), or returns. */
/**
 * Administrators and auditors are managed only from a wider area: an admin who could reset a peer's
 * or an auditor's password would be handed a way to act as them, and auditors watch admins. Asked
 * after the target's area was found within the caller's, so it reveals nothing he cannot list.
 */
export function authorizeAccountManagement(who: AccountPrincipal, target: { username: string; role: Role; area: Area }): void {
  if (target.username === who.username) return;
  if ((target.role === 'admin' || target.role === 'auditor') && (target.area.level === who.area.level || !areaContains(who.area, target.area))) {
    throw new ApiError(403, 'forbidden', `An administrator manages an ${target.role} account only from a wider area; ask an administrator of the area above ${target.area.level} ${target.area.code}`);
  }
}

export function authorize(p: Principal, action: Action): void {
  const d = decide(p, action);
  if (!d.allow) throw new ApiError(d.status, d.code, d.message);
}

/** The township whose cases, clerks and devices a device may see through pull. */
export function pullScope(p: Principal & { kind: 'device' }): { townshipCode: string } {
  return { townshipCode: p.townshipCode };
}

/** Why a change's clerk token does not prove the clerk who made it (see auth/clerk-token.ts). */
export const CLERK_TOKEN_PROBLEMS = ['token-missing', 'token-invalid', 'token-other-device', 'token-other-clerk', 'token-expired', 'protocol-1'] as const;
export type ClerkTokenProblem = (typeof CLERK_TOKEN_PROBLEMS)[number];

/**
 * The clerk a change's token proves, and why not. Never a refusal, like checkCaseClerk: an expired
 * token (a month offline) still names a clerk who proved his password on this tablet, and is a soft
 * flag; no token, a token this server did not sign, or one made for another tablet or clerk is a hard
 * one. A tablet of protocol 1 sends no tokens: all its changes are unverified, and stored.
 */
export function checkClerkToken(input: {
  protocol: number;
  /** The verified claims, 'invalid' for a token this server did not sign, null when none came. */
  token: { username: string; deviceId: string; expiresAt: string } | 'invalid' | null;
  account: string | null;
  /** The device ids of the pushing tablet (every enrolment of its key). */
  tabletDeviceIds: ReadonlySet<string>;
  now: Date;
}): { verified: string | null; problem: ClerkTokenProblem | null; hard: boolean } {
  if (input.protocol === 1) return { verified: null, problem: 'protocol-1', hard: true };
  const t = input.token;
  if (t === null) return { verified: null, problem: 'token-missing', hard: true };
  if (t === 'invalid') return { verified: null, problem: 'token-invalid', hard: true };
  if (!input.tabletDeviceIds.has(t.deviceId)) return { verified: null, problem: 'token-other-device', hard: true };
  if (input.account !== null && input.account !== t.username) return { verified: null, problem: 'token-other-clerk', hard: true };
  if (Date.parse(t.expiresAt) <= input.now.getTime()) return { verified: t.username, problem: 'token-expired', hard: false };
  return { verified: t.username, problem: null, hard: false };
}
