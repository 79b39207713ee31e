// The county page's parameter screen against a fake parameters API: the list of sets, a draft made
// from the set in force (what the form sends), the impact table and its totals over the pages,
// publishing only after a confirmation, and the server's field problems said in Chinese. No axe
// violations in the drafted screen. The server's side: tests/server/parameter-publishing.test.ts.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, expect, it, vi } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT } from '../../../src/domain';
import { AdminApiError, type AdminApi, type ParametersApi } from '../../../src/features/county/api';
import { ParametersPanel } from '../../../src/features/county/parameters/ParametersPanel';
import { EDITABLE_SERIES } from '../../../src/features/county/parameters/draft';
import type { ParameterImpactPage, ParameterSetItem } from '../../../src/shared/parameter-publishing';

afterEach(cleanup);

const BUILT_IN: ParameterSetItem = {
  version: DEFAULT_PARAMETERS_DOCUMENT.version,
  title: DEFAULT_PARAMETERS_DOCUMENT.title,
  issued: DEFAULT_PARAMETERS_DOCUMENT.issued,
  effectiveDates: [],
  publishedAt: null,
  publishedBy: null,
  inForce: true,
  builtIn: true,
};

const ZERO = { old: '0.00', new: '0.00', difference: '0.00' };

function page(over: Partial<ParameterImpactPage>): ParameterImpactPage {
  return {
    draftVersion: 'county-2026.2',
    openCases: 3,
    offset: 0,
    examined: 3,
    next: null,
    changed: [],
    totals: { changedCases: 0, amounts: { pensionUnitAmount: ZERO, pensionIndividualAmount: ZERO, medicalUnitAmount: ZERO, medicalIndividualAmount: ZERO }, difference: '0.00' },
    ...over,
  };
}

// Two pages: the first has one case 376.20 + 188.10 more, the second one 217.80 + 108.90 more.
const FIRST = page({
  openCases: 3,
  examined: 2,
  next: 2,
  changed: [
    {
      caseId: 'c1',
      caseNumber: '150102-AAAAAAAA-00001',
      townshipCode: '150102001',
      townshipName: '海拉尔路街道',
      lifecycleStatus: 'synced',
      parametersVersion: BUILT_IN.version,
      changes: [
        { figure: 'pensionUnitAmount', old: '33550.20', new: '33926.40', difference: '376.20' },
        { figure: 'pensionIndividualAmount', old: '16775.10', new: '16963.20', difference: '188.10' },
      ],
      error: { old: null, new: null },
    },
  ],
  totals: {
    changedCases: 1,
    amounts: {
      pensionUnitAmount: { old: '33550.20', new: '33926.40', difference: '376.20' },
      pensionIndividualAmount: { old: '16775.10', new: '16963.20', difference: '188.10' },
      medicalUnitAmount: ZERO,
      medicalIndividualAmount: ZERO,
    },
    difference: '564.30',
  },
});
const SECOND = page({
  openCases: 3,
  offset: 2,
  examined: 1,
  next: null,
  changed: [
    {
      caseId: 'c3',
      caseNumber: '150102-AAAAAAAA-00003',
      townshipCode: '150102001',
      townshipName: '海拉尔路街道',
      lifecycleStatus: 'verified',
      parametersVersion: BUILT_IN.version,
      changes: [{ figure: 'pensionUnitAmount', old: '19423.80', new: '19641.60', difference: '217.80' }],
      error: { old: null, new: null },
    },
  ],
  totals: {
    changedCases: 1,
    amounts: { pensionUnitAmount: { old: '19423.80', new: '19641.60', difference: '217.80' }, pensionIndividualAmount: ZERO, medicalUnitAmount: ZERO, medicalIndividualAmount: ZERO },
    difference: '217.80',
  },
});

function fakeParameters() {
  return {
    list: vi.fn<ParametersApi['list']>(async () => [BUILT_IN]),
    get: vi.fn<ParametersApi['get']>(async () => ({ ...BUILT_IN, document: JSON.parse(JSON.stringify(DEFAULT_PARAMETERS_DOCUMENT)) })),
    preview: vi.fn<ParametersApi['preview']>(async (_doc, paging) => ((paging?.offset ?? 0) === 0 ? FIRST : SECOND)),
    publish: vi.fn<ParametersApi['publish']>(async () => ({ version: 'county-2026.2', issued: '2026-06-01', publishedAt: '2026-06-01T02:00:00.000Z' })),
  } satisfies ParametersApi;
}

function show(parameters: ParametersApi, canPublish = true) {
  // In a landmark, as the county page shows it.
  return render(
    <main>
      <ParametersPanel api={{} as AdminApi} parameters={parameters} canPublish={canPublish} onSignedOut={() => undefined} />
    </main>,
  );
}

const field = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement;

async function draftWithConfirmedWage(parameters: ParametersApi) {
  show(parameters);
  fireEvent.click(await screen.findByRole('button', { name: '以当前参数为底稿新建' }));
  await screen.findByTestId('parameters-draft');
  fireEvent.change(field(/^新版本号/), { target: { value: 'county-2026.2' } });
  fireEvent.change(field(/^发布日期/), { target: { value: '2026-06-01' } });
  fireEvent.change(field(/^新费率、年限的生效日期/), { target: { value: '2026-07-01' } });
  fireEvent.change(field(/^新参数的依据/), { target: { value: '内统字〔2019〕12号' } });
  fireEvent.change(field(/^2018年度/), { target: { value: '6200.00' } });
}

it('lists the sets with the one in force, and shows an older set’s document when asked', async () => {
  const parameters = fakeParameters();
  parameters.list.mockResolvedValue([
    { version: 'county-2026.2', title: '县局 2026', issued: '2026-06-01', effectiveDates: ['2019-01-01'], publishedAt: '2026-06-01T02:00:00.000Z', publishedBy: 'county-admin', inForce: true, builtIn: false },
    { ...BUILT_IN, inForce: false },
  ]);
  show(parameters, false);
  const row = (await screen.findByText('county-2026.2')).closest('tr')!;
  expect(within(row).getByText('现行')).toBeTruthy();
  expect(within(row).getByText('2019-01-01')).toBeTruthy();
  const old = screen.getByText(BUILT_IN.version).closest('tr')!;
  expect(within(old).getByText('历史')).toBeTruthy();
  expect(within(old).getByText('程序内置')).toBeTruthy();
  // A reader who may not publish is offered no draft.
  expect(screen.queryByRole('button', { name: '以当前参数为底稿新建' })).toBeNull();
  fireEvent.click(within(old).getByRole('button', { name: `查看版本 ${BUILT_IN.version}` }));
  expect(await screen.findByText(`版本 ${BUILT_IN.version} 的参数文件`)).toBeTruthy();
  expect(parameters.get).toHaveBeenCalledWith(BUILT_IN.version);
});

it('offers the rates and months the pack lets a county change, and none of what the law fixes', () => {
  expect(EDITABLE_SERIES.map((s) => s.path)).toEqual([
    'rates.pension.unit',
    'rates.pension.individual',
    'rates.medical.unit',
    'rates.medical.individual',
    'medicalRequiredMonths.male',
    'medicalRequiredMonths.female',
  ]);
  expect(EDITABLE_SERIES.find((s) => s.path === 'rates.medical.unit')!.label).toBe('基本医疗保险单位缴费比例');
});

it('drafts from the set in force, previews its impact page by page with totals, and publishes only after the confirmation', async () => {
  const parameters = fakeParameters();
  await draftWithConfirmedWage(parameters);
  fireEvent.change(field(/^基本医疗保险单位缴费比例/), { target: { value: '0.075' } });
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  const impact = await screen.findByTestId('parameters-impact');

  // The document sent: the version, the dates, the 2018 wage confirmed and the medical rate from the effective date.
  const sent = parameters.preview.mock.calls[0]![0] as typeof DEFAULT_PARAMETERS_DOCUMENT;
  expect(parameters.preview.mock.calls[0]![1]).toEqual({ offset: 0, limit: 200 });
  expect([sent.version, sent.issued]).toEqual(['county-2026.2', '2026-06-01']);
  expect(sent.wages.region.find((r) => r.year === 2018)).toEqual({ year: 2018, value: '6200.00', unit: 'CNY/month', source: '内统字〔2019〕12号', provisional: false });
  expect(sent.rates.medical.unit.at(-1)).toEqual({ from: '2026-07-01', value: '0.075', unit: 'ratio', source: '内统字〔2019〕12号', provisional: false });
  expect(sent.rates.medical.unit.slice(0, -1)).toEqual(DEFAULT_PARAMETERS_DOCUMENT.rates.medical.unit);
  expect(sent.rates.pension).toEqual(DEFAULT_PARAMETERS_DOCUMENT.rates.pension);

  expect(within(impact).getByRole('status').textContent).toBe('辖区内未结案件共 3 件，已检查 2 件，其中 1 件的金额或月数会变化。');
  const c1 = impact.querySelector('[data-case="150102-AAAAAAAA-00001"]')!;
  expect(c1.textContent).toContain('养老单位缴费（元）：33550.20 → 33926.40（+376.20）');
  expect(c1.textContent).toContain('海拉尔路街道');

  fireEvent.click(within(impact).getByRole('button', { name: '继续检查其余 1 件' }));
  await waitFor(() => expect(within(impact).getByRole('status').textContent).toBe('辖区内未结案件共 3 件，已检查 3 件，其中 2 件的金额或月数会变化。'));
  expect(parameters.preview.mock.calls[1]![1]).toEqual({ offset: 2, limit: 200 });
  const totals = screen.getByTestId('parameters-impact-totals');
  // 376.20 + 217.80 on the unit's share; 564.30 + 217.80 in all.
  expect(totals.querySelector('[data-figure="pensionUnitAmount"]')!.textContent).toBe('养老单位缴费（元）52974.0053568.00+594.00');
  expect(totals.querySelector('[data-figure="total"]')!.textContent).toBe('合计+782.10');

  fireEvent.click(within(impact).getByRole('button', { name: '发布' }));
  const confirm = screen.getByRole('alertdialog');
  expect(confirm.textContent).toContain('确认发布版本 county-2026.2？');
  expect(parameters.publish).not.toHaveBeenCalled();
  fireEvent.click(within(confirm).getByRole('button', { name: '确认发布' }));
  expect((await screen.findByTestId('parameters-published')).textContent).toContain('已发布版本 county-2026.2');
  expect(parameters.publish).toHaveBeenCalledWith(sent);
  expect(parameters.list).toHaveBeenCalledTimes(2);
});

it('a changed draft must be previewed again before it can be published', async () => {
  const parameters = fakeParameters();
  await draftWithConfirmedWage(parameters);
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  await screen.findByTestId('parameters-impact');
  expect(screen.getByRole('button', { name: '发布' })).toBeTruthy();
  fireEvent.change(field(/^2019年度/), { target: { value: '6600.00' } });
  expect(screen.queryByRole('button', { name: '发布' })).toBeNull();
  expect(screen.getByText(/草稿已修改，请重新预览/)).toBeTruthy();
});

it('checks the form before sending, in Chinese, naming each field', async () => {
  const parameters = fakeParameters();
  show(parameters);
  fireEvent.click(await screen.findByRole('button', { name: '以当前参数为底稿新建' }));
  await screen.findByTestId('parameters-draft');
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  expect((await screen.findByRole('alert')).textContent).toBe('没有修改任何参数');
  fireEvent.change(field(/^基本养老保险单位缴费比例/), { target: { value: '16%' } });
  fireEvent.change(field(/^新费率、年限的生效日期/), { target: { value: '2018-01-01' } });
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  const rate = field(/^基本养老保险单位缴费比例/);
  expect(rate.getAttribute('aria-invalid')).toBe('true');
  const problem = document.getElementById(rate.getAttribute('aria-describedby')!)!.textContent;
  // The first problem found for the field: its date before the last one the set holds (2019-05-01).
  expect(problem).toBe('生效日期不能早于现有的最后一个起始日期（2019-05-01）');
  expect(field(/^新版本号/).getAttribute('aria-invalid')).toBe('true');
  expect(field(/^新参数的依据/).getAttribute('aria-invalid')).toBe('true');
  expect(parameters.preview).not.toHaveBeenCalled();
});

it('says the server’s refusal in Chinese, naming the field of the document', async () => {
  const parameters = fakeParameters();
  parameters.preview.mockRejectedValue(
    new AdminApiError(422, 'invalid-request', 'document.rates.medical.unit.1.from: dates must be strictly increasing', [{ path: 'document.rates.medical.unit.1.from', message: 'dates must be strictly increasing' }]),
  );
  await draftWithConfirmedWage(parameters);
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  expect((await screen.findByRole('alert')).textContent).toBe('填写有误（基本医疗保险单位缴费比例（第2个值的起始日期）：起始日期必须逐个递增（新值的生效日期应晚于已有的值））');
  parameters.preview.mockRejectedValue(new AdminApiError(409, 'parameter-set-exists', 'Parameter set county-2026.2 is already published'));
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('这个版本号已经发布过：已发布的参数不能修改，请换一个新版本号。'));
});

it('the drafted screen with its impact has no axe violations', async () => {
  const parameters = fakeParameters();
  await draftWithConfirmedWage(parameters);
  fireEvent.click(screen.getByRole('button', { name: '预览影响' }));
  await screen.findByTestId('parameters-impact');
  fireEvent.click(screen.getByRole('button', { name: '发布' }));
  // jsdom lays nothing out: colour contrast is for the e2e scan in a real browser.
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
