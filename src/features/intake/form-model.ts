// The intake form's values and how they become the shared schemas' input: the form keeps what the
// clerk typed (strings, unanswered questions as null), the shared schemas decide what is valid, and
// their problems come back on the form's own field paths, in Chinese.
import { z } from '../../domain/zod';
import { checkIdNumber, idProblemZh, tryParseMonth, type CaseFacts, type FemaleCategory, type Problem } from '../../domain';
import { parseCaseFacts, type CaseFactsInput, type CaseParseResult } from '../../shared/case';
import { DISCHARGE_MODES, registrationProblems, registrationSchema, type DischargeMode, type Registration } from '../../shared/registration';
import { fieldLabelZh, problemZh } from '../labels';

export interface PeriodRow {
  from: string;
  to: string;
}

/** A yes/no question the clerk has not answered yet is null. */
export type Answer = boolean | null;

export interface IntakeFormValues {
  facts: {
    asOf: string;
    applicationDate: string;
    person: { idNumber: string; femaleCategory: FemaleCategory | null };
    service: { enlistment: string; discharge: string; militarySubsidyReceived: Answer };
    placement: { countyCode: string; unitExists: Answer; unitCanPay: Answer; superiorExists: Answer; superiorCanPay: Answer };
    pension: { insuredAtEnlistment: Answer; firstInsured: string; periods: PeriodRow[]; agencyGapMonths: number | null };
    medical: { periods: PeriodRow[] };
    assistance: { dibao: boolean; tekun: boolean };
  };
  registration: {
    name: string;
    phone: string;
    address: string;
    dischargeMode: DischargeMode | '';
    unitName: string;
    superiorName: string;
    confirmedBy: string;
    medicalInsuredAtEnlistment: Answer;
    medicalFirstInsured: string;
    otherInsuranceNote: string;
  };
}

export interface IntakeSubmission {
  facts: CaseFacts;
  registration: Registration;
}

/** A problem on a form field (`facts.pension.periods.0.from`), in Chinese. */
export interface FormProblem {
  path: string;
  message: string;
}

/** Today's date on the tablet's clock, `YYYY-MM-DD` (local time: the window's working day). */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function blankIntakeValues(today: string): IntakeFormValues {
  return {
    facts: {
      asOf: today,
      applicationDate: today,
      person: { idNumber: '', femaleCategory: null },
      service: { enlistment: '', discharge: '', militarySubsidyReceived: null },
      placement: { countyCode: '', unitExists: null, unitCanPay: null, superiorExists: null, superiorCanPay: null },
      pension: { insuredAtEnlistment: null, firstInsured: '', periods: [], agencyGapMonths: null },
      medical: { periods: [] },
      assistance: { dibao: false, tekun: false },
    },
    registration: {
      name: '',
      phone: '',
      address: '',
      dischargeMode: '',
      unitName: '',
      superiorName: '',
      confirmedBy: '',
      medicalInsuredAtEnlistment: null,
      medicalFirstInsured: '',
      otherInsuranceNote: '',
    },
  };
}

/** The form values of a saved case. */
export function valuesOfCase(facts: CaseFacts, registration: Registration): IntakeFormValues {
  const rows = (ps: readonly { from: string; to: string }[]) => ps.map((p) => ({ from: p.from, to: p.to }));
  return {
    facts: {
      asOf: facts.asOf,
      applicationDate: facts.applicationDate,
      person: { idNumber: facts.person.idNumber, femaleCategory: facts.person.femaleCategory },
      service: { ...facts.service },
      placement: { ...facts.placement },
      pension: {
        insuredAtEnlistment: facts.pension.insuredAtEnlistment,
        firstInsured: facts.pension.firstInsured ?? '',
        periods: rows(facts.pension.periods),
        agencyGapMonths: facts.pension.agencyGapMonths,
      },
      medical: { periods: rows(facts.medical.periods) },
      assistance: { ...facts.assistance },
    },
    registration: { ...registration, medicalFirstInsured: registration.medicalFirstInsured ?? '' },
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A month as the clerk may type it (`1988-3`, `198803`, `1988.03`, `1988/3`, `1988年3月`) as
 * `YYYY-MM`; a full date stays a date. Anything else is returned trimmed, for the schema to refuse.
 */
export function normalizeMonth(raw: string): string {
  const s = raw.trim();
  let m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? `${m[1]}-${pad2(month)}` : s;
  }
  m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${pad2(Number(m[2]))}-${pad2(Number(m[3]))}`;
  return s;
}

/** A date as typed (`2019-8-20`, `20190820`, `2019年8月20日`) as `YYYY-MM-DD`; a month stays a month. */
export function normalizeDate(raw: string): string {
  return normalizeMonth(raw);
}

/** The ID number as the clerk typed it, tidied: no spaces, upper-case X. */
export function tidyIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

function idIsFemale(idNumber: string): boolean {
  const c = checkIdNumber(tidyIdNumber(idNumber));
  return c.valid && c.sex === 'female';
}

function periodsInput(rows: readonly PeriodRow[]): { from: string; to: string }[] {
  return rows.map((r) => ({ from: normalizeMonth(r.from), to: normalizeMonth(r.to) }));
}

/** The case facts part of the form, as input for parseCaseFacts. */
export function toFactsInput(v: IntakeFormValues): CaseFactsInput {
  const f = v.facts;
  const p = f.placement;
  const insured = f.pension.insuredAtEnlistment;
  return {
    asOf: normalizeDate(f.asOf),
    applicationDate: normalizeDate(f.applicationDate),
    person: {
      idNumber: tidyIdNumber(f.person.idNumber),
      femaleCategory: idIsFemale(f.person.idNumber) ? f.person.femaleCategory : null,
    },
    service: {
      enlistment: normalizeMonth(f.service.enlistment),
      discharge: normalizeMonth(f.service.discharge),
      militarySubsidyReceived: f.service.militarySubsidyReceived as boolean,
    },
    placement: {
      countyCode: p.countyCode,
      unitExists: p.unitExists as boolean,
      // A unit that does not exist cannot pay: the form does not ask.
      unitCanPay: (p.unitExists === false ? false : p.unitCanPay) as boolean,
      superiorExists: p.superiorExists as boolean,
      superiorCanPay: (p.superiorExists === false ? false : p.superiorCanPay) as boolean,
    },
    pension: {
      insuredAtEnlistment: insured as boolean,
      firstInsured: insured === true ? (f.pension.firstInsured.trim() === '' ? null : normalizeMonth(f.pension.firstInsured)) : null,
      periods: periodsInput(f.pension.periods),
      agencyGapMonths: f.pension.agencyGapMonths,
    },
    medical: { periods: periodsInput(f.medical.periods) },
    assistance: { dibao: f.assistance.dibao, tekun: f.assistance.tekun },
  };
}

/**
 * Whether someone other than a unit that exists and can pay is involved, so that NM43-1.2.c asks who
 * confirmed it (the shared rule: any of the four answers is "no"; a unit that does not exist cannot pay).
 */
export function needsPayerConfirmation(p: IntakeFormValues['facts']['placement']): boolean {
  return p.unitExists === false || p.superiorExists === false || p.unitCanPay === false || p.superiorCanPay === false;
}

/** The registration part of the form, as input for the registration schema. */
export function toRegistrationInput(v: IntakeFormValues): Record<string, unknown> {
  const r = v.registration;
  const insured = r.medicalInsuredAtEnlistment;
  return {
    name: r.name,
    phone: r.phone.replace(/\s+/g, ''),
    address: r.address,
    dischargeMode: r.dischargeMode === '' ? undefined : r.dischargeMode,
    unitName: r.unitName,
    superiorName: r.superiorName,
    // Kept in the form while hidden (nothing typed is lost), but not recorded when not asked.
    confirmedBy: needsPayerConfirmation(v.facts.placement) ? r.confirmedBy : '',
    medicalInsuredAtEnlistment: insured,
    medicalFirstInsured: insured === true ? (r.medicalFirstInsured.trim() === '' ? null : normalizeMonth(r.medicalFirstInsured)) : null,
    otherInsuranceNote: r.otherInsuranceNote,
  };
}

/** `pension.periods[0].from` → `facts.pension.periods.0.from`. */
export function formPathOf(part: 'facts' | 'registration', sharedPath: string): string {
  return `${part}.${sharedPath.replace(/\[(\d+)\]/g, '.$1')}`;
}

function valueAt(values: unknown, dotted: string): unknown {
  let cur: unknown = values;
  for (const key of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const CHOICE_PATHS = /(femaleCategory|militarySubsidyReceived|countyCode|Exists|CanPay|insuredAtEnlistment|InsuredAtEnlistment|dischargeMode)$/;

function chineseProblem(part: 'facts' | 'registration', problem: Problem, values: IntakeFormValues): FormProblem {
  const path = formPathOf(part, problem.path);
  const raw = valueAt(values, path);
  const label = fieldLabelZh(problem.path);
  // An empty field is "missing", whatever check refused it first (NM43-1.2.c says itself why).
  if (problem.path === 'confirmedBy') return { path, message: problemZh(problem) };
  if (raw === '' || raw === null || (raw === undefined && !problem.message.startsWith('unknown'))) {
    return { path, message: CHOICE_PATHS.test(problem.path) ? `请选择${label}` : `请填写${label}` };
  }
  return { path, message: problemZh(problem) };
}

/** The checks of the form beyond the shared schemas: the ID number's checksum, service dates. */
function formOnlyProblems(v: IntakeFormValues, facts: CaseFactsInput): FormProblem[] {
  const out: FormProblem[] = [];
  const id = facts.person.idNumber;
  if (id !== '') {
    const check = checkIdNumber(id);
    if (!check.valid) out.push({ path: 'facts.person.idNumber', message: idProblemZh(check.reason) });
  }
  const enlistment = tryParseMonth(facts.service.enlistment);
  const discharge = tryParseMonth(facts.service.discharge);
  const application = tryParseMonth(facts.applicationDate);
  if (enlistment !== null && discharge !== null && discharge <= enlistment) {
    out.push({ path: 'facts.service.discharge', message: '退役时间应晚于入伍时间：请对照退役证件核对' });
  } else if (discharge !== null && application !== null && discharge > application) {
    out.push({ path: 'facts.service.discharge', message: '退役时间晚于申请日期：请核对退役时间和申请日期' });
  }
  if (v.registration.dischargeMode === '') out.push({ path: 'registration.dischargeMode', message: '请选择退役方式' });
  return out;
}

/** One problem per field: the first one found. */
function firstPerPath(problems: FormProblem[]): FormProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.path) ? false : (seen.add(p.path), true)));
}

/**
 * The facts part of validateIntake's problems (what the determination still needs), from a parse of
 * the facts the caller already has: the live panel does not parse them twice nor read the registration.
 */
export function factsProblems(values: IntakeFormValues, factsInput: CaseFactsInput, parsed: CaseParseResult): FormProblem[] {
  const problems = formOnlyProblems(values, factsInput).filter((p) => p.path.startsWith('facts.'));
  if (!parsed.ok) for (const p of parsed.problems) problems.push(chineseProblem('facts', p, values));
  return firstPerPath(problems);
}

/** Builds the facts schema ahead of its first use, so that a caller can do it in a task of its own. */
export function prepareFactsValidation(): void {
  parseCaseFacts({});
}

export type IntakeValidation = { ok: true; submission: IntakeSubmission } | { ok: false; problems: FormProblem[] };

/** Every problem of the form, one per field, in Chinese, on the form's paths; or the valid submission. */
export function validateIntake(values: IntakeFormValues): IntakeValidation {
  const factsInput = toFactsInput(values);
  const regInput = toRegistrationInput(values);
  const problems: FormProblem[] = formOnlyProblems(values, factsInput);
  const facts = parseCaseFacts(factsInput);
  if (!facts.ok) for (const p of facts.problems) problems.push(chineseProblem('facts', p, values));
  for (const p of registrationProblems(regInput, factsInput)) problems.push(chineseProblem('registration', p, values));

  const unique = firstPerPath(problems);
  if (unique.length > 0 || !facts.ok) return { ok: false, problems: unique };
  return { ok: true, submission: { facts: facts.facts, registration: registrationSchema.parse(regInput) } };
}

/**
 * The form's zod schema for zodResolver: the shared schemas do the checking (validateIntake), and
 * the parsed output is what a case is saved from.
 */
export const intakeFormSchema = z.lazy(() =>
  z.pipe(
    z.custom<IntakeFormValues>((v) => typeof v === 'object' && v !== null),
    z.transform((values: IntakeFormValues, ctx): IntakeSubmission => {
      const r = validateIntake(values);
      if (r.ok) return r.submission;
      for (const p of r.problems) ctx.issues.push({ code: 'custom', message: p.message, input: values, path: p.path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)) });
      return z.NEVER;
    }),
  ),
);

export const DISCHARGE_MODE_OPTIONS = DISCHARGE_MODES;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A stored draft (written by this or an older app version, so untrusted) laid over the blank form:
 * only known fields of the expected type are taken, nothing else.
 */
export function restoreValues(template: IntakeFormValues, draft: unknown): IntakeFormValues {
  const merge = (t: unknown, d: unknown): unknown => {
    if (Array.isArray(t)) {
      if (!Array.isArray(d)) return t;
      return d.filter(isRecord).slice(0, 200).map((row) => ({ from: typeof row.from === 'string' ? row.from : '', to: typeof row.to === 'string' ? row.to : '' }));
    }
    if (isRecord(t)) {
      if (!isRecord(d)) return t;
      const out: Record<string, unknown> = {};
      for (const [k, tv] of Object.entries(t)) out[k] = k in d ? merge(tv, d[k]) : tv;
      return out;
    }
    if (t === null || typeof t === 'boolean') {
      // Answers: null or a boolean; femaleCategory: null or one of its values.
      if (d === null || typeof d === 'boolean') return d;
      if (d === 'cadre' || d === 'worker') return d;
      return t;
    }
    if (typeof t === 'string') return typeof d === 'string' ? d.slice(0, 1000) : t;
    if (typeof t === 'number') return typeof d === 'number' && Number.isFinite(d) ? d : t;
    return t;
  };
  const merged = merge(template, draft) as IntakeFormValues;
  const agency = isRecord(draft) && isRecord(draft.facts) && isRecord(draft.facts.pension) ? draft.facts.pension.agencyGapMonths : undefined;
  merged.facts.pension.agencyGapMonths = typeof agency === 'number' && Number.isInteger(agency) && agency >= 0 ? agency : template.facts.pension.agencyGapMonths;
  const mode = merged.registration.dischargeMode;
  if (mode !== '' && !(DISCHARGE_MODES as readonly string[]).includes(mode)) merged.registration.dischargeMode = '';
  return merged;
}
