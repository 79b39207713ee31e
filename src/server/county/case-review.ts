// The county's side of synced cases: the list with its flags, one case with every version, the
// server's determinations and its possible duplicates, conflict resolution and correction requests.
// Every county change bumps the case's revision and is logged for the township's tablets to pull.

import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CasesTable, Database, UnitPayer } from '../db/schema';
import { namePinyinSearchText } from '../../shared/pinyin';
import { ApiError } from '../errors';
import { logChange, type CountyContext } from './context';
import { appendAudit, type AuditBy } from '../audit/chain';
import { idNumberOfFacts, linkedIdNumbers, relinkDuplicates } from './duplicates';
import { lockIdNumbers } from './id-numbers';
import type { CaseListItem } from '../../shared/admin-api';
import { areaContains, type Area, type Role } from '../../shared/roles';
import type { CaseStep, CaseStepView } from '../../shared/case-lifecycle';
import { allowedSteps } from '../auth/policy-table';
import { caseSteps, takeStep, type Signer } from './case-lifecycle';
import type { AgencyFindingView, PayerConfirmationView } from '../../shared/admin-api';
import { agencyFindings, payerConfirmations } from './agency-findings';
import type { AccountPrincipal } from '../auth/policy';

/** The columns a case of the county's lists is shown with (not its facts: the queue never reads them). */
export const CASE_ITEM_COLUMNS = [
  'id',
  'case_number',
  'name',
  'id_number',
  'device_id',
  'township_code',
  'status',
  'county_status',
  'lifecycle_status',
  'lifecycle_since',
  'unit_payer',
  'revision',
  'parameters_version',
  'conflict',
  'possible_duplicate',
  'figures_differ',
  'clerk_unverified',
  'application_late',
  'provisional_parameters',
  'registered_by_account',
  'received_at',
  'updated_at',
] as const satisfies readonly (keyof CasesTable)[];
export type CaseItemRow = Pick<Selectable<CasesTable>, (typeof CASE_ITEM_COLUMNS)[number]>;

export function caseItem(r: CaseItemRow): CaseListItem {
  return {
    id: r.id,
    caseNumber: r.case_number,
    name: r.name,
    idNumber: r.id_number,
    deviceId: r.device_id,
    townshipCode: r.township_code,
    status: r.status,
    countyStatus: r.county_status,
    lifecycleStatus: r.lifecycle_status,
    lifecycleSince: r.lifecycle_since,
    unitPayer: r.unit_payer,
    revision: r.revision,
    parametersVersion: r.parameters_version,
    flags: {
      conflict: r.conflict === 1,
      possibleDuplicate: r.possible_duplicate === 1,
      figuresDiffer: r.figures_differ === 1,
      clerkUnverified: r.clerk_unverified === 1,
      lateApplication: r.application_late === 1,
      provisionalParameters: r.provisional_parameters === 1,
    },
    registeredBy: r.registered_by_account,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}
const item = caseItem;

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
  /** Every signed step of the case's lifecycle, void ones marked, oldest first. */
  steps: CaseStepView[];
  /** The steps the reader's role may take from the case's status (none when no role was given). */
  allowedSteps: CaseStep[];
  /** The agencies' findings beside the engine's re-runs, superseded ones too, oldest first. */
  agencyFindings: AgencyFindingView[];
  /** Who confirmed that the unit or its superior is gone or unable to pay, superseded ones too. */
  payerConfirmations: PayerConfirmationView[];
}

/** The area (township) of a case, or null when there is none of that id. */
export async function caseArea(ctx: CountyContext, id: string): Promise<Area | null> {
  const row = await ctx.db.selectFrom('cases').select('township_code').where('id', '=', id).executeTakeFirst();
  return row ? { level: 'township', code: row.township_code } : null;
}

/** `area`: the caller's; possible duplicates registered outside it are left out (their names and ID numbers are not his to see). */
export async function caseDetail(ctx: CountyContext, id: string, area?: Area, role?: Role): Promise<CaseDetail> {
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
    steps: await caseSteps(ctx.db, id),
    allowedSteps: role === undefined ? [] : allowedSteps(role, row.lifecycle_status),
    agencyFindings: await agencyFindings(ctx.db, id),
    payerConfirmations: await payerConfirmations(ctx.db, id),
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
    // The queue's columns follow the chosen version: its determination's payer and flags, its name's pinyin.
    const own = await trx
      .selectFrom('server_determinations')
      .select(['figures', 'application_late', 'provisional'])
      .where('version_id', '=', chosen.id)
      .where('purpose', '=', 'tablet-set')
      .executeTakeFirst();
    const figures = own?.figures ? (JSON.parse(own.figures) as { pensionUnitPayer?: UnitPayer | null; medicalUnitPayer?: UnitPayer | null }) : null;
    const name = registration.name ?? row.name;
    await trx
      .updateTable('cases')
      .set({
        status: chosen.status,
        facts: chosen.facts,
        registration: chosen.registration,
        name,
        name_pinyin: name === row.name ? row.name_pinyin : await namePinyinSearchText(name),
        unit_payer: figures?.pensionUnitPayer ?? figures?.medicalUnitPayer ?? null,
        application_late: own?.application_late ?? null,
        provisional_parameters: own?.provisional ?? null,
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

/**
 * 退回补正: the county sends the case back to the window with what to correct. The signed lifecycle
 * step 'correction-requested' (county/case-lifecycle.ts) under this route's older name and field.
 * `principal`: the account asking through the API, whose role and the case's status the policy
 * checks; without one the program signs on `actor`'s behalf and only the status is checked.
 */
export async function requestCorrection(
  ctx: CountyContext,
  caseId: string,
  message: unknown,
  actor: string,
  area?: Area,
  by: AuditBy = { actor, role: null, area: area ?? null },
  principal: AccountPrincipal | null = null,
): Promise<CaseDetail> {
  const text = typeof message === 'string' ? message.trim() : '';
  if (text === '' || text.length > 500) {
    throw new ApiError(422, 'invalid-request', `message: ${text === '' ? 'required' : 'at most 500 characters'}`, { details: { problems: [{ path: 'message', message: text === '' ? 'required' : 'at most 500 characters' }] } });
  }
  const signer: Signer = principal === null ? { principal: null, by } : { principal, by };
  await takeStep(ctx, caseId, { step: 'correction-requested', comment: text, checks: null, reasonForVeteran: null }, signer);
  return caseDetail(ctx, caseId, area, principal?.role);
}
