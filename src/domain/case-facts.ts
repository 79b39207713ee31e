// The facts of one case as the engine reads them (determination-format.md, "Case (input)"). The zod
// schema that validates untrusted input into this type lives in src/shared/case.ts; the rules that
// tie several fields together live here, so that the engine and the schema apply the same ones.

import type { Problem } from './errors';
import { checkIdNumber } from './identity';
import { tryParseMonth } from './months';

export type FemaleCategory = 'cadre' | 'worker';

export interface ContributionPeriod {
  /** `YYYY-MM-DD` or `YYYY-MM`; the month is included. */
  from: string;
  /** `YYYY-MM-DD` or `YYYY-MM`; the month is included. */
  to: string;
}

export interface CaseFacts {
  /** Date of the computation (the back-payment date); not earlier than applicationDate. */
  asOf: string;
  applicationDate: string;
  person: {
    idNumber: string;
    /** Required when the ID number says female; ignored otherwise. */
    femaleCategory: FemaleCategory | null;
  };
  service: {
    enlistment: string;
    discharge: string;
    /** The national 军人退役基本养老保险补助 was received. */
    militarySubsidyReceived: boolean;
  };
  placement: {
    countyCode: string;
    unitExists: boolean;
    unitCanPay: boolean;
    superiorExists: boolean;
    superiorCanPay: boolean;
  };
  pension: {
    insuredAtEnlistment: boolean;
    /** Required when insuredAtEnlistment. */
    firstInsured: string | null;
    periods: ContributionPeriod[];
    /** Interruption months determined by the insurance agency (NM43-1.4.b), or null. */
    agencyGapMonths: number | null;
  };
  medical: { periods: ContributionPeriod[] };
  assistance: { dibao: boolean; tekun: boolean };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function monthAt(v: unknown): number | null {
  return typeof v === 'string' ? tryParseMonth(v) : null;
}

/** Compares two dates at day precision when both carry a day, else by month. */
function dateBefore(a: string, b: string): boolean {
  if (a.length === 10 && b.length === 10) return a < b;
  return tryParseMonth(a)! < tryParseMonth(b)!;
}

function periodProblems(periods: unknown, path: string, out: Problem[]): void {
  if (!Array.isArray(periods)) return;
  periods.forEach((p, i) => {
    const o = obj(p);
    if (!o) return;
    const from = monthAt(o.from);
    const to = monthAt(o.to);
    if (from !== null && to !== null && from > to) {
      out.push({ path: `${path}[${i}].from`, message: `must not be after to (${String(o.to)})` });
    }
  });
}

/**
 * The input rules that involve more than one field. Each applies only when the fields it reads are
 * individually well-formed, so it can run on raw input beside a shape check and never repeats a
 * problem the shape check already reports.
 */
export function crossFieldProblems(raw: unknown): Problem[] {
  const out: Problem[] = [];
  const root = obj(raw);
  if (!root) return out;

  const asOf = root.asOf;
  const app = root.applicationDate;
  if (typeof asOf === 'string' && typeof app === 'string' && monthAt(asOf) !== null && monthAt(app) !== null && dateBefore(asOf, app)) {
    out.push({ path: 'asOf', message: `must not be before applicationDate (${app})` });
  }

  const person = obj(root.person);
  if (person && typeof person.idNumber === 'string') {
    const id = checkIdNumber(person.idNumber);
    if (id.valid && id.sex === 'female' && (person.femaleCategory === null || person.femaleCategory === undefined)) {
      out.push({ path: 'person.femaleCategory', message: 'required for a female applicant ("cadre" or "worker")' });
    }
  }

  const service = obj(root.service);
  const pension = obj(root.pension);
  if (pension && pension.insuredAtEnlistment === true) {
    if (pension.firstInsured === null || pension.firstInsured === undefined) {
      out.push({ path: 'pension.firstInsured', message: 'required when insuredAtEnlistment is true' });
    } else {
      const first = monthAt(pension.firstInsured);
      const enlistment = service ? monthAt(service.enlistment) : null;
      if (first !== null && enlistment !== null && first > enlistment) {
        out.push({ path: 'pension.firstInsured', message: `is after service.enlistment (${String(service!.enlistment)}) although insuredAtEnlistment is true` });
      }
    }
  }
  if (pension) periodProblems(pension.periods, 'pension.periods', out);
  const medical = obj(root.medical);
  if (medical) periodProblems(medical.periods, 'medical.periods', out);
  return out;
}
