// Money on decimal.js, against exact integer arithmetic where a quotient is a hair from a half.

import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountFen, divRoundHalfUp, formatFen, mulDivRoundHalfUp, parseScaled } from '../../src/domain/money';

function halfUp(n: bigint, d: bigint): number | 'out of range' {
  const q = n / d;
  const r = n % d;
  const out = Number(2n * r >= d ? q + 1n : q);
  return Number.isSafeInteger(out) ? out : 'out of range';
}

function rounded(f: () => number): number | 'out of range' {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) return 'out of range';
    throw e;
  }
}

describe('money on decimal.js', () => {
  it('rounds a × b × c / d half up exactly, for operands up to 2^53 and any divisor', () => {
    const big = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(big, big, fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (a, b, c, d) => {
        expect(rounded(() => mulDivRoundHalfUp(a, b, c, d))).toBe(halfUp(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d)));
      }),
      { numRuns: 1000 },
    );
  });

  it('rounds a quotient 1/(2d) below a half down, and one at or 1/(2d) above a half up, with divisors near 2^52', () => {
    const odd = 2 ** 52 + 1;
    const even = 2 ** 52 + 2;
    // a × (d + 1) leaves a's own remainder: (d − 1)/2, d/2 and (d + 1)/2 put the quotient's fraction
    // a hair below, at and a hair above a half, behind 16 integer digits.
    const cases = [
      { a: (odd - 1) / 2 + odd, d: odd, up: false },
      { a: even / 2 + even, d: even, up: true },
      { a: (odd + 1) / 2 + odd, d: odd, up: true },
    ];
    for (const { a, d, up } of cases) {
      const exact = BigInt(a) * BigInt(d + 1);
      expect(mulDivRoundHalfUp(a, d + 1, 1, d)).toBe(Number(exact / BigInt(d)) + (up ? 1 : 0));
      expect(mulDivRoundHalfUp(a, d + 1, 1, d)).toBe(halfUp(exact, BigInt(d)));
    }
    expect(divRoundHalfUp(Number.MAX_SAFE_INTEGER, 2)).toBe(2 ** 52);
  });

  it('leaves the global Decimal as other code finds it', () => {
    expect(amountFen(486300, parseScaled('0.16')!, 57, 'total')).toBe(4435056);
    expect(formatFen(4435056)).toBe('44350.56');
    expect(Decimal.precision).toBe(20);
    expect(new Decimal(1).div(3).toString()).toBe('0.33333333333333333333');
  });
});
