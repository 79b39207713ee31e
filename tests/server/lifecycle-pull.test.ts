// A tablet sees its cases' life at the county: each signed step reaches it at its next pull (the
// revision unchanged), a first pull carries every case past 已同步, a correction after 退回补正 comes
// back as 已同步, and a tablet of protocol 1 reads the same page.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parsePullResponse, CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PullResponse, type PushResponse } from '../../src/shared/sync-protocol';
import type { CaseStep } from '../../src/shared/case-lifecycle';
import type { TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

const CHECKS = [
  { check: 'service', documentNumber: '呼武人〔2024〕12号', documentDate: '2024-04-20', recordedBy: '李核查' },
  { check: 'discharge-mode', documentNumber: '退役证 No.0012345', documentDate: '2024-04-21', recordedBy: '李核查' },
];

describeOnEachDatabase('the lifecycle at the tablet’s pull', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'lifecycle-pull'));
  });
  afterEach(async () => {
    await s.close();
  });

  const sync = async () => {
    const res = await s.push(tablet, credential);
    expect(res.statusCode, res.body).toBe(200);
    const body = bodyOf<PushResponse>(res);
    await tablet.acknowledge(body.ackedThroughSeq);
    return body;
  };
  const take = async (id: string, step: CaseStep, extra: Record<string, unknown> = {}) => {
    const res = await s.admin('POST', `/api/admin/cases/${id}/steps`, { step, comment: `${step} 的说明`, ...(step === 'verified' ? { checks: CHECKS } : {}), ...extra });
    expect(res.statusCode, res.body).toBe(200);
  };
  const pull = async (cursor: string | null, protocol: number = PROTOCOL_VERSION) => {
    const res = await s.pull(credential, { protocol, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor });
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<PullResponse>(res);
  };

  it('each signed step reaches the tablet at its next pull with the status and the same revision', async () => {
    const c = tablet.create(1);
    const other = tablet.create(2);
    await sync();
    const start = await pull(null);
    expect(start.caseUpdates).toEqual([]);

    await take(c.id, 'verified');
    const afterVerify = await pull(start.cursor);
    expect(afterVerify.caseUpdates.map((u) => [u.caseId, u.lifecycleStatus, u.serverRevision])).toEqual([[c.id, 'verified', 1]]);

    await take(c.id, 'sent-to-agency');
    const afterSend = await pull(afterVerify.cursor);
    expect(afterSend.caseUpdates.map((u) => [u.caseId, u.lifecycleStatus])).toEqual([[c.id, 'sent-to-agency']]);

    // A first pull (a reinstalled tablet) carries every own case past 已同步, and not the others.
    const first = await pull(null);
    expect(first.caseUpdates.map((u) => [u.caseId, u.lifecycleStatus])).toEqual([[c.id, 'sent-to-agency']]);
    expect(first.caseUpdates.some((u) => u.caseId === other.id)).toBe(false);
  });

  it('退回补正 reaches the tablet with its message, and the tablet’s correction comes back as 已同步 with the request closed', async () => {
    const c = tablet.create(1);
    await sync();
    const start = await pull(null);
    await take(c.id, 'correction-requested', { comment: '请补充退役证编号' });
    const requested = await pull(start.cursor);
    const update = requested.caseUpdates.find((u) => u.caseId === c.id)!;
    expect(update).toMatchObject({ lifecycleStatus: 'correction-requested', countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号', serverRevision: 2 });

    tablet.adoptServerRevision(c.id, update.serverRevision);
    tablet.update(c.id, 5);
    expect((await sync()).results[0]).toMatchObject({ outcome: 'applied', serverRevision: 3 });
    const answered = await pull(requested.cursor);
    expect(answered.caseUpdates.map((u) => [u.caseId, u.lifecycleStatus, u.countyStatus, u.serverRevision])).toEqual([[c.id, 'synced', 'received', 3]]);
  });

  it('a tablet of protocol 1 gets the page under its own number, and a reader that knows no lifecycle ignores the field', async () => {
    const c = tablet.create(1);
    await sync();
    await take(c.id, 'verified');
    const old = await pull(null, 1);
    expect(old.protocol).toBe(1);
    expect(old.caseUpdates[0]?.lifecycleStatus).toBe('verified');
    // Responses are read leniently: an unknown field is dropped, never a refused page.
    const withNewerField = { ...old, protocol: PROTOCOL_VERSION, caseUpdates: old.caseUpdates.map((u) => ({ ...u, somethingNewer: { x: 1 } })) };
    const parsed = parsePullResponse(withNewerField);
    expect(parsed.ok).toBe(true);
    // A status a newer server adds is a string this build shows as such, not a refused page.
    const newerStatus = parsePullResponse({ ...withNewerField, caseUpdates: old.caseUpdates.map((u) => ({ ...u, lifecycleStatus: 'archived' })) });
    expect(newerStatus.ok && newerStatus.value.caseUpdates[0]?.lifecycleStatus).toBe('archived');
  });
});
