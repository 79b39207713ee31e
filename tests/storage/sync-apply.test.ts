// What the tablet does with what the server tells it: push results and pulled county changes.
import { afterEach, describe, expect, it } from 'vitest';
import { createCasesRepository, createDeviceRepository, type CaseRecord, type JiexuDb } from '../../src/storage';
import { COUNTY_ACTOR } from '../../src/storage/cases-repository';
import type { CaseUpdate, MutationResult } from '../../src/shared/sync-protocol';
import { createDexieOutbox } from '../../src/sync/dexie-outbox';
import { caseRefusalZh } from '../../src/sync/messages';
import { caseFacts, freshDb, idNumber, registration, steppingClock } from './support';

let open: JiexuDb[] = [];
afterEach(() => {
  for (const d of open) d.close();
  open = [];
});

async function setUp() {
  const db = await freshDb();
  open.push(db);
  const cases = createCasesRepository(db, { now: steppingClock() });
  return { db, cases, outbox: createDexieOutbox(db) };
}

function result(c: CaseRecord, seq: number, over: Partial<MutationResult> = {}): MutationResult {
  return { seq, mutationId: '00000000-0000-4000-8000-000000000000', caseId: c.id, outcome: 'applied', serverRevision: c.revision, conflict: false, possibleDuplicate: false, figuresDiffer: false, ...over };
}

function countyUpdate(c: CaseRecord, over: Partial<CaseUpdate> = {}): CaseUpdate {
  return {
    caseId: c.id,
    caseNumber: c.caseNumber,
    serverRevision: c.revision + 1,
    status: 'registered',
    countyStatus: 'correction-requested',
    correctionRequest: '请补充退役证编号',
    conflict: false,
    facts: c.facts,
    registration: { ...c.registration, phone: '13900139000' },
    at: '2024-05-02T09:00:00.000Z',
    ...over,
  };
}

describe('push results', () => {
  it('an acknowledged case becomes synced, with the server revision and its flags recorded', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    expect((await cases.syncInfo(a.id))?.syncState).toBe('pending');
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1, { possibleDuplicate: true })]);
    const info = await cases.syncInfo(a.id);
    expect(info).toMatchObject({ syncState: 'synced', serverRevision: 1, possibleDuplicate: true, figuresDiffer: false });
    expect(info?.syncedAt).not.toBeNull();
    expect((await cases.get(a.id))?.syncState).toBe('synced');
    expect((await cases.listNewest())[0]?.syncState).toBe('synced');
  });

  it('a case whose number the server refused stays on the tablet, unsent, listed for attention with why (once in its history)', async () => {
    const { db, cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    const refused = result(a, 1, { outcome: 'refused', serverRevision: null, refusal: 'case-number-taken' });
    await cases.applyPushResults([refused]);
    await cases.applyPushResults([{ ...refused, outcome: 'duplicate' }]);
    expect(await cases.get(a.id)).toMatchObject({ caseNumber: a.caseNumber, syncState: 'pending' });
    expect(await cases.needingAttention()).toEqual([expect.objectContaining({ id: a.id, refusal: 'case-number-taken', countyStatus: null })]);
    expect(caseRefusalZh('case-number-taken')).toContain('已被另一案件使用');
    const history = await db.audit.where('caseId').equals(a.id).toArray();
    expect(history.filter((e) => e.action === 'sync.refused')).toHaveLength(1);
  });

  it('a case with a later change still in the outbox stays pending', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await cases.update(a.id, { facts: caseFacts(), registration: registration({ phone: '13900139000' }), clerk: '王芳', expectedRevision: 1 });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ syncState: 'pending', serverRevision: 1 });
  });

  it('a conflict reported by the server marks the case conflicting, with an audit event, and an edit does not hide it', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1, { outcome: 'conflict', conflict: true, serverRevision: 3 })]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ syncState: 'conflict', serverRevision: 3 });
    const history = await cases.history(a.id);
    expect(history.at(-1)).toMatchObject({ action: 'sync.conflict', actor: COUNTY_ACTOR });

    const edited = await cases.update(a.id, { facts: caseFacts(), registration: registration({ phone: '13900139000' }), clerk: '王芳', expectedRevision: 1 });
    expect(edited.syncState).toBe('conflict');
    // The server revision learnt before survives the edit.
    expect(await cases.syncInfo(a.id)).toMatchObject({ syncState: 'conflict', serverRevision: 3 });
    // A later acknowledgement without conflict does not close it either: only the county's resolution does.
    await outbox.acknowledge(2);
    await cases.applyPushResults([result(edited, 2, { serverRevision: 3 })]);
    expect((await cases.syncInfo(a.id))?.syncState).toBe('conflict');
  });

  it('results for cases not on this device are ignored', async () => {
    const { cases } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await cases.applyPushResults([{ ...result(a, 1), caseId: '00000000-0000-4000-8000-00000000abcd' }]);
    expect((await cases.syncInfo(a.id))?.syncState).toBe('pending');
  });
});

describe('pulled county changes', () => {
  it('a case with nothing unsent takes the county’s version and revision, with an audit event of what changed', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);

    const outcomes = await cases.applyCaseUpdates([countyUpdate(a)]);
    expect(outcomes).toEqual([{ caseId: a.id, caseNumber: a.caseNumber, action: 'adopted' }]);
    const adopted = await cases.get(a.id);
    expect(adopted).toMatchObject({ revision: 2, syncState: 'synced', updatedBy: COUNTY_ACTOR, createdBy: '王芳' });
    expect(adopted?.registration.phone).toBe('13900139000');
    expect(await cases.syncInfo(a.id)).toMatchObject({ serverRevision: 2, countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号' });
    const event = (await cases.history(a.id)).at(-1)!;
    expect(event).toMatchObject({ action: 'sync.adopt', actor: COUNTY_ACTOR, revision: 2 });
    expect(event.reason).toContain('请补充退役证编号');
    expect(event.changes).toContainEqual({ path: 'registration.phone', before: '13800138000', after: '13900139000' });
    // Adopting writes nothing to send back.
    expect(await outbox.count()).toBe(0);

    // The window's next change is based on the county's revision.
    await cases.update(a.id, { facts: caseFacts(), registration: registration({ phone: '13700137000' }), clerk: '王芳', expectedRevision: 2 });
    const [next] = await outbox.pending(10);
    expect(next).toMatchObject({ kind: 'case.update', baseRevision: 2, revision: 3 });
  });

  it('the same change pulled again changes nothing', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);
    await cases.applyCaseUpdates([countyUpdate(a)]);
    const events = (await cases.history(a.id)).length;
    expect(await cases.applyCaseUpdates([countyUpdate(a)])).toEqual([{ caseId: a.id, caseNumber: a.caseNumber, action: 'ignored', reason: 'already-known' }]);
    expect((await cases.history(a.id)).length).toBe(events);
  });

  it('a case with unsent changes keeps the tablet’s version and is marked conflicting', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);
    const edited = await cases.update(a.id, { facts: caseFacts(), registration: registration({ address: '本机修改的地址' }), clerk: '王芳', expectedRevision: 1 });

    const outcomes = await cases.applyCaseUpdates([countyUpdate(a)]);
    expect(outcomes[0]).toMatchObject({ action: 'conflict' });
    const kept = await cases.get(a.id);
    expect(kept).toMatchObject({ revision: edited.revision, syncState: 'conflict' });
    expect(kept?.registration.address).toBe('本机修改的地址');
    expect(kept?.registration.phone).toBe('13800138000');
    expect(await cases.syncInfo(a.id)).toMatchObject({ serverRevision: 2, correctionRequest: '请补充退役证编号' });
    expect((await cases.history(a.id)).at(-1)).toMatchObject({ action: 'sync.conflict' });
    // The unsent change is still there to reach the county, which keeps both versions.
    expect((await outbox.pending(10)).map((m) => m.revision)).toEqual([2]);
  });

  it('a conflict the county reports is shown even when the tablet has nothing unsent', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);
    await cases.applyCaseUpdates([countyUpdate(a, { conflict: true })]);
    expect((await cases.syncInfo(a.id))?.syncState).toBe('conflict');
    expect((await cases.get(a.id))?.registration.phone).toBe('13800138000');
  });

  it('the county’s resolution closes a conflict: the resolved version is adopted', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1, { outcome: 'conflict', conflict: true, serverRevision: 2 })]);
    await cases.applyCaseUpdates([countyUpdate(a, { serverRevision: 3, countyStatus: 'received', correctionRequest: null })]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ syncState: 'synced', serverRevision: 3, countyStatus: 'received', correctionRequest: null });
  });

  it('a county version this app cannot read is not adopted: the tablet keeps its own and shows a conflict', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);
    const outcomes = await cases.applyCaseUpdates([countyUpdate(a, { facts: { ...a.facts, newFieldOfALaterSchema: true } })]);
    expect(outcomes[0]).toMatchObject({ action: 'conflict', reason: 'unreadable-county-version' });
    expect((await cases.get(a.id))?.revision).toBe(1);
  });

  it('a possible-duplicate flag the county moved reaches the case without a new revision; an older server’s update leaves it as it was', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1, { possibleDuplicate: true })]);
    const flagOnly = countyUpdate(a, { serverRevision: 1, countyStatus: 'received', correctionRequest: null, possibleDuplicate: false });
    expect(await cases.applyCaseUpdates([flagOnly])).toEqual([{ caseId: a.id, caseNumber: a.caseNumber, action: 'ignored', reason: 'already-known' }]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ possibleDuplicate: false, serverRevision: 1, syncState: 'synced', countyStatus: null });
    expect((await cases.get(a.id))?.revision).toBe(1);

    await cases.applyCaseUpdates([countyUpdate(a, { serverRevision: 1, possibleDuplicate: true })]);
    expect((await cases.syncInfo(a.id))?.possibleDuplicate).toBe(true);
    const { possibleDuplicate: _absent, ...fromOlderServer } = countyUpdate(a, { serverRevision: 2 });
    await cases.applyCaseUpdates([fromOlderServer]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ possibleDuplicate: true, serverRevision: 2 });
  });

  it('a signed step at the county reaches the case without a new revision, and the end of 退回补正 clears the request', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    await outbox.acknowledge(1);
    await cases.applyPushResults([result(a, 1)]);
    expect((await cases.syncInfo(a.id))?.lifecycleStatus).toBeNull();

    // 退回补正: a county version (revision 2) with the request, adopted.
    await cases.applyCaseUpdates([countyUpdate(a, { lifecycleStatus: 'correction-requested' })]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ serverRevision: 2, lifecycleStatus: 'correction-requested', countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号' });
    expect((await cases.listNewest())[0]?.lifecycleStatus).toBe('correction-requested');

    // The window's correction is on the server (revision 3): the next pull says 已同步 at that revision.
    const corrected = await cases.update(a.id, { facts: a.facts, registration: { ...a.registration, phone: '13700137000' }, clerk: '王芳', expectedRevision: 2 });
    await outbox.acknowledge(2);
    await cases.applyPushResults([result(corrected, 2)]);
    await cases.applyCaseUpdates([countyUpdate(a, { serverRevision: 3, countyStatus: 'received', correctionRequest: null, lifecycleStatus: 'synced' })]);
    expect(await cases.syncInfo(a.id)).toMatchObject({ serverRevision: 3, lifecycleStatus: 'synced', countyStatus: 'received', correctionRequest: null });
    expect(await cases.needingAttention()).toEqual([]);

    // 核查通过 moves no revision: only the status changes; the facts stay the tablet's.
    const outcomes = await cases.applyCaseUpdates([countyUpdate(a, { serverRevision: 3, countyStatus: 'received', correctionRequest: null, lifecycleStatus: 'verified' })]);
    expect(outcomes[0]).toMatchObject({ action: 'ignored', reason: 'already-known' });
    expect((await cases.syncInfo(a.id))?.lifecycleStatus).toBe('verified');
    expect((await cases.get(a.id))?.registration.phone).toBe('13700137000');

    // An older server says nothing of it: the status last learnt stays.
    const { lifecycleStatus: _absent, ...fromOlderServer } = countyUpdate(a, { serverRevision: 3, countyStatus: 'received', correctionRequest: null });
    await cases.applyCaseUpdates([fromOlderServer]);
    expect((await cases.syncInfo(a.id))?.lifecycleStatus).toBe('verified');
  });

  it('a change to a case this tablet does not hold is ignored', async () => {
    const { cases } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    const stranger = { ...a, id: '00000000-0000-4000-8000-00000000abcd', facts: caseFacts({ person: { idNumber: idNumber('19710101', '005'), femaleCategory: null } }) };
    expect(await cases.applyCaseUpdates([countyUpdate(stranger)])).toEqual([{ caseId: stranger.id, caseNumber: a.caseNumber, action: 'ignored', reason: 'unknown-case' }]);
    expect(await cases.count()).toBe(1);
  });
});

describe('device enrolment', () => {
  it('is recorded with the server address, credential and township, and the device id the server assigned numbers cases from then on', async () => {
    const { db } = await setUp();
    const device = createDeviceRepository(db, { now: steppingClock() });
    const before = await device.getOrCreateDevice();
    expect(await device.enrolment()).toBeNull();
    const e = await device.saveEnrolment({ serverUrl: ' https://192.168.1.20:8443/ ', credential: 'dev_0123456789abcdefghijkl', deviceId: 'K7Q2MX3B', township: { code: '150102001', name: '海拉尔路街道' } });
    expect(e).toMatchObject({ serverUrl: 'https://192.168.1.20:8443', township: { code: '150102001' }, revokedAt: null });
    expect(await device.enrolment()).toEqual(e);
    expect(before.deviceId).not.toBe('K7Q2MX3B');
    expect(await device.getOrCreateDevice()).toEqual({ ...before, deviceId: 'K7Q2MX3B' });
  });

  it('refuses a bad server address or credential, naming the field', async () => {
    const { db } = await setUp();
    const device = createDeviceRepository(db);
    await expect(device.saveEnrolment({ serverUrl: 'ftp://county', credential: 'short', deviceId: 'k7q2', township: { code: '150102001', name: 'x' } })).rejects.toMatchObject({
      code: 'invalid-enrolment',
      details: { problems: [{ path: 'serverUrl' }, { path: 'credential' }, { path: 'deviceId' }] },
    });
    expect(await device.enrolment()).toBeNull();
  });

  it('a revoked tablet is marked so; enrolled again it may sync, and another township starts its pull from the beginning', async () => {
    const { db } = await setUp();
    const device = createDeviceRepository(db, { now: steppingClock() });
    await device.saveEnrolment({ serverUrl: 'https://county.example', credential: 'dev_0123456789abcdefghijkl', deviceId: 'K7Q2MX3B', township: { code: '150102001', name: 'A' } });
    await db.meta.put({ key: 'sync.cursor', value: 'c1.42' });
    const revoked = await device.markRevoked();
    expect(revoked?.revokedAt).not.toBeNull();
    expect((await device.markRevoked())?.revokedAt).toBe(revoked?.revokedAt);

    await device.saveEnrolment({ serverUrl: 'https://county.example', credential: 'dev_abcdefghijkl0123456789', deviceId: 'M3X7Q2KB', township: { code: '150102001', name: 'A' } });
    expect((await device.enrolment())?.revokedAt).toBeNull();
    expect((await db.meta.get('sync.cursor'))?.value).toBe('c1.42');
    await device.saveEnrolment({ serverUrl: 'https://county.example', credential: 'dev_abcdefghijkl0123456789', deviceId: 'N4X7Q2KB', township: { code: '150102002', name: 'B' } });
    expect(await db.meta.get('sync.cursor')).toBeUndefined();
  });
});

describe('the clerk’s account on a case', () => {
  it('a case records the account of the signed-in clerk of the shift beside his name; a picked name records none', async () => {
    const { db, cases } = await setUp();
    const device = createDeviceRepository(db);
    await device.setCurrentClerk('王芳', 'wangfang');
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    expect(a).toMatchObject({ createdBy: '王芳', createdByAccount: 'wangfang', updatedByAccount: 'wangfang' });
    expect(await cases.get(a.id)).toMatchObject({ createdByAccount: 'wangfang' });

    await device.setCurrentClerk('李四');
    const edited = await cases.update(a.id, { facts: caseFacts(), registration: registration({ phone: '13900139000' }), clerk: '李四', expectedRevision: 1 });
    expect(edited).toMatchObject({ createdByAccount: 'wangfang', updatedBy: '李四' });
    expect(edited.updatedByAccount).toBeUndefined();
    expect((await cases.get(a.id))?.updatedByAccount).toBeUndefined();
  });
});

describe('cases needing attention', () => {
  it('are those sent back for correction or in conflict, most recently changed first', async () => {
    const { cases, outbox } = await setUp();
    const a = await cases.create({ facts: caseFacts(), registration: registration(), clerk: '王芳' });
    const b = await cases.create({ facts: caseFacts({ person: { idNumber: idNumber('19710101', '005'), femaleCategory: null } }), registration: registration({ name: '李四' }), clerk: '王芳' });
    const c = await cases.create({ facts: caseFacts({ person: { idNumber: idNumber('19720101', '007'), femaleCategory: null } }), registration: registration({ name: '赵六' }), clerk: '王芳' });
    await outbox.acknowledge(3);
    await cases.applyPushResults([result(a, 1), result(b, 2, { outcome: 'conflict', conflict: true }), result(c, 3)]);
    expect(await cases.needingAttention()).toEqual([expect.objectContaining({ id: b.id, syncState: 'conflict', countyStatus: null })]);
    await cases.applyCaseUpdates([countyUpdate(a)]);
    const list = await cases.needingAttention();
    expect(list.map((x) => x.id)).toEqual([a.id, b.id]);
    expect(list[0]).toMatchObject({ countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号', syncState: 'synced' });
  });
});
