// Months, dates, durations and rates as a clerk reads them in Chinese. Apart from the explanation
// (loaded with the determination), so that the intake's first screen can use them alone.

/** `57` → `4年9个月`. */
export function yearsMonthsZh(months: number): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  if (y === 0) return `${m}个月`;
  return m === 0 ? `${y}年` : `${y}年${m}个月`;
}

/** A count of months as an elderly veteran reads it: `57` → `57个月（4年9个月）`; under a year, `5个月`. */
export function monthsZh(months: number): string {
  return months >= 12 ? `${months}个月（${yearsMonthsZh(months)}）` : `${months}个月`;
}

/** `2031-07` → `2031年7月`. */
export function monthZh(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** `2019-12-31` → `2019年12月31日`. */
export function dateZh(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? `${y}年${Number(m)}月${Number(d)}日` : monthZh(date);
}

/**
 * `"0.16"` → `16%`, `"0.075"` → `7.5%`: the decimal point moved two places in the string itself, so
 * a rate is shown exactly as published.
 */
export function percentZh(rate: string): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(rate.trim());
  if (!m) return `${rate}`;
  const digits = `${m[1]}${(m[2] ?? '').padEnd(2, '0')}`;
  const point = m[1]!.length + 2;
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(point).replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}

export function ageZh(ageMonths: number): string {
  const y = Math.floor(ageMonths / 12);
  const m = ageMonths % 12;
  return m === 0 ? `${y}周岁` : `${y}周岁${m}个月`;
}

const DIGITS_ZH = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九: the numbers of a form's sections. */
export function numeralZh(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`numeralZh: ${n} is not a whole number from 1 to 99`);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS_ZH[tens]}十`}${ones === 0 ? '' : DIGITS_ZH[ones]}`;
}
