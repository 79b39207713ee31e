// The Chinese for a refusal after too many wrong passwords or codes: the wait the server gave, rounded up.
import { describe, expect, it } from 'vitest';
import { parsePushResponse } from '../../src/shared/sync-protocol';
import { caseRefusalZh, syncErrorZh, waitZh } from '../../src/sync/messages';

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

describe('a case the county refused for a reason this app does not know yet', () => {
  it('is still read from the answer, and shown with its code, the case kept on the tablet', () => {
    const answer = {
      protocol: 2,
      ackedThroughSeq: 1,
      results: [{ seq: 1, mutationId: '0190a6e2-0000-7000-8000-000000000001', caseId: '0190a6e2-0000-7000-8000-000000000002', outcome: 'refused', serverRevision: null, refusal: 'case-archived-by-region', conflict: false, possibleDuplicate: false, figuresDiffer: false }],
      serverTime: '2024-05-01T08:00:00.000Z',
    };
    const parsed = parsePushResponse(answer);
    expect(parsed.ok ? parsed.value.results[0]?.refusal : parsed.problems).toBe('case-archived-by-region');
    expect(caseRefusalZh('case-archived-by-region')).toBe('县局拒收本案（原因代码 case-archived-by-region），案件仍保存在本机。请更新应用或联系县局处理。');
    expect(caseRefusalZh('case-number-taken')).toContain('已被另一案件使用');
  });
});
