// RA-2024: retirement month by birth month, checked against the official examples quoted in
// parameters.md, and minimum pension months by year of retirement.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, type RetirementCategory } from '../../src/domain';
import { compileParameters } from '../../src/domain/parameters';
import { minimumPensionMonths, retirementOf } from '../../src/domain/retirement';
import { formatMonth, tryParseMonth } from '../../src/domain/months';
import { baseCase, makeId } from './support/cases';

const P = compileParameters(DEFAULT_PARAMETERS);
const retire = (birth: string, category: RetirementCategory) => {
  const r = retirementOf(tryParseMonth(birth)!, category, P.retirement);
  return { delay: r.delayMonths, age: `${Math.floor(r.ageMonths / 12)}y${r.ageMonths % 12}m`, month: formatMonth(r.month) };
};

describe('official checks of parameters.md', () => {
  it.each([
    ['male', '1965-01', '60y1m', '2025-02'],
    ['male', '1965-05', '60y2m', '2025-07'],
    ['male', '1976-09', '63y0m', '2039-09'],
    ['female-worker', '1975-03', '50y2m', '2025-05'],
    ['female-worker', '1984-11', '55y0m', '2039-11'],
  ] as const)('%s born %s retires at %s in %s', (category, birth, age, month) => {
    expect(retire(birth, category)).toMatchObject({ age, month });
  });
});

describe('per category: last birth month without delay, first with delay, first reaching the cap', () => {
  it.each([
    // category, last undelayed, first delayed, last below cap (cap−1), first at cap, cap
    ['male', '1964-12', '1965-01', '1976-08', '1976-09', 36],
    ['female-cadre', '1969-12', '1970-01', '1981-08', '1981-09', 36],
    ['female-worker', '1974-12', '1975-01', '1984-10', '1984-11', 60],
  ] as const)('%s: %s has no delay, %s one month, %s one below the cap, %s the cap of %i months', (category, last0, first1, belowCap, firstCap, cap) => {
    expect(retire(last0, category).delay).toBe(0);
    expect(retire(first1, category).delay).toBe(1);
    expect(retire(belowCap, category).delay).toBe(cap - 1);
    expect(retire(firstCap, category).delay).toBe(cap);
    const afterCap = formatMonth(tryParseMonth(firstCap)! + 60);
    expect(retire(afterCap, category).delay).toBe(cap);
  });

  it('the original ages apply to anyone born before the first delayed month, whatever the as-of date', () => {
    expect(retire('1950-06', 'male')).toMatchObject({ delay: 0, age: '60y0m', month: '2010-06' });
    expect(retire('1960-06', 'female-cadre')).toMatchObject({ age: '55y0m', month: '2015-06' });
    expect(retire('1960-06', 'female-worker')).toMatchObject({ age: '50y0m', month: '2010-06' });
  });

  it('the engine takes the category from the ID number’s sex and femaleCategory (ignored for men)', () => {
    const born = (id: string, femaleCategory: 'cadre' | 'worker' | null) =>
      evaluate(baseCase({ person: { idNumber: id, femaleCategory } }), DEFAULT_PARAMETERS).retirement!;
    expect(born(makeId('1975-03-01', 'female'), 'worker')).toMatchObject({ category: 'female-worker', ageMonths: 602, month: '2025-05' });
    expect(born(makeId('1975-03-01', 'female'), 'cadre').category).toBe('female-cadre');
    expect(born(makeId('1965-05-01', 'male'), 'worker')).toMatchObject({ category: 'male', ageMonths: 722, month: '2025-07' });
  });
});

describe('minimum pension months by the year of the retirement month', () => {
  it.each([
    [2024, 180],
    [2029, 180],
    [2030, 186],
    [2031, 192],
    [2039, 240],
    [2040, 240],
    [2060, 240],
  ])('retiring in %i needs %i months', (year, months) => {
    expect(minimumPensionMonths(year, P.minimumPension)).toBe(months);
  });

  it('the determination carries the minimum for its retirement year (born 1969-01 → retires 2030-02 → 186)', () => {
    const d = evaluate(baseCase({ person: { idNumber: makeId('1969-01-20', 'male') } }), DEFAULT_PARAMETERS);
    expect(d.retirement).toMatchObject({ month: '2030-02', minimumPensionMonths: 186 });
  });
});
