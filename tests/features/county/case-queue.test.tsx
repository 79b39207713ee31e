// The county page's case queue against a fake AdminApi: the true total, paging, the filters and the
// search box (a scanned QR code opens its case), and what the page asks the server for each.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { CountyPage } from '../../../src/features/county/CountyPage';
import type { AdminApi, CaseItem, CaseQueuePage, CaseQueueQuery, SessionInfo } from '../../../src/features/county/api';

const TOTAL = 260;
const failing = () => Promise.reject(new Error('not used by this test'));

function caseAt(i: number): CaseItem {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    caseNumber: `150102-K7Q2MX3B-${String(i).padStart(5, '0')}`,
    name: `退役士兵${i}`,
    idNumber: `15010219700101${String(i).padStart(4, '0')}`,
    deviceId: 'K7Q2MX3B',
    townshipCode: '150102001',
    status: 'registered',
    countyStatus: 'received',
    lifecycleStatus: 'synced',
    lifecycleSince: '2024-05-01T08:00:00.000Z',
    unitPayer: i % 2 === 0 ? 'fiscal' : 'unit',
    revision: 1,
    parametersVersion: 'nm43-2019',
    flags: { conflict: false, possibleDuplicate: false, figuresDiffer: false, clerkUnverified: false, lateApplication: i % 7 === 0, provisionalParameters: false },
    registeredBy: null,
    receivedAt: '2024-05-01T08:00:00.000Z',
    updatedAt: '2024-05-01T08:00:00.000Z',
  };
}
const ALL = Array.from({ length: TOTAL }, (_, i) => caseAt(i + 1));

function fakeApi() {
  const session: SessionInfo = { username: 'shenhe', displayName: '审核人', role: 'county-reviewer', area: { level: 'county', code: '150102' }, mustChangePassword: false, actions: ['case.list', 'case.read', 'township.list'] };
  return {
    login: vi.fn(failing),
    logout: vi.fn(async () => undefined),
    session: vi.fn(async () => session),
    changePassword: vi.fn(failing),
    townships: vi.fn(async () => [{ code: '150102001', name: '海拉尔路街道', countyCode: '150102', countyName: '海拉尔区' }]),
    createTownship: vi.fn(failing),
    createEnrolmentCode: vi.fn(failing),
    devices: vi.fn(async () => []),
    revokeDevice: vi.fn(failing),
    accounts: vi.fn(async () => []),
    createClerk: vi.fn(failing),
    createAccount: vi.fn(failing),
    resetPassword: vi.fn(failing),
    revokeSessions: vi.fn(failing),
    unlockAccount: vi.fn(failing),
    setAccountActive: vi.fn(failing),
    // A server in miniature: the search matches a case id (a QR code) or nothing else.
    cases: vi.fn(async (q: CaseQueueQuery = {}): Promise<CaseQueuePage> => {
      const matching = q.q ? ALL.filter((c) => c.id === q.q!.toLowerCase()) : ALL;
      const offset = q.offset ?? 0;
      const limit = q.limit ?? 50;
      return { cases: matching.slice(offset, offset + limit), total: matching.length, offset, limit };
    }),
    caseDetail: vi.fn(async (id: string) => ({ ...ALL.find((c) => c.id === id)!, correctionRequest: null, versions: [], possibleDuplicates: [], steps: [], allowedSteps: [] })),
    resolve: vi.fn(failing),
    requestCorrection: vi.fn(failing),
    takeStep: vi.fn(failing),
  } satisfies AdminApi;
}

afterEach(cleanup);

const lastQuery = (api: ReturnType<typeof fakeApi>) => api.cases.mock.calls.at(-1)![0];

it('shows the true total beyond 200 and pages forward and back through it', async () => {
  const api = fakeApi();
  render(<CountyPage api={api} />);
  await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe(`共 ${TOTAL} 件`));
  expect(screen.getAllByTestId('county-case-row')).toHaveLength(50);
  expect(screen.getByTestId('county-page-number').textContent).toBe('第 1 / 6 页');
  expect(screen.getByRole('button', { name: '上一页' })).toHaveProperty('disabled', true);

  fireEvent.click(screen.getByRole('button', { name: '下一页' }));
  await waitFor(() => expect(screen.getByTestId('county-page-number').textContent).toBe('第 2 / 6 页'));
  expect(lastQuery(api)).toMatchObject({ offset: 50, limit: 50 });
  expect(screen.getAllByTestId('county-case-row')[0]!.getAttribute('data-case-id')).toBe(ALL[50]!.id);

  // Another page size starts again at the first page.
  fireEvent.change(screen.getByLabelText('每页件数'), { target: { value: '100' } });
  await waitFor(() => expect(screen.getByTestId('county-page-number').textContent).toBe('第 1 / 3 页'));
  expect(lastQuery(api)).toMatchObject({ offset: 0, limit: 100 });
  fireEvent.click(screen.getByRole('button', { name: '下一页' }));
  await waitFor(() => expect(screen.getByTestId('county-page-number').textContent).toBe('第 2 / 3 页'));
  fireEvent.click(screen.getByRole('button', { name: '下一页' }));
  await waitFor(() => expect(screen.getAllByTestId('county-case-row')).toHaveLength(TOTAL - 200));
  expect(screen.getByRole('button', { name: '下一页' })).toHaveProperty('disabled', true);
  fireEvent.click(screen.getByRole('button', { name: '上一页' }));
  await waitFor(() => expect(screen.getByTestId('county-page-number').textContent).toBe('第 2 / 3 页'));
});

it.each([
  ['乡镇（街道）', '150102001', { township: '150102001' }],
  ['办理状态', 'verified', { status: 'verified' }],
  ['单位部分承担方', 'fiscal', { payer: 'fiscal' }],
  ['标记', 'late-application', { flag: 'late-application' }],
])('asks the server for the %s filter from the first page', async (label, value, expected) => {
  const api = fakeApi();
  render(<CountyPage api={api} />);
  await waitFor(() => expect(screen.getAllByTestId('county-case-row')).toHaveLength(50));
  fireEvent.click(screen.getByRole('button', { name: '下一页' }));
  await waitFor(() => expect(lastQuery(api)).toMatchObject({ offset: 50 }));
  await waitFor(() => expect(screen.getByLabelText(label).querySelectorAll('option').length).toBeGreaterThan(1));
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
  await waitFor(() => expect(lastQuery(api)).toMatchObject({ ...expected, offset: 0 }));
});

it('shows each case’s status, payer and flags in Chinese', async () => {
  render(<CountyPage api={fakeApi()} />);
  const rows = await screen.findAllByTestId('county-case-row');
  const seventh = rows[6]!;
  expect(seventh.textContent).toContain('已同步');
  expect(seventh.textContent).toContain('原安置单位');
  expect(within(seventh).getByText('逾期申请')).toBeTruthy();
  expect(rows[1]!.textContent).toContain('财政资金');
});

it('opens the case a scanned QR code names (the scanner types its text and Enter), and says so when none matches', async () => {
  const api = fakeApi();
  render(<CountyPage api={api} />);
  await screen.findAllByTestId('county-case-row');
  const box = screen.getByLabelText('搜索', { selector: 'input' });
  const target = ALL[123]!;
  fireEvent.change(box, { target: { value: target.id.toUpperCase() } });
  fireEvent.submit(box.closest('form')!);
  const detail = await screen.findByTestId('county-case-detail');
  expect(detail.textContent).toContain(target.caseNumber);
  expect(api.caseDetail).toHaveBeenCalledWith(target.id);
  expect(lastQuery(api)).toMatchObject({ q: target.id.toUpperCase(), offset: 0 });

  fireEvent.change(box, { target: { value: '00000000-0000-4000-8000-999999999999' } });
  fireEvent.submit(box.closest('form')!);
  expect((await screen.findByTestId('county-queue-notice')).textContent).toContain('没有找到');
  expect(api.caseDetail).toHaveBeenCalledTimes(1);
});

it('sends any other text in the search box to the server as the search', async () => {
  const api = fakeApi();
  render(<CountyPage api={api} />);
  await screen.findAllByTestId('county-case-row');
  const box = screen.getByLabelText('搜索', { selector: 'input' });
  fireEvent.change(box, { target: { value: ' zs ' } });
  fireEvent.submit(box.closest('form')!);
  await waitFor(() => expect(lastQuery(api)).toMatchObject({ q: 'zs', offset: 0 }));
  await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe('共 0 件'));
  expect(screen.queryByTestId('county-queue-notice')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: '清除搜索' }));
  await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe(`共 ${TOTAL} 件`));
});
