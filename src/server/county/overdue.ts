// How long a case may wait in a lifecycle status before the overdue queue shows it, and how long a
// tablet may go without syncing before the devices list raises it: server settings with defaults a
// county office can live with, changed by OVERDUE_DAYS (e.g. "verified=10,paying=90") and STALE_DEVICE_DAYS.

import { FINAL_STATUSES, LIFECYCLE_STATUSES, type LifecycleStatus } from '../../shared/case-lifecycle';
import { StartupError } from '../errors';

export type WaitingStatus = Exclude<LifecycleStatus, 'completed' | 'transferred' | 'not-eligible'>;

export const WAITING_STATUSES = LIFECYCLE_STATUSES.filter((s) => !FINAL_STATUSES.includes(s)) as WaitingStatus[];

/** Days in a status after which a case is overdue. The final statuses wait for nothing. */
export const DEFAULT_OVERDUE_DAYS: Readonly<Record<WaitingStatus, number>> = {
  // The reviewer's own work: a week or two.
  synced: 14,
  verified: 7,
  'correction-requested': 14,
  // The agencies' and the payer's: a month, then two.
  'sent-to-agency': 30,
  'agency-reported': 14,
  paying: 60,
};

export const DEFAULT_STALE_DEVICE_DAYS = 7;

export interface QueueSettings {
  overdueDays: Readonly<Record<WaitingStatus, number>>;
  staleDeviceDays: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { overdueDays: DEFAULT_OVERDUE_DAYS, staleDeviceDays: DEFAULT_STALE_DEVICE_DAYS };

const DAYS_MAX = 3650;

function days(raw: string, name: string): number {
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > DAYS_MAX) throw new StartupError('invalid-config', `${name} must be a whole number of days from 1 to ${DAYS_MAX}, not "${raw}"`);
  return Number(raw);
}

/** OVERDUE_DAYS and STALE_DEVICE_DAYS over the defaults; a bad value stops the server naming it. */
export function queueSettingsFrom(env: NodeJS.ProcessEnv): QueueSettings {
  const overdueDays = { ...DEFAULT_OVERDUE_DAYS };
  const raw = env.OVERDUE_DAYS?.trim() ?? '';
  for (const part of raw === '' ? [] : raw.split(',')) {
    const [status, value, extra] = part.split('=').map((x) => x.trim());
    if (!(WAITING_STATUSES as readonly string[]).includes(status ?? '') || value === undefined || extra !== undefined) {
      throw new StartupError('invalid-config', `OVERDUE_DAYS must list status=days separated by commas, each status one of ${WAITING_STATUSES.join(', ')}, not "${part}"`);
    }
    overdueDays[status as WaitingStatus] = days(value, `OVERDUE_DAYS ${status}`);
  }
  const stale = env.STALE_DEVICE_DAYS?.trim() ?? '';
  return { overdueDays, staleDeviceDays: stale === '' ? DEFAULT_STALE_DEVICE_DAYS : days(stale, 'STALE_DEVICE_DAYS') };
}

const DAY_MS = 86_400_000;

/** For each waiting status, the instant (ISO) before which a case that entered it is overdue. */
export function overdueCutoffs(now: Date, overdueDays: Readonly<Record<WaitingStatus, number>>): Record<WaitingStatus, string> {
  return Object.fromEntries(WAITING_STATUSES.map((s) => [s, new Date(now.getTime() - overdueDays[s] * DAY_MS).toISOString()])) as Record<WaitingStatus, string>;
}

/** Whole days since `since` (ISO), as the county page shows how long a case has waited. */
export function daysSince(since: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(since)) / DAY_MS);
}
