import { afterEach, describe, expect, it } from 'vitest';
import { createDeviceRepository, createDraftsRepository, DEVICE_ID_PATTERN, isStorageError, openJiexuDb, storageMessageZh, type JiexuDb, type StorageError } from '../../src/storage';
import { freshName, steppingClock } from './support';

let open: JiexuDb[] = [];
afterEach(() => {
  for (const d of open) d.close();
  open = [];
});
async function openDb(name = freshName()): Promise<JiexuDb> {
  const d = await openJiexuDb(name);
  open.push(d);
  return d;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('drafts', () => {
  it('keep whatever was typed, valid or not, across a restart of the app', async () => {
    const name = freshName();
    const first = await openJiexuDb(name);
    const typed = { facts: { person: { idNumber: '15010219700315003' } }, registration: { name: '张' }, step: 2 };
    await createDraftsRepository(first).save('intake:new', typed);
    first.close();

    const again = await openDb(name);
    const draft = await createDraftsRepository(again).load('intake:new');
    expect(draft?.value).toEqual(typed);
  });

  it('are listed most recently saved first, overwritten by a later save of the same key, and discarded', async () => {
    const drafts = createDraftsRepository(await openDb(), { now: steppingClock() });
    await drafts.save('intake:a', 1);
    await drafts.save('intake:b', 2);
    await drafts.save('intake:a', 3);
    expect((await drafts.list()).map((d) => [d.key, d.value, d.savedAt])).toEqual([
      ['intake:a', 3, '2024-05-01T08:02:00.000Z'],
      ['intake:b', 2, '2024-05-01T08:01:00.000Z'],
    ]);
    await drafts.discard('intake:a');
    expect((await drafts.list()).map((d) => d.key)).toEqual(['intake:b']);
    expect(await drafts.load('intake:a')).toBeUndefined();
  });

  it('refuse an empty key and a value the browser cannot store, with a code', async () => {
    const drafts = createDraftsRepository(await openDb());
    expect(((await rejection(drafts.save('  ', {}))) as StorageError).code).toBe('invalid-draft');
    const e = (await rejection(drafts.save('intake:x', { onChange: () => undefined }))) as StorageError;
    expect(isStorageError(e)).toBe(true);
    expect(e.code).toBe('invalid-draft');
    expect(await drafts.list()).toEqual([]);
  });
});

describe('the device', () => {
  it('makes a short random id once, at first run, and keeps it', async () => {
    const name = freshName();
    const first = await openJiexuDb(name);
    const a = await createDeviceRepository(first).getOrCreateDevice();
    const b = await createDeviceRepository(first).getOrCreateDevice();
    first.close();
    const again = await openDb(name);
    const c = await createDeviceRepository(again).getOrCreateDevice();

    expect(a.deviceId).toMatch(DEVICE_ID_PATTERN);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('two tabs asking at the same moment get the same id', async () => {
    const d = await openDb();
    const [x, y] = await Promise.all([createDeviceRepository(d).getOrCreateDevice(), createDeviceRepository(d).getOrCreateDevice()]);
    expect(x).toEqual(y);
  });

  it('different devices get different ids', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await createDeviceRepository(await openDb()).getOrCreateDevice()).deviceId);
    expect(ids.size).toBe(20);
  });
});

describe('the clerk of the shift', () => {
  it('is remembered, recorded in the audit trail, and offered first next time', async () => {
    const d = await openDb();
    const device = createDeviceRepository(d, { now: steppingClock() });
    expect(await device.currentClerk()).toBeNull();
    expect(await device.knownClerks()).toEqual([]);

    await device.setCurrentClerk('王丽');
    await device.setCurrentClerk(' 赵强 ');
    await device.setCurrentClerk('王丽');

    expect(await device.currentClerk()).toBe('王丽');
    expect(await device.knownClerks()).toEqual(['王丽', '赵强']);
    const events = await d.audit.orderBy('id').toArray();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['shift.start', '王丽'],
      ['shift.start', '赵强'],
      ['shift.start', '王丽'],
    ]);
    expect(events[0]!.deviceId).toBe((await device.getOrCreateDevice()).deviceId);
  });

  it('must have a name', async () => {
    const device = createDeviceRepository(await openDb());
    const e = (await rejection(device.setCurrentClerk('   '))) as StorageError;
    expect(e.code).toBe('invalid-clerk-name');
    expect(e.details.problems).toEqual([{ path: 'clerk', message: 'required' }]);
    expect(storageMessageZh(e)).toBe('请填写经办人姓名（不超过50个字）。');
    expect(await device.currentClerk()).toBeNull();
  });
});
