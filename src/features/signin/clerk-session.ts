// Signing a clerk in on the tablet: online once (password, at the county), then offline with his PIN.

import type { ClerkPublic } from '../../shared/sync-protocol';
import type { ClerkCredentialsRepository, DeviceRepository } from '../../storage';
import { signInOnline } from '../../sync/clerk-sign-in';
import { syncErrorZh } from '../../sync/messages';
import { checkPin, makePinVerifier, pinProblem, pinProblemZh } from './pin';

export interface SignedInClerk {
  username: string;
  displayName: string;
}

export type OfflineSignIn =
  | { ok: true; clerk: SignedInClerk }
  | { ok: false; reason: 'unknown-clerk' | 'locked' }
  | { ok: false; reason: 'wrong-pin'; attemptsLeft: number; locked: boolean };

/** Checks a PIN; a wrong one is counted, and the last allowed one locks the clerk until he signs in online. */
export async function signInWithPin(credentials: ClerkCredentialsRepository, username: string, pin: string): Promise<OfflineSignIn> {
  const c = await credentials.get(username);
  if (!c) return { ok: false, reason: 'unknown-clerk' };
  if (c.lockedAt !== null) return { ok: false, reason: 'locked' };
  if (await checkPin(c.pinVerifier, pin)) {
    await credentials.recordSuccess(username);
    return { ok: true, clerk: { username: c.username, displayName: c.displayName } };
  }
  const failure = await credentials.recordFailure(username);
  return { ok: false, reason: 'wrong-pin', ...failure };
}

export function offlineSignInZh(result: Exclude<OfflineSignIn, { ok: true }>): string {
  switch (result.reason) {
    case 'unknown-clerk':
      return '本机没有该经办人的登录记录，请联网用密码登录。';
    case 'locked':
      return '该经办人已因多次输错 PIN 被锁定，请联网用密码登录后重设 PIN。';
    case 'wrong-pin':
      return result.locked ? 'PIN 不正确。已连续输错多次，该经办人已被锁定：请联网用密码登录后重设 PIN。' : `PIN 不正确，还可再试${result.attemptsLeft}次。`;
  }
}

export type OnlineSignIn = { ok: true; clerk: ClerkPublic } | { ok: false; message: string };

/** The password check at the county, from an enrolled tablet. */
export async function signInAtCounty(device: DeviceRepository, username: string, password: string, fetchImpl: typeof fetch = (i, init) => globalThis.fetch(i, init)): Promise<OnlineSignIn> {
  const enrolment = await device.enrolment();
  if (!enrolment) return { ok: false, message: syncErrorZh('not-enrolled') };
  if (enrolment.revokedAt !== null) return { ok: false, message: syncErrorZh('device-revoked') };
  const outcome = await signInOnline({ serverUrl: enrolment.serverUrl, credential: enrolment.credential, fetch: fetchImpl, timeoutMs: 30_000 }, username.trim().toLowerCase(), password);
  if (outcome.ok) return outcome;
  if (outcome.code === 'device-revoked') await device.markRevoked();
  if (outcome.code === 'forbidden') return { ok: false, message: '该账号不属于本设备所在的乡镇（街道），或不是经办人账号。' };
  return { ok: false, message: syncErrorZh(outcome.code, outcome) };
}

/** After the online sign-in: stores the clerk with the verifier of his new PIN (unlocking him). */
export async function setPin(credentials: ClerkCredentialsRepository, clerk: ClerkPublic, pin: string, confirmation: string): Promise<{ ok: true; clerk: SignedInClerk } | { ok: false; message: string }> {
  const problem = pinProblem(pin, confirmation);
  if (problem) return { ok: false, message: pinProblemZh(problem) };
  const saved = await credentials.saveOnlineSignIn(clerk, await makePinVerifier(pin));
  return { ok: true, clerk: { username: saved.username, displayName: saved.displayName } };
}
