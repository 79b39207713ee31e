import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT } from '../../src/domain';
import { CASE_SCHEMA_VERSION, countyListVersion, PROTOCOL_VERSION, parsePullResponse, type PullResponse, type PushResponse, type SyncErrorBody } from '../../src/shared/sync-protocol';
import { createAccount } from '../../src/server/county/administration';
import { describeOnEachDatabase } from './helpers';
import { OTHER_TOWNSHIP, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';

describeOnEachDatabase('pull', (kind) => {

  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'pull');
    tablet = new TabletSim();
    credential = await s.county.enrol(tablet);
  });
  afterEach(async () => {
    await s.close();
  });

  const request = (cursor: string | null) => ({ protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor });
  const pull = async (cursor: string | null) => {
    const res = await s.pull(credential, request(cursor));
    expect(res.statusCode, res.body).toBe(200);
    const parsed = parsePullResponse(bodyOf(res));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.value;
  };

  it('by cursor: parameter sets, this township’s clerks and county changes to this township’s cases — and nothing twice', async () => {
    await createAccount(s.app.county, { username: 'wangfang', displayName: '王芳', password: 'long enough pw', role: 'window-clerk', townshipCode: TOWNSHIP.code });
    await createAccount(s.app.county, { username: 'lisi', displayName: '李四', password: 'long enough pw', role: 'window-clerk', townshipCode: OTHER_TOWNSHIP.code });
    await s.admin('POST', '/api/admin/parameter-sets', { document: { ...DEFAULT_PARAMETERS_DOCUMENT, version: 'county-2027.1', issued: '2027-01-01' } });

    const first = await pull(null);
    expect(first.township).toEqual(TOWNSHIP);
    expect(first.countyListVersion).toBe(countyListVersion());
    expect(first.clerks).toEqual([{ username: 'wangfang', displayName: '王芳', townshipCode: TOWNSHIP.code, active: true }]);
    expect(first.parameterSets.map((p) => p.version)).toEqual(['county-2027.1']);
    expect(first.caseUpdates).toEqual([]);
    expect(first.more).toBe(false);

    const again = await pull(first.cursor);
    expect([again.clerks, again.parameterSets, again.caseUpdates]).toEqual([[], [], []]);
    expect(again.cursor).toBe(first.cursor);

    // A correction request on this township's case, and one on another township's.
    const mine = tablet.create(1);
    await tablet.acknowledge(bodyOf<PushResponse>(await s.push(tablet, credential)).ackedThroughSeq);
    const other = new TabletSim();
    const otherCredential = await s.county.enrol(other, OTHER_TOWNSHIP.code);
    const theirs = other.create(2);
    await s.push(other, otherCredential);
    await s.admin('POST', `/api/admin/cases/${mine.id}/correction-request`, { message: '请补充材料' });
    await s.admin('POST', `/api/admin/cases/${theirs.id}/correction-request`, { message: '请补充材料' });

    const third = await pull(again.cursor);
    expect(third.caseUpdates).toEqual([
      expect.objectContaining({ caseId: mine.id, serverRevision: 2, countyStatus: 'correction-requested', correctionRequest: '请补充材料', conflict: false, facts: mine.facts }),
    ]);
    expect((await pull(third.cursor)).caseUpdates).toEqual([]);
  });

  it('GET /api/sync/pull takes the same fields as query parameters; a cursor the server never issued is refused', async () => {
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/sync/pull?protocol=${PROTOCOL_VERSION}&schemaVersion=${CASE_SCHEMA_VERSION}&appVersion=test&deviceId=${tablet.deviceId}`,
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(res.statusCode).toBe(200);
    expect(bodyOf<PullResponse>(res).township).toEqual(TOWNSHIP);
    const bad = await s.pull(credential, request('c9.x'));
    expect(bad.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(bad).error).toMatchObject({ code: 'invalid-request', problems: [{ path: 'cursor' }] });
  });

  it('a device clock off by more than 5 minutes is told so on pull too', async () => {
    const res = await s.pull(credential, { ...request(null), clientTime: new Date(s.clock.now.getTime() - 7 * 60_000).toISOString() });
    expect(bodyOf<PullResponse>(res).clockSkewMs).toBe(-7 * 60_000);
  });
});
