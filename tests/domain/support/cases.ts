// Builders for test cases: a valid baseline case and ID numbers made to order.

import { idCheckCharacter } from '../../../src/domain/identity';
import type { CaseFacts, ContributionPeriod } from '../../../src/domain/case-facts';

/** A valid 18-digit ID number for a birth date (`YYYY-MM-DD`) and sex. */
export function makeId(birthDate: string, sex: 'male' | 'female', area = '150102', seq2 = '01'): string {
  const sexDigit = sex === 'male' ? '1' : '2';
  const first17 = `${area}${birthDate.replaceAll('-', '')}${seq2}${sexDigit}`;
  return first17 + idCheckCharacter(first17);
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object | null ? DeepPartial<T[K]> | T[K] : T[K] };

/** Example 01's facts (a man born 1970-03, deemed regime, as of 2019-09), as a baseline to vary. */
export function baseCase(over: DeepPartial<CaseFacts> = {}): CaseFacts {
  const base: CaseFacts = {
    asOf: '2019-09-15',
    applicationDate: '2019-08-20',
    person: { idNumber: '150102197003150032', femaleCategory: null },
    service: { enlistment: '1988-03', discharge: '1992-12', militarySubsidyReceived: false },
    placement: { countyCode: '150102', unitExists: true, unitCanPay: true, superiorExists: true, superiorCanPay: true },
    pension: { insuredAtEnlistment: false, firstInsured: null, periods: [{ from: '1993-01', to: '2001-06' }], agencyGapMonths: null },
    medical: { periods: [] },
    assistance: { dibao: false, tekun: false },
  };
  return {
    ...base,
    ...(over.asOf !== undefined ? { asOf: over.asOf } : {}),
    ...(over.applicationDate !== undefined ? { applicationDate: over.applicationDate } : {}),
    person: { ...base.person, ...over.person },
    service: { ...base.service, ...over.service },
    placement: { ...base.placement, ...over.placement },
    pension: { ...base.pension, ...over.pension, periods: (over.pension?.periods as ContributionPeriod[] | undefined) ?? base.pension.periods },
    medical: { periods: (over.medical?.periods as ContributionPeriod[] | undefined) ?? base.medical.periods },
    assistance: { ...base.assistance, ...over.assistance },
  };
}
