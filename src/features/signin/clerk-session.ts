// Signing a clerk in on the tablet: online once (password, at the county), then offline with his PIN.

import type { ClerkPublic } from '../../shared/sync-protocol';
import { CLERK_NAME_MAX, type ClerkCredentialsRepository, type DeviceRepository } from '../../storage';
import { signInOnline } from '../../sync/clerk-sign-in';
import { syncErrorZh } from '../../sync/messages';
import { checkPassword, checkPin, makePasswordVerifier, makePinVerifier, pinProblem, pinProblemZh } from './pin';

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
      return '该经办人已连续多次输错 PIN，PIN 已停用：请用密码登录。';
    case 'wrong-pin':
      return result.locked ? 'PIN 不正确。已连续输错多次，PIN 已停用：请用密码登录。' : `PIN 不正确，还可再试${result.attemptsLeft}次。`;
  }
}

/** `offline`: the county could not be reached (the password may then be checked on the tablet). */
export type OnlineSignIn = { ok: true; clerk: ClerkPublic } | { ok: false; message: string; offline?: boolean };

/** The password check at the county, from an enrolled tablet. */
export async function signInAtCounty(device: DeviceRepository, username: string, password: string, fetchImpl: typeof fetch = (i, init) => globalThis.fetch(i, init)): Promise<OnlineSignIn> {
  const enrolment = await device.enrolment();
  if (!enrolment) return { ok: false, message: syncErrorZh('not-enrolled') };
  if (enrolment.revokedAt !== null) return { ok: false, message: syncErrorZh('device-revoked') };
  const outcome = await signInOnline({ serverUrl: enrolment.serverUrl, credential: enrolment.credential, fetch: fetchImpl, timeoutMs: 30_000 }, username.trim().toLowerCase(), password);
  if (outcome.ok && outcome.clerkToken) await device.saveClerkToken(outcome.clerk.username, outcome.clerkToken);
  // The token stays in storage: the screens need only the clerk.
  if (outcome.ok) return { ok: true, clerk: outcome.clerk };
  if (outcome.code === 'device-revoked') await device.markRevoked();
  if (outcome.code === 'forbidden') return { ok: false, message: '该账号不属于本设备所在的乡镇（街道），或不是经办人账号。' };
  return { ok: false, message: syncErrorZh(outcome.code, outcome), ...(outcome.code === 'network' ? { offline: true } : {}) };
}

/**
 * After the online sign-in: stores the clerk with the verifier of his new PIN (unlocking him), and
 * that of his password when given, so that the password opens a shift here offline too.
 */
export async function setPin(
  credentials: ClerkCredentialsRepository,
  clerk: ClerkPublic,
  pin: string,
  confirmation: string,
  password?: string,
): Promise<{ ok: true; clerk: SignedInClerk } | { ok: false; message: string }> {
  const problem = pinProblem(pin, confirmation);
  if (problem) return { ok: false, message: pinProblemZh(problem) };
  const passwordVerifier = password === undefined ? undefined : await makePasswordVerifier(password);
  const saved = await credentials.saveOnlineSignIn(clerk, await makePinVerifier(pin), passwordVerifier);
  return { ok: true, clerk: { username: saved.username, displayName: saved.displayName } };
}

export type PasswordSignIn = { ok: true; clerk: SignedInClerk } | { ok: false; message: string };

/**
 * A clerk known on this tablet gives his password: at the county when it can be reached (its answer
 * stands, and the verifier kept here is renewed), else against the verifier kept here. Either way
 * his PIN works again.
 */
export async function signInWithPassword(
  credentials: ClerkCredentialsRepository,
  device: DeviceRepository,
  username: string,
  password: string,
  fetchImpl?: typeof fetch,
): Promise<PasswordSignIn> {
  const c = await credentials.get(username);
  if (!c) return { ok: false, message: offlineSignInZh({ ok: false, reason: 'unknown-clerk' }) };
  const enrolment = await device.enrolment();
  if (enrolment && enrolment.revokedAt === null) {
    const online = await signInAtCounty(device, username, password, fetchImpl);
    if (online.ok) {
      await credentials.recordPasswordSignIn(c.username, { clerk: online.clerk, passwordVerifier: await makePasswordVerifier(password) });
      return { ok: true, clerk: { username: c.username, displayName: online.clerk.displayName } };
    }
    if (!online.offline) return { ok: false, message: online.message };
  }
  if (!c.passwordVerifier) return { ok: false, message: '本机没有保存该经办人的密码核对信息：请联网用密码登录一次。' };
  if (!(await checkPassword(c.passwordVerifier, password))) return { ok: false, message: '密码不正确。' };
  await credentials.recordPasswordSignIn(c.username);
  return { ok: true, clerk: { username: c.username, displayName: c.displayName } };
}

/** A clerk of a tablet not enrolled chooses his PIN (a new name, or a name whose PIN was locked). */
export async function setLocalPin(local: ClerkCredentialsRepository, name: string, pin: string, confirmation: string): Promise<{ ok: true; clerk: SignedInClerk } | { ok: false; message: string }> {
  const problem = clerkNameProblemZh(name) ?? (pinProblem(pin, confirmation) ? pinProblemZh(pinProblem(pin, confirmation)!) : null);
  if (problem) return { ok: false, message: problem };
  const saved = await local.saveLocalClerk(name, await makePinVerifier(pin));
  return { ok: true, clerk: { username: saved.username, displayName: saved.displayName } };
}

function clerkNameProblemZh(name: string): string | null {
  const n = name.normalize('NFKC').trim();
  if (n === '') return '请填写经办人姓名。';
  if (n.length > CLERK_NAME_MAX) return `经办人姓名不能超过${CLERK_NAME_MAX}个字。`;
  return null;
}
