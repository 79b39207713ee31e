import { describe, expect, it } from 'vitest';
import { endOfShanghaiDay, previousWeek, reportingWeekAt, weekQueryInstant } from '../../src/server/reports/weeks';

// Thursday 12:00 Shanghai is Thursday 04:00 UTC. 2026-12-10 and 2026-12-31 are Thursdays.
describe('a reporting week runs from Thursday 12:00 to Thursday 12:00 Asia/Shanghai', () => {
  const cases: [string, string, string, string][] = [
    // instant (UTC), week start, week end, due date
    ['2026-12-10T04:00:00.000Z', '2026-12-10T04:00:00.000Z', '2026-12-17T04:00:00.000Z', '2026-12-17'], // exactly 12:00 opens the new week
    ['2026-12-10T03:59:59.999Z', '2026-12-03T04:00:00.000Z', '2026-12-10T04:00:00.000Z', '2026-12-10'], // 11:59:59.999 is still the old one
    ['2026-12-17T03:59:59.999Z', '2026-12-10T04:00:00.000Z', '2026-12-17T04:00:00.000Z', '2026-12-17'], // the last millisecond of a week
    ['2026-12-13T16:30:00.000Z', '2026-12-10T04:00:00.000Z', '2026-12-17T04:00:00.000Z', '2026-12-17'], // a Monday 00:30 Shanghai, Sunday in UTC
    ['2026-12-31T15:59:59.999Z', '2026-12-31T04:00:00.000Z', '2027-01-07T04:00:00.000Z', '2027-01-07'], // New Year's Eve 23:59:59.999 Shanghai
    ['2026-12-31T16:00:00.000Z', '2026-12-31T04:00:00.000Z', '2027-01-07T04:00:00.000Z', '2027-01-07'], // New Year 00:00 Shanghai: same week across the year
    ['2027-01-07T04:00:00.000Z', '2027-01-07T04:00:00.000Z', '2027-01-14T04:00:00.000Z', '2027-01-14'], // the first boundary of the new year
    ['2019-12-31T16:00:00.000Z', '2019-12-26T04:00:00.000Z', '2020-01-02T04:00:00.000Z', '2020-01-02'], // 2020-01-01 00:00 Shanghai (a Wednesday)
    ['2020-01-02T03:59:59.999Z', '2019-12-26T04:00:00.000Z', '2020-01-02T04:00:00.000Z', '2020-01-02'], // 2020-01-02 11:59:59.999 Shanghai
  ];
  it.each(cases)('%s lies in the week from %s to %s (due %s)', (instant, start, end, due) => {
    expect(reportingWeekAt(new Date(instant))).toEqual({ start, end, dueDate: due });
  });

  it('the previous week ends where the week starts', () => {
    const week = reportingWeekAt(new Date('2027-01-01T00:00:00.000Z'));
    expect(previousWeek(week)).toEqual({ start: '2026-12-24T04:00:00.000Z', end: '2026-12-31T04:00:00.000Z', dueDate: '2026-12-31' });
  });

  it('a week written as a date names the week that holds that day 00:00 Shanghai, so a Thursday names the week due that day', () => {
    expect(reportingWeekAt(weekQueryInstant('2026-12-10')!).dueDate).toBe('2026-12-10');
    expect(reportingWeekAt(weekQueryInstant('2026-12-11')!).dueDate).toBe('2026-12-17');
    expect(reportingWeekAt(weekQueryInstant('2026-12-10T12:00:00+08:00')!).dueDate).toBe('2026-12-17');
    expect(reportingWeekAt(weekQueryInstant('2026-12-10T11:59:59.999+08:00')!).dueDate).toBe('2026-12-10');
  });

  it('a week value that is no date or instant, or a date that does not exist, is refused', () => {
    for (const bad of ['', 'next', '2026-02-30', '2026-13-01', '2026-12-10T12:00', '12/10/2026']) expect(weekQueryInstant(bad)).toBeNull();
  });

  it('the end of 08-31 in Shanghai is 16:00 UTC that day', () => {
    expect(endOfShanghaiDay('2026-08-31')).toBe('2026-08-31T16:00:00.000Z');
  });
});
