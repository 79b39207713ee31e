import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, DEFAULT_PARAMETERS_DOCUMENT, evaluate, isJiexuError, upgradeIdNumber15, type JiexuError } from '../../src/domain';
import {
  createCasesRepository,
  createDeviceRepository,
  createDraftsRepository,
  createReferenceRepository,
  DEVICE_ID_PATTERN,
  isStorageError,
  openJiexuDb,
  storageMessageZh,
  type JiexuDb,
  type StorageError,
} from '../../src/storage';
import { caseFacts, freshDb, freshName, idNumber, registration, steppingClock } from './support';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let open: JiexuDb[] = [];
async function db(): Promise<JiexuDb> {
  const d = await freshDb();
  open.push(d);
  return d;
}
afterEach(() => {
  for (const d of open) d.close();
  open = [];
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

async function tableCounts(d: JiexuDb) {
  return { cases: await d.cases.count(), details: await d.caseDetails.count(), outbox: await d.outbox.count(), audit: await d.audit.count() };
}

describe('creating a case', () => {
  it('stores the validated facts with the determination the engine computes under the current parameter set', async () => {
    const d = await db();
    const repo = createCasesRepository(d, { now: steppingClock() });
    const facts = caseFacts();
    const created = await repo.create({ facts, registration: registration(), clerk: '王丽' });

    expect(created.id).toMatch(UUID_V7);
    expect(created.status).toBe('registered');
    expect(created.revision).toBe(1);
    expect(created.syncState).toBe('pending');
    expect(created.createdBy).toBe('王丽');
    expect(created.createdAt).toBe('2024-05-01T08:00:00.000Z');
    expect(created.determination).toEqual(evaluate(facts, DEFAULT_PARAMETERS));
    expect(created.parameterSetVersion).toBe(DEFAULT_PARAMETERS.version);
    expect(await repo.get(created.id)).toEqual(created);
    expect(await repo.getByCaseNumber(created.caseNumber)).toEqual(created);
    expect(await repo.count()).toBe(1);
  });

  it('appends an outbox mutation with a client-made id and the next per-device sequence number in the same write', async () => {
    const d = await db();
    const repo = createCasesRepository(d, { now: steppingClock() });
    const a = await repo.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    const b = await repo.create({ facts: caseFacts({ person: { idNumber: idNumber('19710101', '015') } }), registration: registration({ name: '李四' }), clerk: '王丽' });

    const outbox = await d.outbox.orderBy('seq').toArray();
    expect(outbox.map((m) => [m.seq, m.kind, m.caseId, m.revision, m.baseRevision])).toEqual([
      [1, 'case.create', a.id, 1, null],
      [2, 'case.create', b.id, 1, null],
    ]);
    expect(outbox[0]!.mutationId).toMatch(UUID_V7);
    expect(outbox[0]!.mutationId).not.toBe(outbox[1]!.mutationId);
    expect(outbox[0]!.deviceId).toBe(a.deviceId);
    expect(outbox[0]!.payload).toEqual(a);
    expect(outbox[0]!.clerk).toBe('王丽');
  });

  it('records an audit event saying who created the case, when, and every value entered', async () => {
    const d = await db();
    const repo = createCasesRepository(d, { now: steppingClock() });
    const created = await repo.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });

    const [event, ...rest] = await repo.history(created.id);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ action: 'case.create', actor: '王丽', at: created.createdAt, caseNumber: created.caseNumber, revision: 1, reason: null });
    const byPath = new Map(event!.changes.map((c) => [c.path, c]));
    expect(byPath.get('registration.name')).toEqual({ path: 'registration.name', before: null, after: '张三' });
    expect(byPath.get('facts.service.discharge')?.after).toBe('1992-12');
    expect(byPath.get('facts.pension.periods[0].from')?.after).toBe('1993-01');
    expect(byPath.get('determination.pension.backPayMonths')?.after).toBe(created.determination.pension!.backPayMonths);
  });

  it('gives case numbers county-device-sequence, unique and in order, continuing after the app restarts', async () => {
    const name = freshName();
    const d1 = await openJiexuDb(name);
    const repo1 = createCasesRepository(d1);
    const first = await repo1.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    const second = await repo1.create({ facts: caseFacts({ placement: { countyCode: '150602' } }), registration: registration(), clerk: '王丽' });
    d1.close();

    const d2 = await openJiexuDb(name);
    open.push(d2);
    const third = await createCasesRepository(d2).create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    const { deviceId } = await createDeviceRepository(d2).getOrCreateDevice();

    expect(deviceId).toMatch(DEVICE_ID_PATTERN);
    expect([first, second, third].map((c) => c.caseNumber)).toEqual([`150102-${deviceId}-00001`, `150602-${deviceId}-00002`, `150102-${deviceId}-00003`]);
    expect(third.deviceId).toBe(deviceId);
  });

  it('never gives two cases the same number when several are saved at once', async () => {
    const d = await db();
    const repo = createCasesRepository(d);
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repo.create({ facts: caseFacts({ person: { idNumber: idNumber('19700101', String(100 + i * 2 + 1)) } }), registration: registration(), clerk: '王丽' })),
    );
    const numbers = made.map((c) => c.caseNumber);
    expect(new Set(numbers).size).toBe(8);
    expect(numbers.map((n) => n.slice(-5)).sort()).toEqual(['00001', '00002', '00003', '00004', '00005', '00006', '00007', '00008']);
    expect((await d.outbox.toArray()).map((m) => m.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('removes the draft it was made from in the same write', async () => {
    const d = await db();
    const drafts = createDraftsRepository(d);
    await drafts.save('intake:new', { facts: caseFacts() });
    await createCasesRepository(d).create({ facts: caseFacts(), registration: registration(), clerk: '王丽', draftKey: 'intake:new' });
    expect(await drafts.load('intake:new')).toBeUndefined();
  });

  it('uses the parameter set the county published when there is one', async () => {
    const d = await db();
    const published = { ...DEFAULT_PARAMETERS_DOCUMENT, version: 'county-150102-2024.1' };
    await createReferenceRepository(d).saveParameterSet(published);
    const created = await createCasesRepository(d).create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    expect(created.parameterSetVersion).toBe('county-150102-2024.1');
    expect(created.determination.parametersVersion).toBe('county-150102-2024.1');
  });
});

describe('invalid input', () => {
  it('a bad ID number is refused with the field named, and nothing is saved', async () => {
    const d = await db();
    const drafts = createDraftsRepository(d);
    await drafts.save('intake:new', { typed: 'x' });
    const repo = createCasesRepository(d);
    const facts = caseFacts({ person: { idNumber: '150102197003150031' } });

    const e = (await rejection(repo.create({ facts, registration: registration(), clerk: '王丽', draftKey: 'intake:new' }))) as JiexuError;
    expect(isJiexuError(e)).toBe(true);
    expect(e.code).toBe('invalid-case');
    expect(e.details.problems).toEqual([{ path: 'facts.person.idNumber', message: 'not a valid ID number (checksum)' }]);
    expect(storageMessageZh(e)).toBe('案件信息填写有误，请按标出的项目修改');
    expect(await tableCounts(d)).toEqual({ cases: 0, details: 0, outbox: 0, audit: 0 });
    expect(await drafts.load('intake:new')).toBeDefined();
  });

  it('lists every problem of facts, registration and clerk, each under its field', async () => {
    const d = await db();
    const repo = createCasesRepository(d);
    const facts = caseFacts({ service: { discharge: '1992-13' }, placement: { unitExists: false, unitCanPay: false } });
    const e = (await rejection(repo.create({ facts, registration: registration({ name: ' ', phone: '12345' }), clerk: '' }))) as JiexuError;

    const paths = e.details.problems!.map((p) => p.path).sort();
    expect(paths).toEqual(['clerk', 'facts.service.discharge', 'registration.confirmedBy', 'registration.name', 'registration.phone']);
    expect(e.details.problems!.find((p) => p.path === 'registration.confirmedBy')!.message).toContain('NM43-1.2.c');
    expect(await tableCounts(d)).toEqual({ cases: 0, details: 0, outbox: 0, audit: 0 });
    expect(await d.meta.get('seq.caseNumber')).toBeUndefined();
  });

  it('an unknown field in the registration is refused rather than silently dropped', async () => {
    const d = await db();
    const e = (await rejection(createCasesRepository(d).create({ facts: caseFacts(), registration: { ...registration(), nickname: '三儿' }, clerk: '王丽' }))) as JiexuError;
    expect(e.details.problems!.map((p) => p.path)).toEqual(['registration.nickname']);
  });
});

describe('editing and withdrawing', () => {
  it('an edit becomes revision 2 with its own outbox mutation and a history entry of what changed, by whom', async () => {
    const d = await db();
    const repo = createCasesRepository(d, { now: steppingClock() });
    const created = await repo.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    const facts = caseFacts({ service: { discharge: '1993-06' } });
    const updated = await repo.update(created.id, { facts, registration: registration({ phone: '0471-6912345' }), clerk: '赵强', expectedRevision: 1 });

    expect(updated.revision).toBe(2);
    expect(updated.caseNumber).toBe(created.caseNumber);
    expect(updated.createdBy).toBe('王丽');
    expect(updated.updatedBy).toBe('赵强');
    expect(updated.updatedAt > created.createdAt).toBe(true);
    expect(updated.determination).toEqual(evaluate(facts, DEFAULT_PARAMETERS));
    expect(await repo.get(created.id)).toEqual(updated);

    const history = await repo.history(created.id);
    expect(history.map((h) => [h.action, h.actor, h.revision, h.at])).toEqual([
      ['case.create', '王丽', 1, created.createdAt],
      ['case.update', '赵强', 2, updated.updatedAt],
    ]);
    const changes = history[1]!.changes;
    expect(changes).toContainEqual({ path: 'facts.service.discharge', before: '1992-12', after: '1993-06' });
    expect(changes).toContainEqual({ path: 'registration.phone', before: '13800138000', after: '0471-6912345' });
    expect(changes.some((c) => c.path === 'determination.militaryMonths')).toBe(true);
    expect(changes.some((c) => c.path === 'registration.name')).toBe(false);

    const last = await d.outbox.orderBy('seq').last();
    expect(last).toMatchObject({ seq: 2, kind: 'case.update', caseId: created.id, revision: 2, baseRevision: 1, clerk: '赵强' });
    expect(last!.payload).toEqual(updated);
  });

  it('an edit made on an older revision is refused as a conflict and changes nothing', async () => {
    const d = await db();
    const repo = createCasesRepository(d);
    const created = await repo.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    await repo.update(created.id, { facts: caseFacts(), registration: registration({ address: '新城区' }), clerk: '王丽', expectedRevision: 1 });
    const before = await tableCounts(d);

    const e = (await rejection(repo.update(created.id, { facts: caseFacts(), registration: registration({ address: '回民区' }), clerk: '赵强', expectedRevision: 1 }))) as StorageError;
    expect(isStorageError(e)).toBe(true);
    expect(e.code).toBe('revision-conflict');
    expect(e.details).toMatchObject({ expectedRevision: 1, actualRevision: 2 });
    expect(await tableCounts(d)).toEqual(before);
    expect((await repo.get(created.id))!.registration.address).toBe('新城区');
  });

  it('saving without any change writes nothing', async () => {
    const d = await db();
    const repo = createCasesRepository(d);
    const created = await repo.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });
    const same = await repo.update(created.id, { facts: caseFacts(), registration: registration(), clerk: '赵强', expectedRevision: 1 });
    expect(same).toEqual(created);
    expect(await tableCounts(d)).toEqual({ cases: 1, details: 1, outbox: 1, audit: 1 });
  });

  it('a withdrawal needs a reason, is kept in the history with it, and ends editing', async () => {
    const d = await db();
    const repo = createCasesRepository(d, { now: steppingClock() });
    const created = await repo.create({ facts: caseFacts(), registration: registration(), clerk: '王丽' });

    const noReason = (await rejection(repo.withdraw(created.id, { clerk: '王丽', reason: '  ' }))) as JiexuError;
    expect(noReason.details.problems).toEqual([{ path: 'reason', message: 'required' }]);

    const withdrawn = await repo.withdraw(created.id, { clerk: '王丽', reason: '本人申请撤回' });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', revision: 2, updatedBy: '王丽', syncState: 'pending' });
    expect(withdrawn.facts).toEqual(created.facts);

    const event = (await repo.history(created.id))[1]!;
    expect(event).toMatchObject({ action: 'case.withdraw', reason: '本人申请撤回', revision: 2 });
    expect(event.changes).toEqual([{ path: 'status', before: 'registered', after: 'withdrawn' }]);
    expect(await d.outbox.orderBy('seq').last()).toMatchObject({ kind: 'case.withdraw', revision: 2, baseRevision: 1 });

    const edit = (await rejection(repo.update(created.id, { facts: caseFacts(), registration: registration(), clerk: '王丽', expectedRevision: 2 }))) as StorageError;
    expect(edit.code).toBe('case-withdrawn');
    expect(storageMessageZh(edit)).toBe('该案件已撤回，不能再修改或撤回。');
  });

  it('editing a case that is not on this device says so', async () => {
    const d = await db();
    const e = (await rejection(createCasesRepository(d).withdraw('0190a4c2-0000-7000-8000-000000000000', { clerk: '王丽', reason: '重复登记' }))) as StorageError;
    expect(e.code).toBe('case-not-found');
  });
});

describe('duplicate lookup by ID number', () => {
  it('finds every case of the same person on this device, also from his old 15-digit number, newest first', async () => {
    const d = await db();
    const repo = createCasesRepository(d, { now: steppingClock() });
    const id15 = '150102700315003';
    const id18 = upgradeIdNumber15(id15)!;
    const first = await repo.create({ facts: caseFacts({ person: { idNumber: id18 } }), registration: registration(), clerk: '王丽' });
    await repo.create({ facts: caseFacts({ person: { idNumber: idNumber('19800101', '011') } }), registration: registration({ name: '李四' }), clerk: '王丽' });
    const second = await repo.create({ facts: caseFacts({ person: { idNumber: id18 } }), registration: registration(), clerk: '赵强' });
    await repo.withdraw(first.id, { clerk: '王丽', reason: '重复登记' });

    const found = await repo.findByIdNumber(id15);
    expect(found.map((s) => [s.caseNumber, s.status])).toEqual([
      [second.caseNumber, 'registered'],
      [first.caseNumber, 'withdrawn'],
    ]);
    expect(found[0]).toMatchObject({ name: '张三', idNumber: id18, inScope: second.determination.inScope, backPayMonths: second.determination.pension!.backPayMonths });
    expect(await repo.findByIdNumber(` ${id18.toLowerCase()} `)).toHaveLength(2);
    expect(await repo.findByIdNumber(idNumber('19900101', '011'))).toEqual([]);
  });
});
