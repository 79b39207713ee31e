// Calendar months as integers (year*12 + month-1) and month sets as half-open intervals.
// Everything the notice counts is in whole months, and intervals keep the cost independent of how
// many months a period spans.

import { JiexuError } from './errors';

/** year*12 + (month-1). */
export type MonthIndex = number;

/** Months [from, to): `from` included, `to` excluded. */
export interface MonthInterval {
  from: MonthIndex;
  to: MonthIndex;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digitsAt(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The month of a `YYYY-MM-DD` or `YYYY-MM` string, or null when it is not a real calendar date in
 * the years 1900–2199. Only the month counts (policy-rules.md, "Units and dates").
 */
export function tryParseMonth(s: string): MonthIndex | null {
  const len = s.length;
  if ((len !== 7 && len !== 10) || s.charCodeAt(4) !== 45) return null;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  if (len === 10) {
    if (s.charCodeAt(7) !== 45) return null;
    const day = digitsAt(s, 8, 2);
    if (day < 1 || day > daysInMonth(year, month)) return null;
  }
  return year * 12 + month - 1;
}

/** True when `s` is a `YYYY-MM-DD` or `YYYY-MM` calendar date the engine accepts. */
export function isMonthOrDate(s: string): boolean {
  return tryParseMonth(s) !== null;
}

/** True when `s` is a full `YYYY-MM-DD` calendar date. */
export function isIsoDate(s: string): boolean {
  return s.length === 10 && tryParseMonth(s) !== null;
}

/** Like tryParseMonth, but a malformed value is an `invalid-case` error naming the field. */
export function parseMonth(s: string, field: string): MonthIndex {
  const m = typeof s === 'string' ? tryParseMonth(s) : null;
  if (m === null) {
    throw new JiexuError('invalid-case', `${field}: not a date (expected YYYY-MM-DD or YYYY-MM)`, {
      problems: [{ path: field, message: 'not a date (expected YYYY-MM-DD or YYYY-MM)' }],
    });
  }
  return m;
}

export function monthYear(m: MonthIndex): number {
  return Math.floor(m / 12);
}

export function monthOf(year: number, month: number): MonthIndex {
  return year * 12 + month - 1;
}

/** `YYYY-MM`. */
export function formatMonth(m: MonthIndex): string {
  const year = Math.floor(m / 12);
  const month = m - year * 12 + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}`;
}

/** Sorted, disjoint, non-adjacent intervals covering the same months as the input. */
export function mergeIntervals(intervals: readonly MonthInterval[]): MonthInterval[] {
  if (intervals.length === 0) return [];
  const sorted = intervals.length === 1 ? [intervals[0]!] : [...intervals].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: MonthInterval[] = [];
  let cur = { from: sorted[0]!.from, to: sorted[0]!.to };
  for (let i = 1; i < sorted.length; i++) {
    const next = sorted[i]!;
    if (next.from <= cur.to) {
      if (next.to > cur.to) cur.to = next.to;
    } else {
      if (cur.to > cur.from) out.push(cur);
      cur = { from: next.from, to: next.to };
    }
  }
  if (cur.to > cur.from) out.push(cur);
  return out;
}

/** Number of months in a set of merged intervals. */
export function countMonths(merged: readonly MonthInterval[]): number {
  let n = 0;
  for (const iv of merged) n += iv.to - iv.from;
  return n;
}

/** Months of merged intervals that fall inside [from, to). */
export function countWithin(merged: readonly MonthInterval[], from: MonthIndex, to: MonthIndex): number {
  if (to <= from) return 0;
  let n = 0;
  for (const iv of merged) {
    const a = iv.from > from ? iv.from : from;
    const b = iv.to < to ? iv.to : to;
    if (b > a) n += b - a;
  }
  return n;
}
