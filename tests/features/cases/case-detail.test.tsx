import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { explain } from '../../../src/domain';
import { CaseDetailScreen } from '../../../src/features/cases/CaseDetailScreen';
import { keyFigures } from '../../../src/features/cases/figures';
import { changeLabelZh, changeValueZh } from '../../../src/features/cases/history';
import { closeSeeded, idNumber, renderWithRepos, seed } from './support';

afterEach(() => {
  cleanup();
  closeSeeded();
});

const ZHANG = { name: '张三', id: idNumber('19700315', '003') };

const field = (path: string) => document.querySelector(`[data-field="${path}"] dd`)?.textContent;

describe('the case detail', () => {
  it('shows the facts and the registration with Chinese labels', async () => {
    const s = await seed([ZHANG]);
    const r = s.records[0]!;
    renderWithRepos(<CaseDetailScreen caseId={r.id} />, s.dbName);
    await screen.findByTestId('case-facts');

    expect(screen.getByRole('heading', { level: 2, name: '张三' })).toBeTruthy();
    expect(screen.getByTestId('case-number').textContent).toBe(r.caseNumber);
    const facts = screen.getByTestId('case-facts');
    // The label map's words, and the full ID number (the detail is where the clerk checks it).
    expect(within(facts).getByText('身份证号码').nextElementSibling?.textContent).toBe(ZHANG.id);
    expect(field('service.enlistment')).toBe('1988年3月');
    expect(field('service.discharge')).toBe('1992年12月');
    expect(field('dischargeMode')).toBe('退伍');
    expect(field('placement.countyCode')).toBe('呼和浩特市 新城区');
    expect(field('unitName')).toBe('呼和浩特市第一机械厂');
    expect(field('pension.periods')).toBe('1993年1月—2001年6月');
    expect(field('phone')).toBe('13800138000');
    expect(field('identity.sex')).toBe('男');
    expect(field('applicationDate')).toBe('2019年8月20日');
    expect(within(facts).getByText('原安置单位是否存在')).toBeTruthy();
  });

  it('shows the stored determination: key figures each with its citation, the explanation and the parameter-set version', async () => {
    const s = await seed([ZHANG]);
    const r = s.records[0]!;
    renderWithRepos(<CaseDetailScreen caseId={r.id} />, s.dbName);
    const table = await screen.findByTestId('key-figures');

    // The worked example 01 (deemed, 57 months, back-pay 57 months of 3678.75 a month).
    const military = table.querySelector('[data-figure="militaryMonths"]')!;
    expect(military.textContent).toContain('57个月（4年9个月）');
    expect(military.textContent).toContain('一（一）第一段（NM43-1.1.a）');
    const backPay = table.querySelector('[data-figure="pension.backPayMonths"]')!;
    expect(backPay.textContent).toContain('57个月');
    expect(backPay.textContent).toContain('NM43-1.1.b');
    expect(table.querySelector('[data-figure="pension.unitAmount"]')!.textContent).toContain('33550.20元');
    expect(table.querySelector('[data-figure="pension.unitAmount"]')!.textContent).toContain('一（三）（NM43-1.3.a）');
    expect(table.querySelector('[data-figure="pension.individualAmount"]')!.textContent).toContain('16775.10元');
    // Every figure row names its rule.
    for (const f of keyFigures(r.determination)) {
      expect(table.querySelector(`[data-figure="${f.key}"]`)!.textContent).toContain(`（${f.rule}）`);
    }

    const sentences = explain(r.determination);
    const items = within(screen.getByTestId('explanation')).getAllByRole('listitem');
    expect(items).toHaveLength(sentences.length);
    expect(items[0]!.textContent).toContain(sentences[0]!.text);
    expect(items[0]!.textContent).toContain(sentences[0]!.rule);
    // The words of the law open on a tap: a tablet has no hover, so no tooltip.
    const cite = within(items[0]!).getByRole('button', { name: new RegExp(sentences[0]!.rule.replaceAll('.', '\\.')) });
    expect(cite.getAttribute('title')).toBeNull();
    fireEvent.click(cite);
    expect(within(items[0]!).getByTestId('citation-quote').textContent).toBe(sentences[0]!.quote);

    const version = screen.getByTestId('parameter-version').textContent!;
    expect(version).toContain(`参数版本 ${r.parameterSetVersion}`);
    expect(version).toContain(r.determination.rulesVersion);
    expect(screen.getByText('测算结果仅供参考，以经办机构核定为准。')).toBeTruthy();
  });

  it('shows the history: who registered, who changed what from what to what, who withdrew it and why', async () => {
    const s = await seed([ZHANG]);
    const r = s.records[0]!;
    await s.repo.update(r.id, {
      facts: { ...r.facts, service: { ...r.facts.service, discharge: '1993-03' } },
      registration: { ...r.registration, phone: '13900139000' },
      clerk: '李娜',
      expectedRevision: 1,
    });
    await s.repo.withdraw(r.id, { clerk: '李娜', reason: '本人已在其他旗县办理' });

    renderWithRepos(<CaseDetailScreen caseId={r.id} />, s.dbName);
    const history = await screen.findByTestId('case-history');
    const events = within(history).getAllByRole('listitem').filter((li) => li.parentElement === history);
    // Newest first.
    expect(events.map((e) => e.querySelector('.history-head')!.firstChild!.textContent)).toEqual(['撤回', '修改', '登记']);
    expect(events[0]!.textContent).toContain('经办人 李娜');
    expect(events[0]!.textContent).toContain('原因：本人已在其他旗县办理');
    expect(events[2]!.textContent).toContain('经办人 王丽');
    expect(events[1]!.textContent).toContain('退役时间：1992年12月 → 1993年3月');
    expect(events[1]!.textContent).toContain('联系电话：13800138000 → 13900139000');
    // The figures the change moved are in the history too.
    expect(events[1]!.textContent).toContain('测算：军龄（月）：57 → 60');

    // A withdrawn case cannot be edited or withdrawn again; it can still be printed.
    expect(screen.getByText('已撤回')).toBeTruthy();
    expect(screen.queryByRole('link', { name: '编辑' })).toBeNull();
    expect(screen.queryByRole('button', { name: /撤回/ })).toBeNull();
    expect(screen.getByRole('link', { name: '打印申请表' }).getAttribute('href')).toBe(`#/cases/${r.id}/print/form`);
  });

  it('links to editing and printing, and withdraws the case with a reason, recorded under the clerk of the shift', async () => {
    const s = await seed([ZHANG], { clerk: '李娜' });
    const r = s.records[0]!;
    renderWithRepos(<CaseDetailScreen caseId={r.id} />, s.dbName);
    await screen.findByTestId('case-facts');
    expect(screen.getByRole('link', { name: '编辑' }).getAttribute('href')).toBe(`#/intake/${r.id}`);
    expect(screen.getByRole('link', { name: '打印回执' }).getAttribute('href')).toBe(`#/cases/${r.id}/print/receipt`);

    fireEvent.click(screen.getByRole('button', { name: '撤回此受理…' }));
    fireEvent.click(screen.getByRole('button', { name: '确认撤回' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请填写撤回原因');
    expect((await s.repo.get(r.id))!.status).toBe('registered');

    fireEvent.change(screen.getByLabelText('撤回原因'), { target: { value: '重复登记' } });
    fireEvent.click(screen.getByRole('button', { name: '确认撤回' }));
    await waitFor(() => expect(screen.getByText('已撤回')).toBeTruthy());
    const stored = (await s.repo.get(r.id))!;
    expect(stored.status).toBe('withdrawn');
    expect(stored.updatedBy).toBe('李娜');
    const history = await s.repo.history(r.id);
    expect(history.at(-1)).toMatchObject({ action: 'case.withdraw', actor: '李娜', reason: '重复登记' });
    await waitFor(() => expect(screen.getByTestId('case-history').textContent).toContain('原因：重复登记'));
  });

  it('says when the case is not on this device', async () => {
    const s = await seed([]);
    renderWithRepos(<CaseDetailScreen caseId="0190e3a0-0000-7000-8000-000000000000" />, s.dbName);
    expect((await screen.findByRole('alert')).textContent).toContain('找不到该案件');
  });

  it('shows why an out-of-scope case is out of scope, in Chinese', async () => {
    const s = await seed([{ name: '赵六', id: idNumber('19850101', '011'), facts: { service: { enlistment: '2010-03', discharge: '2015-12', militarySubsidyReceived: false } } }]);
    renderWithRepos(<CaseDetailScreen caseId={s.records[0]!.id} />, s.dbName);
    const reasons = await screen.findByTestId('out-of-scope');
    expect(reasons.textContent).toContain('2012年7月1日以后退役且未领取军人退役基本养老保险补助');
  });
});

describe('history wording', () => {
  it('names fields with the label map and writes values as the clerk reads them', () => {
    expect(changeLabelZh('facts.placement.countyCode')).toBe('安置地旗县（市、区）');
    expect(changeValueZh('facts.placement.countyCode', '150102')).toBe('呼和浩特市 新城区');
    expect(changeLabelZh('registration.dischargeMode')).toBe('退役方式');
    expect(changeValueZh('registration.dischargeMode', 'demobilized')).toBe('复员');
    expect(changeValueZh('status', 'withdrawn')).toBe('已撤回');
    expect(changeValueZh('facts.pension.periods[1]', { from: '2003-01', to: '2009-06' })).toBe('2003年1月—2009年6月');
    expect(changeValueZh('facts.assistance.dibao', true)).toBe('是');
    expect(changeValueZh('registration.address', '')).toBe('（空）');
  });
});
