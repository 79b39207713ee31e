// Resident identity numbers, GB 11643-1999 (parameters.md, "Resident ID number").
// NM43-1.4.a 一（四）第一段: "持本人有效身份证件和退役证明，到安置地退役军人事务主管部门登记军龄"

import { monthOf, formatMonth, type MonthIndex } from './months';

export type Sex = 'male' | 'female';

export type IdInvalidReason = 'length' | 'characters' | 'birth-date' | 'checksum';

export interface ValidIdNumber {
  valid: true;
  /** The 18-character number, upper-case X; a 15-digit input upgraded. */
  idNumber: string;
  sex: Sex;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** `YYYY-MM`. */
  birth: string;
  birthMonth: MonthIndex;
  /** True when the input was a 15-digit legacy number. */
  upgradedFrom15: boolean;
}

export interface InvalidIdNumber {
  valid: false;
  reason: IdInvalidReason;
}

export type IdCheck = ValidIdNumber | InvalidIdNumber;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The GB 11643 check character of the first 17 digits: "10X98765432"[Σ(aᵢ·Wᵢ) mod 11]. */
export function idCheckCharacter(first17: string): string {
  if (first17.length !== 17 || !allDigits(first17, 0, 17)) {
    throw new RangeError('idCheckCharacter: expected 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Upgrades a 15-digit legacy number: "19" before the two-digit birth year, then the check character.
 * Returns null when the input is not 15 digits.
 */
export function upgradeIdNumber15(id15: string): string | null {
  if (id15.length !== 15 || !allDigits(id15, 0, 15)) return null;
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idCheckCharacter(first17);
}

function validBirthDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const dim = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= dim && year >= 1800;
}

/**
 * Checks an ID number and reads birth month and sex from it. Accepts 18 characters (lower-case x
 * allowed, stored upper-case) and 15-digit legacy numbers. The address code is not checked against
 * current codes: a number keeps the code in force when it was issued.
 */
export function checkIdNumber(raw: string): IdCheck {
  const input = raw.trim();
  let id: string;
  let upgradedFrom15 = false;
  if (input.length === 15) {
    const up = upgradeIdNumber15(input);
    if (up === null) return { valid: false, reason: 'characters' };
    id = up;
    upgradedFrom15 = true;
  } else if (input.length === 18) {
    id = input.charCodeAt(17) === 120 ? `${input.slice(0, 17)}X` : input;
    if (!allDigits(id, 0, 17)) return { valid: false, reason: 'characters' };
    const last = id.charCodeAt(17);
    if (!(last === 88 || (last >= 48 && last <= 57))) return { valid: false, reason: 'characters' };
  } else {
    return { valid: false, reason: 'length' };
  }
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (!validBirthDate(year, month, day)) return { valid: false, reason: 'birth-date' };
  if (!upgradedFrom15 && idCheckCharacter(id.slice(0, 17)) !== id[17]) return { valid: false, reason: 'checksum' };
  const birthMonth = monthOf(year, month);
  return {
    valid: true,
    idNumber: id,
    sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    birth: formatMonth(birthMonth),
    birthMonth,
    upgradedFrom15,
  };
}

/** The sex an ID number states, or null when the number is not valid. */
export function sexOfIdNumber(raw: string): Sex | null {
  const c = checkIdNumber(raw);
  return c.valid ? c.sex : null;
}

/** The birth month (`YYYY-MM`) an ID number states, or null when the number is not valid. */
export function birthMonthOfIdNumber(raw: string): string | null {
  const c = checkIdNumber(raw);
  return c.valid ? c.birth : null;
}

/**
 * The key a case is found and linked by, the same on the tablet and the server: a valid number as
 * checked (15 digits upgraded, x as X), anything else folded (full-width digits, spaces, case) so
 * that the same mistyped number still finds its own case.
 */
export function normaliseIdNumber(raw: string): string {
  const check = checkIdNumber(raw);
  if (check.valid) return check.idNumber;
  const s = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return (s.length === 15 ? upgradeIdNumber15(s) : null) ?? s;
}
