// 送经办机构 for many verified cases in one request: each allowed case signed once with its own chain
// entry, the others refused by id with their reason, a case outside the caller's area reported as a
// missing one, and the same batch again signing nothing twice.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/server/audit/verify';
import { createAccount } from '../../src/server/county/administration';
import type { BatchSent } from '../../src/server/county/case-lifecycle';
import type { LifecycleStatus } from '../../src/shared/case-lifecycle';
import type { PushResponse } from '../../src/shared/sync-protocol';
import type { TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type ErrorBody = { error: { code: string; message: string } };

describeOnEachDatabase('送经办机构 in a batch', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'batch-send'));
  });
  afterEach(async () => {
    await s.close();
  });

  const sync = async () => {
    const res = await s.push(tablet, credential);
    expect(res.statusCode, res.body).toBe(200);
    await tablet.acknowledge(bodyOf<PushResponse>(res).ackedThroughSeq);
  };
  const setStatus = (id: string, status: LifecycleStatus) => s.app.county.db.updateTable('cases').set({ lifecycle_status: status }).where('id', '=', id).execute();
  const batch = (caseIds: string[], cookie?: string) => {
    const payload = { step: 'sent-to-agency', caseIds, comment: '第一批移交', agencyName: '新城区社会保险事业管理局' };
    return cookie === undefined ? s.admin('POST', '/api/admin/cases/batch-steps', payload) : s.app.inject({ method: 'POST', url: '/api/admin/cases/batch-steps', headers: { cookie }, payload });
  };
  const sentEntries = (id: string) => s.app.county.db.selectFrom('audit_chain').selectAll().where('subject', '=', id).where('action', '=', 'case.send-to-agency').execute();

  it('signs each verified case once with its own chain entry, refuses the others by id with their reason, and a repeat signs nothing twice', async () => {
    const [a, b, synced] = [tablet.create(1), tablet.create(2), tablet.create(3)];
    await sync();
    await setStatus(a.id, 'verified');
    await setStatus(b.id, 'verified');
    const missing = randomUUID();

    const res = await batch([b.id, a.id, synced.id, missing, a.id]);
    expect(res.statusCode, res.body).toBe(200);
    const sent = bodyOf<BatchSent>(res);
    expect(sent.signed.map((x) => x.caseId).sort()).toEqual([a.id, b.id].sort());
    expect(sent.refused).toEqual(
      expect.arrayContaining([
        { caseId: synced.id, code: 'step-not-allowed-from-status' },
        { caseId: missing, code: 'case-not-found' },
      ]),
    );
    expect(sent.refused).toHaveLength(2);
    // The handover list names the cases sent, and only those.
    expect(sent.handover.map((h) => h.caseId).sort()).toEqual([a.id, b.id].sort());
    const cases = await s.app.county.db.selectFrom('cases').select(['id', 'case_number', 'id_number']).where('id', 'in', [a.id, b.id]).execute();
    for (const h of sent.handover) expect(cases).toContainEqual({ id: h.caseId, case_number: h.caseNumber, id_number: h.idNumber });
    for (const x of sent.signed) {
      expect(x.lifecycleStatus).toBe('sent-to-agency');
      const entries = await sentEntries(x.caseId);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ seq: x.step.auditSeq, hash: x.step.auditHash });
      expect(JSON.parse(entries[0]!.detail!)).toMatchObject({ stepId: x.step.id, from: 'verified', to: 'sent-to-agency', agencyName: '新城区社会保险事业管理局' });
      const rows = await s.app.county.db.selectFrom('case_steps').selectAll().where('case_id', '=', x.caseId).execute();
      expect(rows.map((r) => r.step)).toEqual(['sent-to-agency']);
    }
    expect((await s.app.county.db.selectFrom('cases').select('lifecycle_status').where('id', '=', synced.id).executeTakeFirstOrThrow()).lifecycle_status).toBe('synced');
    expect(await sentEntries(synced.id)).toEqual([]);

    const again = bodyOf<BatchSent>(await batch([a.id, b.id]));
    expect(again.signed).toEqual([]);
    expect(again.handover).toEqual([]);
    expect(again.refused.map((r) => r.code)).toEqual(['step-not-allowed-from-status', 'step-not-allowed-from-status']);
    expect(await sentEntries(a.id)).toHaveLength(1);
    expect(await sentEntries(b.id)).toHaveLength(1);
    expect((await verifyAuditChain(s.app.county.db)).ok).toBe(true);
  });

  it('reports a case outside the caller’s area exactly as a missing one, and signs nothing there', async () => {
    const c = tablet.create(1);
    await sync();
    await setStatus(c.id, 'verified');
    await createAccount(s.app.county, { username: 'other-reviewer', password: 'batch password 1', role: 'county-reviewer', area: { level: 'county', code: '150103' } });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'other-reviewer', password: 'batch password 1' } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const missing = randomUUID();

    const sent = bodyOf<BatchSent>(await batch([c.id, missing], cookie));
    expect(sent.signed).toEqual([]);
    expect(sent.refused).toEqual(expect.arrayContaining([{ caseId: c.id, code: 'case-not-found' }, { caseId: missing, code: 'case-not-found' }]));
    expect(await sentEntries(c.id)).toEqual([]);
  });

  it('refuses a batch without an agency, with no cases, or of more than 200 cases, naming the field', async () => {
    const res = await s.admin('POST', '/api/admin/cases/batch-steps', { step: 'verified', caseIds: [], comment: '' });
    expect(res.statusCode).toBe(422);
    const message = bodyOf<ErrorBody>(res).error.message;
    for (const field of ['step:', 'comment:', 'agencyName:', 'caseIds:']) expect(message).toContain(field);
    const big = await batch(Array.from({ length: 201 }, () => randomUUID()));
    expect(big.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(big).error.message).toContain('caseIds: at most 200');
  });
});
