// The county page's reports screen against a fake reports API that returns a hand-made report: the
// figures it shows (money to the fen with separators, from the decimal strings), the week it asks for
// on 上一周 / 下一周, 报送, the drill-down by area, and a failure said in Chinese.
import axe from 'axe-core';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ReportsScreen } from '../../../src/features/county/reports/ReportsScreen';
import { AdminApiError, createAdminApi, type ReportsApi } from '../../../src/features/county/api';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { formatPeople, formatShare, formatYuan, sumYuan } from '../../../src/features/county/reports/format';
import type {
  AugustStatistics,
  CompletionSummary,
  FiscalSplitCells,
  MoneyFigures,
  PayerRow,
  ReportColumn,
  ReportSubmission,
  WeeklyAreaRow,
  WeeklyReport,
} from '../../../src/shared/reports';
import type { Area } from '../../../src/shared/roles';

// jsdom has no 2D canvas: echarts then measures its labels' text from its own table of widths, as it
// does on a server. Said here once, instead of jsdom's "not implemented" for every label.
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const ZERO = { unit: '0.00', individual: '0.00', total: '0.00' };
const NO_MONEY: MoneyFigures = { engine: { pension: ZERO, medical: ZERO }, engineCases: 0, agency: { pension: ZERO, medical: ZERO }, agencyCases: 0 };

function money(enginePension: string, agencyPension: string, engineCases: number, agencyCases: number): MoneyFigures {
  return {
    engine: { pension: { unit: '0.00', individual: '0.00', total: enginePension }, medical: ZERO },
    engineCases,
    agency: { pension: { unit: '0.00', individual: '0.00', total: agencyPension }, medical: ZERO },
    agencyCases,
  };
}

const counts = (thisWeek: number, previousWeek: number, toDate: number) => ({ thisWeek, previousWeek, toDate });
const ZERO_COUNTS = counts(0, 0, 0);

function progress(registered: ReturnType<typeof counts>, verified: ReturnType<typeof counts>): Record<ReportColumn, ReturnType<typeof counts>> {
  return {
    registered,
    verified,
    'sent-to-agency': ZERO_COUNTS,
    'agency-reported': ZERO_COUNTS,
    paying: ZERO_COUNTS,
    completed: ZERO_COUNTS,
    transferred: ZERO_COUNTS,
    'not-eligible': ZERO_COUNTS,
    'correction-requested': ZERO_COUNTS,
  };
}

const UNPUBLISHED: FiscalSplitCells = { published: false, reason: 'fiscal-split ratios: not-in-force' };

function payers(unitPeople: number, fiscalPeople: number, fiscalMoney: MoneyFigures): PayerRow[] {
  return [
    { payer: 'unit', periods: { thisWeek: { people: unitPeople, money: NO_MONEY }, previousWeek: { people: 0, money: NO_MONEY }, toDate: { people: unitPeople, money: NO_MONEY } }, fiscalSplit: null },
    { payer: 'superior', periods: { thisWeek: { people: 0, money: NO_MONEY }, previousWeek: { people: 0, money: NO_MONEY }, toDate: { people: 0, money: NO_MONEY } }, fiscalSplit: null },
    {
      payer: 'fiscal',
      periods: { thisWeek: { people: fiscalPeople, money: fiscalMoney }, previousWeek: { people: 0, money: NO_MONEY }, toDate: { people: fiscalPeople, money: fiscalMoney } },
      fiscalSplit: {
        thisWeek: { published: true, parametersVersion: 'nm43-2026', engine: { region: '6000.00', league: '2000.00', county: '2000.00' }, agency: { region: '0.00', league: '0.00', county: '0.00' } },
        previousWeek: UNPUBLISHED,
        toDate: UNPUBLISHED,
      },
    },
  ];
}

const COUNTY: Area = { level: 'county', code: '150702' };
const T1: Area = { level: 'township', code: '150702001' };
const T2: Area = { level: 'township', code: '150702002' };

// Two townships: 拉布大林 registered 2 this week (1 unit, 1 fiscal), 上库力 1 (unit). The fiscal case's
// engine estimate is 1,234,567.80 yuan of pension; the agency has not reported yet (0.00, no case).
const t1: WeeklyAreaRow = { area: T1, name: '拉布大林街道', progress: progress(counts(2, 0, 2), counts(1, 0, 1)), payers: payers(1, 1, money('1234567.8', '0.00', 1, 0)) };
const t2: WeeklyAreaRow = { area: T2, name: '上库力街道', progress: progress(counts(1, 0, 1), ZERO_COUNTS), payers: payers(1, 0, NO_MONEY) };
// The county's total is the two added by hand: registered 3 this week, verified 1.
const total: WeeklyAreaRow = { area: COUNTY, name: '额尔古纳市', progress: progress(counts(3, 0, 3), counts(1, 0, 1)), payers: payers(2, 1, money('1234567.8', '0.00', 1, 0)) };

function weekly(start: string, end: string, previousStart: string, computedAt: string): WeeklyReport {
  return {
    kind: 'weekly',
    week: { start, end, dueDate: end.slice(0, 10) },
    previousWeek: { start: previousStart, end: start, dueDate: start.slice(0, 10) },
    area: COUNTY,
    areaName: '额尔古纳市',
    levels: [{ level: 'township', rows: [t1, t2] }],
    total,
    computedAt,
  };
}

// Thursday 12:00 Beijing time is 04:00 UTC.
const CURRENT = weekly('2026-12-03T04:00:00.000Z', '2026-12-10T04:00:00.000Z', '2026-11-26T04:00:00.000Z', '2026-12-08T01:00:00.000Z');
const PREVIOUS = weekly('2026-11-26T04:00:00.000Z', '2026-12-03T04:00:00.000Z', '2026-11-19T04:00:00.000Z', '2026-12-08T01:00:00.000Z');

const SUBMISSION: ReportSubmission = {
  id: 'sub-1',
  weekStart: CURRENT.week.start,
  area: COUNTY,
  version: 1,
  submittedBy: 'shenhe',
  submittedAt: '2026-12-08T02:00:00.000Z',
  comment: '',
  sha256: 'ab'.repeat(32),
  auditSeq: 41,
  auditHash: 'cd'.repeat(32),
};

function fakeReports(overrides: Partial<ReportsApi> = {}) {
  const submitted: ReportSubmission[] = [];
  const api = {
    weekly: vi.fn(async (week?: string) => (week === PREVIOUS.week.start ? PREVIOUS : CURRENT)),
    augustStatistics: vi.fn(async (): Promise<AugustStatistics> => {
      throw new Error('not used');
    }),
    completion: vi.fn(async (): Promise<CompletionSummary> => {
      throw new Error('not used');
    }),
    submitWeekly: vi.fn(async () => {
      submitted.push(SUBMISSION);
      return SUBMISSION;
    }),
    submissions: vi.fn(async () => [...submitted]),
    submission: vi.fn(async () => ({ ...SUBMISSION, report: CURRENT })),
    xlsxUrl: vi.fn((kind: string, q: { week?: string; year?: number } = {}) => `/api/admin/reports/${kind}.xlsx${q.week ? `?week=${encodeURIComponent(q.week)}` : ''}`),
    ...overrides,
  } satisfies ReportsApi;
  return api;
}

const READER = ['report.read'];
const SIGNER = ['report.read', 'report.submit'];

it('shows the hand-made figures: counts by status, people by payer, money to the fen with separators, the fiscal split or 比例未公布', async () => {
  render(<ReportsScreen reports={fakeReports()} actions={READER} onSignedOut={() => {}} />);
  await screen.findByTestId('weekly-heading');
  expect(screen.getByTestId('weekly-heading').textContent).toContain('额尔古纳市');
  // 04:00 UTC is 12:00 in Beijing.
  expect(screen.getByTestId('weekly-week').textContent).toContain('2026-12-03 12:00 至 2026-12-10 12:00');
  expect(screen.getByTestId('status-registered-thisWeek').textContent).toBe('3');
  expect(screen.getByTestId('status-verified-toDate').textContent).toBe('1');
  expect(screen.getByTestId('payer-unit-thisWeek-people').textContent).toBe('2');
  expect(screen.getByTestId('payer-fiscal-toDate-engine-pension').textContent).toBe('1,234,567.80');
  // The agencies' column is their own: 0.00 from no finding, never the engine's figure.
  expect(screen.getByTestId('payer-fiscal-toDate-agency-pension').textContent).toBe('0.00');
  expect(screen.getByTestId('payer-fiscal-toDate-agency-cases').textContent).toBe('0');
  expect(screen.getByTestId('fiscal-thisWeek-engine-region').textContent).toBe('6,000.00');
  expect(screen.getByTestId('fiscal-toDate-unpublished').textContent).toBe('比例未公布');
  // By township: both rows, one level below the county.
  expect(within(screen.getByTestId('report-area-table')).getAllByTestId('report-area-row').map((r) => r.querySelector('th')!.textContent)).toEqual(['拉布大林街道', '上库力街道']);
  // Each chart carries its figures as a table, for readers who cannot see it.
  const alt = within(screen.getByTestId('chart-payer-money')).getByRole('table');
  expect(within(alt).getByRole('row', { name: /财政/ }).textContent).toContain('1,234,567.80');
  expect(screen.getByTestId('weekly-xlsx').getAttribute('href')).toBe(`/api/admin/reports/weekly.xlsx?week=${encodeURIComponent(CURRENT.week.start)}`);
  // A reader may not sign a 报送.
  expect(screen.queryByRole('button', { name: '报送本周周报' })).toBeNull();
});

it('asks for the current week first, the previous week’s start on 上一周, and this week again on 下一周', async () => {
  const reports = fakeReports();
  render(<ReportsScreen reports={reports} actions={READER} onSignedOut={() => {}} />);
  await screen.findByTestId('weekly-heading');
  expect(reports.weekly).toHaveBeenLastCalledWith(undefined);
  // The current week has no next one yet.
  expect(screen.getByRole('button', { name: '下一周' })).toHaveProperty('disabled', true);

  fireEvent.click(screen.getByRole('button', { name: '上一周' }));
  await waitFor(() => expect(screen.getByTestId('weekly-week').textContent).toContain('2026-11-26 12:00 至 2026-12-03 12:00'));
  expect(reports.weekly).toHaveBeenLastCalledWith('2026-11-26T04:00:00.000Z');
  expect(reports.submissions).toHaveBeenLastCalledWith('2026-11-26T04:00:00.000Z');

  fireEvent.click(screen.getByRole('button', { name: '下一周' }));
  await waitFor(() => expect(vi.mocked(reports.weekly).mock.calls).toEqual([[undefined], ['2026-11-26T04:00:00.000Z'], ['2026-12-03T04:00:00.000Z']]));
  await waitFor(() => expect(screen.getByTestId('weekly-week').textContent).toContain('2026-12-03 12:00 至 2026-12-10 12:00'));
});

it('asks for the week of a picked date', async () => {
  const reports = fakeReports();
  render(<ReportsScreen reports={reports} actions={READER} onSignedOut={() => {}} />);
  await screen.findByTestId('weekly-heading');
  fireEvent.change(screen.getByLabelText('周内任一日期'), { target: { value: '2026-11-30' } });
  fireEvent.click(screen.getByRole('button', { name: '查看该周' }));
  await waitFor(() => expect(reports.weekly).toHaveBeenLastCalledWith('2026-11-30'));
});

it('报送 calls submit with the shown week and the comment, then lists the signed version with who, when and hash', async () => {
  const reports = fakeReports();
  render(<ReportsScreen reports={reports} actions={SIGNER} onSignedOut={() => {}} />);
  await screen.findByTestId('weekly-heading');
  expect(screen.getByTestId('weekly-submissions').textContent).toContain('尚未报送');
  fireEvent.change(screen.getByLabelText('报送说明（可不填）'), { target: { value: '第一次报送' } });
  fireEvent.click(screen.getByRole('button', { name: '报送本周周报' }));
  await screen.findByTestId('weekly-submitted');
  expect(reports.submitWeekly).toHaveBeenCalledWith({ week: CURRENT.week.start, comment: '第一次报送' });
  await waitFor(() => expect(screen.getAllByTestId('weekly-submission')).toHaveLength(1));
  const signature = screen.getByTestId('weekly-signature').textContent!;
  // The figures on screen are computed now: the signature says they may differ from the signed ones.
  expect(signature).toContain('本页为当前计算的数字，可能与报送版本不同');
  expect(signature).toContain('shenhe');
  expect(signature).toContain('2026-12-08 10:00');
  expect(signature).toContain('ab'.repeat(32));

  // A submitted version opens as it was frozen, beside the current figures.
  fireEvent.click(screen.getByRole('button', { name: '查看第 1 版' }));
  await screen.findByTestId('weekly-frozen');
  expect(reports.submission).toHaveBeenCalledWith('sub-1');
  expect(screen.getByTestId('weekly-signature').textContent).toContain('本页数字即第 1 版报送时冻结的数字');
  fireEvent.click(screen.getByRole('button', { name: '返回当前数字' }));
  await waitFor(() => expect(screen.queryByTestId('weekly-frozen')).toBeNull());
});

it('drills from the 盟市 to a county and its townships and back', async () => {
  const LEAGUE: Area = { level: 'league', code: '150700' };
  const T3: WeeklyAreaRow = { area: { level: 'township', code: '150781001' }, name: '满洲里某街道', progress: progress(counts(4, 0, 4), ZERO_COUNTS), payers: payers(4, 0, NO_MONEY) };
  const other: WeeklyAreaRow = { area: { level: 'county', code: '150781' }, name: '满洲里市', progress: progress(counts(4, 0, 4), ZERO_COUNTS), payers: payers(4, 0, NO_MONEY) };
  const league: WeeklyReport = {
    ...CURRENT,
    area: LEAGUE,
    areaName: '呼伦贝尔市',
    levels: [
      { level: 'county', rows: [total, other] },
      { level: 'township', rows: [t1, t2, T3] },
    ],
    total: { ...total, area: LEAGUE, name: '呼伦贝尔市', progress: progress(counts(7, 0, 7), counts(1, 0, 1)) },
  };
  render(<ReportsScreen reports={fakeReports({ weekly: vi.fn(async () => league) })} actions={READER} onSignedOut={() => {}} />);
  await screen.findByTestId('weekly-heading');
  const areaNames = () => within(screen.getByTestId('report-area-table')).getAllByTestId('report-area-row').map((r) => r.querySelector('th')!.textContent);
  expect(areaNames()).toEqual(['额尔古纳市', '满洲里市']);
  expect(screen.getByTestId('status-registered-thisWeek').textContent).toBe('7');

  fireEvent.click(within(screen.getByTestId('report-area-table')).getByRole('button', { name: '额尔古纳市：查看下辖地区' }));
  await waitFor(() => expect(areaNames()).toEqual(['拉布大林街道', '上库力街道']));
  expect(screen.getByTestId('status-registered-thisWeek').textContent).toBe('3');
  expect(screen.getByTestId('weekly-heading').textContent).toContain('本页：额尔古纳市');
  // A township is the finest level: its name is no link.
  expect(within(screen.getByTestId('report-area-table')).queryAllByRole('button')).toHaveLength(0);

  fireEvent.click(within(screen.getByRole('navigation', { name: '地区层级' })).getByRole('button', { name: '呼伦贝尔市' }));
  await waitFor(() => expect(areaNames()).toEqual(['额尔古纳市', '满洲里市']));
});

it('says in Chinese why the report could not be read, and what a refused 报送 means', async () => {
  const refusing = fakeReports({
    weekly: vi.fn(async () => {
      throw new AdminApiError(403, 'forbidden', 'report.read: not allowed');
    }),
  });
  render(<ReportsScreen reports={refusing} actions={READER} onSignedOut={() => {}} />);
  expect((await screen.findByRole('alert')).textContent).toBe('没有权限：您的角色不能进行此操作，或对象不在您的辖区内。');
  cleanup();

  const failing = fakeReports({
    submitWeekly: vi.fn(async () => {
      throw new AdminApiError(0, 'network', 'fetch failed');
    }),
  });
  render(<ReportsScreen reports={failing} actions={SIGNER} onSignedOut={() => {}} />);
  await screen.findByTestId('weekly-heading');
  fireEvent.click(screen.getByRole('button', { name: '报送本周周报' }));
  expect((await screen.findByRole('alert')).textContent).toBe('连接不上县局服务器，请检查网络后重试。');
});

it('draws each chart as SVG once echarts has loaded, and disposes of it with the screen', async () => {
  const { unmount } = render(<ReportsScreen reports={fakeReports()} actions={READER} onSignedOut={() => {}} />);
  const box = await screen.findByTestId('chart-progress-canvas');
  await waitFor(() => expect(box.querySelector('svg')).not.toBeNull());
  expect(box.getAttribute('aria-hidden')).toBe('true');
  const { getInstanceByDom } = await import('echarts/core');
  expect(getInstanceByDom(box)).toBeDefined();
  unmount();
  expect(getInstanceByDom(box)).toBeUndefined();
});

it('opens as the 报表 tab of the county page for a role that may read reports, asking the server’s routes', async () => {
  const asked: string[] = [];
  const session = { username: 'shenhe', displayName: '审核人', role: 'county-reviewer', area: COUNTY, mustChangePassword: false, actions: ['session.read', 'report.read', 'report.submit'] };
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    asked.push(`${init?.method ?? 'GET'} ${url}`);
    if (url === '/api/admin/session') return answer(200, session);
    if (url === '/api/admin/reports/weekly') return answer(200, CURRENT);
    if (url.startsWith('/api/admin/reports/submissions?week=')) return answer(200, { submissions: [] });
    if (url === '/api/admin/reports/weekly/submit') {
      return answer(422, { error: { code: 'invalid-request', message: 'week: expected a date (YYYY-MM-DD) or an ISO instant inside the week', problems: [{ path: 'week', message: 'expected a date (YYYY-MM-DD) or an ISO instant inside the week' }] } });
    }
    return answer(404, { error: { code: 'not-found', message: url } });
  });
  render(<CountyPage api={createAdminApi('', fetchImpl)} />);
  fireEvent.click(await screen.findByRole('tab', { name: '报表' }));
  await screen.findByTestId('weekly-heading');
  expect(asked).toContain(`GET /api/admin/reports/submissions?week=${encodeURIComponent(CURRENT.week.start)}`);
  expect(screen.getByTestId('status-registered-toDate').textContent).toBe('3');

  fireEvent.click(screen.getByRole('button', { name: '报送本周周报' }));
  expect((await screen.findByRole('alert')).textContent).toBe('填写有误（报告周：须为该周内的一个日期（年-月-日））');
  expect(asked).toContain('POST /api/admin/reports/weekly/submit');
});

it('writes money to the fen with thousands separators by moving the decimal string’s digits', () => {
  expect(formatYuan('1234567.8')).toBe('1,234,567.80');
  expect(formatYuan('0.1')).toBe('0.10');
  expect(formatYuan('-1000')).toBe('-1,000.00');
  expect(formatYuan('-0.00')).toBe('0.00');
  // Beyond a double's 15–17 digits: a float would have lost the last fen.
  expect(formatYuan('90071992547409.93')).toBe('90,071,992,547,409.93');
  expect(formatYuan('12.345')).toBe('12.345');
  expect(sumYuan(['0.10', '0.20'])).toBe('0.30');
  expect(formatPeople(1234567)).toBe('1,234,567');
  expect(formatShare('0.8125')).toBe('81.25%');
  expect(formatShare('1.0000')).toBe('100.00%');
  expect(formatShare('0.0000')).toBe('0.00%');
});

function augustRow(area: Area, name: string, people: number, fiscal: number, engine: string): AugustStatistics['total'] {
  return { area, name, people, peopleByPayer: { unit: people - fiscal, superior: 0, fiscal }, money: money(engine, '0.00', people, 0) };
}

it('shows the end-of-August statistics by township with the total, for the year asked', async () => {
  const stats: AugustStatistics = {
    kind: 'august-statistics',
    campaignYear: 2026,
    asOf: '2026-08-31',
    asOfEnd: '2026-08-31T16:00:00.000Z',
    area: COUNTY,
    areaName: '额尔古纳市',
    levels: [{ level: 'township', rows: [augustRow(T1, '拉布大林街道', 2, 1, '2000.50'), augustRow(T2, '上库力街道', 1, 0, '999.50')] }],
    // 2 + 1 people; 2,000.50 + 999.50 = 3,000.00 yuan.
    total: augustRow(COUNTY, '额尔古纳市', 3, 1, '3000.00'),
    computedAt: '2026-12-08T01:00:00.000Z',
  };
  const reports = fakeReports({ augustStatistics: vi.fn(async () => stats) });
  render(<ReportsScreen reports={reports} actions={READER} onSignedOut={() => {}} />);
  fireEvent.click(screen.getByRole('button', { name: '8月底统计' }));
  await screen.findByTestId('august-table');
  expect(screen.getByTestId('august-150702001-people').textContent).toBe('2');
  expect(screen.getByTestId('august-150702-people').textContent).toBe('3');
  expect(screen.getByTestId('august-150702-engine-pension').textContent).toBe('3,000.00');
  expect(reports.augustStatistics).toHaveBeenLastCalledWith(undefined);
  fireEvent.change(screen.getByLabelText('年度'), { target: { value: '2025' } });
  fireEvent.click(screen.getByRole('button', { name: '查看' }));
  await waitFor(() => expect(reports.augustStatistics).toHaveBeenLastCalledWith(2025));
});

it('shows the completion summary with each state and the closed share as a percentage', async () => {
  const row = (area: Area, name: string, open: number, completed: number, share: string) => ({
    area,
    name,
    cases: open + completed,
    byState: { open, completed, transferred: 0, 'not-eligible': 0 },
    closedShare: share,
    completedMoney: money('100.00', '98.76', completed, completed),
  });
  const summary: CompletionSummary = {
    kind: 'completion',
    area: COUNTY,
    areaName: '额尔古纳市',
    // 拉布大林: 3 of 4 closed (0.7500); 上库力: 0 of 1; the county: 3 of 5 (0.6000).
    levels: [{ level: 'township', rows: [row(T1, '拉布大林街道', 1, 3, '0.7500'), row(T2, '上库力街道', 1, 0, '0.0000')] }],
    total: row(COUNTY, '额尔古纳市', 2, 3, '0.6000'),
    computedAt: '2026-12-08T01:00:00.000Z',
  };
  render(<ReportsScreen reports={fakeReports({ completion: vi.fn(async () => summary) })} actions={READER} onSignedOut={() => {}} />);
  fireEvent.click(screen.getByRole('button', { name: '完成情况汇总' }));
  await screen.findByTestId('completion-table');
  expect(screen.getByTestId('completion-150702001-completed').textContent).toBe('3');
  expect(screen.getByTestId('completion-150702001-share').textContent).toBe('75.00%');
  expect(screen.getByTestId('completion-150702-share').textContent).toBe('60.00%');
  expect(screen.getByTestId('completion-150702-agency-pension').textContent).toBe('98.76');
});

// axe over every table and chart takes seconds of a shared machine's core: more than the client's default allows.
it('the weekly report with its charts, 报送 list and signing form has no axe violations', { timeout: 60_000 }, async () => {
  // Inside <main>, as the app shell puts it.
  render(
    <main>
      <ReportsScreen reports={fakeReports({ submissions: vi.fn(async () => [SUBMISSION]) })} actions={SIGNER} onSignedOut={() => {}} />
    </main>,
  );
  await screen.findByTestId('weekly-signature');
  await waitFor(() => expect(screen.getByTestId('chart-progress-canvas').querySelector('svg')).not.toBeNull());
  // jsdom lays nothing out: colour contrast is for the e2e scan in a real browser.
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
