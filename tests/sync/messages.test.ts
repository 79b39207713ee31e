// The Chinese for a refusal after too many wrong passwords or codes: the wait the server gave, rounded up.
import { describe, expect, it } from 'vitest';
import { syncErrorZh, waitZh } from '../../src/sync/messages';

describe('the clerk’s message for too-many-attempts', () => {
  it.each([
    [1, '1分钟'],
    [60, '1分钟'],
    [61, '2分钟'],
    [300, '5分钟'],
    [3600, '60分钟'],
    [2 * 3600, '2小时'],
  ])('a wait of %i seconds reads %s', (seconds, words) => {
    expect(waitZh(seconds)).toBe(words);
  });

  it('names the wait when the server gave one, and says 稍后 when it did not', () => {
    expect(syncErrorZh('too-many-attempts', { retryAfterSeconds: 600 })).toBe('输错次数过多，已暂时锁定：请10分钟后再试。如需立即解锁，请联系县局管理员。');
    expect(syncErrorZh('too-many-attempts')).toBe('输错次数过多，已暂时锁定：请稍后再试。如需立即解锁，请联系县局管理员。');
  });
});
