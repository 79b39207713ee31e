// The imported counties' weekly reports (reports/exchange.ts) in a league's or the region's weekly
// report: the version shown of each county within the area, and the report with them added beside the
// counties of its own database. Kept apart from exchange.ts so that the weekly report can use it
// without importing the exchange, which itself signs weekly reports.

import type { Kysely } from 'kysely';
import { formatFen, parseYuanToFen } from '../../domain/money';
import type { Database } from '../db/schema';
import type { SignedWeeklyPayload } from '../../shared/report-exchange';
import {
  REPORT_COLUMNS,
  REPORT_PERIODS,
  type FiscalLevel,
  type FiscalSplitCells,
  type MoneyFigures,
  type PayerRow,
  type ReportingWeek,
  type ShareAmounts,
  type WeeklyAreaRow,
  type WeeklyReport,
} from '../../shared/reports';
import { areaContains, areaPrefix, type Area, type AreaLevel } from '../../shared/roles';

export interface ImportedWeekly {
  countyCode: string;
  countyName: string;
  /** The county's report as signed: its total row is the county's, its levels hold its townships. */
  report: WeeklyReport;
  generatedAt: string;
  importedAt: string;
  keyFingerprint: string;
}

/**
 * The imported weekly reports shown for the week, of the counties within `area`, by county code: what
 * a league's weekly report puts beside the counties in its own database. A county whose cases the
 * league's database also holds would be counted twice: the caller leaves those out of one side.
 */
export async function importedWeeklyRows(db: Kysely<Database>, area: Area, week: ReportingWeek | string): Promise<ImportedWeekly[]> {
  const start = typeof week === 'string' ? week : week.start;
  const prefix = areaPrefix(area);
  const rows = await db
    .selectFrom('imported_weekly_reports')
    .select(['county_code', 'payload', 'generated_at', 'imported_at', 'key_fingerprint'])
    .where('week_start', '=', start)
    .where('superseded_by', 'is', null)
    .$if(prefix !== '', (q) => q.where('county_code', 'like', `${prefix}%`))
    .orderBy('county_code')
    .execute();
  return rows
    .filter((r) => areaContains(area, { level: 'county', code: r.county_code }))
    .map((r) => {
      const payload = JSON.parse(r.payload) as SignedWeeklyPayload;
      return { countyCode: r.county_code, countyName: payload.county.name, report: payload.report, generatedAt: r.generated_at, importedAt: r.imported_at, keyFingerprint: r.key_fingerprint };
    });
}

const fen = (yuan: string): number => {
  const f = parseYuanToFen(yuan);
  if (f === null) throw new Error(`an imported report holds ${yuan.slice(0, 20)} where yuan to the fen belong`);
  return f;
};
const addYuan = (a: string, b: string): string => formatFen(fen(a) + fen(b));

function addShares(a: ShareAmounts, b: ShareAmounts): ShareAmounts {
  return { unit: addYuan(a.unit, b.unit), individual: addYuan(a.individual, b.individual), total: addYuan(a.total, b.total) };
}

function addMoneyFigures(a: MoneyFigures, b: MoneyFigures): MoneyFigures {
  return {
    engine: { pension: addShares(a.engine.pension, b.engine.pension), medical: addShares(a.engine.medical, b.engine.medical) },
    engineCases: a.engineCases + b.engineCases,
    agency: { pension: addShares(a.agency.pension, b.agency.pension), medical: addShares(a.agency.medical, b.agency.medical) },
    agencyCases: a.agencyCases + b.agencyCases,
  };
}

/** Two areas' fiscal shares together; not published if either is not (never a 0 standing for unknown). */
function addFiscalCells(a: FiscalSplitCells, b: FiscalSplitCells): FiscalSplitCells {
  if (!a.published) return a;
  if (!b.published) return b;
  const sum = (x: Readonly<Record<FiscalLevel, string>>, y: Readonly<Record<FiscalLevel, string>>) => ({ region: addYuan(x.region, y.region), league: addYuan(x.league, y.league), county: addYuan(x.county, y.county) });
  const versions = [...new Set([...a.parametersVersion.split(', '), ...b.parametersVersion.split(', ')])].sort();
  return { published: true, parametersVersion: versions.join(', '), engine: sum(a.engine, b.engine), agency: sum(a.agency, b.agency) };
}

/** `b`'s figures added into a copy of `a` (same area). */
function addAreaRows(a: WeeklyAreaRow, b: WeeklyAreaRow): WeeklyAreaRow {
  const progress = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, Object.fromEntries(REPORT_PERIODS.map((p) => [p, a.progress[c][p] + b.progress[c][p]]))])) as WeeklyAreaRow['progress'];
  const payers = a.payers.map((pa): PayerRow => {
    const pb = b.payers.find((x) => x.payer === pa.payer);
    if (!pb) return pa;
    const periods = Object.fromEntries(REPORT_PERIODS.map((p) => [p, { people: pa.periods[p].people + pb.periods[p].people, money: addMoneyFigures(pa.periods[p].money, pb.periods[p].money) }])) as PayerRow['periods'];
    const fiscalSplit = pa.fiscalSplit && pb.fiscalSplit ? (Object.fromEntries(REPORT_PERIODS.map((p) => [p, addFiscalCells(pa.fiscalSplit![p], pb.fiscalSplit![p])])) as PayerRow['fiscalSplit']) : pa.fiscalSplit;
    return { ...pa, periods, fiscalSplit };
  });
  return { ...a, progress, payers };
}

/**
 * The league's (or region's) weekly report with the imported counties beside its own: each imported
 * county's row and its townships' rows are added at their levels, and its figures to the 盟市 above it
 * and to the total. A county the report's own database already counts cases of keeps its own figures
 * (the import is left out rather than counted twice); so does one outside the report's area.
 */
export function withImportedCounties(report: WeeklyReport, imported: readonly ImportedWeekly[]): WeeklyReport {
  const own = (level: AreaLevel, code: string) => report.levels.find((l) => l.level === level)?.rows.find((r) => r.area.code === code);
  const levels = report.levels.map((l) => ({ level: l.level, rows: [...l.rows] }));
  let total = report.total;
  for (const item of imported) {
    const county: Area = { level: 'county', code: item.countyCode };
    if (!areaContains(report.area, county) || report.area.level === 'county') continue;
    if ((own('county', county.code)?.progress.registered.toDate ?? 0) > 0) continue;
    if (item.report.week.start !== report.week.start) continue;
    const countyRow: WeeklyAreaRow = { ...item.report.total, area: county, name: item.countyName || item.report.total.name };
    const townships = item.report.levels.find((l) => l.level === 'township')?.rows ?? [];
    for (const l of levels) {
      if (l.level === 'county') l.rows = [...l.rows.filter((r) => r.area.code !== county.code), countyRow];
      if (l.level === 'township') l.rows = [...l.rows.filter((r) => !r.area.code.startsWith(county.code)), ...townships];
      if (l.level === 'league') {
        const leagueCode = `${county.code.slice(0, 4)}00`;
        const i = l.rows.findIndex((r) => r.area.code === leagueCode);
        if (i >= 0) l.rows[i] = addAreaRows(l.rows[i]!, countyRow);
      }
    }
    total = addAreaRows(total, countyRow);
  }
  for (const l of levels) l.rows.sort((a, b) => (a.area.code < b.area.code ? -1 : a.area.code > b.area.code ? 1 : 0));
  return { ...report, levels, total };
}
