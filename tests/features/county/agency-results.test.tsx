// 经办结果导入: the agencies' results file previewed row by row with each problem's column and reason in
// Chinese, only the good rows imported (the same file as previewed, once confirmed), a refusal in Chinese,
// and the tab shown to the roles the policy table lets preview such a file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgencyResultsPanel } from '../../../src/features/county/agency-results/AgencyResultsPanel';
import { AdminApiError, createAdminApi, type AdminApi } from '../../../src/features/county/api';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { buildServer } from '../../../src/server/app';
import { COUNTY_ACTIONS, grantOf } from '../../../src/server/auth/policy-table';
import type { AgencyResultsPreview } from '../../../src/shared/admin-api';
import { ROLES, type Role } from '../../../src/shared/roles';
import { browserFetch } from '../../support/browser-fetch';
import { ADMIN, setUpCounty } from '../../support/sync-fixtures';

type AgencyResultsApi = NonNullable<AdminApi['agencyResults']>;

let confirmed: string[] = [];
const originalConfirm = window.confirm;
beforeEach(() => {
  confirmed = [];
  window.confirm = (message?: string) => {
    confirmed.push(String(message));
    return true;
  };
});
afterEach(() => {
  window.confirm = originalConfirm;
  cleanup();
});

const PREVIEW: AgencyResultsPreview = {
  rows: [
    {
      row: 2,
      caseId: 'c1',
      caseNumber: '150102-2026-0001',
      input: { track: 'pension', gapMonths: 30, unitAmount: '12000.00', individualAmount: '4800.00', agencyName: '新城区社保局', documentNumber: '新社保核〔2024〕12号', documentDate: '2024-04-20', computedOn: '2024-04-20' },
      problems: [],
    },
    {
      row: 3,
      caseId: null,
      caseNumber: null,
      input: null,
      problems: [
        { column: '案件编号', message: 'caseNumber: no case of your area has it' },
        { column: '险种', message: 'track: must be 养老 (pension) or 医疗 (medical)' },
        { column: '单位缴费金额', message: 'unitAmount: required: yuan, not negative, with at most two decimals' },
      ],
    },
    {
      row: 4,
      caseId: 'c1',
      caseNumber: '150102-2026-0001',
      input: null,
      problems: [{ column: '险种', message: 'track: the same case and track as row 2' }],
    },
  ],
  good: 1,
  bad: 2,
};

function fakeApi(over: Partial<AgencyResultsApi> = {}) {
  const calls: { kind: 'preview' | 'commit'; body: Parameters<AgencyResultsApi['preview']>[0] }[] = [];
  const api: AgencyResultsApi = {
    preview: vi.fn(async (body) => {
      calls.push({ kind: 'preview', body });
      return PREVIEW;
    }),
    commit: vi.fn(async (body) => {
      calls.push({ kind: 'commit', body });
      return { ...PREVIEW, recorded: 1 };
    }),
    ...over,
  };
  return { api, calls };
}

const CSV = '案件编号,险种,中断月数\n150102-2026-0001,养老,30\n';

async function chooseAndPreview(agency = '') {
  const file = new File([CSV], '经办结果.csv', { type: 'text/csv' });
  fireEvent.change(screen.getByLabelText('结果文件（.xlsx 或 .csv）'), { target: { files: [file] } });
  if (agency) fireEvent.change(screen.getByLabelText('经办机构（文件中没有「经办机构」列时填写）'), { target: { value: agency } });
  fireEvent.click(screen.getByRole('button', { name: '预览' }));
  return screen.findByTestId('agency-results-preview');
}

describe('经办结果导入', () => {
  it('previews each row with its matched case and figures, and each problem with its column and reason in Chinese', async () => {
    const { api } = fakeApi();
    render(<AgencyResultsPanel agencyResults={api} canImport onSignedOut={() => {}} />);
    await chooseAndPreview();
    expect(screen.getByTestId('agency-results-counts').textContent).toBe('共 3 行：可导入 1 行，有问题 2 行。');
    const rows = screen.getAllByTestId('agency-results-row');
    expect(within(rows[0]!).getAllByRole('cell').map((c) => c.textContent)).toEqual(['2', '150102-2026-0001', '养老', '30', '12000.00', '4800.00', '✓ 可导入']);
    expect(within(rows[1]!).getAllByTestId('agency-results-problem').map((p) => p.textContent)).toEqual([
      '⚠ 「案件编号」列：本辖区没有这个案件',
      '⚠ 「险种」列：须为「养老」或「医疗」',
      '⚠ 「单位缴费金额」列：须为不小于0的金额（元），最多两位小数',
    ]);
    expect(within(rows[2]!).getByTestId('agency-results-problem').textContent).toBe('⚠ 「险种」列：与第2行是同一案件、同一险种');
    expect(screen.getByTestId('agency-results-preview').textContent).not.toMatch(/[a-z]{4,}/);
  });

  it('imports only after confirmation, sending the very file that was previewed, and shows the counts', async () => {
    const { api, calls } = fakeApi();
    render(<AgencyResultsPanel agencyResults={api} canImport onSignedOut={() => {}} />);
    await chooseAndPreview('新城区社保局');
    fireEvent.click(screen.getByRole('button', { name: '导入 1 条' }));
    expect((await screen.findByTestId('agency-results-done')).textContent).toBe('已导入 1 条；未导入 2 行（有问题）。');
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toContain('导入 1 条');
    expect(calls.map((c) => c.kind)).toEqual(['preview', 'commit']);
    expect(calls[1]!.body).toEqual(calls[0]!.body);
    expect(calls[0]!.body.fileName).toBe('经办结果.csv');
    expect(calls[0]!.body.agencyName).toBe('新城区社保局');
    expect(Buffer.from(calls[0]!.body.content, 'base64').toString('utf8')).toBe(CSV);
  });

  it('imports nothing when the confirmation is declined', async () => {
    window.confirm = () => false;
    const { api, calls } = fakeApi();
    render(<AgencyResultsPanel agencyResults={api} canImport onSignedOut={() => {}} />);
    await chooseAndPreview();
    fireEvent.click(screen.getByRole('button', { name: '导入 1 条' }));
    expect(calls.map((c) => c.kind)).toEqual(['preview']);
    expect(screen.queryByTestId('agency-results-done')).toBeNull();
  });

  it('asks for a file before asking the server, and shows the server’s refusal of the file in Chinese', async () => {
    const { api, calls } = fakeApi({
      preview: async () => {
        throw new AdminApiError(422, 'invalid-request', 'content: missing columns: 中断月数 (gapMonths), 文号 (documentNumber)', [
          { path: 'content', message: 'missing columns: 中断月数 (gapMonths), 文号 (documentNumber)' },
        ]);
      },
    });
    render(<AgencyResultsPanel agencyResults={api} canImport onSignedOut={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: '预览' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请选择结果文件。');
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('结果文件（.xlsx 或 .csv）'), { target: { files: [new File([CSV], '经办结果.csv')] } });
    fireEvent.click(screen.getByRole('button', { name: '预览' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('填写有误（文件内容：缺少列：中断月数、文号）'));
    expect(screen.queryByTestId('agency-results-preview')).toBeNull();
  });

  it('offers no import to a role that may preview but not import', async () => {
    const { api } = fakeApi();
    render(<AgencyResultsPanel agencyResults={api} canImport={false} onSignedOut={() => {}} />);
    await chooseAndPreview();
    expect(screen.queryByRole('button', { name: /^导入/ })).toBeNull();
  });
});

describe('the 经办结果导入 tab', () => {
  const COUNTY = { level: 'county', code: '150102' } as const;
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const pageFor = (role: Role) => {
    const actions = COUNTY_ACTIONS.filter((a) => grantOf(role, a) !== null);
    const session = { username: 'u', displayName: '某人', role, area: COUNTY, mustChangePassword: false, actions };
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url === '/api/admin/session') return answer(200, session);
      return answer(404, { error: { code: 'not-found', message: url } });
    });
    return { actions, fetchImpl };
  };

  it.each(ROLES.filter((r) => r !== 'window-clerk' && r !== 'outreach-worker'))('is shown to %s exactly when the policy table lets it preview a results file', async (role) => {
    const { actions, fetchImpl } = pageFor(role);
    render(<CountyPage api={createAdminApi('', fetchImpl)} />);
    await screen.findByTestId('county-page');
    const tab = screen.queryByRole('tab', { name: '经办结果导入' });
    expect(tab !== null).toBe(actions.includes('agency-results.preview'));
  });

  it('opens the import screen from its tab for a county reviewer', async () => {
    const { actions, fetchImpl } = pageFor('county-reviewer');
    expect(actions).toContain('agency-results.preview');
    render(<CountyPage api={createAdminApi('', fetchImpl)} />);
    fireEvent.click(await screen.findByRole('tab', { name: '经办结果导入' }));
    expect(await screen.findByTestId('county-agency-results')).toBeTruthy();
    expect(screen.getByLabelText('结果文件（.xlsx 或 .csv）').getAttribute('accept')).toContain('.xlsx');
  });
});

describe('经办结果导入 against the county server', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiexu-agency-results-'));
    app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' });
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts every reason the server gives for a row into Chinese, none left in English', async () => {
    await setUpCounty(app);
    const api = createAdminApi('', browserFetch(app));
    await api.login(ADMIN.username, ADMIN.password);
    const csv = ['案件编号,险种,中断月数,单位缴费金额,个人缴费金额,文号,文件日期', 'NO-SUCH-CASE,工伤,-1,12.345,x,,2999-01-01', ',养老,12,100.00,40.00,某社保核〔2024〕1号,2024-04-20'].join('\n');
    render(<AgencyResultsPanel agencyResults={api.agencyResults!} canImport onSignedOut={() => {}} />);
    fireEvent.change(screen.getByLabelText('结果文件（.xlsx 或 .csv）'), { target: { files: [new File([csv], 'results.csv')] } });
    fireEvent.change(screen.getByLabelText('经办机构（文件中没有「经办机构」列时填写）'), { target: { value: '新城区社保局' } });
    fireEvent.click(screen.getByRole('button', { name: '预览' }));
    await screen.findByTestId('agency-results-preview');
    expect(screen.getByTestId('agency-results-counts').textContent).toBe('共 2 行：可导入 0 行，有问题 2 行。');
    const reasons = screen.getAllByTestId('agency-results-problem').map((p) => p.textContent);
    expect(reasons).toEqual([
      '⚠ 「案件编号」列：本辖区没有这个案件',
      '⚠ 「险种」列：须为「养老」或「医疗」',
      '⚠ 「中断月数」列：须为0至1200的整数（月）',
      '⚠ 「单位缴费金额」列：须为不小于0的金额（元），最多两位小数',
      '⚠ 「个人缴费金额」列：须为不小于0的金额（元），最多两位小数',
      '⚠ 「文号」列：必须填写',
      '⚠ 「文件日期」列：不能晚于今天',
      '⚠ 「案件编号」列：请填写案件编号或身份证号',
    ]);
    expect(reasons.filter((r) => r!.endsWith('不符合要求') || /[a-z]{4,}/.test(r!))).toEqual([]);
    expect(screen.getByRole('button', { name: '导入 0 条' })).toHaveProperty('disabled', true);
  });
});
