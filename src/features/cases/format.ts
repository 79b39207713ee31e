// How the case screens and printouts write ids, times and flags.
import { monthZh } from '../../domain';
import { findCounty, leagueOfCounty } from '../../domain/regions';
import { YES_NO } from '../labels';

/**
 * An ID number with its middle hidden (`150102********0032`): enough for the veteran to recognise
 * his own on a list or a receipt, not enough for someone reading over the clerk's shoulder.
 */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return id.replace(/./g, '*');
  const head = id.length >= 15 ? 6 : 2;
  return `${id.slice(0, head)}${'*'.repeat(id.length - head - 4)}${id.slice(-4)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO timestamp in the tablet's local time, `2019-08-20 14:05`. */
export function dateTimeZh(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An ISO timestamp's local calendar day, `2019年8月20日`. */
export function dayZh(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

/** A fact's date (`YYYY-MM` or `YYYY-MM-DD`) as Chinese. */
export function factDateZh(value: string | null | undefined): string {
  if (!value) return '—';
  const [y, m, d] = value.split('-');
  if (!y || !m) return value;
  return d ? `${y}年${Number(m)}月${Number(d)}日` : monthZh(value);
}

export function yesNo(value: boolean | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return YES_NO[value ? 'true' : 'false'];
}

/** `150102` → `呼和浩特市 新城区`. */
export function countyZh(code: string): string {
  const county = findCounty(code);
  if (!county) return code;
  const league = leagueOfCounty(code);
  return `${league ? `${league.name} ` : ''}${county.name}`;
}

export function textOrDash(value: string | null | undefined): string {
  const t = value?.trim();
  return t ? t : '—';
}
