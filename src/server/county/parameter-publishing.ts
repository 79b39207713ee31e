// Parameter publishing from the county page: the sets the server knows (every one stays readable,
// since determinations record the version they used), and a draft set's impact on the open cases:
// each open case's current facts re-run under the set it uses now and under the draft, the figures
// that change listed with their difference to the fen. Nothing here writes.

import type { ExpressionBuilder, Kysely } from 'kysely';
import { countyRepublishProblems, DEFAULT_PARAMETERS, isJiexuError, parseParameterSet, type CaseFacts, type ParameterSet } from '../../domain';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { FINAL_STATUSES, type LifecycleStatus } from '../../shared/case-lifecycle';
import { areaPrefix, type Area } from '../../shared/roles';
import { figuresOf, type FiguresDigest } from '../../shared/sync-protocol';
import { parseCaseFacts } from '../../shared/case';
import {
  figureChanges,
  ImpactSums,
  PREVIEW_DEFAULT_LIMIT,
  PREVIEW_MAX_LIMIT,
  type CaseImpact,
  type ImpactSummary,
  type ParameterImpactPage,
  type ParameterSetDetail,
  type ParameterSetItem,
} from '../../shared/parameter-publishing';
import { evaluateOnServer } from './determination-record';
import { knownParameterSets } from './parameter-sets';
import type { CountyContext } from './context';

/** At most this many open cases are re-run for the summary a publication records (about 1.5 ms each). */
export const PUBLISH_IMPACT_CAP = 5000;
const CHUNK = 500;

type Problem = { path: string; message: string };

function invalid(problems: Problem[]): ApiError {
  return new ApiError(422, 'invalid-request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { details: { problems } });
}

/**
 * A document a county may publish: well formed, and changing nothing the law or the notice fixes.
 * Problems are named by their path under `document`, as the request carries it.
 */
export function countyParameterSet(document: unknown): ParameterSet {
  let set: ParameterSet;
  try {
    set = parseParameterSet(document);
  } catch (err) {
    if (isJiexuError(err)) throw invalid((err.details.problems ?? []).map((p) => ({ path: `document.${p.path}`, message: p.message })));
    throw err;
  }
  const fixed = countyRepublishProblems(set);
  if (fixed.length > 0) throw invalid(fixed.map((p) => ({ path: `document.${p.path}`, message: p.message })));
  return set;
}

// --- the sets ------------------------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The date a dated value applies from: its `from`, or for a wage year Y the first day of Y + 1. */
function dateOf(v: Record<string, unknown>): string | null {
  if (typeof v.from === 'string') return v.from;
  if (typeof v.year === 'number') return `${v.year + 1}-01-01`;
  return null;
}

/** The dates from which the values of `set` that `before` does not hold apply. */
export function effectiveDates(set: unknown, before: unknown): string[] {
  const dates = new Set<string>();
  const walk = (node: unknown, prev: unknown) => {
    if (Array.isArray(node)) {
      const had = new Set((Array.isArray(prev) ? prev : []).map((v) => JSON.stringify(v)));
      for (const v of node) {
        if (!isRecord(v) || had.has(JSON.stringify(v))) continue;
        const d = dateOf(v);
        if (d) dates.add(d);
      }
      return;
    }
    if (!isRecord(node)) return;
    // A rule table published as one value (retirement ages, minimum months): changed as a whole.
    if (typeof node.from === 'string' && 'source' in node) {
      if (JSON.stringify(node) !== JSON.stringify(prev)) dates.add(node.from);
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, isRecord(prev) ? prev[key] : undefined);
  };
  const { version: _v, title: _t, issued: _i, issuedBy: _b, format: _f, ...values } = set as Record<string, unknown>;
  walk(values, before);
  return [...dates].sort();
}

interface SetRow {
  version: string;
  document: string;
  issued: string;
  published_at: string;
  published_by: string;
}

function newer(a: { issued: string; version: string }, b: { issued: string; version: string }): boolean {
  return a.issued > b.issued || (a.issued === b.issued && a.version > b.version);
}

async function setRows(db: Kysely<Database>): Promise<SetRow[]> {
  return db.selectFrom('parameter_sets').select(['version', 'document', 'issued', 'published_at', 'published_by']).orderBy('published_at').orderBy('version').execute();
}

function items(rows: readonly SetRow[]): (ParameterSetItem & { document: unknown })[] {
  const builtIn = { version: DEFAULT_PARAMETERS.version, title: DEFAULT_PARAMETERS.title, issued: DEFAULT_PARAMETERS.issued, document: DEFAULT_PARAMETERS as unknown };
  const all = [
    { ...builtIn, effectiveDates: [] as string[], publishedAt: null, publishedBy: null, builtIn: true },
    ...rows.map((r, i) => {
      const document = JSON.parse(r.document) as Record<string, unknown>;
      const before = i === 0 ? builtIn.document : JSON.parse(rows[i - 1]!.document);
      return { version: r.version, title: String(document.title ?? ''), issued: r.issued, document, effectiveDates: effectiveDates(document, before), publishedAt: r.published_at, publishedBy: r.published_by, builtIn: false };
    }),
  ];
  let inForce = all[0]!;
  for (const s of all) if (newer(s, inForce)) inForce = s;
  return all.map((s) => ({ ...s, inForce: s === inForce }));
}

/** Every set the server knows, newest publication first, the program's own last. */
export async function listParameterSets(ctx: CountyContext): Promise<ParameterSetItem[]> {
  return items(await setRows(ctx.db))
    .map(({ document: _d, ...item }) => item)
    .reverse();
}

/** One set with its document, as published; null when the server has none of that version. */
export async function parameterSetDetail(ctx: CountyContext, version: string): Promise<ParameterSetDetail | null> {
  return items(await setRows(ctx.db)).find((s) => s.version === version) ?? null;
}

// --- impact --------------------------------------------------------------------------------------

interface OpenCaseRow {
  id: string;
  case_number: string;
  township_code: string;
  lifecycle_status: LifecycleStatus;
  parameters_version: string;
  facts: string;
}

function openCases(area: Area | null) {
  const prefix = area === null ? '' : areaPrefix(area);
  return (eb: ExpressionBuilder<Database, 'cases'>) =>
    eb.and([
      eb('status', '=', 'registered'),
      eb('lifecycle_status', 'not in', [...FINAL_STATUSES]),
      ...(prefix === '' ? [] : [eb('township_code', 'like', `${prefix}%`)]),
    ]);
}

async function countOpen(db: Kysely<Database>, area: Area | null): Promise<number> {
  const r = await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).where(openCases(area)).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function openPage(db: Kysely<Database>, area: Area | null, offset: number, limit: number): Promise<OpenCaseRow[]> {
  return db
    .selectFrom('cases')
    .select(['id', 'case_number', 'township_code', 'lifecycle_status', 'parameters_version', 'facts'])
    .where(openCases(area))
    .orderBy('case_number')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

function run(facts: CaseFacts | null, set: ParameterSet | undefined, version: string): { figures: FiguresDigest | null; error: string | null } {
  // Facts the engine cannot read give no determination under either set: the case is not changed by the draft.
  if (facts === null) return { figures: null, error: 'invalid-facts: the case’s stored facts are not complete case facts' };
  if (!set) return { figures: null, error: `unknown-parameter-set: the server has no parameter set ${version}` };
  const r = evaluateOnServer(facts, set);
  return 'error' in r ? { figures: null, error: r.error } : { figures: figuresOf(r.determination), error: null };
}

/** The case's figures under the set it uses now and under the draft, when they differ. */
function impactOf(row: OpenCaseRow, sets: ReadonlyMap<string, ParameterSet>, draft: ParameterSet): Omit<CaseImpact, 'townshipName'> | null {
  const parsed = parseCaseFacts(JSON.parse(row.facts));
  const facts = parsed.ok ? parsed.facts : null;
  const now = run(facts, sets.get(row.parameters_version), row.parameters_version);
  const next = run(facts, draft, draft.version);
  const changes = figureChanges(now.figures, next.figures);
  if (changes.length === 0 && now.error === next.error) return null;
  return {
    caseId: row.id,
    caseNumber: row.case_number,
    townshipCode: row.township_code,
    lifecycleStatus: row.lifecycle_status,
    parametersVersion: row.parameters_version,
    changes,
    error: { old: now.error, new: next.error },
  };
}

export interface PreviewQuery {
  offset: number;
  limit: number;
}

/** The request's paging: offset from 0, limit from 1 to PREVIEW_MAX_LIMIT; problems named by field. */
export function parsePreviewPaging(body: Record<string, unknown>): PreviewQuery {
  const problems: Problem[] = [];
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const v = body[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push({ path: name, message: `a whole number from ${min} to ${max}` });
      return fallback;
    }
    return v;
  };
  const offset = number('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = number('limit', PREVIEW_DEFAULT_LIMIT, 1, PREVIEW_MAX_LIMIT);
  if (problems.length > 0) throw invalid(problems);
  return { offset, limit };
}

/** One page of the open cases of `area`, each re-run under the draft; no write. */
export async function previewParameterSet(ctx: CountyContext, draft: ParameterSet, area: Area, paging: PreviewQuery): Promise<ParameterImpactPage> {
  const [known, total, rows] = await Promise.all([knownParameterSets(ctx.db), countOpen(ctx.db, area), openPage(ctx.db, area, paging.offset, paging.limit)]);
  const names = new Map((await ctx.db.selectFrom('townships').select(['code', 'name']).execute()).map((t) => [t.code, t.name]));
  const sums = new ImpactSums();
  const changed: CaseImpact[] = [];
  for (const row of rows) {
    const impact = impactOf(row, known.byVersion, draft);
    if (!impact) continue;
    sums.add(impact.changes);
    changed.push({ ...impact, townshipName: names.get(row.township_code) ?? '' });
  }
  const reached = paging.offset + rows.length;
  return {
    draftVersion: draft.version,
    openCases: total,
    offset: paging.offset,
    examined: rows.length,
    next: rows.length === paging.limit && reached < total ? reached : null,
    changed,
    totals: sums.totals(),
  };
}

/** The impact a publication records: over every open case of the server, up to PUBLISH_IMPACT_CAP. */
export async function impactSummary(ctx: CountyContext, set: ParameterSet): Promise<ImpactSummary> {
  const [known, total] = await Promise.all([knownParameterSets(ctx.db), countOpen(ctx.db, null)]);
  const sums = new ImpactSums();
  let examined = 0;
  while (examined < Math.min(total, PUBLISH_IMPACT_CAP)) {
    const rows = await openPage(ctx.db, null, examined, Math.min(CHUNK, PUBLISH_IMPACT_CAP - examined));
    if (rows.length === 0) break;
    for (const row of rows) {
      const impact = impactOf(row, known.byVersion, set);
      if (impact) sums.add(impact.changes);
    }
    examined += rows.length;
  }
  return { openCases: total, examined, totals: sums.totals() };
}
