// County administration shared by the admin API and the command line: townships, accounts,
// enrolment codes, devices, parameter sets. Each function validates its input and throws ApiError
// with a stable code and field-named problems.

import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { fiscalSplitChanges, type ParameterSet } from '../../domain';
import { knownParameterSets } from './parameter-sets';
import { findCounty } from '../../domain/regions';
import type { Role } from '../db/schema';
import { ApiError } from '../errors';
import { enrolmentCodeHash, hashPassword, newEnrolmentCode, newOneTimePassword, passwordProblem, sha256Hex } from '../auth/secrets';
import { canonicalJson } from '../../shared/canonical-json';
import { logChange, type CountyContext } from './context';
import { appendAudit, type AuditBy } from '../audit/chain';
import { COMMAND_LINE } from '../audit/events';
import { countyParameterSet, impactSummary } from './parameter-publishing';
import type { AccountListItem, DeviceItem, SignInLockItem } from '../../shared/admin-api';
import { clearCount, listCounts } from '../auth/attempts';
import { DEFAULT_QUEUE_SETTINGS } from './overdue';
import { areaContains, areaPrefix, areaProblem, isRole, isTabletRole, ROLE_AREA_LEVELS, ROLES, smallestAreaOf, type Area } from '../../shared/roles';

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

export async function createTownship(ctx: CountyContext, input: { code: unknown; name: unknown }, by: AuditBy = COMMAND_LINE): Promise<Township> {
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
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('townships').values({ code, name, county_code: countyCode, created_at: ctx.now().toISOString() }).execute();
    await appendAudit(trx, { ...by, action: 'township.create', subject: code, area: { level: 'township', code }, detail: { name } }, ctx.now());
  });
  return { code, name, countyCode, countyName: findCounty(countyCode)!.name };
}

/** The townships within `area` (all of them without one: the command line). */
export async function listTownships(ctx: CountyContext, area?: Area): Promise<Township[]> {
  const rows = await ctx.db
    .selectFrom('townships')
    .selectAll()
    .$if(area !== undefined, (q) => q.where('code', 'like', `${areaPrefix(area!)}%`))
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, countyCode: r.county_code, countyName: findCounty(r.county_code)?.name ?? r.county_code }));
}

/** A township code's area, when the code is well-formed (whether or not the township exists). */
export function townshipArea(code: unknown): Area | undefined {
  const c = text(code);
  return townshipCodeProblem(c) === null ? { level: 'township', code: c } : undefined;
}

/**
 * What every township of this server lies in: the area of what reaches them all (a parameter set,
 * which every tablet pulls) and of what belongs to no township (a client address, an unknown user
 * name). The region while there is no township.
 */
export async function serverArea(ctx: CountyContext): Promise<Area> {
  const rows = await ctx.db.selectFrom('townships').select('code').execute();
  return smallestAreaOf(rows.map((r) => r.code));
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
  area: Area;
  /** A tablet role's township (its area's code); null for the other roles. */
  townshipCode: string | null;
  active: boolean;
  mustChangePassword: boolean;
}

type AccountRow = { id: string; username: string; display_name: string; role: Role; area_level: Area['level']; area_code: string; township_code: string | null; active: number; must_change_password: number };

function publicAccount(r: AccountRow): AccountPublic {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    area: { level: r.area_level, code: r.area_code },
    townshipCode: r.township_code,
    active: r.active === 1,
    mustChangePassword: r.must_change_password === 1,
  };
}

function usernameOf(username: unknown): string {
  const name = text(username).toLowerCase();
  if (name === '' || name.length > 64) throw invalid([{ path: 'username', message: name === '' ? 'required' : 'at most 64 characters' }]);
  return name;
}

/**
 * The area an account of `role` would get from the input: `area` ({ level, code }), or for a tablet
 * role its `townshipCode`. Throws the field-named problems; undefined only when the role is unknown.
 */
export function accountAreaOf(input: { role: unknown; area?: unknown; townshipCode?: unknown }): Area | undefined {
  if (!isRole(input.role)) return undefined;
  const levels = ROLE_AREA_LEVELS[input.role];
  const given = input.area;
  if ((given === undefined || given === null) && isTabletRole(input.role)) {
    const code = text(input.townshipCode);
    if (code === '') throw invalid([{ path: 'townshipCode', message: `required for a ${input.role}` }]);
    const problem = townshipCodeProblem(code);
    if (problem) throw invalid([{ path: 'townshipCode', message: problem }]);
    return { level: 'township', code };
  }
  if (typeof given !== 'object' || given === null) throw invalid([{ path: 'area', message: `required for a ${input.role}: { level: ${levels.join(' | ')}, code }` }]);
  const area = given as { level?: unknown; code?: unknown };
  const problem = areaProblem(area);
  if (problem) throw invalid([{ path: `area.${problem.slice(0, problem.indexOf(':'))}`, message: problem.slice(problem.indexOf(':') + 2) }]);
  const valid = area as Area;
  if (!levels.includes(valid.level)) throw invalid([{ path: 'area.level', message: `a ${input.role} has an area of level ${levels.join(' or ')}` }]);
  if (input.townshipCode !== undefined && text(input.townshipCode) !== '' && !(valid.level === 'township' && text(input.townshipCode) === valid.code)) {
    throw invalid([{ path: 'townshipCode', message: 'only a window clerk or outreach worker has a township: it is his area' }]);
  }
  return { level: valid.level, code: valid.code };
}

/**
 * Creates an account of a role with its area (an admin may only create accounts within his own: the
 * route asks the policy with accountAreaOf first). A tablet role's area is a township that exists here.
 */
export async function createAccount(
  ctx: CountyContext,
  input: { username: unknown; displayName?: unknown; password: unknown; role: unknown; area?: unknown; townshipCode?: unknown },
  by: AuditBy = COMMAND_LINE,
): Promise<AccountPublic> {
  const username = text(input.username).toLowerCase();
  const displayName = text(input.displayName) || username;
  const problems: Problem[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(username)) problems.push({ path: 'username', message: '3–64 characters: letters, digits, . _ -, starting with a letter or digit' });
  if (displayName.length > 100) problems.push({ path: 'displayName', message: 'at most 100 characters' });
  const pw = passwordProblem(input.password);
  if (pw) problems.push({ path: 'password', message: pw });
  if (!isRole(input.role)) problems.push({ path: 'role', message: `must be one of ${ROLES.join(', ')}` });
  let area: Area | undefined;
  try {
    area = accountAreaOf(input);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    problems.push(...(err.details.problems ?? []));
  }
  if (problems.length > 0 || area === undefined) throw invalid(problems);
  const role = input.role as Role;
  const tablet = isTabletRole(role);
  if (tablet) await requireTownship(ctx, area.code, input.area === undefined ? 'townshipCode' : 'area.code');
  const existing = await ctx.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirst();
  if (existing) throw new ApiError(409, 'account-exists', `An account named ${username} already exists`);

  const passwordHash = await hashPassword(input.password as string);
  const now = ctx.now().toISOString();
  const account: AccountPublic = { id: randomUUID(), username, displayName, role, area, townshipCode: tablet ? area.code : null, active: true, mustChangePassword: false };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({
        id: account.id,
        username,
        display_name: displayName,
        role,
        township_code: account.townshipCode,
        area_level: area.level,
        area_code: area.code,
        password_hash: passwordHash,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (tablet) await logChange(trx, ctx.kind, { kind: 'clerk', township_code: account.townshipCode, ref: username, at: now });
    await appendAudit(trx, { ...by, action: 'account.create', subject: username, area, detail: { role, area }, personal: { displayName } }, ctx.now());
  });
  return account;
}

/** The area of the account of that user name, or null when there is none (asked before acting on it). */
export async function accountArea(ctx: CountyContext, username: unknown): Promise<Area | null> {
  const name = text(username).toLowerCase();
  const row = await ctx.db.selectFrom('accounts').select(['area_level', 'area_code']).where('username', '=', name).executeTakeFirst();
  return row ? { level: row.area_level, code: row.area_code } : null;
}

/**
 * Resets an account's password to a one-time password, returned once and stored only as its hash.
 * Until the account changes it, it may do nothing else: its sessions end, a tablet clerk's tablets
 * forget his PIN at their next pull, and his online sign-in on a tablet is refused with
 * 'password-change-required' until he has changed it on the county page.
 */
export async function resetPassword(ctx: CountyContext, username: unknown, by: AuditBy = COMMAND_LINE): Promise<{ username: string; oneTimePassword: string }> {
  const name = usernameOf(username);
  const oneTimePassword = newOneTimePassword();
  const hash = await hashPassword(oneTimePassword);
  const now = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').select(['id', 'role', 'township_code', 'area_level', 'area_code']).where('username', '=', name).executeTakeFirst();
    if (!row) throw new ApiError(404, 'account-not-found', `No account named ${name}`);
    await trx.updateTable('accounts').set({ password_hash: hash, must_change_password: 1, updated_at: now }).where('id', '=', row.id).execute();
    const ended = await trx.deleteFrom('admin_sessions').where('account_id', '=', row.id).executeTakeFirst();
    const tablet = isTabletRole(row.role);
    if (tablet) await logChange(trx, ctx.kind, { kind: 'clerk', township_code: row.township_code, ref: name, at: now });
    // Never the one-time password, nor its hash: whoever reads the log must not be able to sign in with it.
    await appendAudit(
      trx,
      { ...by, action: 'account.reset-password', subject: name, area: { level: row.area_level, code: row.area_code }, detail: { sessionsEnded: Number(ended.numDeletedRows), tabletPinsForgotten: tablet } },
      ctx.now(),
    );
  });
  return { username: name, oneTimePassword };
}

/**
 * Ends every session of an account: its county-page sessions at once; a tablet clerk's PIN on his
 * tablets at their next pull (as for a disabled account), until he signs in online on a tablet again.
 */
export async function revokeSessions(ctx: CountyContext, username: unknown, by: AuditBy = COMMAND_LINE): Promise<{ username: string; sessionsEnded: number; tabletPinsRevoked: boolean }> {
  const name = usernameOf(username);
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').select(['id', 'role', 'township_code', 'area_level', 'area_code']).where('username', '=', name).executeTakeFirst();
    if (!row) throw new ApiError(404, 'account-not-found', `No account named ${name}`);
    const ended = await trx.deleteFrom('admin_sessions').where('account_id', '=', row.id).executeTakeFirst();
    const tablet = isTabletRole(row.role);
    if (tablet) {
      await trx.updateTable('accounts').set({ pin_revoked: 1, updated_at: now }).where('id', '=', row.id).execute();
      await logChange(trx, ctx.kind, { kind: 'clerk', township_code: row.township_code, ref: name, at: now });
    }
    const result = { username: name, sessionsEnded: Number(ended.numDeletedRows), tabletPinsRevoked: tablet };
    await appendAudit(
      trx,
      { ...by, action: 'account.revoke-sessions', subject: name, area: { level: row.area_level, code: row.area_code }, detail: { sessionsEnded: result.sessionsEnded, tabletPinsRevoked: tablet } },
      ctx.now(),
    );
    return result;
  });
}

/**
 * An account changes its own password (the current one was checked by the caller, counted like a
 * sign-in). Clears a one-time password's must-change; the account's other sessions end.
 */
export async function setOwnPassword(ctx: CountyContext, accountId: string, next: unknown, keepSessionHash: string | null, by?: AuditBy): Promise<AccountPublic> {
  const pw = passwordProblem(next);
  if (pw) throw invalid([{ path: 'newPassword', message: pw }]);
  const hash = await hashPassword(next as string);
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
    await trx.updateTable('accounts').set({ password_hash: hash, must_change_password: 0, updated_at: now }).where('id', '=', accountId).execute();
    const ended = await trx
      .deleteFrom('admin_sessions')
      .where('account_id', '=', accountId)
      .$if(keepSessionHash !== null, (q) => q.where('token_hash', '<>', keepSessionHash!))
      .executeTakeFirst();
    // Its tablets learn that the account may sign in again (they had forgotten its PIN at the reset).
    if (isTabletRole(row.role)) await logChange(trx, ctx.kind, { kind: 'clerk', township_code: row.township_code, ref: row.username, at: now });
    const area: Area = { level: row.area_level, code: row.area_code };
    // Only the account itself changes its password: without a caller's principal, it is the actor.
    const who: AuditBy = by ?? { actor: row.username, role: row.role, area };
    await appendAudit(
      trx,
      { ...who, action: 'account.change-password', subject: row.username, area, detail: { wasOneTime: row.must_change_password === 1, otherSessionsEnded: Number(ended.numDeletedRows) } },
      ctx.now(),
    );
    return publicAccount({ ...row, must_change_password: 0 });
  });
}

/** After a tablet clerk's online sign-in: his tablets' PINs count again (see revokeSessions). */
export async function clearPinRevocation(ctx: CountyContext, accountId: string): Promise<void> {
  await ctx.db.updateTable('accounts').set({ pin_revoked: 0 }).where('id', '=', accountId).where('pin_revoked', '=', 1).execute();
}

/**
 * Disables an account (or enables it again). A disabled account signs in nowhere: its county
 * sessions end at once, and a clerk's tablets learn it at their next pull and forget his PIN. An
 * administrator cannot disable himself, so that a county is never left without one by mistake.
 */
export async function setAccountActive(ctx: CountyContext, username: unknown, active: boolean, actor: string, by: AuditBy = COMMAND_LINE): Promise<AccountPublic> {
  const name = usernameOf(username);
  if (!active && name === actor) throw new ApiError(409, 'cannot-disable-self', 'An administrator cannot disable his own account');
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').selectAll().where('username', '=', name).executeTakeFirst();
    if (!row) throw new ApiError(404, 'account-not-found', `No account named ${name}`);
    await trx.updateTable('accounts').set({ active: active ? 1 : 0, updated_at: now }).where('id', '=', row.id).execute();
    if (!active) await trx.deleteFrom('admin_sessions').where('account_id', '=', row.id).execute();
    if (isTabletRole(row.role)) await logChange(trx, ctx.kind, { kind: 'clerk', township_code: row.township_code, ref: name, at: now });
    await appendAudit(trx, { ...by, action: active ? 'account.enable' : 'account.disable', subject: name, area: { level: row.area_level, code: row.area_code }, detail: { wasActive: row.active === 1 } }, ctx.now());
    return publicAccount({ ...row, active: active ? 1 : 0 });
  });
}

/**
 * Moves a tablet clerk to another township of the county's townships. His county sessions end; the
 * old township's tablets learn at their next pull that he no longer signs in there and forget his
 * PIN, and changes sent later under his old clerk token are flagged, since his account's township no
 * longer matches theirs. The new township's tablets get him at their next pull; he signs in online
 * once there. His cases stay with the township and the tablets that made them.
 */
export async function moveClerk(ctx: CountyContext, username: unknown, townshipCode: unknown, by: AuditBy = COMMAND_LINE): Promise<AccountPublic> {
  const name = usernameOf(username);
  const to = text(townshipCode);
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').selectAll().where('username', '=', name).executeTakeFirst();
    if (!row) throw new ApiError(404, 'account-not-found', `No account named ${name}`);
    if (!isTabletRole(row.role) || row.township_code === null) throw invalid([{ path: 'username', message: `${row.role} is not a tablet role: only a township's clerks move between townships` }]);
    const township = await trx.selectFrom('townships').select('code').where('code', '=', to).executeTakeFirst();
    if (!township) throw new ApiError(404, 'township-not-found', `townshipCode: no township ${to.slice(0, 12)}`);
    const from = row.township_code;
    if (from === to) throw invalid([{ path: 'townshipCode', message: `the account is already in township ${to}` }]);
    await trx.updateTable('accounts').set({ township_code: to, area_code: to, updated_at: now }).where('id', '=', row.id).execute();
    await trx.deleteFrom('admin_sessions').where('account_id', '=', row.id).execute();
    await logChange(trx, ctx.kind, { kind: 'clerk', township_code: from, ref: name, at: now });
    await logChange(trx, ctx.kind, { kind: 'clerk', township_code: to, ref: name, at: now });
    await appendAudit(trx, { ...by, action: 'account.move', subject: name, area: { level: 'township', code: to }, detail: { fromTownship: from, toTownship: to } }, ctx.now());
    return publicAccount({ ...row, township_code: to, area_code: to });
  });
}

/** The accounts whose area lies within `area` (all of them without one: the command line). */
export async function listAccounts(ctx: CountyContext, area?: Area): Promise<AccountListItem[]> {
  const rows = (
    await ctx.db
      .selectFrom('accounts')
      .selectAll()
      .$if(area !== undefined, (q) => q.where('area_code', 'like', `${areaPrefix(area!)}%`))
      .orderBy('username')
      .execute()
  ).filter((r) => area === undefined || areaContains(area, { level: r.area_level, code: r.area_code }));
  const locked = new Map((await listCounts(ctx)).filter((k) => k.kind === 'account' && k.lockedUntil !== null).map((k) => [k.subject, k.lockedUntil]));
  return rows.map((r) => ({ ...publicAccount(r), signInLockedUntil: locked.get(r.username) ?? null }));
}

// --- sign-in locks -------------------------------------------------------------------------------

/**
 * Every user name and address with failed guesses still counted (auth/throttle.ts), locked ones
 * first. With an area: the user names of accounts within it, and, when every township of the server
 * lies within it, the addresses and the names of no account.
 */
export async function listSignInLocks(ctx: CountyContext, area?: Area): Promise<SignInLockItem[]> {
  const counts = await listCounts(ctx);
  if (area === undefined) return counts;
  const accounts = new Map((await ctx.db.selectFrom('accounts').select(['username', 'area_level', 'area_code']).execute()).map((r) => [r.username, { level: r.area_level, code: r.area_code }]));
  const whole = areaContains(area, await serverArea(ctx));
  return counts.filter((k) => {
    const account = k.kind === 'account' ? accounts.get(k.subject) : undefined;
    return account ? areaContains(area, account) : whole;
  });
}

/** The area of a user name's lock: its account's, or the server's for a name of no account. */
export async function lockArea(ctx: CountyContext, username: unknown): Promise<Area> {
  return (await accountArea(ctx, username)) ?? serverArea(ctx);
}

/**
 * Clears the failed sign-ins of a user name, lifting its lock (whether or not an account of that
 * name exists: unknown names are counted too). The address the guesses came from stays counted.
 */
export async function unlockAccount(ctx: CountyContext, username: unknown, by: AuditBy = COMMAND_LINE): Promise<{ username: string; wasLocked: boolean }> {
  const name = text(username).toLowerCase();
  if (name === '' || name.length > 64) throw invalid([{ path: 'username', message: name === '' ? 'required' : 'at most 64 characters' }]);
  const cleared = await clearCount(ctx, { kind: 'account', subject: name });
  const area = await accountArea(ctx, name);
  await appendAudit(ctx.db, { ...by, action: 'sign-in-lock.clear', subject: name, area, detail: { kind: 'account', ...cleared } }, ctx.now());
  return { username: name, ...cleared };
}

/** Clears the failed sign-ins and enrolment codes counted against a client address. */
export async function unlockAddress(ctx: CountyContext, address: unknown, by: AuditBy = COMMAND_LINE): Promise<{ address: string; wasLocked: boolean }> {
  const a = text(address);
  if (isIP(a) === 0) throw invalid([{ path: 'address', message: a === '' ? 'required' : 'not an IPv4 or IPv6 address' }]);
  const signIn = await clearCount(ctx, { kind: 'address', subject: a });
  const enrolment = await clearCount(ctx, { kind: 'enrolment-address', subject: a });
  const wasLocked = signIn.wasLocked || enrolment.wasLocked;
  // The address is personal: it stays beside the chain, redactable.
  await appendAudit(ctx.db, { ...by, action: 'sign-in-lock.clear', subject: null, area: null, detail: { kind: 'address', wasLocked }, personal: { address: a } }, ctx.now());
  return { address: a, wasLocked };
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

export async function createEnrolmentCode(ctx: CountyContext, input: { townshipCode: unknown; hours?: unknown }, createdBy: string, by: AuditBy = COMMAND_LINE): Promise<IssuedCode> {
  const townshipCode = text(input.townshipCode);
  const hours = input.hours === undefined ? DEFAULT_CODE_HOURS : input.hours;
  if (typeof hours !== 'number' || !Number.isInteger(hours) || hours < 1 || hours > 24 * 30) {
    throw invalid([{ path: 'hours', message: 'expected a whole number of hours from 1 to 720' }]);
  }
  const township = await requireTownship(ctx, townshipCode, 'townshipCode');
  const now = ctx.now();
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('enrolment_codes')
      .values({ code_hash: enrolmentCodeHash(code), township_code: township.code, created_by: createdBy, created_at: now.toISOString(), expires_at: expiresAt, redeemed_at: null, redeemed_by_device: null })
      .execute();
    // Never the code: whoever reads the log must not be able to enrol a tablet with it.
    await appendAudit(trx, { ...by, action: 'enrolment-code.create', subject: township.code, area: { level: 'township', code: township.code }, detail: { expiresAt } }, now);
  });
  return { code, townshipCode: township.code, townshipName: township.name, expiresAt };
}

// --- devices -------------------------------------------------------------------------------------


/** The devices of the townships within `area` (all of them without one: the command line). */
export async function listDevices(ctx: CountyContext, area?: Area): Promise<DeviceItem[]> {
  const rows = await ctx.db
    .selectFrom('devices')
    .selectAll()
    .$if(area !== undefined, (q) => q.where('township_code', 'like', `${areaPrefix(area!)}%`))
    .orderBy('enrolled_at')
    .execute();
  const revocations = await ctx.db.selectFrom('device_revocations').selectAll().orderBy('revoked_at').orderBy('id').execute();
  const byDevice = new Map<string, typeof revocations>();
  for (const r of revocations) byDevice.set(r.device_id, [...(byDevice.get(r.device_id) ?? []), r]);
  const staleBefore = new Date(ctx.now().getTime() - (ctx.queue ?? DEFAULT_QUEUE_SETTINGS).staleDeviceDays * 86_400_000).toISOString();
  return rows.map((r) => ({
    deviceId: r.device_id,
    townshipCode: r.township_code,
    enrolledAt: r.enrolled_at,
    revokedAt: r.revoked_at,
    lastSeq: r.last_seq,
    lastSeenAt: r.last_seen_at,
    stale: r.revoked_at === null && (r.last_seen_at ?? r.enrolled_at) < staleBefore,
    appVersion: r.app_version,
    revocations: (byDevice.get(r.device_id) ?? []).map((v) => ({ revokedAt: v.revoked_at, revokedBy: v.revoked_by, reason: v.reason, reenrolledAt: v.reenrolled_at })),
  }));
}

/** The area (township) of a device, or null when there is none of that id. */
export async function deviceArea(ctx: CountyContext, deviceId: string): Promise<Area | null> {
  const row = await ctx.db.selectFrom('devices').select('township_code').where('device_id', '=', deviceId).executeTakeFirst();
  return row ? { level: 'township', code: row.township_code } : null;
}

/** Revokes a device, recording who, when and why; revoking it again keeps the first revocation. */
export async function revokeDevice(ctx: CountyContext, deviceId: string, revokedBy: string, reason: unknown = '', by: AuditBy = COMMAND_LINE): Promise<DeviceItem> {
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
      const device = await trx.selectFrom('devices').select('township_code').where('device_id', '=', deviceId).executeTakeFirstOrThrow();
      await appendAudit(trx, { ...by, action: 'device.revoke', subject: deviceId, area: { level: 'township', code: device.township_code }, detail: { reason: why } }, ctx.now());
    }
  });
  const device = (await listDevices(ctx)).find((d) => d.deviceId === deviceId);
  if (!device) throw new ApiError(404, 'device-not-found', `No enrolled device ${deviceId}`);
  return device;
}

// --- parameter sets ------------------------------------------------------------------------------

/**
 * The fiscal split ratios (NM43-1.2.b.s4) are the region's to set, or a 盟市's for its own counties:
 * a set that changes them from the set in force is published only by an account of that area.
 */
function fiscalSplitProblem(area: AuditBy['area'], changes: { region: boolean; leagues: string[] }): Problem | null {
  if (!changes.region && changes.leagues.length === 0) return null;
  if (area?.level === 'region') return null;
  if (area?.level === 'league' && !changes.region && changes.leagues.every((code) => code === area.code)) return null;
  const what = changes.region ? 'the region’s rows' : `the rows of 盟市 ${changes.leagues.join(', ')}`;
  return { path: 'document.fiscalSplit', message: `only the region, or a 盟市 for its own counties, may change the fiscal split ratios: this set changes ${what}; keep those of the set in force` };
}

/**
 * A document the account of `area` may publish: well formed, changing nothing the law or the notice
 * fixes, and the fiscal split only where the account's area sets it. The preview asks the same.
 */
export async function publishableParameterSet(ctx: CountyContext, document: unknown, area: AuditBy['area']): Promise<ParameterSet> {
  const set = countyParameterSet(document);
  const split = fiscalSplitProblem(area, fiscalSplitChanges((await knownParameterSets(ctx.db)).newest, set));
  if (split) throw invalid([split]);
  return set;
}

export async function publishParameterSet(ctx: CountyContext, document: unknown, publishedBy: string, by: AuditBy = COMMAND_LINE): Promise<{ version: string; issued: string; publishedAt: string }> {
  const set = await publishableParameterSet(ctx, document, by.area);
  const existing = await ctx.db.selectFrom('parameter_sets').select('version').where('version', '=', set.version).executeTakeFirst();
  // A published version is immutable: every determination that records it must stay reproducible.
  if (existing) throw new ApiError(409, 'parameter-set-exists', `Parameter set ${set.version} is already published; publish changes under a new version`);
  // Read before the transaction: the engine's work over the open cases holds no lock.
  const impact = await impactSummary(ctx, set);
  const publishedAt = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('parameter_sets').values({ version: set.version, document: JSON.stringify(document), issued: set.issued, published_at: publishedAt, published_by: publishedBy }).execute();
    await logChange(trx, ctx.kind, { kind: 'parameter-set', township_code: null, ref: set.version, at: publishedAt });
    // Every township of the server pulls it: an entry of no one area.
    await appendAudit(trx, { ...by, action: 'parameter-set.publish', subject: set.version, area: null, detail: { issued: set.issued, documentSha256: sha256Hex(canonicalJson(document)), impact } }, ctx.now());
  });
  return { version: set.version, issued: set.issued, publishedAt };
}

