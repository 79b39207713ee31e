import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT } from '../../src/domain';
import { CASE_SCHEMA_VERSION, PROTOCOL_VERSION, type PushResponse, type PullResponse, type SyncErrorBody } from '../../src/shared/sync-protocol';
import { describeOnEachDatabase } from './helpers';
import { TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';

type CaseDetail = {
  revision: number;
  flags: { conflict: boolean; possibleDuplicate: boolean; figuresDiffer: boolean };
  facts: { pension: { periods: { to: string }[] } };
  versions: { id: string; revision: number; source: string; conflicting: boolean; current: boolean; receivedAt: string; serverDeterminations: { purpose: string; parametersVersion: string; figuresDiffer: boolean }[] }[];
  possibleDuplicates: { id: string }[];
  countyStatus: string;
};

describeOnEachDatabase('push', (kind) => {

  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'push'));
  });
  afterEach(async () => {
    await s.close();
  });

  const detail = async (caseId: string) => bodyOf<CaseDetail>(await s.admin('GET', `/api/admin/cases/${caseId}`));
  /** Pushes the outbox and removes what the server acknowledged, as the client engine does. */
  const sync = async (t: TabletSim = tablet, cred: string = credential) => {
    const res = await s.push(t, cred);
    expect(res.statusCode, res.body).toBe(200);
    const body = bodyOf<PushResponse>(res);
    await t.acknowledge(body.ackedThroughSeq);
    return body;
  };

  it('a batch is applied in one go and acknowledged through its last seq; each case is stored with its version and the server determination', async () => {
    const cases = [tablet.create(1), tablet.create(2), tablet.create(3)];
    const res = await s.push(tablet, credential);
    expect(res.statusCode).toBe(200);
    const body = bodyOf<PushResponse>(res);
    expect(body.ackedThroughSeq).toBe(3);
    expect(body.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect(body.results.every((r) => !r.conflict && !r.possibleDuplicate && !r.figuresDiffer)).toBe(true);
    expect(await s.count('cases')).toBe(3);
    expect(await s.count('case_versions')).toBe(3);
    expect(await s.count('server_determinations')).toBe(3);
    const d = await detail(cases[0]!.id);
    expect(d.revision).toBe(1);
    expect(d.versions[0]!.serverDeterminations).toEqual([expect.objectContaining({ purpose: 'tablet-set', parametersVersion: DEFAULT_PARAMETERS_DOCUMENT.version, figuresDiffer: false })]);
  });

  it('a retried batch is acknowledged as duplicates and applied nothing again (gzip request, gzip response)', async () => {
    tablet.create(1);
    tablet.create(2);
    const body = tablet.pushBody();
    expect((await s.push(tablet, credential, body, { gzip: true })).statusCode).toBe(200);
    const again = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'accept-encoding': 'gzip', authorization: `Bearer ${credential}` },
      payload: (await import('node:zlib')).gzipSync(JSON.stringify(body)),
    });
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-encoding']).toBe('gzip');
    const r = bodyOf<PushResponse>(again);
    expect(r.ackedThroughSeq).toBe(2);
    expect(r.results.map((x) => x.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await s.count('cases')).toBe(2);
    expect(await s.count('case_versions')).toBe(2);
    expect(await s.count('applied_mutations')).toBe(2);
  });

  it('a batch overlapping the applied ones applies only the new mutations', async () => {
    tablet.create(1);
    tablet.create(2);
    await s.push(tablet, credential, tablet.pushBody(tablet.outbox.slice(0, 1)));
    const r = bodyOf<PushResponse>(await s.push(tablet, credential));
    expect(r.results.map((x) => [x.seq, x.outcome])).toEqual([
      [1, 'duplicate'],
      [2, 'applied'],
    ]);
    expect(await s.count('case_versions')).toBe(2);
  });

  it('a batch that skips a sequence number is refused with sequence-gap and the expected seq, and nothing is applied', async () => {
    tablet.create(1);
    tablet.create(2);
    tablet.create(3);
    const res = await s.push(tablet, credential, tablet.pushBody(tablet.outbox.slice(1)));
    expect(res.statusCode).toBe(409);
    const err = bodyOf<SyncErrorBody>(res).error;
    expect(err.code).toBe('sequence-gap');
    expect(err.expectedSeq).toBe(1);
    expect(await s.count('cases')).toBe(0);
  });

  it('a batch whose seqs are not consecutive is refused as invalid-batch naming the field', async () => {
    tablet.create(1);
    tablet.create(2);
    tablet.create(3);
    const res = await s.push(tablet, credential, tablet.pushBody([tablet.outbox[0]!, tablet.outbox[2]!]));
    expect(res.statusCode).toBe(422);
    const err = bodyOf<SyncErrorBody>(res).error;
    expect(err.code).toBe('invalid-batch');
    expect(err.problems).toEqual([expect.objectContaining({ path: 'batch[1].seq' })]);
  });

  it('a mutation with facts the rules refuse is refused as invalid-batch with field-named problems, and the batch is not applied', async () => {
    tablet.create(1);
    tablet.create(2);
    const body = tablet.pushBody();
    const batch = body.batch as { facts: { person: { idNumber: string }; service: { discharge: string } } }[];
    batch[1]!.facts.person.idNumber = '150102197003150031';
    batch[1]!.facts.service.discharge = 'soon';
    const res = await s.push(tablet, credential, body);
    expect(res.statusCode).toBe(422);
    const err = bodyOf<SyncErrorBody>(res).error;
    expect(err.code).toBe('invalid-batch');
    expect(err.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['batch[1].facts.service.discharge']));
    expect(await s.count('cases')).toBe(0);
  });

  it('a case changed at the county since the tablet’s base revision keeps both versions and is marked conflicting', async () => {
    const c = tablet.create(1);
    await sync();
    expect((await s.admin('POST', `/api/admin/cases/${c.id}/correction-request`, { message: '请补充退伍证复印件' })).statusCode).toBe(200);
    tablet.update(c.id, 7);
    const r = await sync();
    expect(r.ackedThroughSeq).toBe(2);
    expect(r.results[0]).toMatchObject({ outcome: 'conflict', conflict: true, serverRevision: 2 });

    const d = await detail(c.id);
    expect(d.flags.conflict).toBe(true);
    expect(d.countyStatus).toBe('correction-requested');
    // The county's version stays current; the tablet's is kept beside it.
    expect(d.facts.pension.periods[0]!.to).toBe('2000-06');
    expect(d.versions.map((v) => [v.source, v.revision, v.conflicting, v.current])).toEqual([
      ['tablet', 1, false, false],
      ['county', 2, false, true],
      ['tablet', 2, true, false],
    ]);

    // The county chooses the tablet's version: it becomes revision 3, and the conflict is closed.
    const tabletVersion = d.versions.find((v) => v.conflicting)!;
    const resolved = bodyOf<CaseDetail>(await s.admin('POST', `/api/admin/cases/${c.id}/resolve`, { versionId: tabletVersion.id }));
    expect(resolved.flags.conflict).toBe(false);
    expect(resolved.revision).toBe(3);
    expect(resolved.facts.pension.periods[0]!.to).toBe('2007-06');
    expect(await s.count('case_versions')).toBe(4);

    // The tablet hears of it by pull and bases its next change on revision 3: no conflict.
    const pulled = bodyOf<PullResponse>(await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor: null }));
    const update = pulled.caseUpdates.find((u) => u.caseId === c.id)!;
    expect(update).toMatchObject({ serverRevision: 3, conflict: false, countyStatus: 'correction-requested', correctionRequest: '请补充退伍证复印件' });
    tablet.adoptServerRevision(c.id, update.serverRevision);
    tablet.update(c.id, 8);
    const next = await sync();
    expect(next.results[0]).toMatchObject({ outcome: 'applied', serverRevision: 4, conflict: false });
  });

  it('the same ID number registered on two tablets is linked as a possible duplicate on both cases, never merged', async () => {
    const other = new TabletSim(undefined, undefined, () => s.clock.now);
    const otherCredential = await s.county.enrol(other, '150102002');
    const a = tablet.create(42);
    const b = other.create(42);
    const c = other.create(43);
    expect(bodyOf<PushResponse>(await s.push(tablet, credential)).results[0]!.possibleDuplicate).toBe(false);
    const r = bodyOf<PushResponse>(await s.push(other, otherCredential));
    expect(r.results.map((x) => x.possibleDuplicate)).toEqual([true, false]);
    expect(await s.count('cases')).toBe(3);
    expect(await s.count('case_links')).toBe(1);
    expect((await detail(a.id)).possibleDuplicates.map((x) => x.id)).toEqual([b.id]);
    expect((await detail(b.id)).flags.possibleDuplicate).toBe(true);
    expect((await detail(c.id)).flags.possibleDuplicate).toBe(false);
    const flagged = bodyOf<{ cases: { id: string }[] }>(await s.admin('GET', '/api/admin/cases?flag=possible-duplicate'));
    expect(flagged.cases.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('a tampered figures digest is flagged: the server re-runs the engine with the tablet’s parameter set', async () => {
    const honest = tablet.create(1);
    const tampered = tablet.create(2);
    const body = tablet.pushBody();
    const batch = body.batch as { figures: { backPayMonths: number; pensionUnitAmount: string } }[];
    batch[1]!.figures.backPayMonths += 1;
    const r = bodyOf<PushResponse>(await s.push(tablet, credential, body));
    expect(r.results.map((x) => x.figuresDiffer)).toEqual([false, true]);
    expect((await detail(honest.id)).flags.figuresDiffer).toBe(false);
    const d = await detail(tampered.id);
    expect(d.flags.figuresDiffer).toBe(true);
    expect(d.versions[0]!.serverDeterminations[0]!.figuresDiffer).toBe(true);
    const flagged = bodyOf<{ cases: { id: string }[] }>(await s.admin('GET', '/api/admin/cases?flag=figures-differ'));
    expect(flagged.cases.map((x) => x.id)).toEqual([tampered.id]);
  });

  it('a digest claiming a parameter set the server never published is flagged as differing', async () => {
    tablet.create(1);
    const body = tablet.pushBody();
    (body.batch as { figures: { parametersVersion: string } }[])[0]!.figures.parametersVersion = 'made-up-1';
    expect(bodyOf<PushResponse>(await s.push(tablet, credential, body)).results[0]!.figuresDiffer).toBe(true);
  });

  it('where a newer parameter set is published, the county also gets the figures under it', async () => {
    const newer = { ...DEFAULT_PARAMETERS_DOCUMENT, version: 'county-2027.1', issued: '2027-01-01' };
    expect((await s.admin('POST', '/api/admin/parameter-sets', { document: newer })).statusCode).toBe(201);
    const c = tablet.create(1);
    await s.push(tablet, credential);
    const dets = (await detail(c.id)).versions[0]!.serverDeterminations;
    expect(dets.map((d) => [d.purpose, d.parametersVersion])).toEqual(
      expect.arrayContaining([
        ['tablet-set', DEFAULT_PARAMETERS_DOCUMENT.version],
        ['newest-set', 'county-2027.1'],
      ]),
    );
  });

  it('the server clock is authoritative for received-at, and a device clock off by more than 5 minutes is told so', async () => {
    tablet.create(1);
    const ahead = new Date(s.clock.now.getTime() + 10 * 60_000).toISOString();
    const r = bodyOf<PushResponse>(await s.push(tablet, credential, tablet.pushBody(undefined, { clientTime: ahead })));
    expect(r.clockSkewMs).toBe(10 * 60_000);
    expect(r.serverTime).toBe(s.clock.now.toISOString());
    const d = await detail(tablet.made[0]!.caseId);
    expect(d.versions[0]!.receivedAt).toBe(s.clock.now.toISOString());

    tablet.create(2);
    const slightly = new Date(s.clock.now.getTime() - 60_000).toISOString();
    const ok = bodyOf<PushResponse>(await s.push(tablet, credential, tablet.pushBody(undefined, { clientTime: slightly })));
    expect(ok.clockSkewMs).toBeUndefined();
  });

  it('another protocol or case schema version gets a version code (shown as 请更新应用), before anything else is checked', async () => {
    tablet.create(1);
    const protocol = await s.push(tablet, 'not-a-credential', tablet.pushBody(undefined, { protocol: PROTOCOL_VERSION + 1, batch: 'whatever' }));
    expect(protocol.statusCode).toBe(400);
    expect(bodyOf<SyncErrorBody>(protocol).error).toMatchObject({ code: 'protocol-mismatch', supported: [1, PROTOCOL_VERSION] });
    const schema = await s.push(tablet, credential, tablet.pushBody(undefined, { schemaVersion: 99 }));
    expect(schema.statusCode).toBe(400);
    expect(bodyOf<SyncErrorBody>(schema).error).toMatchObject({ code: 'schema-mismatch', supported: [CASE_SCHEMA_VERSION] });
    expect(await s.count('cases')).toBe(0);
  });

  it('a push without a valid credential is refused as unauthenticated', async () => {
    tablet.create(1);
    const none = await s.app.inject({ method: 'POST', url: '/api/sync/push', payload: tablet.pushBody() });
    expect(none.statusCode).toBe(401);
    expect(bodyOf<SyncErrorBody>(none).error.code).toBe('unauthenticated');
    const wrong = await s.push(tablet, `${credential}x`);
    expect(bodyOf<SyncErrorBody>(wrong).error.code).toBe('unauthenticated');
  });

  it('a device may not push in another device’s name nor change another device’s case', async () => {
    const other = new TabletSim(undefined, undefined, () => s.clock.now);
    const otherCredential = await s.county.enrol(other);
    tablet.create(1);
    const asOther = await s.push(tablet, otherCredential);
    expect(asOther.statusCode).toBe(403);
    expect(bodyOf<SyncErrorBody>(asOther).error.code).toBe('forbidden');

    await s.push(tablet, credential);
    // The other tablet sends a mutation for the first tablet's case under its own seq.
    const mine = tablet.made[0]!;
    other.create(2);
    const body = other.pushBody();
    (body.batch as Record<string, unknown>[])[0] = { ...(body.batch as Record<string, unknown>[])[0], caseId: mine.caseId, caseNumber: mine.payload.caseNumber };
    const res = await s.push(other, otherCredential, body);
    expect(res.statusCode).toBe(403);
    expect(bodyOf<SyncErrorBody>(res).error.code).toBe('forbidden');
    expect(await s.count('case_versions')).toBe(1);
  });
});
