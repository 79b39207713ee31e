// The reviewer's queue extras: the overdue queue (days per status, server settings with defaults),
// each case's time in its status, and the tablets not synced for too long on the devices list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OVERDUE_DAYS, DEFAULT_STALE_DEVICE_DAYS, overdueCutoffs, queueSettingsFrom } from '../../src/server/county/overdue';
import type { CaseQueuePage, DeviceItem } from '../../src/shared/admin-api';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PushResponse } from '../../src/shared/sync-protocol';
import { ADMIN, type TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

const DAY = 86_400_000;
const CHECKS = [
  { check: 'service', documentNumber: '呼武人〔2024〕12号', documentDate: '2024-04-20', recordedBy: '李核查' },
  { check: 'discharge-mode', documentNumber: '退役证 No.0012345', documentDate: '2024-04-21', recordedBy: '李核查' },
];

describe('the overdue settings', () => {
  it('default to days per waiting status and a week for tablets, and take OVERDUE_DAYS and STALE_DEVICE_DAYS over them', () => {
    expect(queueSettingsFrom({})).toEqual({ overdueDays: DEFAULT_OVERDUE_DAYS, staleDeviceDays: DEFAULT_STALE_DEVICE_DAYS });
    const s = queueSettingsFrom({ OVERDUE_DAYS: 'verified=3, paying=90', STALE_DEVICE_DAYS: '2' });
    expect(s.overdueDays).toMatchObject({ verified: 3, paying: 90, synced: DEFAULT_OVERDUE_DAYS.synced });
    expect(s.staleDeviceDays).toBe(2);
  });

  it('refuse a final status, an unknown one, or days that are not a whole number from 1, naming the setting', () => {
    expect(() => queueSettingsFrom({ OVERDUE_DAYS: 'completed=3' })).toThrow(/OVERDUE_DAYS.*status=days/);
    expect(() => queueSettingsFrom({ OVERDUE_DAYS: 'verfied=3' })).toThrow(/OVERDUE_DAYS/);
    expect(() => queueSettingsFrom({ OVERDUE_DAYS: 'verified=0' })).toThrow(/OVERDUE_DAYS verified/);
    expect(() => queueSettingsFrom({ STALE_DEVICE_DAYS: '1.5' })).toThrow(/STALE_DEVICE_DAYS/);
  });

  it('give each waiting status its own instant, and none to the final statuses', () => {
    const c = overdueCutoffs(new Date('2024-05-31T00:00:00.000Z'), DEFAULT_OVERDUE_DAYS);
    expect(c.verified).toBe('2024-05-24T00:00:00.000Z');
    expect(c['sent-to-agency']).toBe('2024-05-01T00:00:00.000Z');
    expect(Object.keys(c)).not.toContain('completed');
  });
});

describeOnEachDatabase('the overdue queue and the stale tablets', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    cookie = '';
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'queue-extras'));
  });
  afterEach(async () => {
    await s.close();
  });

  let cookie = '';
  const admin = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    s.app.inject({ method, url, headers: { cookie: cookie || s.county.adminCookie }, ...(payload === undefined ? {} : { payload }) });
  /** Days go by: the admin's session has ended meanwhile, so he signs in again. */
  const later = async (ms: number) => {
    s.clock.advance(ms);
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: ADMIN });
    expect(login.statusCode, login.body).toBe(200);
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
  };
  const sync = async () => {
    const res = await s.push(tablet, credential);
    expect(res.statusCode, res.body).toBe(200);
    await tablet.acknowledge(bodyOf<PushResponse>(res).ackedThroughSeq);
  };
  const queue = async (qs: string) => {
    const res = await admin('GET', `/api/admin/cases${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<CaseQueuePage>(res);
  };
  const devices = async () => bodyOf<{ devices: DeviceItem[]; staleDeviceDays: number }>(await admin('GET', '/api/admin/devices'));

  it('shows a case once it has waited in its status longer than that status allows, counted from its last step', async () => {
    const verifiedCase = tablet.create(1);
    const syncedCase = tablet.create(2);
    await sync();
    const received = s.clock.now.toISOString();
    await later(DAY);
    const res = await admin('POST', `/api/admin/cases/${verifiedCase.id}/steps`, { step: 'verified', comment: '核查通过', checks: CHECKS });
    expect(res.statusCode, res.body).toBe(200);
    const verifiedAt = s.clock.now.toISOString();

    const listed = await queue('');
    expect(Object.fromEntries(listed.cases.map((c) => [c.id, c.lifecycleSince]))).toEqual({ [verifiedCase.id]: verifiedAt, [syncedCase.id]: received });
    expect((await queue('?overdue=true')).total).toBe(0);

    // 8 days in 核查通过 (7 allowed), 9 days in 已同步 (14 allowed).
    await later(8 * DAY);
    const week = await queue('?overdue=true');
    expect(week.cases.map((c) => c.id)).toEqual([verifiedCase.id]);
    expect(week.total).toBe(1);
    expect((await queue('?overdue=true&status=synced')).total).toBe(0);

    await later(6 * DAY);
    expect((await queue('?overdue=true')).total).toBe(2);
    expect((await queue('?overdue=true&status=synced')).cases.map((c) => c.id)).toEqual([syncedCase.id]);
    expect((await queue('?overdue=false')).total).toBe(2);
  });

  it('never counts a final status as overdue', async () => {
    const c = tablet.create(1);
    await sync();
    const res = await admin('POST', `/api/admin/cases/${c.id}/steps`, { step: 'not-eligible', comment: '不符合', reasonForVeteran: '您的服役年限已全部计入原单位养老保险。' });
    expect(res.statusCode, res.body).toBe(200);
    await later(400 * DAY);
    expect((await queue('?overdue=true')).total).toBe(0);
  });

  it('refuses an overdue value other than true or false, naming the parameter', async () => {
    const res = await admin('GET', '/api/admin/cases?overdue=yes');
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('overdue: must be one of true, false');
  });

  it('raises a tablet not synced for longer than the setting, until its next pull; a revoked one is not raised', async () => {
    let list = await devices();
    expect(list.staleDeviceDays).toBe(DEFAULT_STALE_DEVICE_DAYS);
    expect(list.devices.map((d) => [d.deviceId, d.stale])).toEqual([[tablet.deviceId, false]]);

    await later((DEFAULT_STALE_DEVICE_DAYS + 1) * DAY);
    list = await devices();
    expect(list.devices[0]).toMatchObject({ deviceId: tablet.deviceId, stale: true });

    // A pull with nothing to push is a sync all the same.
    const pulled = await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor: null });
    expect(pulled.statusCode, pulled.body).toBe(200);
    list = await devices();
    expect(list.devices[0]).toMatchObject({ stale: false, lastSeenAt: s.clock.now.toISOString() });

    await later((DEFAULT_STALE_DEVICE_DAYS + 1) * DAY);
    const revoked = await admin('POST', `/api/admin/devices/${tablet.deviceId}/revoke`, { reason: '遗失' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await devices()).devices[0]).toMatchObject({ stale: false });
  });
});
