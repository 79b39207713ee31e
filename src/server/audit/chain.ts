// The county server's audit log: an append-only chain in which every entry carries the SHA-256 of
// its own fields and of the entry before it. Whoever changes, removes, adds or moves a row afterwards
// has to rewrite every later hash and the head, and the head, once copied out (an export, a report,
// a note on paper), no longer matches. Personal values never enter the chain: it holds a salted
// digest of them, the values themselves sit in audit_values, where the law's deletion can remove
// them (with their salt, so the digest can no longer confirm a guess) while the chain stays whole.

import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { canonicalJson } from '../../shared/canonical-json';
import type { AuditChainTable, Database } from '../db/schema';

export type AuditAreaLevel = 'township' | 'county' | 'league' | 'region';
export type AuditArea = { level: AuditAreaLevel; code: string } | null;

export interface AuditEvent {
  /** What happened, e.g. 'account.create', 'sign-in.failure', 'case.read', 'tablet.case-registered'. */
  action: string;
  /** A user name, 'device:<id>', or 'anonymous'. */
  actor: string;
  role: string | null;
  /** Whose records it concerns: who may list the entry. */
  area: AuditArea;
  /** What it is about: a user name, case id, device id … */
  subject: string | null;
  /** What changed, without personal values (ids, revisions, flags, digests): stored in the chain. */
  detail?: unknown;
  /** Personal values: stored beside the chain, area-scoped, redactable. */
  personal?: Record<string, unknown>;
  /** For a tablet's entry: when it happened on the device (ISO). */
  occurredAt?: string;
}

/** Who acts: what appendAudit needs of a Principal (see actor.ts). */
export type AuditBy = Pick<AuditEvent, 'actor' | 'role' | 'area'>;

export interface AuditHead {
  /** The number of entries, which is the last one's seq (0 for an empty chain). */
  seq: number;
  hash: string;
  /** When the last entry was appended; null for an empty chain. */
  at: string | null;
}

/** The hash an empty chain's first entry links to. */
export const GENESIS_HASH = '0'.repeat(64);

const HASH_VERSION = 1;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The fields a hash covers, as the chain stores them. */
type HashedFields = Pick<
  AuditChainTable,
  'seq' | 'at' | 'occurred_at' | 'action' | 'actor' | 'role' | 'area_level' | 'area_code' | 'subject' | 'detail' | 'personal_sha256' | 'prev_hash'
>;

/**
 * An entry's hash: SHA-256 over the canonical JSON of its fields, the detail as its own digest (so
 * that the hash can be checked from a copy of the chain without the details) and the previous hash.
 * Stored hashes depend on this exact form: a change needs a new HASH_VERSION, never an edit.
 */
export function entryHash(f: HashedFields): string {
  return sha256(
    canonicalJson({
      v: HASH_VERSION,
      seq: f.seq,
      at: f.at,
      occurredAt: f.occurred_at,
      action: f.action,
      actor: f.actor,
      role: f.role,
      area: f.area_level === null ? null : { level: f.area_level, code: f.area_code },
      subject: f.subject,
      detailSha256: f.detail === null ? null : sha256(f.detail),
      personalSha256: f.personal_sha256,
      prev: f.prev_hash,
    }),
  );
}

/** The salted digest of an entry's personal values, as the chain holds it. */
export function personalDigest(salt: string, personalJson: string): string {
  return sha256(`${salt}\n${personalJson}`);
}

/** Rows per INSERT: far below either database's bound-parameter limit (13 columns each). */
const ROWS_PER_INSERT = 200;

/**
 * Appends one entry. Inside a caller's transaction it becomes part of it (committed or rolled back
 * with the change it records); call it last there, after logChange, so that no writer holding the
 * chain's lock waits for another lock.
 */
export async function appendAudit(db: Kysely<Database>, event: AuditEvent, now: Date): Promise<{ seq: number; hash: string }> {
  return (await appendAuditMany(db, [event], now))!;
}

/** Appends the entries in order, all in one transaction: the last one's seq and hash, null for none. */
export async function appendAuditMany(db: Kysely<Database>, events: readonly AuditEvent[], now: Date): Promise<{ seq: number; hash: string } | null> {
  if (events.length === 0) return null;
  return inTransaction(db, (trx) => appendLocked(trx, events, now));
}

/**
 * Appends the event unless an entry of the same action and subject was appended in the same minute of
 * the server's clock: a password guessed a thousand times is one entry a minute, not a thousand
 * (the sign-in throttle counts every attempt). Returns null when it was collapsed.
 */
export async function appendAuditCollapsed(db: Kysely<Database>, event: AuditEvent, now: Date): Promise<{ seq: number; hash: string } | null> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  return inTransaction(db, async (trx) => {
    await lockHead(trx);
    // Looked up under the chain's lock, so two concurrent failures cannot both be the minute's first.
    const recent = await trx
      .selectFrom('audit_chain')
      .select('seq')
      .where('subject', event.subject === null ? 'is' : '=', event.subject)
      .where('action', '=', event.action)
      .where('at', '>=', minute)
      .limit(1)
      .executeTakeFirst();
    return recent ? null : appendLocked(trx, [event], now);
  });
}

async function inTransaction<T>(db: Kysely<Database>, body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? body(db) : db.transaction().execute(body);
}

/**
 * Takes the chain's lock: a write to the head row. On PostgreSQL it holds the row until the
 * transaction ends, and a waiting append then reads the head its predecessor left; on SQLite the
 * first write takes the database's write lock, so no other process appends in between either.
 */
async function lockHead(trx: Kysely<Database>): Promise<AuditHead> {
  await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('id', '=', 1)
    .execute();
  const head = await trx.selectFrom('audit_head').select(['seq', 'hash', 'at']).where('id', '=', 1).executeTakeFirst();
  if (!head) throw new Error('The audit head row is missing: the audit chain cannot be appended to (run npm run admin -- audit-verify)');
  return head;
}

/**
 * A text as both databases give it back: a lone surrogate (a user name typed by a hostile client)
 * is stored as U+FFFD, so it is hashed as U+FFFD, or the entry would no longer verify once read.
 */
function stored<T extends string | null>(text: T): T {
  return (text === null ? null : text.toWellFormed()) as T;
}

async function appendLocked(trx: Kysely<Database>, events: readonly AuditEvent[], now: Date): Promise<{ seq: number; hash: string }> {
  const head = await lockHead(trx);
  const at = now.toISOString();
  let prev = head.hash;
  let seq = head.seq;
  const chainRows: AuditChainTable[] = [];
  const valueRows: Database['audit_values'][] = [];
  for (const event of events) {
    seq++;
    let personalSha256: string | null = null;
    if (event.personal !== undefined && Object.keys(event.personal).length > 0) {
      const salt = randomBytes(16).toString('hex');
      const personal = canonicalJson(event.personal);
      personalSha256 = personalDigest(salt, personal);
      valueRows.push({
        entry_seq: seq,
        area_level: event.area?.level ?? null,
        area_code: event.area?.code ?? null,
        salt,
        personal,
        redacted_at: null,
        redacted_by_seq: null,
      });
    }
    const fields: HashedFields = {
      seq,
      at,
      occurred_at: stored(event.occurredAt ?? null),
      action: stored(event.action),
      actor: stored(event.actor),
      role: stored(event.role),
      area_level: event.area?.level ?? null,
      area_code: stored(event.area?.code ?? null),
      subject: stored(event.subject),
      detail: event.detail === undefined ? null : canonicalJson(event.detail),
      personal_sha256: personalSha256,
      prev_hash: prev,
    };
    prev = entryHash(fields);
    chainRows.push({ ...fields, hash: prev });
  }
  for (let i = 0; i < chainRows.length; i += ROWS_PER_INSERT) {
    await trx.insertInto('audit_chain').values(chainRows.slice(i, i + ROWS_PER_INSERT)).execute();
  }
  for (let i = 0; i < valueRows.length; i += ROWS_PER_INSERT) {
    await trx.insertInto('audit_values').values(valueRows.slice(i, i + ROWS_PER_INSERT)).execute();
  }
  await trx.updateTable('audit_head').set({ seq, hash: prev, at }).where('id', '=', 1).execute();
  return { seq, hash: prev };
}

export class AuditValuesError extends Error {
  constructor(
    readonly code: 'audit-values-not-found' | 'audit-values-redacted',
    message: string,
  ) {
    super(message);
    this.name = 'AuditValuesError';
  }
}

/**
 * Removes the personal values of entry `entrySeq` (and their salt) where the law requires it, and
 * records the removal as an entry of its own, in one transaction. The entry itself stays: its digest
 * of the values keeps the chain verifiable, and without the salt it confirms no guess.
 */
export async function redactAuditValues(
  db: Kysely<Database>,
  entrySeq: number,
  by: AuditBy | string,
  reason: string,
  now: Date,
): Promise<{ seq: number; hash: string }> {
  const who: AuditBy = typeof by === 'string' ? { actor: by, role: null, area: null } : by;
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('audit_values').selectAll().where('entry_seq', '=', entrySeq).executeTakeFirst();
    if (!row) throw new AuditValuesError('audit-values-not-found', `Audit entry ${entrySeq} has no personal values`);
    if (row.redacted_at !== null) throw new AuditValuesError('audit-values-redacted', `The personal values of audit entry ${entrySeq} were already redacted at ${row.redacted_at}`);
    const at = now.toISOString();
    await trx.updateTable('audit_values').set({ personal: null, salt: null, redacted_at: at }).where('entry_seq', '=', entrySeq).execute();
    const area: AuditArea = row.area_level === null || row.area_code === null ? null : { level: row.area_level, code: row.area_code };
    const appended = await appendLocked(trx, [{ ...who, action: 'audit.redact', subject: `audit:${entrySeq}`, area, detail: { entrySeq, reason } }], now);
    await trx.updateTable('audit_values').set({ redacted_by_seq: appended.seq }).where('entry_seq', '=', entrySeq).execute();
    return appended;
  });
}

/** The chain's head as the head row records it. */
export async function auditHead(db: Kysely<Database>): Promise<AuditHead> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash', 'at']).where('id', '=', 1).executeTakeFirst();
  return head ?? { seq: 0, hash: GENESIS_HASH, at: null };
}

/** The head an export states, so that whoever holds the export can check the chain it came from. */
export async function auditHeadForExport(db: Kysely<Database>): Promise<AuditHead> {
  return auditHead(db);
}

export type AuditRow = Selectable<AuditChainTable>;
