// The reporting week of NM43-3.4: each 盟市 reports by Thursday 12:00, so a week runs from Thursday
// 12:00 to the next Thursday 12:00, Asia/Shanghai. Shanghai keeps UTC+8 all year (no daylight saving),
// so the boundary is Thursday 04:00 UTC and the arithmetic stays in UTC milliseconds.

import type { ReportingWeek } from '../../shared/reports';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const SHANGHAI_OFFSET = 8 * HOUR;
/** 1970-01-01 was a Thursday: its 12:00 Shanghai (04:00 UTC) is a week boundary. */
const FIRST_BOUNDARY = 12 * HOUR - SHANGHAI_OFFSET;

/** The week that contains the instant (its start inclusive, its end exclusive). */
export function reportingWeekAt(instant: Date): ReportingWeek {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('instant: not a valid time');
  const start = FIRST_BOUNDARY + Math.floor((t - FIRST_BOUNDARY) / WEEK) * WEEK;
  return weekStartingAt(start);
}

/** The week before the given one. */
export function previousWeek(week: ReportingWeek): ReportingWeek {
  return weekStartingAt(Date.parse(week.start) - WEEK);
}

function weekStartingAt(start: number): ReportingWeek {
  const end = start + WEEK;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), dueDate: new Date(end + SHANGHAI_OFFSET).toISOString().slice(0, 10) };
}

/**
 * The instant a `?week=` value names: an ISO instant as it is, or a date (YYYY-MM-DD) as its start,
 * 00:00 Shanghai — so a Thursday names the week whose report is due that day. Null when unreadable.
 */
export function weekQueryInstant(value: string): Date | null {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const t = Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET;
    // Date.UTC rolls 02-30 over into March: a date that does not exist is not read as another.
    const back = new Date(t + SHANGHAI_OFFSET);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
    return new Date(t);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The exclusive end of a Shanghai calendar day (YYYY-MM-DD), as an ISO instant. */
export function endOfShanghaiDay(date: string): string {
  const start = weekQueryInstant(date);
  if (!start || date.length !== 10) throw new RangeError(`date: ${date.slice(0, 12)} is not a date`);
  return new Date(start.getTime() + DAY).toISOString();
}

/** Today's date in Shanghai (YYYY-MM-DD). */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}
