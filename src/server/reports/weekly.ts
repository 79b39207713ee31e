// The weekly progress report (NM43-3.4) of the caller's area: every figure counted from the cases.
// 'registered' counts cases by the server's receipt time; every other column counts the signed steps
// into that status by the step's time (void steps left out), so a case that moved twice in a week
// counts in both columns. People and money by payer count the cases registered in each period.

import type { CountyContext } from '../county/context';
import {
  REPORT_COLUMNS,
  REPORT_PERIODS,
  UNIT_PAYERS,
  type PayerRow,
  type PeriodCounts,
  type ReportColumn,
  type ReportPeriod,
  type UnitPayer,
  type WeeklyAreaRow,
  type WeeklyReport,
} from '../../shared/reports';
import { formatArea, type Area } from '../../shared/roles';
import {
  addFiscal,
  addMoney,
  areaAt,
  areaNames,
  emptyMoneyFen,
  fiscalRatios,
  levelsBelow,
  moneyFigures,
  moneyRows,
  periodsOf,
  progressRows,
  type FiscalFenByLeague,
  type FiscalRatios,
  type MoneyFen,
} from './figures';
import { importedWeeklyRows, withImportedCounties } from './imported-weekly';
import { reportReader } from './reader';
import { previousWeek, reportingWeekAt, shanghaiDate } from './weeks';

interface Tally {
  area: Area;
  progress: Record<ReportColumn, Record<ReportPeriod, number>>;
  payers: Record<UnitPayer, Record<ReportPeriod, MoneyFen>>;
  fiscal: Record<ReportPeriod, FiscalFenByLeague>;
}

const byPeriod = <T>(make: () => T): Record<ReportPeriod, T> => ({ thisWeek: make(), previousWeek: make(), toDate: make() });

function emptyTally(area: Area): Tally {
  return {
    area,
    progress: Object.fromEntries(REPORT_COLUMNS.map((c) => [c, byPeriod(() => 0)])) as Tally['progress'],
    payers: Object.fromEntries(UNIT_PAYERS.map((p) => [p, byPeriod(emptyMoneyFen)])) as Tally['payers'],
    fiscal: byPeriod(() => new Map()),
  };
}

function isColumn(c: string): c is ReportColumn {
  return (REPORT_COLUMNS as readonly string[]).includes(c);
}

/**
 * The weekly report of `area` for the week holding `instant`, as computed at `ctx.now()`. Counties that
 * run their own servers send their weeks as signed files (report-exchange): a league or the region shows
 * them beside its own.
 */
export async function weeklyReport(ctx: CountyContext, area: Area, instant: Date): Promise<WeeklyReport> {
  const own = await weeklyReportOfOwnCases(ctx, area, instant);
  return area.level === 'league' || area.level === 'region' ? withImportedCounties(own, await importedWeeklyRows(ctx.db, area, own.week)) : own;
}

/** The weekly report of the cases in this server's database alone. */
export async function weeklyReportOfOwnCases(ctx: CountyContext, area: Area, instant: Date): Promise<WeeklyReport> {
  const week = reportingWeekAt(instant);
  const before = previousWeek(week);
  const bounds = { previousStart: before.start, start: week.start };
  const reader = await reportReader(ctx);
  const [progress, money, names, ratios] = await Promise.all([
    progressRows(ctx, reader, area, week.end, bounds),
    moneyRows(ctx, reader, { area, end: week.end, bounds }),
    areaNames(ctx, area),
    // The ratios in force on the week's last day.
    fiscalRatios(ctx, shanghaiDate(new Date(Date.parse(week.end) - 1))),
  ]);

  const levels = levelsBelow(area);
  const tallies = new Map<string, Tally>();
  const tallyOf = (a: Area): Tally => {
    const key = formatArea(a);
    let t = tallies.get(key);
    if (!t) {
      t = emptyTally(a);
      tallies.set(key, t);
    }
    return t;
  };
  const total = emptyTally(area);
  /** The tallies a township's figures add to: its area at each level, and the total. */
  const targets = (township: string): Tally[] => [...levels.map((l) => tallyOf(areaAt(l, township))), total];
  for (const township of names.townships) targets(township);

  for (const r of progress) {
    if (!isColumn(r.column)) continue;
    for (const t of targets(r.township)) for (const p of periodsOf(r.period)) t.progress[r.column][p] += r.n;
  }
  for (const r of money) {
    if (r.payer === null) continue;
    for (const t of targets(r.township)) {
      for (const p of periodsOf(r.period)) {
        addMoney(t.payers[r.payer][p], r);
        if (r.payer === 'fiscal') addFiscal(t.fiscal[p], r.township, r);
      }
    }
  }

  const row = (t: Tally): WeeklyAreaRow => areaRow(t, names.nameOf(t.area), ratios);
  const sorted = [...tallies.values()].sort((a, b) => a.area.code.localeCompare(b.area.code));
  return {
    kind: 'weekly',
    week,
    previousWeek: before,
    area,
    areaName: names.nameOf(area),
    levels: levels.map((level) => ({ level, rows: sorted.filter((t) => t.area.level === level).map(row) })),
    total: row(total),
    computedAt: ctx.now().toISOString(),
  };
}

function areaRow(t: Tally, name: string, ratios: FiscalRatios): WeeklyAreaRow {
  const payers: PayerRow[] = UNIT_PAYERS.map((payer) => ({
    payer,
    periods: Object.fromEntries(REPORT_PERIODS.map((p) => [p, { people: t.payers[payer][p].people, money: moneyFigures(t.payers[payer][p]) }])) as PayerRow['periods'],
    fiscalSplit: payer === 'fiscal' ? (Object.fromEntries(REPORT_PERIODS.map((p) => [p, ratios.cells(t.fiscal[p])])) as NonNullable<PayerRow['fiscalSplit']>) : null,
  }));
  return {
    area: t.area,
    name,
    progress: Object.fromEntries(REPORT_COLUMNS.map((c) => [c, { ...t.progress[c] } satisfies PeriodCounts])) as WeeklyAreaRow['progress'],
    payers,
  };
}
