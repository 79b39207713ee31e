// Every authorization decision of the county server is made here, as a pure function of who asks
// (a Principal, resolved from the request by authenticate.ts) and what they ask for (an Action with
// the facts the decision needs). Routes call authorize() and never decide themselves, so roles and
// area scoping (a township's devices and clerks see only their township) can be tightened in this
// one file later.

import { ApiError } from '../errors';
import type { Role } from '../db/schema';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'device'; deviceId: string; townshipCode: string; revokedAt: string | null }
  | { kind: 'account'; accountId: string; username: string; role: Role; townshipCode: string | null; active: boolean };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** What the county admin may do on the county page and its API. */
export type AdminOperation =
  | 'township.create'
  | 'township.list'
  | 'enrolment-code.create'
  | 'device.list'
  | 'device.revoke'
  | 'account.create'
  | 'account.list'
  | 'account.set-active'
  | 'case.list'
  | 'case.read'
  | 'case.resolve-conflict'
  | 'case.request-correction'
  | 'parameter-set.publish'
  | 'sign-in-lock.list'
  | 'sign-in-lock.clear';

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
  | { type: 'clerk.sign-in'; clerk: { role: Role; townshipCode: string | null; active: boolean } | null }
  /** An account signs in to the county page. */
  | { type: 'account.sign-in'; account: { role: Role; active: boolean } }
  | { type: 'admin'; operation: AdminOperation };

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
      if (problem === null) return ALLOW;
      if (problem.problem === 'account-disabled') return deny(403, 'account-disabled', 'This clerk account is disabled');
      if (problem.problem === 'not-a-clerk') return deny(403, 'forbidden', 'Only clerk accounts sign in on a tablet');
      return deny(403, 'forbidden', problem.message);
    }
    case 'account.sign-in': {
      if (!action.account.active) return deny(403, 'account-disabled', 'This account is disabled');
      if (action.account.role !== 'admin') return deny(403, 'forbidden', 'Only county administrators sign in to the county page; clerks sign in on their tablet');
      return ALLOW;
    }
    case 'admin': {
      if (p.kind !== 'account') return deny(401, 'unauthenticated', 'Sign in as a county administrator first (POST /api/admin/login)');
      if (!p.active) return deny(403, 'account-disabled', 'This account is disabled');
      if (p.role !== 'admin') return deny(403, 'forbidden', `Only a county administrator may ${action.operation}`);
      return ALLOW;
    }
  }
}

/** Why a clerk account may not act on a device: a sign-in is refused for it, a pushed case flagged. */
export const CLERK_ACCOUNT_PROBLEMS = ['unknown-account', 'account-disabled', 'not-a-clerk', 'other-township'] as const;
export type ClerkAccountProblem = (typeof CLERK_ACCOUNT_PROBLEMS)[number];

type ClerkAccountFacts = { role: Role; townshipCode: string | null; active: boolean };

/** The one rule for a clerk account on a device of `townshipCode`: null when he may act on it. */
function clerkAccountProblem(townshipCode: string, clerk: ClerkAccountFacts | null): { problem: ClerkAccountProblem; message: string } | null {
  if (clerk === null) return { problem: 'unknown-account', message: 'No account of that user name exists at the county' };
  if (!clerk.active) return { problem: 'account-disabled', message: 'The clerk account is disabled (it may have been disabled after the case was registered offline)' };
  if (clerk.role !== 'clerk') return { problem: 'not-a-clerk', message: 'The account is not a clerk account' };
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
export function authorize(p: Principal, action: Action): void {
  const d = decide(p, action);
  if (!d.allow) throw new ApiError(d.status, d.code, d.message);
}

/** The township whose cases, clerks and devices a device may see through pull. */
export function pullScope(p: Principal & { kind: 'device' }): { townshipCode: string } {
  return { townshipCode: p.townshipCode };
}
