// The tablet's own identity and counters, and the clerk of the shift (until enrolment and sign-in
// arrive: the device id made here is kept at enrolment, so case numbers issued before stay valid).

import type { JiexuDb } from './db';
import { StorageError } from './errors';
import { DEVICE_ID_PATTERN, randomDeviceId, uuidv7 } from './ids';
import type { AuditEvent, DeviceInfo } from './types';

const DEVICE_KEY = 'device';
const CURRENT_CLERK_KEY = 'clerk.current';
const KNOWN_CLERKS_KEY = 'clerk.known';
const ENROLMENT_KEY = 'device.enrolment';
/** The pull cursor (sync-repository.ts); a tablet enrolled for another township starts again from the beginning. */
export const PULL_CURSOR_KEY = 'sync.cursor';

export const CLERK_NAME_MAX = 50;

const CLERK_TOKEN_PREFIX = 'clerk.token/';

/** Where a clerk's signed token is kept in the meta table (beside his PIN verifier, under his user name). */
export function clerkTokenKey(username: string): string {
  return `${CLERK_TOKEN_PREFIX}${username.trim().toLowerCase()}`;
}

const LOCK_SETTINGS_KEY = 'lock.settings';

/** A device setting: the idle lock and the length of a shift. */
export interface LockSettings {
  idleSeconds: number;
  shiftHours: number;
}

export const DEFAULT_LOCK_SETTINGS: LockSettings = { idleSeconds: 300, shiftHours: 12 };

// A shorter idle time only locks sooner, so any value down to a second is safe to honour; a longer
// one than an hour, or a shift beyond a day, would leave a tablet open at an empty window.
const IDLE_SECONDS = { min: 1, max: 3600 };
const SHIFT_HOURS = { min: 1, max: 24 };

function within(v: unknown, range: { min: number; max: number }, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(range.max, Math.max(range.min, v)) : fallback;
}

/** The stored setting, each value within its bounds; the defaults where missing. */
export function lockSettingsOf(v: unknown): LockSettings {
  const s = (typeof v === 'object' && v !== null ? v : {}) as Partial<Record<keyof LockSettings, unknown>>;
  return { idleSeconds: within(s.idleSeconds, IDLE_SECONDS, DEFAULT_LOCK_SETTINGS.idleSeconds), shiftHours: within(s.shiftHours, SHIFT_HOURS, DEFAULT_LOCK_SETTINGS.shiftHours) };
}

/** The shift as stored: the clerk's name, his county account (null for a clerk of a tablet not enrolled), its start. */
export interface StoredShift {
  name: string;
  account: string | null;
  since: string;
}

export type SequenceName = 'caseNumber' | 'outbox';

function isDeviceInfo(v: unknown): v is DeviceInfo {
  return typeof v === 'object' && v !== null && typeof (v as DeviceInfo).deviceId === 'string' && typeof (v as DeviceInfo).createdAt === 'string';
}

/** The device record, made on first call. Call inside a rw transaction that includes `meta`, or alone. */
export async function deviceIn(db: JiexuDb, now: () => Date): Promise<DeviceInfo> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(DEVICE_KEY);
    if (row && isDeviceInfo(row.value)) return row.value;
    const device: DeviceInfo = { deviceId: randomDeviceId(), createdAt: now().toISOString() };
    await db.meta.add({ key: DEVICE_KEY, value: device });
    return device;
  });
}

/**
 * The next number of a per-device sequence (1, 2, 3 …). Atomic: call it inside the rw transaction
 * that writes what the number is for, so a failed write gives the number back.
 */
export async function nextSequence(db: JiexuDb, name: SequenceName): Promise<number> {
  return db.transaction('rw', db.meta, async () => {
    const key = `seq.${name}`;
    const row = await db.meta.get(key);
    const next = (typeof row?.value === 'number' ? row.value : 0) + 1;
    await db.meta.put({ key, value: next });
    return next;
  });
}

/**
 * The county account of the shift's clerk when `name` is that clerk (signed in, not merely picked),
 * else undefined. Call inside the transaction that records the change (it reads `meta`).
 */
export async function shiftAccountOf(db: JiexuDb, name: string): Promise<string | undefined> {
  const v = (await db.meta.get(CURRENT_CLERK_KEY))?.value as { name?: unknown; account?: unknown } | undefined;
  return v?.name === name && typeof v.account === 'string' ? v.account : undefined;
}

/** Why a clerk name cannot be recorded, or null when it can. */
export function clerkNameProblem(name: unknown): string | null {
  const n = typeof name === 'string' ? name.normalize('NFKC').trim() : '';
  if (n === '') return 'required';
  if (n.length > CLERK_NAME_MAX) return `at most ${CLERK_NAME_MAX} characters`;
  return null;
}

/** A clerk name as the audit trail records it; throws `invalid-clerk-name`. */
export function normaliseClerkName(name: unknown): string {
  const problem = clerkNameProblem(name);
  if (problem !== null) throw new StorageError('invalid-clerk-name', `clerk: ${problem}`, { problems: [{ path: 'clerk', message: problem }] });
  return (name as string).normalize('NFKC').trim().replace(/\s+/g, ' ');
}

/** The tablet's enrolment at the county: where it syncs, with what credential, for which township. */
export interface DeviceEnrolment {
  /** The county server, e.g. https://192.168.1.20:8443 (no trailing slash). */
  serverUrl: string;
  /** The bearer credential the server issued for this device (stored only here). */
  credential: string;
  township: { code: string; name: string };
  enrolledAt: string;
  /** When the server refused this device as revoked; null while it may sync. */
  revokedAt: string | null;
}

/** Why a server address cannot be used, or null. */
export function serverUrlProblem(url: unknown): string | null {
  if (typeof url !== 'string' || url.trim() === '') return 'required';
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'not an address (expected e.g. https://192.168.1.20:8443)';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'expected an http:// or https:// address';
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return 'expected only scheme, host, port and path';
  return null;
}

/** The server address as stored: no trailing slash. */
export function normaliseServerUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function isEnrolment(v: unknown): v is DeviceEnrolment {
  const e = v as DeviceEnrolment | undefined;
  return typeof e === 'object' && e !== null && typeof e.serverUrl === 'string' && typeof e.credential === 'string' && typeof e.township?.code === 'string';
}

export interface DeviceRepository {
  getOrCreateDevice(): Promise<DeviceInfo>;
  /** The clerk who started the current shift on this tablet, or null. */
  currentClerk(): Promise<string | null>;
  /**
   * Starts a shift: records the clerk (audit event `shift.start`) and remembers the name. `account` is
   * the county user name of a clerk who signed in (online, or offline with his PIN).
   */
  setCurrentClerk(name: string, account?: string): Promise<string>;
  /** The county user name of the clerk of the shift, or null (a name picked without signing in). */
  currentClerkAccount(): Promise<string | null>;
  /** The open shift: its clerk and when it started, or null. */
  currentShift(): Promise<StoredShift | null>;
  /** Ends the shift (signed out, or its time ran out): no clerk until the next sign-in. */
  endShift(): Promise<void>;
  /** How long the tablet waits before it locks, and how long a shift lasts. */
  lockSettings(): Promise<LockSettings>;
  /** Changes the setting; a change is recorded (audit event `settings.lock`) as made by `actor`, the clerk of the shift. */
  setLockSettings(settings: Partial<LockSettings>, actor: string): Promise<LockSettings>;
  /** Names used on this tablet before, most recent first, for the shift picker. */
  knownClerks(): Promise<string[]>;
  /** The enrolment, or null while the tablet is not enrolled. */
  enrolment(): Promise<DeviceEnrolment | null>;
  /**
   * Records a redeemed enrolment code (a revoked tablet enrolled again replaces the old one) and the
   * device id the server assigned, which numbers the cases made from now on (the server keeps the
   * numbers made under the earlier id valid for this tablet). Throws `invalid-enrolment`.
   */
  saveEnrolment(input: { serverUrl: string; credential: string; deviceId: string; township: { code: string; name: string }; enrolledAt?: string }): Promise<DeviceEnrolment>;
  /** Keeps the token the county signed at a clerk's online sign-in on this tablet: sent with his changes. */
  saveClerkToken(username: string, token: { token: string; expiresAt: string }): Promise<void>;
  /** The clerks' tokens by user name. */
  clerkTokens(): Promise<Map<string, string>>;
  /** The server refused this device as revoked: it stops syncing; its unsynced cases stay. */
  markRevoked(): Promise<DeviceEnrolment | null>;
}

export function createDeviceRepository(db: JiexuDb, options: { now?: () => Date } = {}): DeviceRepository {
  const now = options.now ?? (() => new Date());
  return {
    getOrCreateDevice: () => deviceIn(db, now),

    async currentClerk() {
      const row = await db.meta.get(CURRENT_CLERK_KEY);
      const v = row?.value as { name?: unknown } | undefined;
      return typeof v?.name === 'string' ? v.name : null;
    },

    async currentClerkAccount() {
      const row = await db.meta.get(CURRENT_CLERK_KEY);
      const v = row?.value as { account?: unknown } | undefined;
      return typeof v?.account === 'string' ? v.account : null;
    },

    async currentShift() {
      const v = (await db.meta.get(CURRENT_CLERK_KEY))?.value as { name?: unknown; since?: unknown; account?: unknown } | undefined;
      if (typeof v?.name !== 'string' || typeof v.since !== 'string' || Number.isNaN(Date.parse(v.since))) return null;
      return { name: v.name, since: v.since, account: typeof v.account === 'string' ? v.account : null };
    },

    async endShift() {
      await db.meta.delete(CURRENT_CLERK_KEY);
    },

    async lockSettings() {
      return lockSettingsOf((await db.meta.get(LOCK_SETTINGS_KEY))?.value);
    },

    async setLockSettings(settings, actor) {
      const clerk = normaliseClerkName(actor);
      const at = now();
      return db.transaction('rw', [db.meta, db.audit], async () => {
        const before = lockSettingsOf((await db.meta.get(LOCK_SETTINGS_KEY))?.value);
        const next = lockSettingsOf({ ...before, ...settings });
        const changes = (['idleSeconds', 'shiftHours'] as const).filter((k) => before[k] !== next[k]).map((k) => ({ path: k, before: before[k], after: next[k] }));
        if (changes.length === 0) return next;
        await db.meta.put({ key: LOCK_SETTINGS_KEY, value: next });
        const device = await deviceIn(db, now);
        const event: AuditEvent = {
          id: uuidv7(at.getTime()),
          at: at.toISOString(),
          actor: clerk,
          deviceId: device.deviceId,
          action: 'settings.lock',
          caseId: null,
          caseNumber: null,
          revision: null,
          changes,
          reason: null,
        };
        await db.audit.add(event);
        return next;
      });
    },

    async setCurrentClerk(name, account) {
      const clerk = normaliseClerkName(name);
      const at = now();
      await db.transaction('rw', [db.meta, db.audit], async () => {
        const device = await deviceIn(db, now);
        await db.meta.put({ key: CURRENT_CLERK_KEY, value: { name: clerk, since: at.toISOString(), ...(account ? { account } : {}) } });
        const known = await db.meta.get(KNOWN_CLERKS_KEY);
        const names = Array.isArray(known?.value) ? (known.value as unknown[]).filter((n): n is string => typeof n === 'string') : [];
        await db.meta.put({ key: KNOWN_CLERKS_KEY, value: [clerk, ...names.filter((n) => n !== clerk)] });
        const event: AuditEvent = {
          id: uuidv7(at.getTime()),
          at: at.toISOString(),
          actor: clerk,
          deviceId: device.deviceId,
          action: 'shift.start',
          caseId: null,
          caseNumber: null,
          revision: null,
          changes: account ? [{ path: 'clerkAccount', before: null, after: account }] : [],
          reason: null,
        };
        await db.audit.add(event);
      });
      return clerk;
    },

    async knownClerks() {
      const row = await db.meta.get(KNOWN_CLERKS_KEY);
      return Array.isArray(row?.value) ? (row.value as unknown[]).filter((n): n is string => typeof n === 'string') : [];
    },

    async enrolment() {
      const row = await db.meta.get(ENROLMENT_KEY);
      return isEnrolment(row?.value) ? row.value : null;
    },

    async saveEnrolment(input) {
      const problems: { path: string; message: string }[] = [];
      const urlProblem = serverUrlProblem(input.serverUrl);
      if (urlProblem) problems.push({ path: 'serverUrl', message: urlProblem });
      if (typeof input.credential !== 'string' || input.credential.length < 20) problems.push({ path: 'credential', message: 'expected the credential the server issued' });
      if (!DEVICE_ID_PATTERN.test(input.deviceId ?? '')) problems.push({ path: 'deviceId', message: 'expected the device id the server assigned' });
      if (!/^\d{9}$/.test(input.township?.code ?? '')) problems.push({ path: 'township.code', message: 'expected a 9-digit township code' });
      if (problems.length > 0) throw new StorageError('invalid-enrolment', `enrolment: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
      const enrolment: DeviceEnrolment = {
        serverUrl: normaliseServerUrl(input.serverUrl),
        credential: input.credential,
        township: { code: input.township.code, name: input.township.name },
        enrolledAt: input.enrolledAt ?? now().toISOString(),
        revokedAt: null,
      };
      await db.transaction('rw', db.meta, async () => {
        const device = await deviceIn(db, now);
        if (device.deviceId !== input.deviceId) await db.meta.put({ key: DEVICE_KEY, value: { ...device, deviceId: input.deviceId } });
        const before = await db.meta.get(ENROLMENT_KEY);
        // The cursor belongs to the township's change feed: another township starts from the beginning.
        if (!isEnrolment(before?.value) || before.value.township.code !== enrolment.township.code) await db.meta.delete(PULL_CURSOR_KEY);
        await db.meta.put({ key: ENROLMENT_KEY, value: enrolment });
      });
      return enrolment;
    },

    async saveClerkToken(username, token) {
      await db.meta.put({ key: clerkTokenKey(username), value: { token: token.token, expiresAt: token.expiresAt } });
    },

    async clerkTokens() {
      const rows = await db.meta.where('key').startsWith(CLERK_TOKEN_PREFIX).toArray();
      const out = new Map<string, string>();
      for (const r of rows) {
        const v = r.value as { token?: unknown } | undefined;
        if (typeof v?.token === 'string') out.set(r.key.slice(CLERK_TOKEN_PREFIX.length), v.token);
      }
      return out;
    },

    async markRevoked() {
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get(ENROLMENT_KEY);
        if (!isEnrolment(row?.value)) return null;
        if (row.value.revokedAt !== null) return row.value;
        const revoked: DeviceEnrolment = { ...row.value, revokedAt: now().toISOString() };
        await db.meta.put({ key: ENROLMENT_KEY, value: revoked });
        return revoked;
      });
    },
  };
}
