// Exact money arithmetic on decimal.js. Amounts are integers of fen (0.01 yuan); rates and shares
// are decimals parsed exactly into an integer over a power of ten, so no binary fraction ever
// touches a figure. Every computation goes through `Money`, configured once here: the global
// Decimal, which the tests and other libraries share, is never changed.

import { Decimal } from 'decimal.js';

// Operands are safe integers, so a product of three has at most 48 digits and stays exact. A
// quotient n / d whose fraction is not exactly a half is at least 1/(2d) > 5e-17 from it; kept to
// 80 digits it stays on its side, so rounding it once more, to the fen, is exact.
const Money = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP });

/** value = units / scale, scale a power of ten. */
export interface ScaledDecimal {
  readonly units: number;
  readonly scale: number;
  /** The decimal string it was parsed from, kept for display (`"0.16"`). */
  readonly text: string;
}

const DECIMAL_RE = /^(\d{1,12})(?:\.(\d{1,8}))?$/;

/** Parses a non-negative decimal string exactly; null when it is not one. */
export function parseScaled(text: string): ScaledDecimal | null {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const decimals = m[2]?.length ?? 0;
  const units = new Money(text).times(10 ** decimals).toNumber();
  if (!Number.isSafeInteger(units)) return null;
  return { units, scale: 10 ** decimals, text };
}

const YUAN_RE = /^\d{1,11}(?:\.\d{1,2})?$/;

/** Parses a yuan amount with at most two decimals into fen; null when it is not one. */
export function parseYuanToFen(text: string): number | null {
  if (!YUAN_RE.test(text)) return null;
  return new Money(text).times(100).toNumber();
}

function toSafeInteger(d: Decimal, what: string): number {
  const n = d.toDecimalPlaces(0).toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} out of range`);
  return n;
}

/** round(n / d) half up, for non-negative integers n and positive d. */
export function divRoundHalfUp(n: number, d: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('divRoundHalfUp: numerator is not a safe integer');
  return toSafeInteger(new Money(n).div(d), 'quotient');
}

/** round_half_up(a × b × c / d) for non-negative integers, exact. */
export function mulDivRoundHalfUp(a: number, b: number, c: number, d: number): number {
  return toSafeInteger(new Money(a).times(b).times(c).div(d), 'amount');
}

/**
 * Fen as a yuan string with exactly two decimals (`"33550.20"`). Only the integer's digits move, so
 * there is no arithmetic to hand to decimal.js; through a Decimal this took about a third of a
 * determination's time.
 */
export function formatFen(fen: number): string {
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export type BaseRounding = 'fen-half-up' | 'yuan-half-up';
export type AmountRounding = 'total' | 'monthly';

// A rate or share is read by every determination: its decimal is built once per parsed value.
const decimals = new WeakMap<ScaledDecimal, Decimal>();

function decimalOf(d: ScaledDecimal): Decimal {
  let v = decimals.get(d);
  if (!v) {
    v = new Money(d.units).div(d.scale);
    decimals.set(d, v);
  }
  return v;
}

/** The monthly base in fen: share × monthly wage, rounded as the `baseRounding` convention says. */
export function monthlyBaseFen(wageFen: number, share: ScaledDecimal, rounding: BaseRounding): number {
  const base = new Money(wageFen).times(decimalOf(share));
  if (rounding === 'yuan-half-up') return toSafeInteger(base.div(100), 'base') * 100;
  return toSafeInteger(base, 'base');
}

/** base × rate × months in fen, rounded as the `amountRounding` convention says. */
export function amountFen(baseFen: number, rate: ScaledDecimal, months: number, rounding: AmountRounding): number {
  if (months <= 0) return 0;
  const monthly = new Money(baseFen).times(decimalOf(rate));
  if (rounding === 'monthly') return toSafeInteger(monthly, 'amount') * months;
  return toSafeInteger(monthly.times(months), 'amount');
}

/**
 * Splits a non-negative amount of fen by shares that add up to one, so that the parts add up to the
 * amount exactly: each part is its exact share rounded down, and the fen left over go one each to the
 * largest fractions, equal fractions in the order the shares are given (so the result never depends
 * on anything but the inputs).
 */
export function largestRemainderSplit(amountFen: number, shares: readonly ScaledDecimal[]): number[] {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) throw new RangeError('largestRemainderSplit: amount is not a non-negative whole number of fen');
  const total = shares.reduce((sum, s) => sum.plus(decimalOf(s)), new Money(0));
  if (!total.eq(1)) throw new RangeError(`largestRemainderSplit: shares add up to ${total.toString()}, not 1`);
  const exact = shares.map((s) => new Money(amountFen).times(decimalOf(s)));
  const parts = exact.map((e) => toSafeInteger(e.floor(), 'part'));
  let left = amountFen - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, fraction: e.minus(e.floor()) })).sort((a, b) => b.fraction.comparedTo(a.fraction) || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/** Whether decimal shares (texts) add up to exactly one. */
export function sharesAddUpToOne(shares: readonly string[]): boolean {
  const parsed = shares.map(parseScaled);
  if (parsed.some((d) => d === null)) return false;
  return parsed.reduce((sum, d) => sum.plus(decimalOf(d!)), new Money(0)).eq(1);
}
