// Properties over generated cases (fast-check).

import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate, type CaseFacts, type Determination } from '../../src/domain';
import { caseFactsArb } from './support/arbitraries';

const run = (c: CaseFacts): Determination => evaluate(c, DEFAULT_PARAMETERS);

function moneyOf(d: Determination): string[] {
  const out: string[] = [];
  if (d.pension) out.push(d.pension.baseMonthly, d.pension.unitAmount, d.pension.individualAmount, d.pension.lateFee);
  if (d.medical) {
    for (const v of [d.medical.baseMonthly, d.medical.unitAmount, d.medical.individualAmount, d.medical.uncoveredUnitAmount]) if (v !== null) out.push(v);
  }
  return out;
}

function withoutTraceInputs(d: Determination) {
  return { ...d, trace: d.trace.map((s) => ({ rule: s.rule, step: s.step, result: s.result, parameters: s.parameters })) };
}

describe('properties of every determination', () => {
  it('the generator reaches in-scope and out-of-scope cases, retired and not, with every payer', () => {
    const ds = fc.sample(caseFactsArb, { numRuns: 400, seed: 7 }).map(run);
    expect(ds.some((d) => d.inScope)).toBe(true);
    expect(ds.some((d) => !d.inScope)).toBe(true);
    expect(ds.some((d) => d.retirement?.reached)).toBe(true);
    expect(ds.some((d) => d.retirement?.reached === false)).toBe(true);
    expect(new Set(ds.map((d) => d.pension?.unitPayer).filter(Boolean))).toEqual(new Set(['unit', 'superior', 'fiscal']));
    expect(ds.some((d) => d.medical?.uncoveredUnitMonths)).toBe(true);
  });

  it('amounts are never negative and are strings with two decimals', () => {
    fc.assert(
      fc.property(caseFactsArb, (c) => {
        for (const m of moneyOf(run(c))) expect(m).toMatch(/^\d+\.\d{2}$/);
      }),
      { numRuns: 500 },
    );
  });

  it('back-pay months never exceed 军龄, and all month counts are whole and non-negative', () => {
    fc.assert(
      fc.property(caseFactsArb, (c) => {
        const d = run(c);
        if (!d.pension) return;
        expect(d.pension.backPayMonths).toBeLessThanOrEqual(d.militaryMonths!);
        for (const v of [d.pension.paidMonths, d.pension.gapMonths, d.pension.backPayMonths, d.pension.shortfallMonths, d.pension.extensionMonths, d.pension.oneTimeMonths]) {
          expect(Number.isInteger(v) && v >= 0).toBe(true);
        }
        expect(d.pension.cumulativeMonths).toBe(d.militaryMonths! + d.pension.paidMonths + d.pension.backPayMonths);
        expect(d.pension.extensionMonths + d.pension.oneTimeMonths).toBe(d.pension.shortfallMonths);
        if (d.medical?.payableNow && d.medical.unitPayer === 'fiscal') expect(d.medical.fiscalMonths).toBeLessThanOrEqual(d.militaryMonths!);
      }),
      { numRuns: 500 },
    );
  });

  it('amounts are linear in months: base × rate × months within 0.005, and twice the months within 0.01 of twice the amount', () => {
    fc.assert(
      fc.property(caseFactsArb, fc.integer({ min: 0, max: 120 }), (c, k) => {
        const first = run(c);
        if (!first.inScope) return;
        const months = Math.min(k, Math.floor(first.militaryMonths! / 2));
        const once = run({ ...c, pension: { ...c.pension, agencyGapMonths: months } }).pension!;
        const twice = run({ ...c, pension: { ...c.pension, agencyGapMonths: 2 * months } }).pension!;
        expect(once.backPayMonths).toBe(months);
        expect(twice.backPayMonths).toBe(2 * months);
        for (const [amount, rate] of [
          [once.unitAmount, once.unitRate],
          [once.individualAmount, once.individualRate],
        ] as const) {
          const exact = new Decimal(once.baseMonthly).times(rate).times(months);
          expect(exact.minus(amount).abs().lte('0.005')).toBe(true);
        }
        expect(new Decimal(twice.unitAmount).minus(new Decimal(once.unitAmount).times(2)).abs().lte('0.01')).toBe(true);
        expect(new Decimal(twice.individualAmount).minus(new Decimal(once.individualAmount).times(2)).abs().lte('0.01')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the periods', () => {
    fc.assert(
      fc.property(caseFactsArb, fc.infiniteStream(fc.double({ noNaN: true })), (c, noise) => {
        const it = noise[Symbol.iterator]();
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x) => ({ x, k: it.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        const shuffled: CaseFacts = { ...c, pension: { ...c.pension, periods: shuffle(c.pension.periods) }, medical: { periods: shuffle(c.medical.periods) } };
        expect(withoutTraceInputs(run(shuffled))).toEqual(withoutTraceInputs(run(c)));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and leaves its input untouched', () => {
    fc.assert(
      fc.property(caseFactsArb, (c) => {
        const before = JSON.stringify(c);
        const a = run(c);
        const b = evaluate(JSON.parse(before) as CaseFacts, JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)) as typeof DEFAULT_PARAMETERS);
        expect(JSON.stringify(c)).toBe(before);
        expect(b).toEqual(a);
        expect(JSON.stringify(run(c))).toBe(JSON.stringify(a));
      }),
      { numRuns: 200 },
    );
  });
});
