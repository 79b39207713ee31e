// The county reviewer's queue (GET /api/admin/cases): every case of the caller's area that matches the
// filters and the search, newest received first, a page at a time with the true number that match.
// Paging is by offset over a total order (received_at, then id), so the pages of an unchanged queue
// hold every case exactly once.

import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { CASE_ITEM_COLUMNS, caseItem } from './case-review';
import type { CountyContext } from './context';
import { UNIT_PAYERS, type CaseQueuePage, type UnitPayer } from '../../shared/admin-api';
import { LIFECYCLE_STATUSES, type LifecycleStatus } from '../../shared/case-lifecycle';
import { areaPrefix, type Area } from '../../shared/roles';

export const CASE_FLAG_FILTERS = ['conflict', 'possible-duplicate', 'figures-differ', 'late-application', 'provisional-parameters', 'clerk-unverified'] as const;
export type CaseFlagFilter = (typeof CASE_FLAG_FILTERS)[number];

const FLAG_COLUMN = {
  conflict: 'conflict',
  'possible-duplicate': 'possible_duplicate',
  'figures-differ': 'figures_differ',
  'late-application': 'application_late',
  'provisional-parameters': 'provisional_parameters',
  'clerk-unverified': 'clerk_unverified',
} as const satisfies Record<CaseFlagFilter, string>;

export const QUEUE_DEFAULT_LIMIT = 50;
export const QUEUE_MAX_LIMIT = 500;
const QUERY_MAX = 100;
/** Fewer trailing digits than this match too many ID numbers to mean one veteran (as on the tablet). */
const MIN_ID_SUFFIX = 4;
const QUERY_PARAMETERS = ['township', 'status', 'payer', 'flag', 'q', 'overdue', 'limit', 'offset'] as const;

export interface CaseQueueFilter {
  /** The caller's area: no case outside it is counted or shown. */
  area: Area;
  townshipCode?: string;
  lifecycleStatus?: LifecycleStatus;
  payer?: UnitPayer;
  /** Every one of these flags (AND). */
  flags?: CaseFlagFilter[];
  q?: string;
  /**
   * Only cases waiting in their status since before that status's instant (county/overdue.ts
   * overdueCutoffs); a status it does not name (the final ones) is never overdue.
   */
  overdueBefore?: Partial<Record<LifecycleStatus, string>>;
  limit?: number;
  offset?: number;
}

function refuse(parameter: string, message: string): never {
  throw new ApiError(422, 'invalid-request', `${parameter}: ${message}`, { details: { problems: [{ path: parameter, message }] } });
}

/** The queue's filter from a request's query string; a bad parameter is refused with 422 naming it. */
export function parseQueueQuery(query: unknown, area: Area, overdueBefore?: Partial<Record<LifecycleStatus, string>>): CaseQueueFilter {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(q)) {
    if (!(QUERY_PARAMETERS as readonly string[]).includes(name)) refuse(name, `unknown parameter; expected one of ${QUERY_PARAMETERS.join(', ')}`);
    if (typeof value !== 'string') refuse(name, 'given more than once');
  }
  const text = (name: (typeof QUERY_PARAMETERS)[number]): string | undefined => {
    const v = q[name] as string | undefined;
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const oneOf = <T extends string>(name: (typeof QUERY_PARAMETERS)[number], allowed: readonly T[]): T | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) refuse(name, `must be one of ${allowed.join(', ')}`);
    return v as T;
  };
  const whole = (name: 'limit' | 'offset', min: number, max: number): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) refuse(name, `must be a whole number from ${min} to ${max}`);
    return Number(v);
  };

  const filter: CaseQueueFilter = { area };
  const township = text('township');
  if (township !== undefined) {
    if (!/^\d{9}$/.test(township)) refuse('township', 'expected a 9-digit township code');
    filter.townshipCode = township;
  }
  const status = oneOf('status', LIFECYCLE_STATUSES);
  if (status) filter.lifecycleStatus = status;
  const payer = oneOf('payer', UNIT_PAYERS);
  if (payer) filter.payer = payer;
  const flags = text('flag');
  if (flags !== undefined) {
    const list = flags.split(',').map((f) => f.trim());
    const bad = list.find((f) => !(CASE_FLAG_FILTERS as readonly string[]).includes(f));
    if (bad !== undefined) refuse('flag', `must be one or more (comma-separated) of ${CASE_FLAG_FILTERS.join(', ')}`);
    filter.flags = [...new Set(list as CaseFlagFilter[])];
  }
  const search = text('q');
  if (search !== undefined) {
    if (search.length > QUERY_MAX) refuse('q', `at most ${QUERY_MAX} characters`);
    filter.q = search;
  }
  const overdue = oneOf('overdue', ['true', 'false'] as const);
  if (overdue === 'true') filter.overdueBefore = overdueBefore ?? {};
  const limit = whole('limit', 1, QUEUE_MAX_LIMIT);
  if (limit !== undefined) filter.limit = limit;
  const offset = whole('offset', 0, 1e9);
  if (offset !== undefined) filter.offset = offset;
  return filter;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CASE_NUMBER = /^\d{6}-[0-9A-Z]{8}-\d{5,}$/i;

/** LIKE's own characters are taken literally by leaving them out: no name, number or pinyin has them. */
function likeSafe(s: string): string {
  return s.replace(/[%_\\]/g, '');
}

type Where = (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>;

/**
 * What the search box's text means: a printed form's QR code (the case's id), a case number (whole or
 * a part with its hyphen or device id), an ID number (whole, or its last digits, which may also end
 * a case number), pinyin (whole or initials, as a prefix of any reading) or a name (any part of it).
 */
function searchCondition(raw: string, kind: CountyContext['kind']): Where {
  // On PostgreSQL a suffix is a prefix of the reversed text, which an index holds (migration 0015).
  const endsWith = (column: 'id_number' | 'case_number', suffix: string): Where =>
    kind === 'postgres' ? (eb) => eb(sql<string>`reverse(${sql.ref(column)})`, 'like', `${[...suffix].reverse().join('')}%`) : (eb) => eb(column, 'like', `%${suffix}`);
  const q = raw.normalize('NFKC').trim().replace(/\s+/g, '');
  if (UUID.test(q)) return (eb) => eb('id', '=', q.toLowerCase());
  if (CASE_NUMBER.test(q)) return (eb) => eb('case_number', '=', q.toUpperCase());
  if (/^\d{17}[\dXx]$/.test(q)) return (eb) => eb('id_number', '=', q.toUpperCase());
  if (/^\d+[Xx]?$/.test(q)) {
    const suffix = q.toUpperCase();
    // Only the last digits of an ID number end in X; a short run of digits is a case's serial number.
    if (suffix.endsWith('X')) return endsWith('id_number', suffix);
    if (suffix.length < MIN_ID_SUFFIX) return endsWith('case_number', `-${'0'.repeat(Math.max(0, 5 - suffix.length))}${suffix}`);
    return (eb) => eb.or([endsWith('id_number', suffix)(eb), endsWith('case_number', suffix)(eb)]);
  }
  if (/^[0-9A-Za-z-]+$/.test(q) && (/\d/.test(q) || q.includes('-'))) return (eb) => eb('case_number', 'like', `%${likeSafe(q.toUpperCase())}%`);
  if (/^[A-Za-z]+$/.test(q)) {
    const pinyin = q.toLowerCase();
    return (eb) => eb.or([eb('name_pinyin', 'like', `% ${pinyin}%`), eb('name', 'like', `${likeSafe(q)}%`)]);
  }
  const name = likeSafe(q.replace(/[·•・.]/g, '%'));
  return (eb) => eb('name', 'like', `%${name}%`);
}

function conditions(filter: CaseQueueFilter, kind: CountyContext['kind']): Where[] {
  const out: Where[] = [];
  const prefix = areaPrefix(filter.area);
  if (prefix === '') {
    // The whole region: nothing to leave out.
  } else if (kind === 'postgres') {
    // The range lets an index on township_code serve (LIKE on PostgreSQL's default collation cannot);
    // the LIKE keeps it exact whatever the collation. Township codes are digits only.
    out.push((eb) => eb.and([eb('township_code', '>=', prefix), eb('township_code', '<=', prefix.padEnd(12, '9')), eb('township_code', 'like', `${prefix}%`)]));
  } else {
    // LIKE alone, which SQLite's planner cannot take an index range from: an area is most of the
    // cases, and a range made it read them all by township and sort them, where walking the queue's
    // covering index in received order stops after one page.
    out.push((eb) => eb('township_code', 'like', `${prefix}%`));
  }
  if (filter.townshipCode !== undefined) out.push((eb) => eb('township_code', '=', filter.townshipCode!));
  if (filter.lifecycleStatus !== undefined) out.push((eb) => eb('lifecycle_status', '=', filter.lifecycleStatus!));
  if (filter.payer !== undefined) out.push((eb) => eb('unit_payer', '=', filter.payer!));
  for (const f of filter.flags ?? []) out.push((eb) => eb(FLAG_COLUMN[f], '=', 1));
  if (filter.q !== undefined) out.push(searchCondition(filter.q, kind));
  if (filter.overdueBefore !== undefined) {
    const cutoffs = Object.entries(filter.overdueBefore).filter(([status]) => filter.lifecycleStatus === undefined || status === filter.lifecycleStatus);
    // Cases from before migration 0015 that no step has touched since wait from their receipt.
    const since = sql<string>`coalesce(lifecycle_since, received_at)`;
    out.push((eb) => (cutoffs.length === 0 ? eb.lit(false) : eb.or(cutoffs.map(([status, before]) => eb.and([eb('lifecycle_status', '=', status as LifecycleStatus), eb(since, '<', before!)])))));
  }
  return out;
}

export async function caseQueue(ctx: CountyContext, filter: CaseQueueFilter): Promise<CaseQueuePage> {
  const limit = filter.limit ?? QUEUE_DEFAULT_LIMIT;
  const offset = filter.offset ?? 0;
  const where = conditions(filter, ctx.kind);
  const matching = (eb: ExpressionBuilder<Database, 'cases'>) => eb.and(where.map((w) => w(eb)));
  const [rows, count] = await Promise.all([
    ctx.db.selectFrom('cases').select(CASE_ITEM_COLUMNS).where(matching).orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    ctx.db
      .selectFrom('cases')
      .select(sql<number | string | bigint>`count(*)`.as('n'))
      .where(matching)
      .executeTakeFirstOrThrow(),
  ]);
  return { cases: rows.map(caseItem), total: Number(count.n), offset, limit };
}
