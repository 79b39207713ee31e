// County administration shared by the admin API and the command line: townships, accounts,
// enrolment codes, devices, parameter sets. Each function validates its input and throws ApiError
// with a stable code and field-named problems.

import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { countyRepublishProblems, parseParameterSet, isJiexuError, type ParameterSet } from '../../domain';
import { findCounty } from '../../domain/regions';
import type { Role } from '../db/schema';
import { ApiError } from '../errors';
import { enrolmentCodeHash, hashPassword, newEnrolmentCode, passwordProblem } from '../auth/secrets';
import { logChange, type CountyContext } from './context';
import type { AccountListItem, DeviceItem, SignInLockItem } from '../../shared/admin-api';
import { clearCount, listCounts } from '../auth/attempts';

type Problem = { path: string; message: string };

function invalid(problems: Problem[]): ApiError {
  return new ApiError(422, 'invalid-request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { details: { problems } });
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.normalize('NFC').trim() : '';
}

// --- townships -----------------------------------------------------------------------------------

export interface Township {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}

export function townshipCodeProblem(code: string): string | null {
  if (!/^\d{9}$/.test(code)) return 'expected a 9-digit township code (the county’s 6 digits + 3), e.g. 150102001';
  if (!findCounty(code.slice(0, 6))) return `the first six digits ${code.slice(0, 6)} are not a county of the region`;
  return null;
}

export async function createTownship(ctx: CountyContext, input: { code: unknown; name: unknown }): Promise<Township> {
  const code = text(input.code);
  const name = text(input.name);
  const problems: Problem[] = [];
  const codeProblem = townshipCodeProblem(code);
  if (codeProblem) problems.push({ path: 'code', message: codeProblem });
  if (name === '') problems.push({ path: 'name', message: 'required' });
  else if (name.length > 100) problems.push({ path: 'name', message: 'at most 100 characters' });
  if (problems.length > 0) throw invalid(problems);
  const existing = await ctx.db.selectFrom('townships').select('code').where('code', '=', code).executeTakeFirst();
  if (existing) throw new ApiError(409, 'township-exists', `Township ${code} already exists`);
  const countyCode = code.slice(0, 6);
  await ctx.db.insertInto('townships').values({ code, name, county_code: countyCode, created_at: ctx.now().toISOString() }).execute();
  return { code, name, countyCode, countyName: findCounty(countyCode)!.name };
}

export async function listTownships(ctx: CountyContext): Promise<Township[]> {
  const rows = await ctx.db.selectFrom('townships').selectAll().orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, countyCode: r.county_code, countyName: findCounty(r.county_code)?.name ?? r.county_code }));
}

async function requireTownship(ctx: CountyContext, code: string, path: string): Promise<{ code: string; name: string }> {
  const row = await ctx.db.selectFrom('townships').select(['code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!row) throw invalid([{ path, message: code === '' ? 'required' : `no township ${code}: create it first` }]);
  return row;
}

// --- accounts ------------------------------------------------------------------------------------

export interface AccountPublic {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  townshipCode: string | null;
  active: boolean;
}

export async function createAccount(
  ctx: CountyContext,
  input: { username: unknown; displayName?: unknown; password: unknown; role: Role; townshipCode?: unknown },
): Promise<AccountPublic> {
  const username = text(input.username).toLowerCase();
  const displayName = text(input.displayName) || username;
  const townshipCode = text(input.townshipCode);
  const problems: Problem[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(username)) problems.push({ path: 'username', message: '3–64 characters: letters, digits, . _ -, starting with a letter or digit' });
  if (displayName.length > 100) problems.push({ path: 'displayName', message: 'at most 100 characters' });
  const pw = passwordProblem(input.password);
  if (pw) problems.push({ path: 'password', message: pw });
  if (input.role === 'clerk' && townshipCode === '') problems.push({ path: 'townshipCode', message: 'required for a clerk' });
  if (input.role === 'admin' && townshipCode !== '') problems.push({ path: 'townshipCode', message: 'a county administrator has no township' });
  if (problems.length > 0) throw invalid(problems);
  if (input.role === 'clerk') await requireTownship(ctx, townshipCode, 'townshipCode');
  const existing = await ctx.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirst();
  if (existing) throw new ApiError(409, 'account-exists', `An account named ${username} already exists`);

  const passwordHash = await hashPassword(input.password as string);
  const now = ctx.now().toISOString();
  const account: AccountPublic = { id: randomUUID(), username, displayName, role: input.role, townshipCode: townshipCode || null, active: true };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({
        id: account.id,
        username,
        display_name: displayName,
        role: account.role,
        township_code: account.townshipCode,
        password_hash: passwordHash,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (account.role === 'clerk') await logChange(trx, ctx.kind, { kind: 'clerk', township_code: account.townshipCode, ref: username, at: now });
  });
  return account;
}

/**
 * Disables an account (or enables it again). A disabled account signs in nowhere: its county
 * sessions end at once, and a clerk's tablets learn it at their next pull and forget his PIN. An
 * administrator cannot disable himself, so that a county is never left without one by mistake.
 */
export async function setAccountActive(ctx: CountyContext, username: unknown, active: boolean, actor: string): Promise<AccountPublic> {
  const name = text(username).toLowerCase();
  if (name === '' || name.length > 64) throw invalid([{ path: 'username', message: name === '' ? 'required' : 'at most 64 characters' }]);
  if (!active && name === actor) throw new ApiError(409, 'cannot-disable-self', 'An administrator cannot disable his own account');
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').selectAll().where('username', '=', name).executeTakeFirst();
    if (!row) throw new ApiError(404, 'account-not-found', `No account named ${name}`);
    await trx.updateTable('accounts').set({ active: active ? 1 : 0, updated_at: now }).where('id', '=', row.id).execute();
    if (!active) await trx.deleteFrom('admin_sessions').where('account_id', '=', row.id).execute();
    if (row.role === 'clerk') await logChange(trx, ctx.kind, { kind: 'clerk', township_code: row.township_code, ref: name, at: now });
    return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, townshipCode: row.township_code, active };
  });
}

export async function listAccounts(ctx: CountyContext): Promise<AccountListItem[]> {
  const rows = await ctx.db.selectFrom('accounts').selectAll().orderBy('username').execute();
  const locked = new Map((await listCounts(ctx)).filter((k) => k.kind === 'account' && k.lockedUntil !== null).map((k) => [k.subject, k.lockedUntil]));
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    townshipCode: r.township_code,
    active: r.active === 1,
    signInLockedUntil: locked.get(r.username) ?? null,
  }));
}

// --- sign-in locks -------------------------------------------------------------------------------

/** Every user name and address with failed guesses still counted (auth/throttle.ts), locked ones first. */
export async function listSignInLocks(ctx: CountyContext): Promise<SignInLockItem[]> {
  return listCounts(ctx);
}

/**
 * Clears the failed sign-ins of a user name, lifting its lock (whether or not an account of that
 * name exists: unknown names are counted too). The address the guesses came from stays counted.
 */
export async function unlockAccount(ctx: CountyContext, username: unknown): Promise<{ username: string; wasLocked: boolean }> {
  const name = text(username).toLowerCase();
  if (name === '' || name.length > 64) throw invalid([{ path: 'username', message: name === '' ? 'required' : 'at most 64 characters' }]);
  return { username: name, ...(await clearCount(ctx, { kind: 'account', subject: name })) };
}

/** Clears the failed sign-ins and enrolment codes counted against a client address. */
export async function unlockAddress(ctx: CountyContext, address: unknown): Promise<{ address: string; wasLocked: boolean }> {
  const a = text(address);
  if (isIP(a) === 0) throw invalid([{ path: 'address', message: a === '' ? 'required' : 'not an IPv4 or IPv6 address' }]);
  const signIn = await clearCount(ctx, { kind: 'address', subject: a });
  const enrolment = await clearCount(ctx, { kind: 'enrolment-address', subject: a });
  return { address: a, wasLocked: signIn.wasLocked || enrolment.wasLocked };
}

// --- enrolment codes -----------------------------------------------------------------------------

export const DEFAULT_CODE_HOURS = 72;

export interface IssuedCode {
  /** Shown once (text now, QR on the county page later); only its hash is stored. */
  code: string;
  townshipCode: string;
  townshipName: string;
  expiresAt: string;
}

export async function createEnrolmentCode(ctx: CountyContext, input: { townshipCode: unknown; hours?: unknown }, createdBy: string): Promise<IssuedCode> {
  const townshipCode = text(input.townshipCode);
  const hours = input.hours === undefined ? DEFAULT_CODE_HOURS : input.hours;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > 24 * 30) {
    throw invalid([{ path: 'hours', message: 'expected a whole number of hours from 1 to 720' }]);
  }
  const township = await requireTownship(ctx, townshipCode, 'townshipCode');
  const now = ctx.now();
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
  await ctx.db
    .insertInto('enrolment_codes')
    .values({ code_hash: enrolmentCodeHash(code), township_code: township.code, created_by: createdBy, created_at: now.toISOString(), expires_at: expiresAt, redeemed_at: null, redeemed_by_device: null })
    .execute();
  return { code, townshipCode: township.code, townshipName: township.name, expiresAt };
}

// --- devices -------------------------------------------------------------------------------------


export async function listDevices(ctx: CountyContext): Promise<DeviceItem[]> {
  const rows = await ctx.db.selectFrom('devices').selectAll().orderBy('enrolled_at').execute();
  const revocations = await ctx.db.selectFrom('device_revocations').selectAll().orderBy('revoked_at').orderBy('id').execute();
  const byDevice = new Map<string, typeof revocations>();
  for (const r of revocations) byDevice.set(r.device_id, [...(byDevice.get(r.device_id) ?? []), r]);
  return rows.map((r) => ({
    deviceId: r.device_id,
    townshipCode: r.township_code,
    enrolledAt: r.enrolled_at,
    revokedAt: r.revoked_at,
    lastSeq: r.last_seq,
    lastSeenAt: r.last_seen_at,
    appVersion: r.app_version,
    revocations: (byDevice.get(r.device_id) ?? []).map((v) => ({ revokedAt: v.revoked_at, revokedBy: v.revoked_by, reason: v.reason, reenrolledAt: v.reenrolled_at })),
  }));
}

/** Revokes a device, recording who, when and why; revoking it again keeps the first revocation. */
export async function revokeDevice(ctx: CountyContext, deviceId: string, revokedBy: string, reason: unknown = ''): Promise<DeviceItem> {
  const why = text(reason);
  if (why.length > 500) throw invalid([{ path: 'reason', message: 'at most 500 characters' }]);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('devices')
      .set({ revoked_at: at, revoked_by: revokedBy })
      .where('device_id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(revoked.numUpdatedRows) === 1) {
      await trx.insertInto('device_revocations').values({ id: randomUUID(), device_id: deviceId, revoked_at: at, revoked_by: revokedBy, reason: why, reenrolled_at: null }).execute();
    }
  });
  const device = (await listDevices(ctx)).find((d) => d.deviceId === deviceId);
  if (!device) throw new ApiError(404, 'device-not-found', `No enrolled device ${deviceId}`);
  return device;
}

// --- parameter sets ------------------------------------------------------------------------------

export async function publishParameterSet(ctx: CountyContext, document: unknown, publishedBy: string): Promise<{ version: string; issued: string; publishedAt: string }> {
  let set: ParameterSet;
  try {
    set = parseParameterSet(document);
  } catch (err) {
    if (isJiexuError(err)) throw invalid((err.details.problems ?? []).map((p) => ({ path: `document.${p.path}`, message: p.message })));
    throw err;
  }
  // Well-formed is not enough: what the law or the notice itself fixes is not the county's to change.
  const fixed = countyRepublishProblems(set);
  if (fixed.length > 0) throw invalid(fixed.map((p) => ({ path: `document.${p.path}`, message: p.message })));
  const existing = await ctx.db.selectFrom('parameter_sets').select('version').where('version', '=', set.version).executeTakeFirst();
  // A published version is immutable: every determination that records it must stay reproducible.
  if (existing) throw new ApiError(409, 'parameter-set-exists', `Parameter set ${set.version} is already published; publish changes under a new version`);
  const publishedAt = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('parameter_sets').values({ version: set.version, document: JSON.stringify(document), issued: set.issued, published_at: publishedAt, published_by: publishedBy }).execute();
    await logChange(trx, ctx.kind, { kind: 'parameter-set', township_code: null, ref: set.version, at: publishedAt });
  });
  return { version: set.version, issued: set.issued, publishedAt };
}

