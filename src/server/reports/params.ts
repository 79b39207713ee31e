// The query parameters of the report routes, refused with 422 naming the parameter when unreadable.

import { ApiError } from '../errors';
import { shanghaiDate, weekQueryInstant } from './weeks';

type Query = Record<string, unknown>;

function refuse(parameter: string, message: string): never {
  throw new ApiError(422, 'invalid-request', `${parameter}: ${message}`, { details: { problems: [{ path: parameter, message }] } });
}

function only(query: unknown, allowed: readonly string[]): Query {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Query;
  for (const [name, value] of Object.entries(q)) {
    if (!allowed.includes(name)) refuse(name, `unknown parameter; expected ${allowed.length === 0 ? 'none' : `one of ${allowed.join(', ')}`}`);
    if (typeof value !== 'string') refuse(name, 'given more than once');
  }
  return q;
}

function weekOf(value: unknown, name: string): Date | null {
  if (value === undefined || value === '') return null;
  const instant = weekQueryInstant(String(value));
  if (!instant) refuse(name, 'expected a date (YYYY-MM-DD) or an ISO instant inside the week');
  return instant;
}

/** ?week=: the instant whose week is meant; `now` when absent. */
export function parseWeekQuery(query: unknown, now: Date): Date {
  return weekOf(only(query, ['week']).week, 'week') ?? now;
}

/** ?week= of the submissions list: null when absent (every week). */
export function parseOptionalWeekQuery(query: unknown): Date | null {
  return weekOf(only(query, ['week']).week, 'week');
}

/** ?year=: the campaign year; this year in Shanghai when absent. */
export function parseYearQuery(query: unknown, now: Date): number {
  const year = only(query, ['year']).year;
  if (year === undefined || year === '') return Number(shanghaiDate(now).slice(0, 4));
  if (!/^\d{4}$/.test(String(year)) || Number(year) < 2019 || Number(year) > 2100) refuse('year', 'expected a year from 2019 to 2100');
  return Number(year);
}

/** The week of a JSON body's `week` member; `now` when absent. */
export function parseWeekBody(value: unknown, now: Date): Date {
  if (value === undefined || value === null) return now;
  if (typeof value !== 'string') refuse('week', 'expected a date (YYYY-MM-DD) or an ISO instant inside the week');
  return weekOf(value, 'week') ?? now;
}

export function parseNoQuery(query: unknown): void {
  only(query, []);
}
