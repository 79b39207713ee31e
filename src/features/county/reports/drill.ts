// Drilling down a report's areas: from the report's own area to the 盟市, the 旗县 within one of them,
// the 乡镇 within one 旗县, as far as the report's levels go (the server gives only the caller's area).
import { AREA_LEVELS, areaContains, type Area, type AreaLevel } from '../../../shared/roles';

export interface AreaRowLike {
  area: Area;
  name: string;
}

export interface LevelLike<R extends AreaRowLike> {
  level: AreaLevel;
  rows: readonly R[];
}

const rank = (level: AreaLevel) => AREA_LEVELS.indexOf(level);

/** The rows one level below `focus` inside it: the broadest level of the report finer than focus. */
export function childrenOf<R extends AreaRowLike>(levels: readonly LevelLike<R>[], focus: Area): { level: AreaLevel; rows: R[] } | null {
  const finer = levels.filter((l) => rank(l.level) < rank(focus.level)).sort((a, b) => rank(b.level) - rank(a.level));
  for (const l of finer) {
    const rows = l.rows.filter((r) => areaContains(focus, r.area));
    if (rows.length > 0) return { level: l.level, rows };
  }
  return null;
}

/** The row of one area in the report, or the report's total when the area is the report's own. */
export function rowOf<R extends AreaRowLike>(levels: readonly LevelLike<R>[], total: R, area: Area): R {
  if (area.level === total.area.level && area.code === total.area.code) return total;
  return levels.find((l) => l.level === area.level)?.rows.find((r) => r.area.code === area.code) ?? total;
}

export const AREA_LEVEL_ZH: Readonly<Record<AreaLevel, string>> = { township: '乡镇（街道）', county: '旗县（市、区）', league: '盟市', region: '自治区' };

/** An area's name, or its level and code when the server knows no name for it. */
export function areaName(row: AreaRowLike): string {
  return row.name || `${AREA_LEVEL_ZH[row.area.level]} ${row.area.code}`;
}
