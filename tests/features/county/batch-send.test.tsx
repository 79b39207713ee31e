// 送经办机构 from the queue: only 核查通过 cases can be picked, the batch goes in one request, and the
// printable 移交清单 lists the cases sent with their count, the engine's total and the signature lines.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import type { AdminApi, BatchSendRequest, BatchSendResult, CaseItem, CaseQueuePage } from '../../../src/features/county/api';
import { CaseQueue } from '../../../src/features/county/cases/CaseQueue';
import type { LifecycleStatus } from '../../../src/shared/case-lifecycle';

afterEach(cleanup);

function caseAt(i: number, lifecycleStatus: LifecycleStatus): CaseItem {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    caseNumber: `150102-K7Q2MX3B-${String(i).padStart(5, '0')}`,
    name: `退役士兵${i}`,
    idNumber: `15010219700101${String(i).padStart(4, '0')}`,
    deviceId: 'K7Q2MX3B',
    townshipCode: '150102001',
    status: 'registered',
    countyStatus: 'received',
    lifecycleStatus,
    lifecycleSince: '2024-05-01T08:00:00.000Z',
    unitPayer: 'unit',
    revision: 1,
    parametersVersion: 'nm43-2019',
    flags: { conflict: false, possibleDuplicate: false, figuresDiffer: false, clerkUnverified: false, lateApplication: false, provisionalParameters: false },
    registeredBy: null,
    receivedAt: '2024-05-01T08:00:00.000Z',
    updatedAt: '2024-05-01T08:00:00.000Z',
  };
}

it('offers only 核查通过 cases for selection, sends the picked ones in one request and shows the handover list to print', async () => {
  const cases = [caseAt(1, 'verified'), caseAt(2, 'synced'), caseAt(3, 'verified')];
  const sendToAgency = vi.fn(async (input: BatchSendRequest): Promise<BatchSendResult> => {
    const sent = cases.filter((c) => input.caseIds.includes(c.id) && c.id !== cases[2]!.id);
    return {
      signed: sent.map((c) => ({ caseId: c.id, lifecycleStatus: 'sent-to-agency', step: { at: '2024-05-31T20:00:00.000Z' } as never })),
      refused: [{ caseId: cases[2]!.id, code: 'step-not-allowed-from-status' }],
      handover: sent.map((c) => ({ caseId: c.id, caseNumber: c.caseNumber, name: c.name, idNumber: c.idNumber, townshipCode: c.townshipCode, unitPayer: c.unitPayer, estimateFen: 1234567 })),
    };
  });
  const api = {
    townships: async () => [{ code: '150102001', name: '海拉尔路街道', countyCode: '150102', countyName: '海拉尔区' }],
    cases: async (): Promise<CaseQueuePage> => ({ cases, total: cases.length, offset: 0, limit: 50 }),
    sendToAgency,
  } as unknown as AdminApi;
  render(<CaseQueue api={api} onSignedOut={() => undefined} onOpen={() => undefined} reloadKey={0} />);

  await waitFor(() => expect(screen.getAllByTestId('county-case-row')).toHaveLength(3));
  expect(screen.queryByLabelText(`选择 ${cases[1]!.caseNumber}`)).toBeNull();
  expect(screen.queryByTestId('batch-send')).toBeNull();
  fireEvent.click(screen.getByLabelText(`选择 ${cases[0]!.caseNumber}`));
  fireEvent.click(screen.getByLabelText(`选择 ${cases[2]!.caseNumber}`));
  expect(within(screen.getByTestId('batch-send')).getByText('已选 2 件核查通过的案件')).toBeTruthy();
  fireEvent.change(screen.getByLabelText('接收经办机构'), { target: { value: '海拉尔区社会保险事业管理局' } });
  fireEvent.change(screen.getByLabelText('送经办机构说明'), { target: { value: '第一批' } });
  fireEvent.click(screen.getByRole('button', { name: '送经办机构' }));

  await waitFor(() => expect(screen.getByTestId('handover-list')).toBeTruthy());
  expect(sendToAgency).toHaveBeenCalledTimes(1);
  expect(sendToAgency.mock.calls[0]![0]).toEqual({ caseIds: [cases[0]!.id, cases[2]!.id], comment: '第一批', agencyName: '海拉尔区社会保险事业管理局' });
  expect(screen.getByTestId('batch-send-notice').textContent).toContain('已送经办机构 1 件；1 件未送');

  const sheet = screen.getByTestId('handover-list');
  // Signed at 20:00 UTC, the next day in China.
  expect(sheet.textContent).toContain('移交日期：2024-06-01');
  expect(sheet.textContent).toContain('接收经办机构：海拉尔区社会保险事业管理局');
  expect(sheet.textContent).toContain('旗县 150102');
  const lines = within(sheet).getAllByTestId('handover-line');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.textContent).toContain(cases[0]!.idNumber);
  expect(lines[0]!.textContent).toContain('海拉尔路街道');
  expect(lines[0]!.textContent).toContain('12345.67');
  expect(within(sheet).getByTestId('handover-count').textContent).toBe('合计 1 件');
  expect(within(sheet).getByTestId('handover-total').textContent).toBe('12345.67');
  expect(sheet.textContent).toContain('移交人（签字）');
  expect(sheet.textContent).toContain('接收人（经办机构，签字盖章）');
  // The selection is cleared once the batch is sent.
  expect(screen.queryByTestId('batch-send')).toBeNull();
});

it('offers no selection when the page is given no batch API', async () => {
  const api = {
    townships: async () => [],
    cases: async (): Promise<CaseQueuePage> => ({ cases: [caseAt(1, 'verified')], total: 1, offset: 0, limit: 50 }),
  } as unknown as AdminApi;
  render(<CaseQueue api={api} onSignedOut={() => undefined} onOpen={() => undefined} reloadKey={0} />);
  await waitFor(() => expect(screen.getAllByTestId('county-case-row')).toHaveLength(1));
  expect(screen.queryByRole('checkbox', { name: /^选择 / })).toBeNull();
});
