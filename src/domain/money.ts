// Exact money arithmetic. Amounts are integers of fen (0.01 yuan); rates and shares are decimals
// parsed exactly into an integer over a power of ten. Products stay exact in doubles up to 2^53 and
// fall back to BigInt beyond, so no binary fraction ever touches a figure.

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
  const frac = m[2] ?? '';
  const scale = 10 ** frac.length;
  const units = Number(m[1]) * scale + (frac ? Number(frac) : 0);
  if (!Number.isSafeInteger(units)) return null;
  return { units, scale, text };
}

/** Parses a yuan amount with at most two decimals into fen; null when it is not one. */
export function parseYuanToFen(text: string): number | null {
  const m = /^(\d{1,11})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(frac);
}

/** round(n / d) half up, for non-negative integers n and positive d. */
export function divRoundHalfUp(n: number, d: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('divRoundHalfUp: numerator is not a safe integer');
  let q = Math.floor(n / d);
  let r = n - q * d;
  while (r < 0) {
    q -= 1;
    r += d;
  }
  while (r >= d) {
    q += 1;
    r -= d;
  }
  return 2 * r >= d ? q + 1 : q;
}

function bigDivRoundHalfUp(n: bigint, d: bigint): number {
  const q = n / d;
  const r = n % d;
  const rounded = 2n * r >= d ? q + 1n : q;
  const out = Number(rounded);
  if (!Number.isSafeInteger(out)) throw new RangeError('amount out of range');
  return out;
}

/** round_half_up(a × b × c / d) for non-negative integers, exact. */
export function mulDivRoundHalfUp(a: number, b: number, c: number, d: number): number {
  const n = a * b * c;
  if (Number.isSafeInteger(n)) return divRoundHalfUp(n, d);
  return bigDivRoundHalfUp(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d));
}

/** Fen as a yuan string with exactly two decimals (`"33550.20"`). */
export function formatFen(fen: number): string {
  const neg = fen < 0;
  const abs = neg ? -fen : fen;
  const yuan = Math.floor(abs / 100);
  const rest = abs - yuan * 100;
  return `${neg ? '-' : ''}${yuan}.${rest < 10 ? '0' : ''}${rest}`;
}

export type BaseRounding = 'fen-half-up' | 'yuan-half-up';
export type AmountRounding = 'total' | 'monthly';

/** The monthly base in fen: share × monthly wage, rounded as the `baseRounding` convention says. */
export function monthlyBaseFen(wageFen: number, share: ScaledDecimal, rounding: BaseRounding): number {
  if (rounding === 'yuan-half-up') return mulDivRoundHalfUp(wageFen, share.units, 1, share.scale * 100) * 100;
  return mulDivRoundHalfUp(wageFen, share.units, 1, share.scale);
}

/** base × rate × months in fen, rounded as the `amountRounding` convention says. */
export function amountFen(baseFen: number, rate: ScaledDecimal, months: number, rounding: AmountRounding): number {
  if (months <= 0) return 0;
  if (rounding === 'monthly') return mulDivRoundHalfUp(baseFen, rate.units, 1, rate.scale) * months;
  return mulDivRoundHalfUp(baseFen, rate.units, months, rate.scale);
}
