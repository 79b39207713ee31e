// The end-of-August statistics (NM43-2: registered people and the back-pay money to be raised, by
// 盟市 and county, as of 08-31 of the campaign year) and the completion summary (where every case of
// the area is now). Counted from the cases like the weekly report (figures.ts).

import type { CountyContext } from '../county/context';
import {
  COMPLETION_STATES,
  UNIT_PAYERS,
  type AugustStatistics,
  type AugustStatisticsRow,
  type CompletionRow,
  type CompletionState,
  type CompletionSummary,
  type UnitPayer,
} from '../../shared/reports';
import { formatArea, type Area, type AreaLevel } from '../../shared/roles';
import { addMoney, areaAt, areaNames, emptyMoneyFen, levelsBelow, moneyFigures, moneyRows, statusRows, type AreaNames, type MoneyFen } from './figures';
import { reportReader } from './reader';
import { endOfShanghaiDay } from './weeks';

/** Tallies per area at each level shown, and for the whole area. */
function rollUp<T>(area: Area, names: AreaNames, make: (a: Area) => T) {
  const levels = levelsBelow(area);
  const tallies = new Map<string, T & { area: Area }>();
  const total = { ...make(area), area };
  const targets = (township: string): (T & { area: Area })[] => [
    ...levels.map((l) => {
      const a = areaAt(l, township);
      const key = formatArea(a);
      let t = tallies.get(key);
      if (!t) {
        t = { ...make(a), area: a };
        tallies.set(key, t);
      }
      return t;
    }),
    total,
  ];
  for (const township of names.townships) targets(township);
  const byLevel = <R>(row: (t: T & { area: Area }) => R): { level: AreaLevel; rows: R[] }[] => {
    const sorted = [...tallies.values()].sort((a, b) => a.area.code.localeCompare(b.area.code));
    return levels.map((level) => ({ level, rows: sorted.filter((t) => t.area.level === level).map(row) }));
  };
  return { targets, total, byLevel };
}

interface AugustTally {
  money: MoneyFen;
  byPayer: Record<UnitPayer, number>;
}

export async function augustStatistics(ctx: CountyContext, area: Area, campaignYear: number): Promise<AugustStatistics> {
  const asOf = `${campaignYear}-08-31`;
  const asOfEnd = endOfShanghaiDay(asOf);
  const reader = await reportReader(ctx);
  const [money, names] = await Promise.all([moneyRows(ctx, reader, { area, end: asOfEnd, bounds: null }), areaNames(ctx, area)]);
  const r = rollUp<AugustTally>(area, names, () => ({ money: emptyMoneyFen(), byPayer: { unit: 0, superior: 0, fiscal: 0 } }));
  for (const m of money) {
    for (const t of r.targets(m.township)) {
      addMoney(t.money, m);
      if (m.payer !== null) t.byPayer[m.payer] += m.people;
    }
  }
  const row = (t: AugustTally & { area: Area }): AugustStatisticsRow => ({
    area: t.area,
    name: names.nameOf(t.area),
    people: t.money.people,
    peopleByPayer: Object.fromEntries(UNIT_PAYERS.map((p) => [p, t.byPayer[p]])) as AugustStatisticsRow['peopleByPayer'],
    money: moneyFigures(t.money),
  });
  return {
    kind: 'august-statistics',
    campaignYear,
    asOf,
    asOfEnd,
    area,
    areaName: names.nameOf(area),
    levels: r.byLevel(row),
    total: row(r.total),
    computedAt: ctx.now().toISOString(),
  };
}

interface CompletionTally {
  byState: Record<CompletionState, number>;
  completedMoney: MoneyFen;
}

function stateOf(status: string): CompletionState {
  return status === 'completed' || status === 'transferred' || status === 'not-eligible' ? status : 'open';
}

/** closed / cases to 4 places, rounded half up, in whole numbers (no float). */
function share(closed: number, cases: number): string {
  if (cases === 0) return '0.0000';
  const tenThousandths = Math.floor((closed * 20000 + cases) / (2 * cases));
  return `${Math.floor(tenThousandths / 10000)}.${String(tenThousandths % 10000).padStart(4, '0')}`;
}

export async function completionSummary(ctx: CountyContext, area: Area): Promise<CompletionSummary> {
  const reader = await reportReader(ctx);
  const now = ctx.now().toISOString();
  const [statuses, money, names] = await Promise.all([
    statusRows(ctx, reader, area),
    moneyRows(ctx, reader, { area, end: now, bounds: null, lifecycleStatus: 'completed' }),
    areaNames(ctx, area),
  ]);
  const r = rollUp<CompletionTally>(area, names, () => ({ byState: { open: 0, completed: 0, transferred: 0, 'not-eligible': 0 }, completedMoney: emptyMoneyFen() }));
  for (const s of statuses) for (const t of r.targets(s.township)) t.byState[stateOf(s.status)] += s.n;
  for (const m of money) for (const t of r.targets(m.township)) addMoney(t.completedMoney, m);
  const row = (t: CompletionTally & { area: Area }): CompletionRow => {
    const cases = COMPLETION_STATES.reduce((n, s) => n + t.byState[s], 0);
    return {
      area: t.area,
      name: names.nameOf(t.area),
      cases,
      byState: { ...t.byState },
      closedShare: share(cases - t.byState.open, cases),
      completedMoney: moneyFigures(t.completedMoney),
    };
  };
  return { kind: 'completion', area, areaName: names.nameOf(area), levels: r.byLevel(row), total: row(r.total), computedAt: now };
}
