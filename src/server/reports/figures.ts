// The grouped queries every report is made of, and their roll-up from townships to counties, 盟市 and
// the caller's area. The database counts and sums (group by township, and by status, payer or period);
// the roll-up adds up those few grouped rows, never the cases. Withdrawn registrations count nowhere.
// Money is summed as integer fen: the amounts are stored as yuan with exactly two decimals
// (determination.ts), so dropping the point gives the fen without any rounding.

import { sql, type RawBuilder } from 'kysely';
import { fiscalSharesInForce, JiexuError, type ParameterSet } from '../../domain';
import { formatFen } from '../../domain/money';
import { findCounty, leagues } from '../../domain/regions';
import type { CountyContext } from '../county/context';
import { knownParameterSets } from '../county/parameter-sets';
import { areaPrefix, REGION, type Area, type AreaLevel } from '../../shared/roles';
import {
  FISCAL_LEVELS,
  INSURANCE_TRACKS,
  UNIT_PAYERS,
  type FiscalSplitCells,
  type MoneyFigures,
  type ReportPeriod,
  type UnitPayer,
} from '../../shared/reports';
import { fiscalSplit } from '../../domain/fiscal-split';
import type { ReportReader } from './reader';

/** A period a row falls in: the report's periods, or 'earlier' (before the previous week; only in toDate). */
export type RawPeriod = 'thisWeek' | 'previousWeek' | 'earlier' | 'toDate';

/** Week bounds for the period column; null: one period, 'toDate'. */
export interface PeriodBounds {
  previousStart: string;
  start: string;
}

/** SQL numbers arrive as numbers (SQLite) or strings (PostgreSQL's count and sum): whole numbers either way. */
export function whole(v: unknown): number {
  const n = typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`report figure: ${String(v).slice(0, 30)} is not a safe whole number`);
  return n;
}

function periodOf(column: RawBuilder<unknown>, bounds: PeriodBounds | null): RawBuilder<RawPeriod> {
  if (bounds === null) return sql<RawPeriod>`'toDate'`;
  return sql<RawPeriod>`case when ${column} >= ${bounds.start} then 'thisWeek' when ${column} >= ${bounds.previousStart} then 'previousWeek' else 'earlier' end`;
}

function inArea(ctx: CountyContext, column: RawBuilder<unknown>, area: Area): RawBuilder<unknown> {
  const prefix = areaPrefix(area);
  if (prefix === '') return sql`1 = 1`;
  // As the case queue does: a range PostgreSQL's index can serve, LIKE to be exact whatever the collation.
  if (ctx.kind === 'postgres') return sql`(${column} >= ${prefix} and ${column} <= ${prefix.padEnd(12, '9')} and ${column} like ${`${prefix}%`})`;
  return sql`${column} like ${`${prefix}%`}`;
}

function fenOf(ctx: CountyContext, text: RawBuilder<unknown>): RawBuilder<number> {
  return ctx.kind === 'postgres' ? sql<number>`replace(${text}, '.', '')::bigint` : sql<number>`cast(replace(${text}, '.', '') as integer)`;
}

// --- progress: cases registered and signed steps, by township and period ---------------------------

export interface ProgressRaw {
  township: string;
  /** 'registered' or the status a step led to. */
  column: string;
  period: RawPeriod;
  n: number;
}

export async function progressRows(ctx: CountyContext, reader: ReportReader, area: Area, end: string, bounds: PeriodBounds): Promise<ProgressRaw[]> {
  const c = sql.ref('c.township_code');
  const registered = sql<{ township: string; period: RawPeriod; n: unknown }>`
    select c.township_code as township, ${periodOf(sql.ref('c.received_at'), bounds)} as period, count(*) as n
    from cases c
    where ${inArea(ctx, c, area)} and c.status = 'registered' and c.received_at < ${end}
    group by 1, 2`.compile(ctx.db);
  // SQLite: the cases in id order, each one's steps next in case_steps' index (migration 0017).
  const stepsJoin =
    ctx.kind === 'postgres' ? sql`case_steps s join cases c on c.id = s.case_id` : sql`cases c indexed by cases_report_by_id cross join case_steps s on s.case_id = c.id`;
  const steps = sql<{ township: string; column: string; period: RawPeriod; n: unknown }>`
    select c.township_code as township, s.to_status as ${sql.ref('column')}, ${periodOf(sql.ref('s.at'), bounds)} as period, count(*) as n
    from ${stepsJoin}
    where ${inArea(ctx, c, area)} and c.status = 'registered' and s.void = 0 and s.at < ${end}
    group by 1, 2, 3`.compile(ctx.db);
  const [a, b] = await Promise.all([reader.rows(registered), reader.rows(steps)]);
  return [...a.map((r) => ({ township: r.township, column: 'registered', period: r.period, n: whole(r.n) })), ...b.map((r) => ({ ...r, n: whole(r.n) }))];
}

// --- money: people and amounts by township, payer and period ------------------------------------------

/** Fen by track and share. */
export interface TrackFen {
  pensionUnit: number;
  pensionIndividual: number;
  medicalUnit: number;
  medicalIndividual: number;
}

export interface MoneyFen {
  people: number;
  engineCases: number;
  engine: TrackFen;
  agencyCases: number;
  agency: TrackFen;
}

export interface MoneyRaw extends MoneyFen {
  township: string;
  payer: UnitPayer | null;
  period: RawPeriod;
}

export interface MoneyQuery {
  area: Area;
  /** Cases received before this instant. */
  end: string;
  bounds: PeriodBounds | null;
  /** Only cases now in this status. */
  lifecycleStatus?: string;
}

const TRACK_FIELDS = ['pensionUnit', 'pensionIndividual', 'medicalUnit', 'medicalIndividual'] as const;
const ENGINE_COLUMNS = {
  pensionUnit: 'engine_pension_unit_fen',
  pensionIndividual: 'engine_pension_individual_fen',
  medicalUnit: 'engine_medical_unit_fen',
  medicalIndividual: 'engine_medical_individual_fen',
} as const;

export async function moneyRows(ctx: CountyContext, reader: ReportReader, q: MoneyQuery): Promise<MoneyRaw[]> {
  // The engine's figures: the server's determination of the case's current version under the tablet's
  // set, in fen as the database keeps them beside the figures JSON (migration 0014).
  const engine = (f: (typeof TRACK_FIELDS)[number]) => sql.ref(`d.${ENGINE_COLUMNS[f]}`);
  const agencyFen = (track: string, column: 'unit_amount' | 'individual_amount') => sql`sum(case when track = ${track} then ${fenOf(ctx, sql.ref(column))} end)`;
  const status = q.lifecycleStatus === undefined ? sql`` : sql`and c.lifecycle_status = ${q.lifecycleStatus}`;
  const query = sql<Record<string, unknown>>`
    select c.township_code as township, c.unit_payer as payer, ${periodOf(sql.ref('c.received_at'), q.bounds)} as period,
      count(*) as people,
      count(d.version_id) - count(d.error) as engine_cases,
      ${sql.join(TRACK_FIELDS.map((k) => sql`coalesce(sum(${engine(k)}), 0) as ${sql.ref(`e_${k}`)}`))},
      count(a.case_id) as agency_cases,
      ${sql.join(TRACK_FIELDS.map((k) => sql`coalesce(sum(${sql.ref(`a.${k}`)}), 0) as ${sql.ref(`a_${k}`)}`))}
    from cases c
    left join server_determinations d on d.version_id = c.current_version_id and d.purpose = 'tablet-set'
    left join (
      select case_id,
        ${agencyFen('pension', 'unit_amount')} as ${sql.ref('pensionUnit')},
        ${agencyFen('pension', 'individual_amount')} as ${sql.ref('pensionIndividual')},
        ${agencyFen('medical', 'unit_amount')} as ${sql.ref('medicalUnit')},
        ${agencyFen('medical', 'individual_amount')} as ${sql.ref('medicalIndividual')}
      from agency_findings where superseded_by is null group by case_id
    ) a on a.case_id = c.id
    where ${inArea(ctx, sql.ref('c.township_code'), q.area)} and c.status = 'registered' and c.received_at < ${q.end} ${status}
    group by 1, 2, 3`.compile(ctx.db);
  const rows = await reader.rows(query);
  return rows.map((r) => ({
    township: String(r.township),
    payer: (r.payer ?? null) as UnitPayer | null,
    period: r.period as RawPeriod,
    people: whole(r.people),
    engineCases: whole(r.engine_cases),
    engine: Object.fromEntries(TRACK_FIELDS.map((k) => [k, whole(r[`e_${k}`])])) as unknown as TrackFen,
    agencyCases: whole(r.agency_cases),
    agency: Object.fromEntries(TRACK_FIELDS.map((k) => [k, whole(r[`a_${k}`])])) as unknown as TrackFen,
  }));
}

// --- counts by township and current status ---------------------------------------------------------

export async function statusRows(ctx: CountyContext, reader: ReportReader, area: Area): Promise<{ township: string; status: string; n: number }[]> {
  const q = sql<{ township: string; status: string; n: unknown }>`
    select township_code as township, lifecycle_status as status, count(*) as n from cases
    where ${inArea(ctx, sql.ref('township_code'), area)} and status = 'registered'
    group by 1, 2`.compile(ctx.db);
  return (await reader.rows(q)).map((r) => ({ township: r.township, status: r.status, n: whole(r.n) }));
}

// --- adding up --------------------------------------------------------------------------------------

export const emptyTrackFen = (): TrackFen => ({ pensionUnit: 0, pensionIndividual: 0, medicalUnit: 0, medicalIndividual: 0 });
export const emptyMoneyFen = (): MoneyFen => ({ people: 0, engineCases: 0, engine: emptyTrackFen(), agencyCases: 0, agency: emptyTrackFen() });

export function addMoney(into: MoneyFen, m: MoneyFen): void {
  into.people += m.people;
  into.engineCases += m.engineCases;
  into.agencyCases += m.agencyCases;
  for (const k of TRACK_FIELDS) {
    into.engine[k] += m.engine[k];
    into.agency[k] += m.agency[k];
  }
}

export function moneyFigures(m: MoneyFen): MoneyFigures {
  const amounts = (t: TrackFen) =>
    Object.fromEntries(
      INSURANCE_TRACKS.map((track) => {
        const unit = t[`${track}Unit`];
        const individual = t[`${track}Individual`];
        return [track, { unit: formatFen(unit), individual: formatFen(individual), total: formatFen(unit + individual) }];
      }),
    ) as unknown as MoneyFigures['engine'];
  return { engine: amounts(m.engine), engineCases: m.engineCases, agency: amounts(m.agency), agencyCases: m.agencyCases };
}

/** The report periods a raw period adds to. */
export function periodsOf(p: RawPeriod): ReportPeriod[] {
  switch (p) {
    case 'thisWeek':
      return ['thisWeek', 'toDate'];
    case 'previousWeek':
      return ['previousWeek', 'toDate'];
    default:
      return ['toDate'];
  }
}

// --- areas ------------------------------------------------------------------------------------------

export function leagueOf(township: string): string {
  return `${township.slice(0, 4)}00`;
}

/** The area one level below `level` that holds the township. */
export function areaAt(level: AreaLevel, township: string): Area {
  switch (level) {
    case 'township':
      return { level, code: township };
    case 'county':
      return { level, code: township.slice(0, 6) };
    case 'league':
      return { level, code: leagueOf(township) };
    case 'region':
      return REGION;
  }
}

/** The levels of rows a report of `area` shows, broadest first, down to the townships. */
export function levelsBelow(area: Area): AreaLevel[] {
  switch (area.level) {
    case 'region':
      return ['league', 'county', 'township'];
    case 'league':
      return ['county', 'township'];
    default:
      return ['township'];
  }
}

export interface AreaNames {
  nameOf(area: Area): string;
  /** The townships of the area the server knows (their rows show even with nothing to count). */
  townships: string[];
}

export async function areaNames(ctx: CountyContext, area: Area): Promise<AreaNames> {
  const prefix = areaPrefix(area);
  const rows = await ctx.db.selectFrom('townships').select(['code', 'name']).where('code', 'like', `${prefix}%`).orderBy('code').execute();
  const townshipNames = new Map(rows.map((r) => [r.code, r.name]));
  const leagueNames = new Map(leagues().map((l) => [l.code, l.name]));
  return {
    townships: rows.map((r) => r.code),
    nameOf(a) {
      switch (a.level) {
        case 'township':
          return townshipNames.get(a.code) ?? '';
        case 'county':
          return findCounty(a.code)?.name ?? '';
        case 'league':
          return leagueNames.get(a.code) ?? '';
        case 'region':
          return '内蒙古自治区';
      }
    },
  };
}

// --- the fiscal split -------------------------------------------------------------------------------

/** Unit fen of fiscal cases by 盟市 (the ratios may differ by 盟市). */
export type FiscalFenByLeague = Map<string, { engine: number; agency: number }>;

export function addFiscal(into: FiscalFenByLeague, township: string, m: MoneyFen): void {
  const key = leagueOf(township);
  const cur = into.get(key) ?? { engine: 0, agency: 0 };
  cur.engine += m.engine.pensionUnit + m.engine.medicalUnit;
  cur.agency += m.agency.pensionUnit + m.agency.medicalUnit;
  into.set(key, cur);
}

export interface FiscalRatios {
  cells(byLeague: FiscalFenByLeague): FiscalSplitCells;
}

/**
 * The ratios in force on `on` (YYYY-MM-DD) in the newest parameter set. Each 盟市's amounts are split
 * with its own ratios and the shares added up, so each row's shares add up to its amount to the fen.
 */
export async function fiscalRatios(ctx: CountyContext, on: string): Promise<FiscalRatios> {
  const set: ParameterSet = (await knownParameterSets(ctx.db)).newest;
  const cache = new Map<string, ReturnType<typeof fiscalSharesInForce> | JiexuError>();
  const sharesOf = (league: string) => {
    let s = cache.get(league);
    if (!s) {
      try {
        s = fiscalSharesInForce(set, league, on);
      } catch (err) {
        if (!(err instanceof JiexuError) || err.code !== 'not-in-force') throw err;
        s = err;
      }
      cache.set(league, s);
    }
    return s;
  };
  return {
    cells(byLeague) {
      const engine = { region: 0, league: 0, county: 0 };
      const agency = { region: 0, league: 0, county: 0 };
      for (const [league, fen] of byLeague) {
        const s = sharesOf(league);
        if (s instanceof JiexuError) return { published: false, reason: s.message };
        const e = fiscalSplit(fen.engine, s.shares);
        const a = fiscalSplit(fen.agency, s.shares);
        for (const level of FISCAL_LEVELS) {
          engine[level] += e[level];
          agency[level] += a[level];
        }
      }
      // With no fiscal case there is nothing to split, but whether the ratios are in force still shows.
      if (byLeague.size === 0) {
        const s = sharesOf('');
        if (s instanceof JiexuError) return { published: false, reason: s.message };
      }
      const yuan = (f: typeof engine) => ({ region: formatFen(f.region), league: formatFen(f.league), county: formatFen(f.county) });
      return { published: true, parametersVersion: set.version, engine: yuan(engine), agency: yuan(agency) };
    },
  };
}

export { UNIT_PAYERS };
