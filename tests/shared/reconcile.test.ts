import { describe, expect, it } from 'vitest';
import type { CaseUpdate, MutationResult } from '../../src/shared/sync-protocol';
import { canonicalJson } from '../../src/shared/canonical-json';
import {
  countyListCheck,
  decideCaseUpdate,
  decideParameterSets,
  mergeClerks,
  serverRevisionAfterPush,
  syncStateAfterPush,
  type LocalCaseState,
} from '../../src/shared/reconcile';

const CASE = '0190a8e4-1111-7000-8000-000000000001';
const local = (over: Partial<LocalCaseState> = {}): LocalCaseState => ({ caseId: CASE, revision: 2, serverRevision: 2, pendingMutations: 0, conflict: false, ...over });
const update = (over: Partial<CaseUpdate> = {}): CaseUpdate => ({
  caseId: CASE,
  caseNumber: '150102-K7Q2MX3B-00001',
  serverRevision: 3,
  status: 'registered',
  countyStatus: 'correction-requested',
  correctionRequest: '请补充退伍证',
  conflict: false,
  facts: { county: true },
  registration: { name: '张三' },
  at: '2024-05-01T08:00:00.000Z',
  ...over,
});
const result = (over: Partial<MutationResult> = {}): MutationResult => ({
  seq: 1,
  mutationId: '0190a8e4-2222-7000-8000-000000000001',
  caseId: CASE,
  outcome: 'applied',
  serverRevision: 2,
  conflict: false,
  possibleDuplicate: false,
  figuresDiffer: false,
  ...over,
});

describe('pulled county changes', () => {
  it('a case the tablet has nothing unsent for takes the county’s version', () => {
    expect(decideCaseUpdate(local(), update())).toEqual({
      action: 'adopt',
      serverRevision: 3,
      status: 'registered',
      countyStatus: 'correction-requested',
      correctionRequest: '请补充退伍证',
      facts: { county: true },
      registration: { name: '张三' },
    });
  });

  it('a case changed on the tablet too is marked conflicting, keeping the tablet’s version', () => {
    expect(decideCaseUpdate(local({ pendingMutations: 1, revision: 3 }), update())).toEqual({ action: 'mark-conflict', serverRevision: 3, countyStatus: 'correction-requested', correctionRequest: '请补充退伍证' });
    expect(decideCaseUpdate(local(), update({ conflict: true }))).toMatchObject({ action: 'mark-conflict' });
  });

  it('an update already applied (a repeated pull) changes nothing; a case not on this tablet is ignored', () => {
    expect(decideCaseUpdate(local({ serverRevision: 3 }), update())).toEqual({ action: 'ignore', reason: 'already-known' });
    expect(decideCaseUpdate(undefined, update())).toEqual({ action: 'ignore', reason: 'unknown-case' });
  });

  it('the county’s resolution of a conflict is taken once nothing is pending', () => {
    expect(decideCaseUpdate(local({ conflict: true, serverRevision: 2 }), update({ serverRevision: 4, conflict: false }))).toMatchObject({ action: 'adopt', serverRevision: 4 });
  });
});

describe('push results', () => {
  it('a case is synced when applied or repeated and nothing more waits, pending while more waits, conflicting on any conflict', () => {
    expect(syncStateAfterPush([result()], CASE, 0)).toBe('synced');
    expect(syncStateAfterPush([result({ outcome: 'duplicate' })], CASE, 0)).toBe('synced');
    expect(syncStateAfterPush([result()], CASE, 1)).toBe('pending');
    expect(syncStateAfterPush([result(), result({ seq: 2, outcome: 'conflict', conflict: true })], CASE, 0)).toBe('conflict');
    expect(syncStateAfterPush([result()], 'another', 0)).toBeNull();
    expect(serverRevisionAfterPush([result(), result({ seq: 2, serverRevision: 3 })], CASE)).toBe(3);
  });
});

describe('reference data', () => {
  it('new parameter sets are stored, known identical ones skipped, a changed published version refused', () => {
    const known = new Map([['a', canonicalJson({ version: 'a', x: 1 })]]);
    expect(
      decideParameterSets(known, [
        { version: 'a', document: { x: 1, version: 'a' } },
        { version: 'b', document: { version: 'b' } },
      ]),
    ).toEqual([
      { version: 'a', action: 'skip-known' },
      { version: 'b', action: 'store' },
    ]);
    expect(decideParameterSets(known, [{ version: 'a', document: { version: 'a', x: 2 } }])).toEqual([{ version: 'a', action: 'refuse-changed' }]);
  });

  it('pulled clerks replace local ones of the same name, others stay; a different county list asks for an app update', () => {
    const wang = { username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true };
    const li = { username: 'lisi', displayName: '李四', townshipCode: '150102001', active: true };
    expect(mergeClerks([wang, li], [{ ...wang, active: false }])).toEqual([li, { ...wang, active: false }]);
    expect(countyListCheck('gb2260-103-aa', 'gb2260-103-aa')).toBe('same');
    expect(countyListCheck('gb2260-103-aa', 'gb2260-104-bb')).toBe('update-app');
  });
});
