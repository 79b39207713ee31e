// The facts of a registration that the engine does not read but the window records: the veteran's
// name and contact, how he left the army, the placement unit's names and who confirmed it cannot pay,
// the medical insurance start. Messages are English; the UI maps field paths to Chinese.

import { z } from '../domain/zod';
import { tryParseMonth, type CaseFacts, type Problem } from '../domain';
import { problemsOfZodError } from './case';

export const DISCHARGE_MODES = ['discharged', 'demobilized', 'transferred', 'self-employed', 'assigned-job', 'retired', 'supported', 'other'] as const;
//                                退伍          复员           转业           自主就业         安排工作        退休       供养        其他
export type DischargeMode = (typeof DISCHARGE_MODES)[number];

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const registrationSchema = z.lazy(() => {
  const trimmedText = (max: number) => z.string().check(z.trim(), z.maxLength(max, `at most ${max} characters`));
  return z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1, 'required'), z.maxLength(50, 'at most 50 characters')),
    phone: z.string().check(
      z.trim(),
      z.refine((p: string) => p === '' || MOBILE.test(p) || LANDLINE.test(p), 'expected a mobile number (11 digits starting 13–19) or a landline (0xxx-xxxxxxx)'),
    ),
    address: trimmedText(200),
    dischargeMode: z.enum(DISCHARGE_MODES),
    unitName: trimmedText(100),
    superiorName: trimmedText(100),
    confirmedBy: trimmedText(100),
    medicalInsuredAtEnlistment: z.boolean(),
    medicalFirstInsured: z.nullable(z.string().check(z.refine((m: string) => MONTH.test(m) && tryParseMonth(m) !== null, 'not a month (expected YYYY-MM)'))),
    otherInsuranceNote: trimmedText(500),
  });
});

export type Registration = z.output<typeof registrationSchema>;
export type RegistrationInput = z.input<typeof registrationSchema>;

/** A blank registration for a new intake form. */
export function emptyRegistration(): Registration {
  return {
    name: '',
    phone: '',
    address: '',
    dischargeMode: 'discharged',
    unitName: '',
    superiorName: '',
    confirmedBy: '',
    medicalInsuredAtEnlistment: false,
    medicalFirstInsured: null,
    otherInsuranceNote: '',
  };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The rules tying registration fields to each other and to the case facts. Like crossFieldProblems,
 * each applies only when the fields it reads are well-formed, so it can run on raw form input.
 */
export function crossRegistrationProblems(reg: unknown, facts: CaseFacts | unknown): Problem[] {
  const out: Problem[] = [];
  const r = obj(reg);
  if (!r) return out;
  const f = obj(facts);

  // NM43-1.2.c: "不存在或缴纳确有困难" must be confirmed by the people's government at the same level.
  const placement = f ? obj(f.placement) : undefined;
  if (placement && typeof r.confirmedBy === 'string' && r.confirmedBy.trim() === '') {
    const flags = ['unitExists', 'unitCanPay', 'superiorExists', 'superiorCanPay'] as const;
    const negative = flags.filter((k) => placement[k] === false);
    if (negative.length > 0) {
      out.push({ path: 'confirmedBy', message: `required when placement.${negative.join(', placement.')} is false (NM43-1.2.c)` });
    }
  }

  if (placement && placement.unitExists === true && typeof r.unitName === 'string' && r.unitName.trim() === '') {
    out.push({ path: 'unitName', message: 'required when placement.unitExists is true' });
  }
  if (placement && placement.superiorExists === true && typeof r.superiorName === 'string' && r.superiorName.trim() === '') {
    out.push({ path: 'superiorName', message: 'required when placement.superiorExists is true' });
  }

  if (r.medicalInsuredAtEnlistment === true) {
    if (r.medicalFirstInsured === null || r.medicalFirstInsured === undefined) {
      out.push({ path: 'medicalFirstInsured', message: 'required when medicalInsuredAtEnlistment is true' });
    } else if (typeof r.medicalFirstInsured === 'string') {
      const first = tryParseMonth(r.medicalFirstInsured);
      const service = f ? obj(f.service) : undefined;
      const enlistment = service && typeof service.enlistment === 'string' ? tryParseMonth(service.enlistment) : null;
      if (first !== null && enlistment !== null && first > enlistment) {
        out.push({ path: 'medicalFirstInsured', message: `is after service.enlistment (${String(service!.enlistment)}) although medicalInsuredAtEnlistment is true` });
      }
    }
  }
  return out;
}

/**
 * Every problem of a registration: shape problems, plus the cross-field rules (incl. confirmedBy,
 * NM43-1.2.c) whose fields are individually well-formed. Empty means valid.
 */
export function registrationProblems(reg: unknown, facts: CaseFacts | unknown): Problem[] {
  const r = registrationSchema.safeParse(reg);
  const problems = r.success ? [] : problemsOfZodError(r.error);
  const seen = new Set(problems.map((p) => p.path));
  for (const p of crossRegistrationProblems(reg, facts)) {
    if (!seen.has(p.path)) problems.push(p);
  }
  return problems;
}

export type RegistrationParseResult = { ok: true; registration: Registration } | { ok: false; problems: Problem[] };

/** Validates an untrusted registration against the case facts it belongs to. */
export function parseRegistration(reg: unknown, facts: CaseFacts | unknown): RegistrationParseResult {
  const problems = registrationProblems(reg, facts);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, registration: registrationSchema.parse(reg) };
}
