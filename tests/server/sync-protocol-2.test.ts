// Protocol 2 on the server: case numbers checked per case (refused alone, never the batch), the least
// data to each tablet on pull, and the tablet's audit entries appended once to the county's chain.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, parsePullResponse, type PushResponse, type TabletAuditEntry } from '../../src/shared/sync-protocol';
import { uuidv7 } from '../../src/storage/ids';
import { describeOnEachDatabase } from './helpers';
import { TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';

describeOnEachDatabase('protocol 2', (kind) => {

  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'protocol-2'));
  });
  afterEach(async () => {
    await s.close();
  });

  const pushed = async (body: Record<string, unknown> = tablet.pushBody()) => {
    const res = await s.push(tablet, credential, body);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<PushResponse>(res);
  };
  const pull = async (t: TabletSim, cred: string, cursor: string | null) => {
    const res = await s.pull(cred, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: t.deviceId, cursor });
    const parsed = parsePullResponse(bodyOf(res));
    if (!parsed.ok) throw new Error(res.body);
    return parsed.value;
  };

  it('a case number of another device, another county or another case is refused for that case alone; the batch and the outbox go on', async () => {
    const other = new TabletSim(undefined, undefined, () => s.clock.now);
    const otherCredential = await s.county.enrol(other);
    other.create(9);
    expect((await s.push(other, otherCredential)).statusCode).toBe(200);

    for (let i = 1; i <= 5; i++) tablet.create(i);
    const body = tablet.pushBody();
    const batch = body.batch as { caseNumber: string }[];
    batch[1]!.caseNumber = `150102-${other.deviceId}-00002`;
    batch[2]!.caseNumber = `150203-${tablet.deviceId}-00003`;
    // A number this tablet already gave another case (the first of this batch).
    batch[3]!.caseNumber = batch[0]!.caseNumber;
    const r = await pushed(body);
    expect(r.ackedThroughSeq).toBe(5);
    expect(r.results.map((x) => [x.outcome, x.refusal ?? null])).toEqual([
      ['applied', null],
      ['refused', 'case-number-other-device'],
      ['refused', 'case-number-other-county'],
      ['refused', 'case-number-taken'],
      ['applied', null],
    ]);
    expect(r.results[1]!.serverRevision).toBeNull();
    expect(await s.count('cases')).toBe(3);

    // Asked again (the answer was lost): the same refusals, nothing applied twice.
    const again = await pushed(body);
    expect(again.results.map((x) => [x.outcome, x.refusal ?? null])).toEqual([
      ['duplicate', null],
      ['duplicate', 'case-number-other-device'],
      ['duplicate', 'case-number-other-county'],
      ['duplicate', 'case-number-taken'],
      ['duplicate', null],
    ]);
    expect(await s.count('cases')).toBe(3);
  });

  it('a tablet of protocol 1 sees a refused case as conflicting, in the answer it can read', async () => {
    tablet.create(1);
    const body = tablet.pushBody(undefined, { protocol: 1 });
    (body.batch as { caseNumber: string }[])[0]!.caseNumber = `150203-${tablet.deviceId}-00001`;
    const r = await pushed(body);
    expect(r).toMatchObject({ protocol: 1, ackedThroughSeq: 1, results: [{ outcome: 'conflict', conflict: true, serverRevision: 1 }] });
    expect(r.results[0]).not.toHaveProperty('refusal');
  });

  it('a tablet pulls its own cases’ county changes, no other tablet’s; a first pull is what it needs now, not the history', async () => {
    const other = new TabletSim(undefined, undefined, () => s.clock.now);
    const otherCredential = await s.county.enrol(other);
    const mine = tablet.create(1);
    const untouched = tablet.create(2);
    await pushed();
    const theirs = other.create(3);
    await s.push(other, otherCredential);
    const start = await pull(tablet, credential, null);
    await s.admin('POST', `/api/admin/cases/${mine.id}/correction-request`, { message: '请补充材料' });
    await s.admin('POST', `/api/admin/cases/${theirs.id}/correction-request`, { message: '请补充材料' });

    const next = await pull(tablet, credential, start.cursor);
    expect(next.caseUpdates.map((u) => u.caseId)).toEqual([mine.id]);
    expect((await pull(other, otherCredential, null)).caseUpdates.map((u) => u.caseId)).toEqual([theirs.id]);

    // A tablet enrolled now: its first pull carries no case and no past change, and its cursor is current.
    const fresh = new TabletSim(undefined, undefined, () => s.clock.now);
    const freshCredential = await s.county.enrol(fresh);
    const first = await pull(fresh, freshCredential, null);
    expect(first).toMatchObject({ township: TOWNSHIP, caseUpdates: [], more: false });
    expect(first.cursor).toBe(next.cursor);
    expect((await pull(fresh, freshCredential, first.cursor)).caseUpdates).toEqual([]);
    expect(untouched.id).not.toBe(mine.id);
  });

  it('the tablet’s audit entries are appended to the county’s chain once, as the clerk in the device’s township, and acknowledged', async () => {
    const c = tablet.create(1);
    const entries: TabletAuditEntry[] = [
      { id: uuidv7(s.clock.now.getTime()), at: s.clock.now.toISOString(), actor: '王芳', action: 'case.create', caseId: c.id, caseNumber: c.caseNumber, revision: 1, changes: [{ path: 'registration.name', before: null, after: '退役士兵1' }], reason: null },
      { id: uuidv7(s.clock.now.getTime()), at: s.clock.now.toISOString(), actor: '王芳', action: 'shift.start', caseId: null, caseNumber: null, revision: null, changes: [], reason: null },
    ];
    const body = tablet.pushBody(undefined, { auditEntries: entries });
    const r = await pushed(body);
    expect(r.auditAcknowledged).toEqual(entries.map((e) => e.id));
    expect((await pushed(body)).auditAcknowledged).toEqual(entries.map((e) => e.id));

    const chain = await s.app.county.db.selectFrom('audit_chain').selectAll().where('action', 'like', 'tablet.%').where('actor', '=', '王芳').orderBy('seq').execute();
    expect(chain.map((e) => [e.action, e.actor, e.area_level, e.area_code, e.subject, e.occurred_at])).toEqual([
      ['tablet.case.create', '王芳', 'township', TOWNSHIP.code, c.id, entries[0]!.at],
      ['tablet.shift.start', '王芳', 'township', TOWNSHIP.code, `device:${tablet.deviceId}`, entries[1]!.at],
    ]);
    // The values are personal: beside the chain, not in it.
    expect(chain[0]!.detail).not.toContain('退役士兵1');
  });

  it('a push of audit entries alone is appended once and acknowledged, and leaves the device’s sequence where it was', async () => {
    tablet.create(1);
    expect((await pushed()).ackedThroughSeq).toBe(1);
    await tablet.acknowledge(1);
    const lastSeq = async () => (await s.app.county.db.selectFrom('devices').select('last_seq').where('device_id', '=', tablet.deviceId).executeTakeFirstOrThrow()).last_seq;
    const chainLength = async () => (await s.app.county.db.selectFrom('audit_chain').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const fromTablet = () => s.app.county.db.selectFrom('audit_chain').select(['action', 'actor']).where('action', 'like', 'tablet.%').where('actor', '=', '李华').orderBy('seq').execute();
    const entries: TabletAuditEntry[] = [
      { id: uuidv7(s.clock.now.getTime()), at: s.clock.now.toISOString(), actor: '李华', action: 'shift.start', caseId: null, caseNumber: null, revision: null, changes: [], reason: null },
      { id: uuidv7(s.clock.now.getTime()), at: s.clock.now.toISOString(), actor: '李华', action: 'sign-in.pin', caseId: null, caseNumber: null, revision: null, changes: [], reason: null },
    ];
    const body = tablet.pushBody([], { auditEntries: entries });

    const first = await pushed(body);
    expect(first).toMatchObject({ ackedThroughSeq: 1, results: [], auditAcknowledged: entries.map((e) => e.id) });
    expect(await fromTablet()).toEqual([
      { action: 'tablet.shift.start', actor: '李华' },
      { action: 'tablet.sign-in.pin', actor: '李华' },
    ]);
    const length = Number(await chainLength());

    // Its answer lost on the way, the tablet sends the same again: acknowledged, nothing appended.
    expect(await pushed(body)).toMatchObject({ ackedThroughSeq: 1, results: [], auditAcknowledged: entries.map((e) => e.id) });
    expect(Number(await chainLength())).toBe(length);
    expect(await lastSeq()).toBe(1);

    // The device's next case still takes the next number.
    tablet.create(2);
    expect((await pushed()).ackedThroughSeq).toBe(2);
  });

  it('a push with neither a mutation nor an audit entry is refused as before, naming the batch', async () => {
    for (const over of [{}, { auditEntries: [] }]) {
      const res = await s.push(tablet, credential, tablet.pushBody([], over));
      expect(res.statusCode, res.body).toBe(422);
      expect(bodyOf<{ error: { code: string; problems: unknown[] } }>(res).error).toMatchObject({ code: 'invalid-batch', problems: [{ path: 'batch', message: 'a batch has at least one mutation' }] });
    }
  });
});
