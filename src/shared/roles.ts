// Roles and the areas they are scoped to, as the server decides with them and the county page shows
// them. An area is (level, code): a 盟市 code and a county code both have 6 digits, so the code alone
// does not say which level is meant. Codes follow GB/T 2260 (src/domain/regions-data.ts): the region
// 150000, a 盟市 such as 150100, a county such as 150102, a township the county's 6 digits + 3.

import { findCounty, leagues } from '../domain/regions';

export const AREA_LEVELS = ['township', 'county', 'league', 'region'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export interface Area {
  level: AreaLevel;
  code: string;
}

/** The autonomous region itself: the one area every other lies in. */
export const REGION: Area = { level: 'region', code: '150000' };

export const ROLES = ['window-clerk', 'outreach-worker', 'county-reviewer', 'admin', 'league-task-force', 'region-task-force', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The levels of area each role's accounts may carry. */
export const ROLE_AREA_LEVELS: Readonly<Record<Role, readonly AreaLevel[]>> = {
  'window-clerk': ['township'],
  'outreach-worker': ['township'],
  'county-reviewer': ['county'],
  admin: ['county', 'league', 'region'],
  'league-task-force': ['league'],
  'region-task-force': ['region'],
  auditor: ['county', 'league', 'region'],
};

/** Roles whose accounts sign in on a tablet of their township (online once, then with a PIN). */
export const TABLET_ROLES: readonly Role[] = ['window-clerk', 'outreach-worker'];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function isTabletRole(role: string): boolean {
  return (TABLET_ROLES as readonly string[]).includes(role);
}

/** Why `area` is not an area of the region, or null. Townships are checked by their county only. */
export function areaProblem(area: { level?: unknown; code?: unknown }): string | null {
  const { level, code } = area;
  if (typeof level !== 'string' || !(AREA_LEVELS as readonly string[]).includes(level)) return `level: expected one of ${AREA_LEVELS.join(', ')}`;
  if (typeof code !== 'string') return 'code: required';
  switch (level as AreaLevel) {
    case 'region':
      return code === REGION.code ? null : `code: the region is ${REGION.code}`;
    case 'league':
      return leagues().some((l) => l.code === code) ? null : `code: ${code.slice(0, 12)} is not a 盟市 of the region`;
    case 'county':
      return /^\d{6}$/.test(code) && findCounty(code) ? null : `code: ${code.slice(0, 12)} is not a county of the region`;
    case 'township':
      return /^\d{9}$/.test(code) && findCounty(code.slice(0, 6)) ? null : `code: ${code.slice(0, 12)} is not a township code (a county's 6 digits + 3)`;
  }
}

/**
 * An area written as `level:code` (county:150102), or as a bare code whose level its shape gives:
 * 9 digits a township, 150000 the region, 6 digits ending in 00 a 盟市, other 6 digits a county.
 */
export function parseArea(text: string): Area | null {
  const t = text.trim();
  const m = /^(township|county|league|region):(\d+)$/.exec(t);
  if (m) return { level: m[1] as AreaLevel, code: m[2]! };
  if (/^\d{9}$/.test(t)) return { level: 'township', code: t };
  if (t === REGION.code) return REGION;
  if (/^\d{4}00$/.test(t)) return { level: 'league', code: t };
  if (/^\d{6}$/.test(t)) return { level: 'county', code: t };
  return null;
}

export function formatArea(area: Area): string {
  return `${area.level}:${area.code}`;
}

/**
 * The digits every code inside `area` starts with: a 盟市's first four (its counties are 1501xx), a
 * county's six, a township's nine; none for the region. Only codes already checked as areas of the
 * region are compared with it.
 */
export function areaPrefix(area: Area): string {
  switch (area.level) {
    case 'region':
      return '';
    case 'league':
      return area.code.slice(0, 4);
    case 'county':
      return area.code.slice(0, 6);
    case 'township':
      return area.code;
  }
}

/** Whether `inner` lies within `outer` (an area lies within itself). */
export function areaContains(outer: Area, inner: Area): boolean {
  if (AREA_LEVELS.indexOf(inner.level) > AREA_LEVELS.indexOf(outer.level)) return false;
  if (inner.level === outer.level) return inner.code === outer.code;
  return inner.code.startsWith(areaPrefix(outer));
}

/** The smallest area holding all of `townshipCodes`: their one county or 盟市, else the region. */
export function smallestAreaOf(townshipCodes: readonly string[]): Area {
  const counties = new Set(townshipCodes.map((c) => c.slice(0, 6)));
  if (counties.size === 1) return { level: 'county', code: [...counties][0]! };
  const leaguesOf = new Set([...counties].map((c) => `${c.slice(0, 4)}00`));
  if (leaguesOf.size === 1) return { level: 'league', code: [...leaguesOf][0]! };
  return REGION;
}
