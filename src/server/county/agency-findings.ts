// What the county records from bodies that are not users: the insurance agencies' computed figures
// per track (NM43-1.4.b), each beside the engine's re-run with the agency's months, and the
// government's confirmation that a unit or its superior is gone or unable to pay (NM43-1.2.c). A
// record is never changed: a later one for the same case (and track) supersedes it, both kept.

import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { CaseFacts } from '../../domain';
import { formatFen, parseYuanToFen } from '../../domain/money';
import {
  AGENCY_TRACKS,
  CONFIRMED_PAYERS,
  type AgencyFindingInput,
  type AgencyFindingView,
  type AgencyTrack,
  type PayerConfirmationInput,
  type PayerConfirmationView,
} from '../../shared/admin-api';
import { appendAudit, type AuditBy } from '../audit/chain';
import type { AgencyFindingsTable, CasesTable, Database, PayerConfirmationsTable } from '../db/schema';
import { ApiError } from '../errors';
import { parseCaseFacts } from '../../shared/case';
import type { CountyContext } from './context';
import { evaluateOnServer } from './determination-record';
import { knownParameterSets } from './parameter-sets';

type Problem = { path: string; message: string };

const TEXT_MAX = 200;
const MONTHS_MAX = 1200;

function refuse(problems: Problem[]): never {
  throw new ApiError(422, 'invalid-request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { details: { problems } });
}

function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Field checks shared by the form and the import: each problem named by its field. */
export interface FieldReader {
  text(v: unknown, path: string): string;
  date(v: unknown, path: string): string;
  yuan(v: unknown, path: string): string;
  months(v: unknown, path: string): number;
}

export function fieldReader(today: string, problems: Problem[]): FieldReader {
  const text = (v: unknown, path: string): string => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      problems.push({ path, message: v === undefined || v === null ? 'required' : 'must be text' });
      return '';
    }
    const t = String(v).normalize('NFC').trim();
    if (t === '') problems.push({ path, message: 'required' });
    else if (t.length > TEXT_MAX) problems.push({ path, message: `at most ${TEXT_MAX} characters` });
    return t;
  };
  return {
    text,
    date(v, path) {
      const t = typeof v === 'string' ? v.trim() : '';
      if (!isCalendarDate(t)) problems.push({ path, message: 'required: a date YYYY-MM-DD' });
      else if (t > today) problems.push({ path, message: 'is in the future' });
      return t;
    },
    yuan(v, path) {
      const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim().replace(/,/g, '') : '';
      const fen = parseYuanToFen(t);
      if (fen === null) {
        problems.push({ path, message: 'required: yuan, not negative, with at most two decimals' });
        return '';
      }
      return formatFen(fen);
    },
    months(v, path) {
      const n = typeof v === 'string' && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MONTHS_MAX) {
        problems.push({ path, message: `required: a whole number of months from 0 to ${MONTHS_MAX}` });
        return 0;
      }
      return n;
    },
  };
}

export function isAgencyTrack(v: unknown): v is AgencyTrack {
  return typeof v === 'string' && (AGENCY_TRACKS as readonly string[]).includes(v);
}

/** A finding as the form sends it, every problem named by its field. */
export function parseAgencyFindingInput(body: Record<string, unknown>, today: string): AgencyFindingInput {
  const problems: Problem[] = [];
  const read = fieldReader(today, problems);
  if (!isAgencyTrack(body.track)) problems.push({ path: 'track', message: `must be one of ${AGENCY_TRACKS.join(', ')}` });
  const input: AgencyFindingInput = {
    track: body.track as AgencyTrack,
    gapMonths: read.months(body.gapMonths, 'gapMonths'),
    unitAmount: read.yuan(body.unitAmount, 'unitAmount'),
    individualAmount: read.yuan(body.individualAmount, 'individualAmount'),
    agencyName: read.text(body.agencyName, 'agencyName'),
    documentNumber: read.text(body.documentNumber, 'documentNumber'),
    documentDate: read.date(body.documentDate, 'documentDate'),
    computedOn: read.date(body.computedOn, 'computedOn'),
  };
  if (problems.length > 0) refuse(problems);
  return input;
}

interface EngineFigures {
  gapMonths: number | null;
  unitAmount: string | null;
  individualAmount: string | null;
  error: string | null;
  parameterVersion: string;
}

/**
 * The engine on the case's facts as of the agency's computation date, with the agency's interruption
 * months for pension (the engine has no agency input for medical: its own shortfall is compared).
 * Months: the engine's own estimate, so that a disagreement on months shows beside the amounts.
 */
async function engineFigures(db: Kysely<Database>, factsJson: string, input: AgencyFindingInput): Promise<EngineFigures> {
  const set = (await knownParameterSets(db)).newest;
  const none = { gapMonths: null, unitAmount: null, individualAmount: null, parameterVersion: set.version };
  // The re-run's facts are checked as the tablet's were: stored facts the engine cannot read are named, not thrown.
  const parsed = parseCaseFacts(JSON.parse(factsJson));
  if (!parsed.ok) return { ...none, error: `invalid-case: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}` };
  const facts = parsed.facts;
  const rerun: CaseFacts = {
    ...facts,
    asOf: input.computedOn,
    pension: { ...facts.pension, agencyGapMonths: input.track === 'pension' ? input.gapMonths : facts.pension.agencyGapMonths },
  };
  const r = evaluateOnServer(rerun, set);
  if ('error' in r) return { ...none, error: r.error };
  const d = r.determination;
  if (input.track === 'pension') {
    if (!d.pension) return { ...none, error: `no-pension-figures: the engine computes no pension back-payment for this case (${d.outOfScopeReasons.join(', ') || 'not in scope'})` };
    return { gapMonths: d.pension.estimatedGapMonths, unitAmount: d.pension.unitAmount, individualAmount: d.pension.individualAmount, error: null, parameterVersion: set.version };
  }
  if (!d.medical) return { ...none, error: `no-medical-figures: the engine computes no medical back-payment for this case (${d.outOfScopeReasons.join(', ') || 'not in scope'})` };
  if (d.medical.unitAmount === null || d.medical.individualAmount === null) {
    return { ...none, gapMonths: d.medical.shortfallMonths, error: 'medical-not-payable: retirement is not reached on the computation date, so the engine gives no medical amounts' };
  }
  return { gapMonths: d.medical.shortfallMonths, unitAmount: d.medical.unitAmount, individualAmount: d.medical.individualAmount, error: null, parameterVersion: set.version };
}

export function findingView(r: Selectable<AgencyFindingsTable>): AgencyFindingView {
  return {
    id: r.id,
    caseId: r.case_id,
    track: r.track,
    gapMonths: r.gap_months,
    unitAmount: r.unit_amount,
    individualAmount: r.individual_amount,
    agencyName: r.agency_name,
    documentNumber: r.document_number,
    documentDate: r.document_date,
    computedOn: r.computed_on,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    engine: { gapMonths: r.engine_gap_months, unitAmount: r.engine_unit_amount, individualAmount: r.engine_individual_amount, error: r.engine_error },
    parameterVersion: r.parameter_version,
    differs: r.differs === 1,
    differenceAmount: r.difference_amount,
    auditSeq: r.audit_seq,
    supersededBy: r.superseded_by,
  };
}

/** Every agency finding of a case, superseded ones too, oldest first. */
export async function agencyFindings(db: Kysely<Database>, caseId: string): Promise<AgencyFindingView[]> {
  const rows = await db.selectFrom('agency_findings').selectAll().where('case_id', '=', caseId).orderBy('audit_seq').execute();
  return rows.map(findingView);
}

async function caseRow(trx: Kysely<Database>, ctx: CountyContext, caseId: string): Promise<Selectable<CasesTable>> {
  const row = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId)
    .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw new ApiError(404, 'case-not-found', `No synced case ${caseId}`);
  return row;
}

/** A finding with the engine's figures beside it, ready to store once its audit entry is appended. */
export type PreparedFinding = Omit<Selectable<AgencyFindingsTable>, 'audit_seq'> & { supersedes: string[] };

/** The engine's re-run and the comparison, inside the caller's transaction; the caller has checked the case's area. */
export async function prepareAgencyFinding(trx: Kysely<Database>, ctx: CountyContext, row: Selectable<CasesTable>, input: AgencyFindingInput, by: AuditBy): Promise<PreparedFinding> {
  const engine = await engineFigures(trx, row.facts, input);
  const agencyTotal = parseYuanToFen(input.unitAmount)! + parseYuanToFen(input.individualAmount)!;
  const engineTotal = engine.error === null ? parseYuanToFen(engine.unitAmount!)! + parseYuanToFen(engine.individualAmount!)! : 0;
  const differs =
    engine.error !== null || engine.gapMonths !== input.gapMonths || engine.unitAmount !== input.unitAmount || engine.individualAmount !== input.individualAmount;
  const previous = await trx.selectFrom('agency_findings').select('id').where('case_id', '=', row.id).where('track', '=', input.track).where('superseded_by', 'is', null).execute();
  return {
    id: randomUUID(),
    case_id: row.id,
    track: input.track,
    gap_months: input.gapMonths,
    unit_amount: input.unitAmount,
    individual_amount: input.individualAmount,
    computed_on: input.computedOn,
    agency_name: input.agencyName,
    document_number: input.documentNumber,
    document_date: input.documentDate,
    recorded_by: by.actor,
    recorded_at: ctx.now().toISOString(),
    engine_gap_months: engine.gapMonths,
    engine_unit_amount: engine.unitAmount,
    engine_individual_amount: engine.individualAmount,
    engine_error: engine.error,
    parameter_version: engine.parameterVersion,
    differs: differs ? 1 : 0,
    difference_amount: formatFen(agencyTotal - engineTotal),
    superseded_by: null,
    supersedes: previous.map((p) => p.id),
  };
}

/** What the audit chain keeps of a finding: figures and documents, nothing personal. */
export function findingAuditDetail(f: PreparedFinding): Record<string, unknown> {
  return {
    findingId: f.id,
    caseId: f.case_id,
    track: f.track,
    gapMonths: f.gap_months,
    unitAmount: f.unit_amount,
    individualAmount: f.individual_amount,
    documentNumber: f.document_number,
    documentDate: f.document_date,
    computedOn: f.computed_on,
    engineGapMonths: f.engine_gap_months,
    engineUnitAmount: f.engine_unit_amount,
    engineIndividualAmount: f.engine_individual_amount,
    parameterVersion: f.parameter_version,
    differs: f.differs === 1,
    differenceAmount: f.difference_amount,
    supersedes: f.supersedes,
  };
}

/** Stores a prepared finding under its audit entry and marks the one it replaces. */
export async function storeAgencyFinding(trx: Kysely<Database>, f: PreparedFinding, auditSeq: number): Promise<AgencyFindingView> {
  const { supersedes, ...columns } = f;
  const values = { ...columns, audit_seq: auditSeq };
  await trx.insertInto('agency_findings').values(values).execute();
  if (supersedes.length > 0) await trx.updateTable('agency_findings').set({ superseded_by: f.id }).where('id', 'in', supersedes).execute();
  return findingView(values);
}

/** Records an agency's finding on a case, beside the engine's re-run; the finding it replaces is kept. */
export async function recordAgencyFinding(ctx: CountyContext, caseId: string, input: AgencyFindingInput, by: AuditBy): Promise<AgencyFindingView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await caseRow(trx, ctx, caseId);
    const finding = await prepareAgencyFinding(trx, ctx, row, input, by);
    const area = { level: 'township' as const, code: row.township_code };
    const audit = await appendAudit(trx, { ...by, action: 'case.agency-finding', subject: caseId, area, detail: findingAuditDetail(finding) }, ctx.now());
    return storeAgencyFinding(trx, finding, audit.seq);
  });
}

// --- payer confirmations ------------------------------------------------------------------------

export function parsePayerConfirmationInput(body: Record<string, unknown>, today: string): PayerConfirmationInput {
  const problems: Problem[] = [];
  const read = fieldReader(today, problems);
  if (typeof body.payer !== 'string' || !(CONFIRMED_PAYERS as readonly string[]).includes(body.payer)) problems.push({ path: 'payer', message: `must be one of ${CONFIRMED_PAYERS.join(', ')}` });
  const input: PayerConfirmationInput = {
    payer: body.payer as PayerConfirmationInput['payer'],
    government: read.text(body.government, 'government'),
    confirmedOn: read.date(body.confirmedOn, 'confirmedOn'),
    documentNumber: read.text(body.documentNumber, 'documentNumber'),
  };
  if (problems.length > 0) refuse(problems);
  return input;
}

export function confirmationView(r: Selectable<PayerConfirmationsTable>): PayerConfirmationView {
  return {
    id: r.id,
    caseId: r.case_id,
    payer: r.payer,
    government: r.government,
    confirmedOn: r.confirmed_on,
    documentNumber: r.document_number,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    auditSeq: r.audit_seq,
    supersededBy: r.superseded_by,
  };
}

/** Every payer confirmation of a case, superseded ones too, oldest first. */
export async function payerConfirmations(db: Kysely<Database>, caseId: string): Promise<PayerConfirmationView[]> {
  const rows = await db.selectFrom('payer_confirmations').selectAll().where('case_id', '=', caseId).orderBy('audit_seq').execute();
  return rows.map(confirmationView);
}

/** Records who confirmed that the unit (or its superior) is gone or unable to pay; the one it replaces is kept. */
export async function recordPayerConfirmation(ctx: CountyContext, caseId: string, input: PayerConfirmationInput, by: AuditBy): Promise<PayerConfirmationView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await caseRow(trx, ctx, caseId);
    const id = randomUUID();
    const previous = await trx.selectFrom('payer_confirmations').select('id').where('case_id', '=', caseId).where('superseded_by', 'is', null).execute();
    const audit = await appendAudit(
      trx,
      {
        ...by,
        action: 'case.payer-confirmation',
        subject: caseId,
        area: { level: 'township', code: row.township_code },
        detail: { confirmationId: id, ...input, supersedes: previous.map((p) => p.id) },
      },
      ctx.now(),
    );
    const values = {
      id,
      case_id: caseId,
      payer: input.payer,
      government: input.government,
      confirmed_on: input.confirmedOn,
      document_number: input.documentNumber,
      recorded_by: by.actor,
      recorded_at: ctx.now().toISOString(),
      audit_seq: audit.seq,
      superseded_by: null,
    };
    await trx.insertInto('payer_confirmations').values(values).execute();
    if (previous.length > 0) await trx.updateTable('payer_confirmations').set({ superseded_by: id }).where('id', 'in', previous.map((p) => p.id)).execute();
    return confirmationView(values);
  });
}

/** The confirmation in force for a case, if any. */
export async function confirmationInForce(db: Kysely<Database>, caseId: string): Promise<Selectable<PayerConfirmationsTable> | undefined> {
  return db.selectFrom('payer_confirmations').selectAll().where('case_id', '=', caseId).where('superseded_by', 'is', null).executeTakeFirst();
}
