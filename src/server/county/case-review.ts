// The county's side of synced cases: the list with its flags, one case with every version, the
// server's determinations and its possible duplicates, conflict resolution and correction requests.
// Every county change bumps the case's revision and is logged for the township's tablets to pull.

import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CasesTable, Database } from '../db/schema';
import { ApiError } from '../errors';
import { logChange, type CountyContext } from './context';
import { appendAudit, type AuditBy } from '../audit/chain';
import { idNumberOfFacts, linkedIdNumbers, relinkDuplicates } from './duplicates';
import { lockIdNumbers } from './id-numbers';
import type { CaseListItem } from '../../shared/admin-api';
import { areaContains, areaPrefix, type Area } from '../../shared/roles';

export const CASE_FLAG_FILTERS = ['conflict', 'possible-duplicate', 'figures-differ', 'clerk-unverified'] as const;
export type CaseFlagFilter = (typeof CASE_FLAG_FILTERS)[number];

function item(r: Selectable<CasesTable>): CaseListItem {
  return {
    id: r.id,
    caseNumber: r.case_number,
    name: r.name,
    idNumber: r.id_number,
    deviceId: r.device_id,
    townshipCode: r.township_code,
    status: r.status,
    countyStatus: r.county_status,
    revision: r.revision,
    parametersVersion: r.parameters_version,
    flags: { conflict: r.conflict === 1, possibleDuplicate: r.possible_duplicate === 1, figuresDiffer: r.figures_differ === 1, clerkUnverified: r.clerk_unverified === 1 },
    registeredBy: r.registered_by_account,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}

/** `area`: only the cases of townships within it (the caller's area). */
export async function listCases(ctx: CountyContext, filter: { flag?: CaseFlagFilter; townshipCode?: string; area?: Area; limit?: number; offset?: number } = {}): Promise<CaseListItem[]> {
  const rows = await ctx.db
    .selectFrom('cases')
    .selectAll()
    .$if(filter.area !== undefined, (q) => q.where('township_code', 'like', `${areaPrefix(filter.area!)}%`))
    .$if(filter.flag === 'conflict', (q) => q.where('conflict', '=', 1))
    .$if(filter.flag === 'possible-duplicate', (q) => q.where('possible_duplicate', '=', 1))
    .$if(filter.flag === 'figures-differ', (q) => q.where('figures_differ', '=', 1))
    .$if(filter.flag === 'clerk-unverified', (q) => q.where('clerk_unverified', '=', 1))
    .$if(filter.townshipCode !== undefined, (q) => q.where('township_code', '=', filter.townshipCode!))
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000))
    .offset(Math.max(filter.offset ?? 0, 0))
    .execute();
  return rows.map(item);
}

export interface CaseVersionView {
  id: string;
  revision: number;
  baseRevision: number | null;
  source: 'tablet' | 'county';
  deviceId: string | null;
  actor: string;
  /** The clerk's county user name as the tablet sent it (null: none sent, or a county version). */
  clerkAccount: string | null;
  /** Why that account could not be verified (a ClerkAccountProblem), or null. */
  clerkProblem: string | null;
  at: string;
  receivedAt: string;
  status: string;
  conflicting: boolean;
  current: boolean;
  facts: unknown;
  registration: unknown;
  tabletFigures: unknown;
  serverDeterminations: { parametersVersion: string; purpose: string; figures: unknown; error: string | null; figuresDiffer: boolean }[];
}

export interface CaseDetail extends CaseListItem {
  correctionRequest: string | null;
  facts: unknown;
  registration: unknown;
  versions: CaseVersionView[];
  possibleDuplicates: CaseListItem[];
}

/** The area (township) of a case, or null when there is none of that id. */
export async function caseArea(ctx: CountyContext, id: string): Promise<Area | null> {
  const row = await ctx.db.selectFrom('cases').select('township_code').where('id', '=', id).executeTakeFirst();
  return row ? { level: 'township', code: row.township_code } : null;
}

/** `area`: the caller's; possible duplicates registered outside it are left out (their names and ID numbers are not his to see). */
export async function caseDetail(ctx: CountyContext, id: string, area?: Area): Promise<CaseDetail> {
  const row = await ctx.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError(404, 'case-not-found', `No synced case ${id}`);
  const versions = await ctx.db.selectFrom('case_versions').selectAll().where('case_id', '=', id).orderBy('received_at').orderBy('revision').execute();
  const dets = await ctx.db.selectFrom('server_determinations').select(['version_id', 'parameters_version', 'purpose', 'figures', 'error', 'figures_differ']).where('case_id', '=', id).execute();
  const links = await ctx.db
    .selectFrom('case_links')
    .select(['case_a', 'case_b'])
    .where((eb) => eb.or([eb('case_a', '=', id), eb('case_b', '=', id)]))
    .execute();
  const otherIds = links.map((l) => (l.case_a === id ? l.case_b : l.case_a));
  const others = (otherIds.length === 0 ? [] : await ctx.db.selectFrom('cases').selectAll().where('id', 'in', otherIds).execute()).filter(
    (o) => area === undefined || areaContains(area, { level: 'township', code: o.township_code }),
  );
  return {
    ...item(row),
    correctionRequest: row.correction_request,
    facts: JSON.parse(row.facts) as unknown,
    registration: JSON.parse(row.registration) as unknown,
    versions: versions.map((v) => ({
      id: v.id,
      revision: v.revision,
      baseRevision: v.base_revision,
      source: v.source,
      deviceId: v.device_id,
      actor: v.actor,
      clerkAccount: v.clerk_account,
      clerkProblem: v.clerk_problem,
      at: v.at,
      receivedAt: v.received_at,
      status: v.status,
      conflicting: v.conflicting === 1,
      current: v.id === row.current_version_id,
      facts: JSON.parse(v.facts) as unknown,
      registration: JSON.parse(v.registration) as unknown,
      tabletFigures: v.figures === null ? null : (JSON.parse(v.figures) as unknown),
      serverDeterminations: dets
        .filter((d) => d.version_id === v.id)
        .map((d) => ({ parametersVersion: d.parameters_version, purpose: d.purpose, figures: d.figures === null ? null : (JSON.parse(d.figures) as unknown), error: d.error, figuresDiffer: d.figures_differ === 1 })),
    })),
    possibleDuplicates: others.map(item),
  };
}

async function lockedCase(trx: Kysely<Database>, ctx: CountyContext, id: string): Promise<Selectable<CasesTable>> {
  const row = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', id)
    .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw new ApiError(404, 'case-not-found', `No synced case ${id}`);
  return row;
}

async function maxRevision(trx: Kysely<Database>, caseId: string, current: number): Promise<number> {
  const versions = await trx.selectFrom('case_versions').select('revision').where('case_id', '=', caseId).execute();
  return Math.max(current, ...versions.map((v) => v.revision));
}

/**
 * The county chooses which version of a conflicting case stands. The choice becomes a new county
 * version with a revision above every one seen, so the tablet's next change is based on it. A chosen
 * version of another ID number moves the case's possible-duplicate links with it (duplicates.ts).
 */
export async function resolveConflict(
  ctx: CountyContext,
  caseId: string,
  versionId: unknown,
  actor: string,
  area?: Area,
  by: AuditBy = { actor, role: null, area: area ?? null },
): Promise<CaseDetail> {
  if (typeof versionId !== 'string' || versionId === '') {
    throw new ApiError(422, 'invalid-request', 'versionId: required', { details: { problems: [{ path: 'versionId', message: 'required' }] } });
  }
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    // The ID numbers' locks come before the case's row lock, in the order push takes them, so a
    // resolution and a push of the same veteran never wait for each other in a circle. A version's
    // content never changes, and while the conflict is open only a resolution changes the case's ID
    // number, so what is read before the lock still holds after it (relinkDuplicates checks the links).
    const before = await trx.selectFrom('cases').select('id_number').where('id', '=', caseId).executeTakeFirst();
    if (!before) throw new ApiError(404, 'case-not-found', `No synced case ${caseId}`);
    const chosen = await trx.selectFrom('case_versions').selectAll().where('id', '=', versionId).where('case_id', '=', caseId).executeTakeFirst();
    const chosenIdNumber = chosen ? (idNumberOfFacts(chosen.facts) ?? before.id_number) : before.id_number;
    const locked = [before.id_number, chosenIdNumber, ...(await linkedIdNumbers(trx, caseId))];
    await lockIdNumbers(trx, ctx, locked);

    const row = await lockedCase(trx, ctx, caseId);
    if (row.conflict !== 1) throw new ApiError(409, 'no-conflict', `Case ${row.case_number} has no open conflict`);
    if (!chosen) throw new ApiError(422, 'invalid-request', `versionId: no version ${versionId} of case ${row.case_number}`, { details: { problems: [{ path: 'versionId', message: 'not a version of this case' }] } });
    const revision = (await maxRevision(trx, caseId, row.revision)) + 1;
    const id = randomUUID();
    await trx
      .insertInto('case_versions')
      .values({ id, case_id: caseId, revision, base_revision: row.revision, source: 'county', mutation_id: null, device_id: null, actor, at, received_at: at, status: chosen.status, facts: chosen.facts, registration: chosen.registration, figures: chosen.figures, conflicting: 0 })
      .execute();
    await trx.updateTable('case_versions').set({ conflicting: 0 }).where('case_id', '=', caseId).execute();
    const registration = JSON.parse(chosen.registration) as { name?: string };
    const idNumber = idNumberOfFacts(chosen.facts) ?? row.id_number;
    await trx
      .updateTable('cases')
      .set({
        status: chosen.status,
        facts: chosen.facts,
        registration: chosen.registration,
        name: registration.name ?? row.name,
        id_number: idNumber,
        revision,
        current_version_id: id,
        conflict: 0,
        updated_at: at,
        updated_by: actor,
      })
      .where('id', '=', caseId)
      .execute();
    // Recomputed whether or not the ID number changed: closing the conflict also ends the links that
    // only a version the county did not choose carried.
    await relinkDuplicates(trx, ctx, caseId, idNumber, locked, at);
    await logChange(trx, ctx.kind, { kind: 'case', township_code: row.township_code, ref: caseId, at });
    await appendAudit(trx, { ...by, action: 'case.resolve-conflict', subject: caseId, area: { level: 'township', code: row.township_code }, detail: { chosenVersionId: chosen.id, versionId: id, revision } }, ctx.now());
  });
  return caseDetail(ctx, caseId, area);
}

/** 退回补正: the county sends the case back to the window with what to correct. */
export async function requestCorrection(
  ctx: CountyContext,
  caseId: string,
  message: unknown,
  actor: string,
  area?: Area,
  by: AuditBy = { actor, role: null, area: area ?? null },
): Promise<CaseDetail> {
  const text = typeof message === 'string' ? message.trim() : '';
  if (text === '' || text.length > 500) {
    throw new ApiError(422, 'invalid-request', `message: ${text === '' ? 'required' : 'at most 500 characters'}`, { details: { problems: [{ path: 'message', message: text === '' ? 'required' : 'at most 500 characters' }] } });
  }
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockedCase(trx, ctx, caseId);
    const revision = (await maxRevision(trx, caseId, row.revision)) + 1;
    const id = randomUUID();
    await trx
      .insertInto('case_versions')
      .values({ id, case_id: caseId, revision, base_revision: row.revision, source: 'county', mutation_id: null, device_id: null, actor, at, received_at: at, status: row.status, facts: row.facts, registration: row.registration, figures: null, conflicting: 0 })
      .execute();
    await trx
      .updateTable('cases')
      .set({ county_status: 'correction-requested', correction_request: text, revision, current_version_id: id, updated_at: at, updated_by: actor })
      .where('id', '=', caseId)
      .execute();
    await logChange(trx, ctx.kind, { kind: 'case', township_code: row.township_code, ref: caseId, at });
    // What to correct may name the veteran: beside the chain, redactable.
    await appendAudit(trx, { ...by, action: 'case.request-correction', subject: caseId, area: { level: 'township', code: row.township_code }, detail: { versionId: id, revision }, personal: { message: text } }, ctx.now());
  });
  return caseDetail(ctx, caseId, area);
}
