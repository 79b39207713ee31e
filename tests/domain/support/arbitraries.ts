// Generated cases: valid, varied CaseFacts covering both regimes, retired and not, every payer,
// agency gaps, overlapping and unordered periods. Used by the property tests and the bench.

import fc from 'fast-check';
import type { CaseFacts, ContributionPeriod } from '../../../src/domain/case-facts';
import { formatMonth, monthOf } from '../../../src/domain/months';
import { counties } from '../../../src/domain/regions';
import { makeId } from './cases';

const FIRST_AS_OF = monthOf(2019, 7);
const LAST_AS_OF = monthOf(2026, 12);

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function periodArb(lo: number, hi: number): fc.Arbitrary<ContributionPeriod> {
  return fc
    .tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: 0, max: 150 }), fc.boolean())
    .map(([from, len, withDay]) => {
      const to = Math.min(from + len, hi);
      return { from: withDay ? `${formatMonth(from)}-01` : formatMonth(from), to: formatMonth(to) };
    });
}

export const caseFactsArb: fc.Arbitrary<CaseFacts> = fc
  .record({
    asOf: fc.integer({ min: FIRST_AS_OF, max: LAST_AS_OF }),
    appBack: fc.integer({ min: 0, max: 30 }),
    dischargeBack: fc.integer({ min: 0, max: 480 }),
    serviceMonths: fc.integer({ min: 1, max: 200 }),
    ageAtEnlistment: fc.integer({ min: 16 * 12, max: 26 * 12 }),
    birthDay: fc.integer({ min: 1, max: 28 }),
    female: fc.boolean(),
    femaleCategory: fc.constantFrom('cadre' as const, 'worker' as const),
    subsidy: fc.boolean(),
    county: fc.constantFrom(...counties().map((c) => c.code)),
    unitExists: fc.boolean(),
    unitCanPay: fc.boolean(),
    superiorExists: fc.boolean(),
    superiorCanPay: fc.boolean(),
    insuredAtEnlistment: fc.boolean(),
    firstInsuredBack: fc.integer({ min: 0, max: 60 }),
    pensionPeriods: fc.array(periodArb(monthOf(1970, 1), LAST_AS_OF), { maxLength: 5 }),
    medicalPeriods: fc.array(periodArb(monthOf(1970, 1), LAST_AS_OF), { maxLength: 4 }),
    agencyGap: fc.option(fc.integer({ min: 0, max: 400 }), { freq: 4 }),
    dibao: fc.boolean(),
    tekun: fc.boolean(),
    asOfDay: fc.integer({ min: 1, max: 28 }),
  })
  .map((r): CaseFacts => {
    const application = Math.max(r.asOf - r.appBack, FIRST_AS_OF - 12);
    const discharge = Math.max(application - r.dischargeBack, monthOf(1960, 1));
    const enlistment = discharge - r.serviceMonths;
    const birth = enlistment - r.ageAtEnlistment;
    const birthDate = `${formatMonth(birth)}-${pad2(r.birthDay)}`;
    return {
      asOf: `${formatMonth(r.asOf)}-${pad2(Math.max(r.asOfDay, 1))}`,
      applicationDate: `${formatMonth(application)}-01`,
      person: { idNumber: makeId(birthDate, r.female ? 'female' : 'male', r.county), femaleCategory: r.female ? r.femaleCategory : null },
      service: { enlistment: formatMonth(enlistment), discharge: formatMonth(discharge), militarySubsidyReceived: r.subsidy },
      placement: { countyCode: r.county, unitExists: r.unitExists, unitCanPay: r.unitCanPay, superiorExists: r.superiorExists, superiorCanPay: r.superiorCanPay },
      pension: {
        insuredAtEnlistment: r.insuredAtEnlistment,
        firstInsured: r.insuredAtEnlistment ? formatMonth(enlistment - r.firstInsuredBack) : null,
        periods: r.pensionPeriods,
        agencyGapMonths: r.agencyGap,
      },
      medical: { periods: r.medicalPeriods },
      assistance: { dibao: r.dibao, tekun: r.tekun },
    };
  });

/** `count` generated cases, the same for the same seed. */
export function generateCases(count: number, seed = 20190711): CaseFacts[] {
  return fc.sample(caseFactsArb, { numRuns: count, seed });
}
