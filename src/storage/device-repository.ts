// The tablet's own identity and counters, and the clerk of the shift (until enrolment and sign-in
// arrive: the device id made here is kept at enrolment, so case numbers issued before stay valid).

import type { JiexuDb } from './db';
import { StorageError } from './errors';
import { randomDeviceId, uuidv7 } from './ids';
import type { AuditEvent, DeviceInfo } from './types';

const DEVICE_KEY = 'device';
const CURRENT_CLERK_KEY = 'clerk.current';
const KNOWN_CLERKS_KEY = 'clerk.known';

export const CLERK_NAME_MAX = 50;

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

export interface DeviceRepository {
  getOrCreateDevice(): Promise<DeviceInfo>;
  /** The clerk who started the current shift on this tablet, or null. */
  currentClerk(): Promise<string | null>;
  /** Starts a shift: records the clerk (audit event `shift.start`) and remembers the name. */
  setCurrentClerk(name: string): Promise<string>;
  /** Names used on this tablet before, most recent first, for the shift picker. */
  knownClerks(): Promise<string[]>;
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

    async setCurrentClerk(name) {
      const clerk = normaliseClerkName(name);
      const at = now();
      await db.transaction('rw', [db.meta, db.audit], async () => {
        const device = await deviceIn(db, now);
        await db.meta.put({ key: CURRENT_CLERK_KEY, value: { name: clerk, since: at.toISOString() } });
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
          changes: [],
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
  };
}
