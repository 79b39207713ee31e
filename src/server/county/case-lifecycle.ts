// The signed case lifecycle at the county (src/shared/case-lifecycle.ts): each step moves the case from
// one status to the next, is signed by appending it to the audit chain in the same transaction, and
// keeps the entry's seq and hash. A signed step is never changed, only followed by another; a tablet's
// correction after 退回补正 marks the signatures it makes obsolete void (voidCorrected), keeping them.
// Which role may take which step from which status is the policy table's (auth/policy-table.ts).

import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import {
  isCaseStep,
  requiredVerificationChecks,
  VERIFICATION_CHECKS,
  type CaseStep,
  type CaseStepView,
  type LifecycleStatus,
  type StepTaken,
  type VerificationCheck,
  type VerificationCheckRecord,
} from '../../shared/case-lifecycle';
import { areaContains, type Area } from '../../shared/roles';
import { appendAudit, type AuditBy, type AuditEvent } from '../audit/chain';
import { authorize, type AccountPrincipal } from '../auth/policy';
import { grantOf, policyRow, STEP_ACTIONS } from '../auth/policy-table';
import type { CaseStepsTable, Database } from '../db/schema';
import { ApiError } from '../errors';
import { confirmationInForce } from './agency-findings';
import { logChange, type CountyContext } from './context';

const TEXT_MAX = 500;
const FIELD_MAX = 64;

type Problem = { path: string; message: string };

function refuse(problems: Problem[]): never {
  throw new ApiError(422, 'invalid-request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { details: { problems } });
}

/** A trimmed text of at most `max` characters; '' when absent. */
function text(v: unknown, path: string, max: number, problems: Problem[]): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') {
    problems.push({ path, message: 'must be text' });
    return '';
  }
  const t = v.trim();
  if (t.length > max) problems.push({ path, message: `at most ${max} characters` });
  return t;
}

/** A text that must not be empty (text already names one that is not text). */
function required(v: unknown, path: string, message: string, problems: Problem[]): string {
  const t = text(v, path, TEXT_MAX, problems);
  if (t === '' && (v === undefined || v === null || typeof v === 'string')) problems.push({ path, message });
  return t;
}

/** The calendar date in China (UTC+8, no summer time): a document dated today there is not in the future. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export interface StepInput {
  step: CaseStep;
  comment: string;
  checks: VerificationCheckRecord[] | null;
  reasonForVeteran: string | null;
}

/**
 * The request's step, checked as far as it can be without the case: the fields each step needs and
 * no field it does not. Which sub-checks 核查通过 needs depends on the case's facts (requiredChecks).
 */
export function parseStepInput(body: Record<string, unknown>, today: string): StepInput {
  if (!isCaseStep(body.step)) refuse([{ path: 'step', message: `must be one of ${Object.keys(STEP_ACTIONS).join(', ')}` }]);
  const step = body.step;
  const problems: Problem[] = [];
  // Every step records why; for 退回补正 it is what the window is asked to correct.
  const comment = required(body.comment, 'comment', 'required', problems);

  let reasonForVeteran: string | null = null;
  if (step === 'not-eligible') {
    reasonForVeteran = required(body.reasonForVeteran, 'reasonForVeteran', 'required: the reason the veteran is told, in plain words', problems);
  } else if (body.reasonForVeteran !== undefined && body.reasonForVeteran !== null) {
    problems.push({ path: 'reasonForVeteran', message: 'only for the step not-eligible' });
  }

  let checks: VerificationCheckRecord[] | null = null;
  if (step === 'verified') {
    checks = parseChecks(body.checks, today, problems);
  } else if (body.checks !== undefined && body.checks !== null) {
    problems.push({ path: 'checks', message: 'only for the step verified' });
  }
  if (problems.length > 0) refuse(problems);
  return { step, comment, checks, reasonForVeteran };
}

function parseChecks(v: unknown, today: string, problems: Problem[]): VerificationCheckRecord[] {
  if (!Array.isArray(v)) {
    problems.push({ path: 'checks', message: 'required: the sub-checks of the verification, each with its document' });
    return [];
  }
  const out: VerificationCheckRecord[] = [];
  v.forEach((raw: unknown, i) => {
    const path = `checks[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push({ path, message: 'must be an object' });
      return;
    }
    const c = raw as Record<string, unknown>;
    const check = c.check;
    if (typeof check !== 'string' || !(VERIFICATION_CHECKS as readonly string[]).includes(check)) {
      problems.push({ path: `${path}.check`, message: `must be one of ${VERIFICATION_CHECKS.join(', ')}` });
      return;
    }
    if (out.some((o) => o.check === check)) problems.push({ path: `${path}.check`, message: `${check} is given twice` });
    const documentNumber = text(c.documentNumber, `${path}.documentNumber`, FIELD_MAX, problems);
    if (documentNumber === '') problems.push({ path: `${path}.documentNumber`, message: 'required' });
    const documentDate = typeof c.documentDate === 'string' ? c.documentDate.trim() : '';
    if (!isCalendarDate(documentDate)) problems.push({ path: `${path}.documentDate`, message: 'required: a date YYYY-MM-DD' });
    else if (documentDate > today) problems.push({ path: `${path}.documentDate`, message: 'is in the future' });
    const recordedBy = text(c.recordedBy, `${path}.recordedBy`, FIELD_MAX, problems);
    if (recordedBy === '') problems.push({ path: `${path}.recordedBy`, message: 'required' });
    out.push({ check: check as VerificationCheck, documentNumber, documentDate, recordedBy });
  });
  return out;
}

/** The sub-checks 核查通过 needs for a case of these facts and unit payer (requiredVerificationChecks). */
export function requiredChecks(factsJson: string, unitPayer: string | null = null): VerificationCheck[] {
  const facts = JSON.parse(factsJson) as { assistance?: { dibao?: unknown; tekun?: unknown } };
  const assisted = facts.assistance?.dibao === true || facts.assistance?.tekun === true;
  return requiredVerificationChecks({ assisted, unitPayer });
}

const MISSING_CHECK: Partial<Record<VerificationCheck, string>> = {
  'civil-affairs': 'required: the case records 低保 or 特困, which civil affairs must confirm',
  'government-confirmation': 'required: the unit’s share is not paid by the original unit, which the same-level government must confirm',
};

export function stepView(r: Selectable<CaseStepsTable>): CaseStepView {
  return {
    id: r.id,
    step: r.step,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    actor: r.actor,
    role: r.role,
    area: r.area_level === null || r.area_code === null ? null : { level: r.area_level, code: r.area_code },
    at: r.at,
    comment: r.comment,
    checks: r.checks === null ? null : (JSON.parse(r.checks) as VerificationCheckRecord[]),
    reasonForVeteran: r.reason_for_veteran,
    void: r.void === 1,
    voidedByStep: r.voided_by_step,
    auditSeq: r.audit_seq,
    auditHash: r.audit_hash,
  };
}

/** Every signed step of a case, void ones too, oldest first. */
export async function caseSteps(db: Kysely<Database>, caseId: string): Promise<CaseStepView[]> {
  const rows = await db.selectFrom('case_steps').selectAll().where('case_id', '=', caseId).orderBy('audit_seq').execute();
  return rows.map(stepView);
}

/** Who signs: an account through the API (its role, area and the case's status are checked), or the program on a user's behalf. */
export type Signer = { principal: AccountPrincipal; by: AuditBy } | { principal: null; by: AuditBy };

/**
 * Signs one step on a case. In one transaction: the case locked, the policy asked with the case's
 * status (a step not allowed from it answers 409 step-not-allowed-from-status), the sub-checks the
 * facts call for, the status moved, the chain appended, the step stored with the entry's seq and hash.
 * 退回补正 also does what a correction request always did: a county version the tablet pulls.
 */
export async function takeStep(ctx: CountyContext, caseId: string, input: StepInput, signer: Signer): Promise<StepTaken> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => signStep(trx, ctx.kind, now, caseId, input, signer));
}

/** takeStep's body in the caller's transaction: the batch signs many cases in one, their rows locked first. */
async function signStep(
  trx: Kysely<Database>,
  kind: CountyContext['kind'],
  now: Date,
  caseId: string,
  input: StepInput,
  signer: Signer,
  extraDetail: Record<string, unknown> = {},
): Promise<StepTaken> {
  const at = now.toISOString();
  const action = STEP_ACTIONS[input.step];
  const to: LifecycleStatus = input.step;
  const row = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId)
    .$if(kind === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw new ApiError(404, 'case-not-found', `No synced case ${caseId}`);
  const area: Area = { level: 'township', code: row.township_code };
  const from = row.lifecycle_status;
  if (signer.principal !== null) authorize(signer.principal, { type: 'county', action, target: area, fromStatus: from });
  else if (policyRow(action, from) === undefined) throw new ApiError(409, 'step-not-allowed-from-status', `${action} may not be taken on a case in status ${from}`);

  // Two versions compete until the county picks one: there are no facts yet to verify.
  if (input.step === 'verified' && row.conflict === 1) throw new ApiError(409, 'conflict-open', `Case ${row.case_number} has an open conflict: choose the version that stands before verifying it`);
  if (input.step === 'verified') {
    const given = new Set((input.checks ?? []).map((c) => c.check));
    const missing = requiredChecks(row.facts, row.unit_payer).filter((c) => !given.has(c));
    if (missing.length > 0) refuse(missing.map((c) => ({ path: `checks.${c}`, message: MISSING_CHECK[c] ?? 'required' })));
    // The confirmation itself is on record (payer-confirmations), naming the payer the case has.
    if (given.has('government-confirmation') && (row.unit_payer === 'superior' || row.unit_payer === 'fiscal')) {
      const confirmed = await confirmationInForce(trx, caseId);
      if (confirmed?.payer !== row.unit_payer) {
        refuse([{ path: 'checks.government-confirmation', message: `required: record the government’s confirmation that the ${row.unit_payer} pays first (payer-confirmations)` }]);
      }
    }
  }

  const caseSet: Record<string, unknown> = { lifecycle_status: to, lifecycle_since: at, updated_at: at, updated_by: signer.by.actor };
  let versionId: string | null = null;
  let revision = row.revision;
  if (input.step === 'correction-requested') {
    const versions = await trx.selectFrom('case_versions').select('revision').where('case_id', '=', caseId).execute();
    revision = Math.max(row.revision, ...versions.map((v) => v.revision)) + 1;
    versionId = randomUUID();
    await trx
      .insertInto('case_versions')
      .values({ id: versionId, case_id: caseId, revision, base_revision: row.revision, source: 'county', mutation_id: null, device_id: null, actor: signer.by.actor, at, received_at: at, status: row.status, facts: row.facts, registration: row.registration, figures: null, conflicting: 0 })
      .execute();
    Object.assign(caseSet, { county_status: 'correction-requested', correction_request: input.comment, revision, current_version_id: versionId });
  }
  await trx.updateTable('cases').set(caseSet).where('id', '=', caseId).execute();
  // Every step: the tablet shows where its case is, and knows from 核查通过 on that it may no longer change it.
  await logChange(trx, kind, { kind: 'case', township_code: row.township_code, ref: caseId, at });

  const id = randomUUID();
  // Ids, statuses and the sub-checks' documents in the chain; the free texts may name the veteran: beside it, redactable.
  const entry = await appendAudit(
    trx,
    {
      ...signer.by,
      action,
      subject: caseId,
      area,
      detail: { stepId: id, step: input.step, from, to, checks: input.checks, ...(versionId !== null ? { versionId, revision } : {}), ...extraDetail },
      personal: { comment: input.comment, ...(input.reasonForVeteran !== null ? { reasonForVeteran: input.reasonForVeteran } : {}) },
    },
    now,
  );
  const stepRow = {
    id,
    case_id: caseId,
    step: input.step,
    from_status: from,
    to_status: to,
    actor: signer.by.actor,
    role: (signer.by.role ?? null) as CaseStepsTable['role'],
    area_level: signer.by.area?.level ?? null,
    area_code: signer.by.area?.code ?? null,
    at,
    comment: input.comment,
    checks: input.checks === null ? null : JSON.stringify(input.checks),
    reason_for_veteran: input.reasonForVeteran,
    void: 0,
    voided_by_step: null,
    audit_seq: entry.seq,
    audit_hash: entry.hash,
  };
  await trx.insertInto('case_steps').values(stepRow).execute();
  return { lifecycleStatus: to, step: stepView(stepRow) };
}

/** At most this many cases in one batch: one transaction holds all their rows locked. */
export const BATCH_MAX = 200;

export interface BatchSendInput {
  caseIds: string[];
  comment: string;
  agencyName: string;
}

/** A batch of 送经办机构: the verified cases, why, and the agency that receives them. */
export function parseBatchSendInput(body: Record<string, unknown>): BatchSendInput {
  const problems: Problem[] = [];
  if (body.step !== 'sent-to-agency') problems.push({ path: 'step', message: 'must be sent-to-agency' });
  const comment = required(body.comment, 'comment', 'required', problems);
  const agencyName = required(body.agencyName, 'agencyName', 'required: the agency that receives the cases', problems);
  if (agencyName.length > FIELD_MAX) problems.push({ path: 'agencyName', message: `at most ${FIELD_MAX} characters` });
  const ids = body.caseIds;
  let caseIds: string[] = [];
  if (!Array.isArray(ids) || ids.length === 0) problems.push({ path: 'caseIds', message: 'required: the ids of the cases to send' });
  else if (ids.length > BATCH_MAX) problems.push({ path: 'caseIds', message: `at most ${BATCH_MAX} cases in one batch` });
  else if (ids.some((id) => typeof id !== 'string' || id === '' || id.length > FIELD_MAX)) problems.push({ path: 'caseIds', message: 'each must be a case id' });
  else caseIds = [...new Set(ids as string[])];
  if (problems.length > 0) refuse(problems);
  return { caseIds, comment, agencyName };
}

export interface BatchRefusal {
  caseId: string;
  /** case-not-found also for a case outside the caller's area: the batch says no more of it than the single route. */
  code: 'case-not-found' | 'step-not-allowed-from-status' | 'forbidden';
}

/** One line of the printed handover list (移交清单): what the agency needs to find the person and the case. */
export interface HandoverLine {
  caseId: string;
  caseNumber: string;
  name: string;
  /** In full: the agency finds the insured person by it, and the reviewer may read it for his area. */
  idNumber: string;
  townshipCode: string;
  unitPayer: string | null;
  /** The engine's four amounts together, in fen; null when it gave none. */
  estimateFen: number | null;
}

export interface BatchSent {
  signed: (StepTaken & { caseId: string })[];
  refused: BatchRefusal[];
  handover: HandoverLine[];
}

/**
 * 送经办机构 for many cases in one transaction, each its own signed step and audit entry. The rows are
 * locked in id order before any is signed, so that two batches over the same cases wait for each other
 * instead of each holding a case the other needs while it waits for the chain's or the log's lock.
 */
export async function sendToAgencyBatch(ctx: CountyContext, input: BatchSendInput, principal: AccountPrincipal, by: AuditBy): Promise<BatchSent> {
  const now = ctx.now();
  const action = STEP_ACTIONS['sent-to-agency'];
  const ids = [...input.caseIds].sort();
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('cases')
      .select(['id', 'township_code', 'lifecycle_status'])
      .where('id', 'in', ids)
      .orderBy('id')
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: BatchSent = { signed: [], refused: [], handover: [] };
    for (const caseId of ids) {
      const row = byId.get(caseId);
      if (row === undefined || !areaContains(principal.area, { level: 'township', code: row.township_code })) {
        out.refused.push({ caseId, code: 'case-not-found' });
        continue;
      }
      if (grantOf(principal.role, action, row.lifecycle_status) === null) {
        out.refused.push({ caseId, code: policyRow(action, row.lifecycle_status) === undefined ? 'step-not-allowed-from-status' : 'forbidden' });
        continue;
      }
      const taken = await signStep(trx, ctx.kind, now, caseId, { step: 'sent-to-agency', comment: input.comment, checks: null, reasonForVeteran: null }, { principal, by }, { agencyName: input.agencyName });
      out.signed.push({ caseId, ...taken });
    }
    if (out.signed.length > 0) out.handover = await handoverLines(trx, out.signed.map((x) => x.caseId));
    return out;
  });
}

async function handoverLines(trx: Kysely<Database>, caseIds: string[]): Promise<HandoverLine[]> {
  const rows = await trx
    .selectFrom('cases')
    .leftJoin('server_determinations as d', (j) => j.onRef('d.version_id', '=', 'cases.current_version_id').on('d.purpose', '=', 'tablet-set'))
    .select(['cases.id', 'cases.case_number', 'cases.name', 'cases.id_number', 'cases.township_code', 'cases.unit_payer'])
    .select(['d.engine_pension_unit_fen', 'd.engine_pension_individual_fen', 'd.engine_medical_unit_fen', 'd.engine_medical_individual_fen'])
    .where('cases.id', 'in', caseIds)
    .orderBy('cases.case_number')
    .execute();
  return rows.map((r) => {
    const amounts = [r.engine_pension_unit_fen, r.engine_pension_individual_fen, r.engine_medical_unit_fen, r.engine_medical_individual_fen].filter((a): a is number => a !== null);
    return {
      caseId: r.id,
      caseNumber: r.case_number,
      name: r.name,
      idNumber: r.id_number,
      townshipCode: r.township_code,
      unitPayer: r.unit_payer,
      estimateFen: amounts.length === 0 ? null : amounts.reduce((a, b) => a + Number(b), 0),
    };
  });
}

/** A case a tablet corrected while in 退回补正: pushed as an applied version. */
export interface Correction {
  caseId: string;
  townshipCode: string;
  versionId: string;
  revision: number;
}

/**
 * A tablet's correction after 退回补正 returns the case to 'synced' (the push sets the status): the
 * signatures given on the facts it corrected no longer hold. Every step in force but the requests for
 * correction is marked void by the latest 退回补正, never deleted; the chain records the return. Call
 * in the push's transaction, before the change log's lock; append the events returned after it.
 */
export async function voidCorrected(trx: Kysely<Database>, corrections: readonly Correction[], by: AuditBy): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (const c of corrections) {
    const inForce = await trx.selectFrom('case_steps').select(['id', 'step']).where('case_id', '=', c.caseId).where('void', '=', 0).orderBy('audit_seq').execute();
    const request = inForce.filter((s) => s.step === 'correction-requested').at(-1);
    const voided = inForce.filter((s) => s.step !== 'correction-requested').map((s) => s.id);
    if (request !== undefined && voided.length > 0) {
      await trx.updateTable('case_steps').set({ void: 1, voided_by_step: request.id }).where('id', 'in', voided).execute();
    }
    events.push({
      ...by,
      action: 'case.corrected',
      subject: c.caseId,
      area: { level: 'township', code: c.townshipCode },
      detail: { from: 'correction-requested', to: 'synced', versionId: c.versionId, revision: c.revision, correctionStep: request?.id ?? null, voidedSteps: request === undefined ? [] : voided },
    });
  }
  return events;
}
