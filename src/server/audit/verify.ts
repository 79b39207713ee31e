import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { auditHead, entryHash, GENESIS_HASH, personalDigest, type AuditHead, type AuditRow } from './chain';

/**
 * Why a chain does not verify, named at its first broken link:
 * - altered: an entry's fields no longer give its hash, or it was rewritten with a new hash
 *   (the next entry was chained to another one);
 * - deleted: entries are missing (a gap in seq, or entries renumbered to close one, or cut off at the end);
 * - inserted: an entry the chain never appended (entries after it renumbered, or added after the head);
 * - reordered: an entry stands before entries that were appended before it;
 * - head-mismatch: the last entry is not the one the head row records;
 * - values-altered: stored personal values no longer give the digest their entry holds.
 */
export type AuditBreak = 'altered' | 'deleted' | 'inserted' | 'reordered' | 'head-mismatch' | 'values-altered';

export type AuditVerification =
  | { ok: true; count: number; head: AuditHead }
  | { ok: false; count: number; head: AuditHead; broken: { seq: number; reason: AuditBreak; message: string } };

/** Entries read at a time: the chain may be long, its rows are small. */
const PAGE = 2000;

/** Recomputes the whole chain and the personal values' digests, and names the first broken link. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  const head = await auditHead(db);
  let count = 0;
  const fail = (seq: number, reason: AuditBreak, message: string): AuditVerification => ({ ok: false, count, head, broken: { seq, reason, message } });

  let expected = 1;
  let prevHash = GENESIS_HASH;
  let lastSeq = 0;
  for (;;) {
    const page: AuditRow[] = await db.selectFrom('audit_chain').selectAll().where('seq', '>', lastSeq).orderBy('seq').limit(PAGE).execute();
    for (const row of page) {
      count++;
      const selfOk = entryHash(row) === row.hash;
      if (!selfOk) {
        const broken = await diagnoseMoved(db, row, prevHash);
        if (broken) return fail(broken.seq, broken.reason, broken.message);
        return fail(row.seq, 'altered', `Entry ${row.seq} (${row.action}) was altered: its fields no longer give its hash`);
      }
      if (row.seq > expected) {
        return fail(expected, 'deleted', row.seq === expected + 1 ? `Entry ${expected} is missing` : `Entries ${expected} to ${row.seq - 1} are missing`);
      }
      if (row.prev_hash !== prevHash) {
        // Both entries give their own hashes, but this one was chained to another predecessor.
        return fail(row.seq - 1, 'altered', `Entry ${row.seq - 1} was rewritten: entry ${row.seq} was chained to a different entry ${row.seq - 1}`);
      }
      prevHash = row.hash;
      expected = row.seq + 1;
      lastSeq = row.seq;
    }
    if (page.length < PAGE) break;
  }

  if (lastSeq < head.seq) {
    return fail(lastSeq + 1, 'deleted', lastSeq + 1 === head.seq ? `Entry ${head.seq}, the last one, is missing` : `Entries ${lastSeq + 1} to ${head.seq}, the last ones, are missing`);
  }
  if (lastSeq > head.seq) {
    return fail(head.seq + 1, 'inserted', `Entries after the head (seq ${head.seq}) were added: the chain ends at ${lastSeq}`);
  }
  if (prevHash !== head.hash) {
    return fail(lastSeq, 'head-mismatch', `Entry ${lastSeq} is not the one the head records (head hash ${head.hash}, entry hash ${prevHash})`);
  }

  const values = await db
    .selectFrom('audit_values')
    .leftJoin('audit_chain', 'audit_chain.seq', 'audit_values.entry_seq')
    .select([
      'audit_values.entry_seq',
      'audit_values.salt',
      'audit_values.personal',
      'audit_values.area_level',
      'audit_values.area_code',
      'audit_chain.personal_sha256',
      'audit_chain.area_level as chain_area_level',
      'audit_chain.area_code as chain_area_code',
    ])
    .orderBy('audit_values.entry_seq')
    .execute();
  for (const v of values) {
    const problem =
      v.personal_sha256 == null
        ? 'its entry holds no digest of personal values'
        : v.area_level !== v.chain_area_level || v.area_code !== v.chain_area_code
          ? 'their area is not their entry’s'
          : v.personal !== null && (v.salt === null || personalDigest(v.salt, v.personal) !== v.personal_sha256)
            ? 'they no longer give the digest their entry holds'
            : null;
    if (problem !== null) return fail(v.entry_seq, 'values-altered', `The personal values of entry ${v.entry_seq} were altered: ${problem}`);
  }
  return { ok: true, count, head };
}

/**
 * A row whose hash fails may be a whole entry standing at another seq than the one it was appended
 * at: its hash then comes out right for that seq. Which seq, and what moved it, names the break.
 */
async function diagnoseMoved(db: Kysely<Database>, row: AuditRow, expectedPrev: string): Promise<{ seq: number; reason: AuditBreak; message: string } | null> {
  const max = (await db.selectFrom('audit_chain').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst())?.max ?? 0;
  let original: number | null = null;
  for (let seq = 1; seq <= Number(max) + 1; seq++) {
    if (seq !== row.seq && entryHash({ ...row, seq }) === row.hash) {
      original = seq;
      break;
    }
  }
  if (original === null) return null;
  if (original < row.seq) {
    return { seq: original, reason: 'inserted', message: `Entry ${original} was pushed to seq ${row.seq}: entries were inserted before it` };
  }
  // Appended later, standing earlier: either the entries in between moved behind it, or they are gone.
  const displaced = await db.selectFrom('audit_chain').select('seq').where('prev_hash', '=', expectedPrev).where('seq', '>', row.seq).limit(1).executeTakeFirst();
  if (displaced) {
    return { seq: row.seq, reason: 'reordered', message: `Entry ${original} stands at seq ${row.seq}, before the entry appended there (now at seq ${displaced.seq})` };
  }
  return {
    seq: row.seq,
    reason: 'deleted',
    message: `Entry ${original} was renumbered to ${row.seq}: ${original - row.seq === 1 ? `entry ${row.seq} is` : `entries ${row.seq} to ${original - 1} are`} missing`,
  };
}
