// Possible duplicates after a case's ID number changes: the county chooses a version with another one
// when it resolves a conflict (relinkDuplicates), or a tablet's change corrects it (push applies
// relinkPlan to the batch's state: ingest.ts). Push links a case to every other case whose current ID number is
// the one a received version carries (ingest.ts), so a case with an open conflict may be linked by
// the ID number of a version the county has not chosen yet. Once the county has chosen, the case
// stands for one ID number again and its links are recomputed in the same transaction: a link holds
// while the other case has that ID number (or carries it in a version of its own open conflict).
//
// The county cannot yet decide on a link ("not a duplicate"): case_links has no decision. When it
// can, a decided pair must keep its decision here rather than be removed and linked afresh.

import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { flag, logChanges, type CountyContext } from './context';
import { lockIdNumbers, normaliseIdNumber } from './id-numbers';

/** A case linked to the one whose ID number changed. */
export interface LinkedCase {
  id: string;
  idNumber: string;
  /** ID numbers of its versions kept beside the county's in an open conflict (empty without one). */
  openConflictIdNumbers: readonly string[];
}

/**
 * Which links of case `caseId`, now of `idNumber`, no longer hold (`remove`), and which cases of that
 * ID number it must be linked to (`add`). `sameIdNumber`: ids of the cases whose ID number it is.
 */
export function relinkPlan(caseId: string, idNumber: string, linked: readonly LinkedCase[], sameIdNumber: readonly string[]): { remove: string[]; add: string[] } {
  const holds = (o: LinkedCase) => o.idNumber === idNumber || o.openConflictIdNumbers.includes(idNumber);
  const linkedIds = new Set(linked.map((o) => o.id));
  return {
    remove: linked.filter((o) => !holds(o)).map((o) => o.id),
    add: [...new Set(sameIdNumber)].filter((id) => id !== caseId && !linkedIds.has(id)),
  };
}

/** The ID number of a stored version's facts (JSON), normalised as push stores it; null when it has none. */
export function idNumberOfFacts(factsJson: string): string | null {
  const facts = JSON.parse(factsJson) as { person?: { idNumber?: unknown } };
  const raw = facts.person?.idNumber;
  return typeof raw === 'string' && raw !== '' ? normaliseIdNumber(raw) : null;
}

const pair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/** The possible-duplicate links with one end among `caseIds`. */
export async function linksOf(trx: Kysely<Database>, caseIds: readonly string[]): Promise<{ case_a: string; case_b: string }[]> {
  if (caseIds.length === 0) return [];
  return trx
    .selectFrom('case_links')
    .select(['case_a', 'case_b'])
    .where('kind', '=', 'possible-duplicate')
    .where((eb) => eb.or([eb('case_a', 'in', [...caseIds]), eb('case_b', 'in', [...caseIds])]))
    .execute();
}

/** ID numbers of the cases linked to `caseId` now: what relinking may touch besides the case's own. */
export async function linkedIdNumbers(trx: Kysely<Database>, caseId: string): Promise<string[]> {
  const others = (await linksOf(trx, [caseId])).map((l) => (l.case_a === caseId ? l.case_b : l.case_a));
  if (others.length === 0) return [];
  const rows = await trx.selectFrom('cases').select('id_number').where('id', 'in', others).execute();
  return rows.map((r) => r.id_number);
}

/**
 * Recomputes the links of case `caseId`, whose ID number is now `idNumber`, and the possible-duplicate
 * flag of every case concerned; a changed flag is logged for the case's township to pull. Call in
 * the transaction that changed the ID number, holding the advisory locks (lockIdNumbers) of the old
 * and new ID numbers and of every linked case's, as `locked` lists them.
 * Returns the ids of the cases whose flag changed.
 */
export async function relinkDuplicates(trx: Kysely<Database>, ctx: CountyContext, caseId: string, idNumber: string, locked: readonly string[], at: string): Promise<string[]> {
  const held = new Set(locked);
  let linked: { id: string; id_number: string; conflict: number }[];
  for (;;) {
    const others = (await linksOf(trx, [caseId])).map((l) => (l.case_a === caseId ? l.case_b : l.case_a));
    linked = others.length === 0 ? [] : await trx.selectFrom('cases').select(['id', 'id_number', 'conflict']).where('id', 'in', others).execute();
    // A push that linked another case since the caller read the links: lock its ID number too and look again.
    const missing = [...new Set(linked.map((r) => r.id_number))].filter((n) => !held.has(n));
    if (missing.length === 0 || ctx.kind !== 'postgres') break;
    await lockIdNumbers(trx, ctx, missing);
    for (const n of missing) held.add(n);
  }

  const openIds = await openConflictIdNumbers(
    trx,
    linked.filter((r) => r.conflict === 1 && r.id_number !== idNumber).map((r) => r.id),
  );
  const same = await trx.selectFrom('cases').select('id').where('id_number', '=', idNumber).where('id', '!=', caseId).execute();
  const plan = relinkPlan(
    caseId,
    idNumber,
    linked.map((r) => ({ id: r.id, idNumber: r.id_number, openConflictIdNumbers: openIds.get(r.id) ?? [] })),
    same.map((r) => r.id),
  );

  for (const other of plan.remove) {
    const [a, b] = pair(caseId, other);
    await trx.deleteFrom('case_links').where('case_a', '=', a).where('case_b', '=', b).where('kind', '=', 'possible-duplicate').execute();
  }
  if (plan.add.length > 0) {
    await trx
      .insertInto('case_links')
      .values(plan.add.map((other) => {
        const [a, b] = pair(caseId, other);
        return { case_a: a, case_b: b, kind: 'possible-duplicate' as const, created_at: at };
      }))
      .onConflict((oc) => oc.columns(['case_a', 'case_b', 'kind']).doNothing())
      .execute();
  }

  const affected = [caseId, ...plan.remove, ...plan.add];
  const stillLinked = new Set((await linksOf(trx, affected)).flatMap((l) => [l.case_a, l.case_b]));
  const rows = await trx.selectFrom('cases').select(['id', 'township_code', 'possible_duplicate']).where('id', 'in', affected).execute();
  const changed = rows.filter((r) => flag(stillLinked.has(r.id)) !== r.possible_duplicate);
  for (const r of changed) await trx.updateTable('cases').set({ possible_duplicate: flag(stillLinked.has(r.id)) }).where('id', '=', r.id).execute();
  // After the rows: the change log's lock comes last (context.ts). The case itself is logged by the caller, with its other changes.
  await logChanges(
    trx,
    ctx.kind,
    changed.filter((r) => r.id !== caseId).map((r) => ({ kind: 'case' as const, township_code: r.township_code, ref: r.id, at })),
  );
  return changed.map((r) => r.id);
}

/** The ID numbers each case's open conflict carries in its versions kept beside the county's (cases without one: none). */
export async function openConflictIdNumbers(trx: Kysely<Database>, caseIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (caseIds.length === 0) return out;
  const versions = await trx.selectFrom('case_versions').select(['case_id', 'facts']).where('case_id', 'in', [...caseIds]).where('conflicting', '=', 1).execute();
  for (const v of versions) {
    const n = idNumberOfFacts(v.facts);
    if (n !== null) out.set(v.case_id, [...(out.get(v.case_id) ?? []), n]);
  }
  return out;
}
