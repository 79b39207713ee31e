// The report's figures as the screen and the printed sheet show them: money from the server's decimal
// strings (yuan, to the fen) by moving digits only, people as whole numbers; both with thousands
// separators.

import { Decimal } from 'decimal.js';

const YUAN = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** '1234567.8' → '1,234,567.80'; a text that is not yuan to the fen is shown as sent, never rounded. */
export function formatYuan(text: string | null | undefined): string {
  if (text === null || text === undefined) return '—';
  const m = YUAN.exec(text.trim());
  if (!m) return text;
  const integer = m[2]!.replace(/^0+(?=\d)/, '');
  const fen = (m[3] ?? '').padEnd(2, '0');
  const negative = m[1] === '-' && /[1-9]/.test(integer + fen);
  return `${negative ? '-' : ''}${groupDigits(integer)}.${fen}`;
}

/** A count of people: 12345 → '12,345'. */
export function formatPeople(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return `${n < 0 ? '-' : ''}${groupDigits(String(Math.trunc(Math.abs(n))))}`;
}

/**
 * A yuan amount as a chart's bar height. Only the drawing uses it: every figure a reader sees (the
 * tables, the chart's text alternative) comes from formatYuan.
 */
export function yuanForDrawing(text: string | null | undefined): number {
  if (text === null || text === undefined) return 0;
  const m = YUAN.exec(text.trim());
  return m ? Number(text) : 0;
}

/** The exact sum of yuan amounts, to the fen (decimal.js: no binary fraction touches a figure). */
export function sumYuan(texts: readonly string[]): string {
  return texts.reduce((sum, t) => (YUAN.test(t.trim()) ? sum.plus(t.trim()) : sum), new Decimal(0)).toFixed(2);
}

/** A share with four decimals ('0.8125') as a percentage to two ('81.25%'), by moving digits. */
export function formatShare(text: string): string {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text;
  const fraction = (m[2] ?? '').padEnd(4, '0');
  const whole = `${m[1]!}${fraction.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  return `${whole}.${fraction.slice(2, 4)}%`;
}

const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as the office reads it, in Beijing time: '2026-12-03 12:00'. */
export function shanghaiTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
