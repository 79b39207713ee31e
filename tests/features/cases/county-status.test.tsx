// The tablet shows where its case is at the county, as the last pull told it: on the list and on the case screen.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseDetailScreen } from '../../../src/features/cases/CaseDetailScreen';
import { CaseListScreen } from '../../../src/features/cases/CaseListScreen';
import { lifecycleStatusZh } from '../../../src/features/cases/county-status';
import type { CaseRecord } from '../../../src/storage';
import type { CaseUpdate } from '../../../src/shared/sync-protocol';
import { createDexieOutbox } from '../../../src/sync/dexie-outbox';
import { closeSeeded, idNumber, renderWithRepos, seed, type Seeded } from './support';

afterEach(() => {
  cleanup();
  closeSeeded();
});

/** The case acknowledged by the server at revision 1, then a pulled county update of it. */
async function pulled(s: Seeded, r: CaseRecord, over: Partial<CaseUpdate>): Promise<void> {
  await createDexieOutbox(s.db).acknowledge(1);
  await s.repo.applyPushResults([{ seq: 1, mutationId: '00000000-0000-4000-8000-000000000000', caseId: r.id, outcome: 'applied', serverRevision: 1, conflict: false, possibleDuplicate: false, figuresDiffer: false }]);
  await s.repo.applyCaseUpdates([
    { caseId: r.id, caseNumber: r.caseNumber, serverRevision: 1, status: 'registered', countyStatus: 'received', correctionRequest: null, conflict: false, facts: r.facts, registration: r.registration, at: '2024-05-02T09:00:00.000Z', ...over },
  ]);
}

describe('the county status on the tablet', () => {
  it('shows 核查通过 on the case screen and no longer offers to edit or withdraw the case', async () => {
    const s = await seed([{ name: '张三', id: idNumber('19700315', '003') }]);
    const r = s.records[0]!;
    await pulled(s, r, { lifecycleStatus: 'verified' });
    renderWithRepos(<CaseDetailScreen caseId={r.id} />, s.dbName);
    const panel = await screen.findByTestId('county-status-panel');
    expect(within(panel).getByText('核查通过').tagName).toBe('STRONG');
    expect(panel.textContent).toContain('本机不能再修改或撤回此案件');
    expect(screen.getByTestId('county-status').textContent).toBe('县局：核查通过');
    expect(screen.queryByRole('link', { name: '编辑' })).toBeNull();
  });

  it('shows 退回补正 with what the county asks to correct, and keeps the edit open', async () => {
    const s = await seed([{ name: '张三', id: idNumber('19700315', '003') }]);
    const r = s.records[0]!;
    await pulled(s, r, { serverRevision: 2, countyStatus: 'correction-requested', correctionRequest: '请补充退役证编号', lifecycleStatus: 'correction-requested' });
    renderWithRepos(<CaseDetailScreen caseId={r.id} />, s.dbName);
    const panel = await screen.findByTestId('county-status-panel');
    expect(panel.textContent).toContain('当前状态：退回补正');
    expect(panel.textContent).toContain('县局退回补正：请补充退役证编号');
    expect(screen.getByRole('link', { name: '编辑' })).toBeTruthy();
  });

  it('shows nothing of the county before a pull has told it, and the edit stays open', async () => {
    const s = await seed([{ name: '张三', id: idNumber('19700315', '003') }]);
    renderWithRepos(<CaseDetailScreen caseId={s.records[0]!.id} />, s.dbName);
    await screen.findByRole('link', { name: '编辑' });
    expect(screen.queryByTestId('county-status-panel')).toBeNull();
    expect(screen.queryByTestId('county-status')).toBeNull();
  });

  it('shows each case’s county status on the list', async () => {
    const s = await seed([
      { name: '张三', id: idNumber('19700315', '003') },
      { name: '李四', id: idNumber('19710101', '005') },
    ]);
    await pulled(s, s.records[0]!, { lifecycleStatus: 'sent-to-agency' });
    renderWithRepos(<CaseListScreen />, s.dbName);
    const rows = await screen.findAllByTestId('case-row');
    const zhang = rows.find((row) => row.textContent?.includes('张三'))!;
    const li = rows.find((row) => row.textContent?.includes('李四'))!;
    expect(within(zhang).getByTestId('county-status').textContent).toBe('县局：送经办机构');
    expect(within(li).queryByTestId('county-status')).toBeNull();
  });

  it('names a status a newer server sends in words, not as its code', () => {
    expect(lifecycleStatusZh('paying')).toBe('补缴办理中');
    expect(lifecycleStatusZh('archived-elsewhere')).toBe('县局新的办理状态（请更新应用）');
  });
});
