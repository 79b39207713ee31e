import { describe, expect, it } from 'vitest';
import { nameInitialReadings, nameInitials, QUOTA_WARNING_RATIO, readStorageEstimate, requestPersistence, storageWarningZh } from '../../src/storage';

describe('pinyin initials', () => {
  it('张三 is zs', async () => {
    expect(await nameInitials('张三')).toBe('zs');
  });

  it('a polyphonic surname is read as a surname first, its other readings kept for search', async () => {
    expect(await nameInitials('单田芳')).toBe('stf');
    expect(await nameInitialReadings('单田芳')).toEqual(expect.arrayContaining(['stf', 'dtf']));
    expect(await nameInitials('曾志伟')).toBe('zzw');
    expect(await nameInitialReadings('曾志伟')).toEqual(expect.arrayContaining(['czw']));
  });

  it('leaves out spaces and the separator of Mongolian names, and keeps Latin letters lower-case', async () => {
    expect(await nameInitials('乌力吉·巴雅尔')).toBe('wljbye');
    expect(await nameInitials(' 张 三 ')).toBe('zs');
    expect(await nameInitials('Tom张')).toBe('tomz');
  });

  it('bounds the readings of a long name of polyphonic characters', async () => {
    const readings = await nameInitialReadings('单曾解查乐长朴重');
    expect(readings.length).toBeLessThanOrEqual(16);
    expect(readings.every((r) => r.length === 8)).toBe(true);
  });

  it('a name without letters has no initials', async () => {
    expect(await nameInitialReadings('·  ')).toEqual([]);
    expect(await nameInitials('')).toBe('');
  });
});

function fakeStorage(s: { persisted: boolean; grant: boolean; usage: number; quota: number }): StorageManager & { asked: number } {
  const m = {
    asked: 0,
    persisted: async () => s.persisted,
    persist: async () => {
      m.asked++;
      if (s.grant) s.persisted = true;
      return s.grant;
    },
    estimate: async () => ({ usage: s.usage, quota: s.quota }),
    getDirectory: async () => {
      throw new Error('not used');
    },
  };
  return m as unknown as StorageManager & { asked: number };
}

describe('persistence', () => {
  it('asks the browser to keep the records and reports what it answered', async () => {
    const granting = fakeStorage({ persisted: false, grant: true, usage: 0, quota: 1 });
    expect(await requestPersistence(granting)).toEqual({ supported: true, persisted: true });
    expect(await requestPersistence(granting)).toEqual({ supported: true, persisted: true });
    expect(granting.asked).toBe(1);
    expect(await requestPersistence(fakeStorage({ persisted: false, grant: false, usage: 0, quota: 1 }))).toEqual({ supported: true, persisted: false });
  });

  it('warns plainly when storage is not persistent or nearly full', async () => {
    const report = await readStorageEstimate(fakeStorage({ persisted: false, grant: false, usage: 900, quota: 1000 }));
    expect(report).toEqual({ supported: true, persisted: false, usage: 900, quota: 1000, usageRatio: 0.9, warnings: ['not-persistent', 'quota-nearly-full'] });
    expect(storageWarningZh('not-persistent')).toContain('浏览器可能清除尚未同步到县局的案件');
    expect(storageWarningZh('quota-nearly-full', report)).toContain('已用90%');
  });

  it('has no warning when storage is persistent and has room', async () => {
    const report = await readStorageEstimate(fakeStorage({ persisted: true, grant: true, usage: 100, quota: 1000 }));
    expect(report.warnings).toEqual([]);
    expect(report.usageRatio! < QUOTA_WARNING_RATIO).toBe(true);
  });

  it('says so when the browser cannot tell', async () => {
    const none = {} as StorageManager;
    expect(await requestPersistence(none)).toEqual({ supported: false, persisted: false });
    expect((await readStorageEstimate(none)).warnings).toEqual(['storage-unknown']);
  });
});
