// Months as intervals and money as integer fen, checked against decimal.js.

import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countMonths, countWithin, formatMonth, mergeIntervals, tryParseMonth } from '../../src/domain/months';
import { amountFen, divRoundHalfUp, formatFen, monthlyBaseFen, mulDivRoundHalfUp, parseScaled, parseYuanToFen } from '../../src/domain/money';

describe('months', () => {
  it('a month index is year*12 + (month-1), from YYYY-MM or a real YYYY-MM-DD', () => {
    expect(tryParseMonth('1988-03')).toBe(1988 * 12 + 2);
    expect(tryParseMonth('1988-03-31')).toBe(1988 * 12 + 2);
    expect(formatMonth(1988 * 12 + 2)).toBe('1988-03');
  });

  it.each(['1988-3', '1988-13', '1988-02-30', '2019-02-29', '19880301', '1988/03', '', '0000-01', '1988-03-1'])('%j is not a date', (s) => {
    expect(tryParseMonth(s)).toBeNull();
  });

  it('2020-02-29 is a date (leap year)', () => {
    expect(tryParseMonth('2020-02-29')).not.toBeNull();
  });

  it('enlisted 1988-03, discharged 1992-12 is 57 months of 军龄 (policy-rules.md)', () => {
    expect(tryParseMonth('1992-12')! - tryParseMonth('1988-03')!).toBe(57);
  });

  it('interval counts equal a month-by-month count', () => {
    const iv = fc.record({ a: fc.integer({ min: 0, max: 120 }), len: fc.integer({ min: 1, max: 60 }) }).map(({ a, len }) => ({ from: a, to: a + len }));
    fc.assert(
      fc.property(fc.array(iv, { maxLength: 8 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), (list, w1, w2) => {
        const set = new Set<number>();
        for (const { from, to } of list) for (let m = from; m < to; m++) set.add(m);
        const merged = mergeIntervals(list);
        expect(countMonths(merged)).toBe(set.size);
        const [lo, hi] = w1 <= w2 ? [w1, w2] : [w2, w1];
        expect(countWithin(merged, lo, hi)).toBe([...set].filter((m) => m >= lo && m < hi).length);
      }),
    );
  });
});

describe('money', () => {
  it('parses decimals and yuan exactly', () => {
    expect(parseScaled('0.16')).toEqual({ units: 16, scale: 100, text: '0.16' });
    expect(parseScaled('1')).toEqual({ units: 1, scale: 1, text: '1' });
    expect(parseScaled('-0.1')).toBeNull();
    expect(parseYuanToFen('6131.25')).toBe(613125);
    expect(parseYuanToFen('6131.2')).toBe(613120);
    expect(parseYuanToFen('6131.255')).toBeNull();
  });

  it('rounds half up to the fen', () => {
    expect(divRoundHalfUp(220725, 1000)).toBe(221);
    expect(divRoundHalfUp(220724, 1000)).toBe(221);
    expect(divRoundHalfUp(220499, 1000)).toBe(220);
    expect(divRoundHalfUp(5, 10)).toBe(1);
    expect(divRoundHalfUp(4, 10)).toBe(0);
  });

  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(3355020)).toBe('33550.20');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(0)).toBe('0.00');
  });

  it('base × rate × months agrees with decimal.js rounded half up, beyond 2^53 too', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 1200 }),
        (wageFen, rateUnits, decimals, months) => {
          const text = new Decimal(rateUnits).div(10 ** decimals).toFixed(decimals);
          const rate = parseScaled(text)!;
          const share = parseScaled('0.60')!;
          const base = monthlyBaseFen(wageFen, share, 'fen-half-up');
          expect(base).toBe(new Decimal(wageFen).times('0.60').toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber());
          const expected = new Decimal(base).times(text).times(months).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
          expect(amountFen(base, rate, months, 'total')).toBe(expected);
        },
      ),
    );
    expect(mulDivRoundHalfUp(2 ** 40, 2 ** 20, 5, 2 ** 20 * 10)).toBe(2 ** 39);
    expect(mulDivRoundHalfUp(2 ** 40 + 1, 2 ** 20, 5, 2 ** 20 * 10)).toBe(2 ** 39 + 1);
  });
});
