import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idCheckCharacter, idProblemZh } from '../../../src/domain';
import { unsavedInput } from '../../../src/app/unsaved-input';
import {
  REGISTRATION,
  TODAY,
  answer,
  closeDevices,
  errorOf,
  example01,
  example03,
  field,
  fillCase,
  freshDevice,
  renderIntake,
  save,
  typeInto,
  waitForDraftSaved,
} from './support';

beforeEach(() => {
  window.location.hash = '#/intake';
});

afterEach(() => {
  cleanup();
  closeDevices();
});

// A first save loads the pinyin dictionary for the search keys: slow on a busy machine.
const SAVE_TIMEOUT = 15_000;

function findSavedCaseNumber(): Promise<HTMLElement> {
  return screen.findByTestId('saved-note', {}, { timeout: SAVE_TIMEOUT }).then(() => screen.getByTestId('case-number'));
}

function womanId(): string {
  const first17 = '15010219720610024';
  return first17 + idCheckCharacter(first17);
}

describe('the intake form', () => {
  it('checks the ID number as it is typed: length, check digit, birth month and sex, 15-digit upgrade', async () => {
    await renderIntake(await freshDevice());
    fireEvent.change(field('facts.person.idNumber'), { target: { value: '15010219700315003' } });
    expect(screen.getByTestId('id-status').textContent).toBe('已输入 17 位，应为18位（或15位旧号码）');

    fireEvent.change(field('facts.person.idNumber'), { target: { value: '150102197003150033' } });
    expect(screen.getByTestId('id-status').textContent).toBe(idProblemZh('checksum'));

    fireEvent.change(field('facts.person.idNumber'), { target: { value: '150102197003150032' } });
    expect(screen.getByTestId('id-birth').textContent).toBe('1970年3月');
    expect(screen.getByTestId('id-sex').textContent).toBe('男');

    fireEvent.change(field('facts.person.idNumber'), { target: { value: '150102700315003' } });
    expect(screen.getByTestId('id-upgraded').textContent).toBe('150102197003150032');
  });

  it('shows the women’s retirement category only for a woman’s ID number', async () => {
    await renderIntake(await freshDevice());
    typeInto('facts.person.idNumber', example01.person.idNumber);
    expect(screen.queryByRole('group', { name: '女性退休类别' })).toBeNull();
    typeInto('facts.person.idNumber', womanId());
    const group = screen.getByRole('group', { name: '女性退休类别' });
    expect(within(group).getByLabelText('女工人（原法定退休年龄50周岁）')).toBeTruthy();
    save();
    await waitFor(() => expect(screen.getByTestId('error-summary').textContent).toContain('请选择女性退休类别'));
  });

  it('finds the placement county by a former name: 昭乌达盟 lists 赤峰市’s units', async () => {
    await renderIntake(await freshDevice());
    fireEvent.change(screen.getByLabelText(/按名称查找/), { target: { value: '昭乌达盟' } });
    const results = await screen.findByRole('list', { name: '查找结果' });
    const buttons = within(results).getAllByRole('button');
    expect(buttons).toHaveLength(12);
    const ningcheng = buttons.find((b) => b.textContent?.startsWith('宁城县'))!;
    expect(ningcheng.textContent).toBe('宁城县赤峰市（曾用名：昭乌达盟）');
    fireEvent.click(ningcheng);
    expect(screen.getByTestId('county-selected').textContent).toBe('已选：赤峰市 宁城县（代码 150429）');
    expect((field('facts.placement.countyCode') as unknown as HTMLSelectElement).value).toBe('150429');
  });

  it('asks who confirmed it (NM43-1.2.c) when the unit cannot pay, and saves nothing without it', async () => {
    const device = await freshDevice();
    await renderIntake(device);
    fillCase(example01);
    expect(document.getElementById('f-registration-confirmedBy')).toBeNull();
    answer('facts.placement.unitCanPay', false);
    save();
    await waitFor(() => expect(errorOf('registration.confirmedBy')).toContain('须填写负责确认的同级人民政府'));
    expect(await device.cases.count()).toBe(0);

    typeInto('registration.confirmedBy', '新城区人民政府');
    save();
    await findSavedCaseNumber();
    const [summary] = await device.cases.listNewest();
    const saved = await device.cases.get(summary!.id);
    expect(saved?.registration.confirmedBy).toBe('新城区人民政府');
    expect(saved?.determination.pension?.unitPayer).toBe('superior');
  });

  it('shows a contribution period whose start is after its end on that row, keeping what was typed', async () => {
    const device = await freshDevice();
    await renderIntake(device);
    fillCase({ ...example01, pension: { ...example01.pension, periods: [{ from: '1993-01', to: '1995-06' }, { from: '2001-06', to: '1999-01' }] } });
    save();
    await waitFor(() => expect(errorOf('facts.pension.periods.1.from')).toBe('养老保险缴费记录第2段的起始月份晚于截止月份：请检查这一段的起止月份'));
    expect(errorOf('facts.pension.periods.0.from')).toBeNull();
    expect(field('facts.pension.periods.1.from').value).toBe('2001-06');
    expect(field('registration.name').value).toBe('张三');
    expect(await device.cases.count()).toBe(0);
  });

  it('adds and removes contribution rows, the rows below moving up with what was typed in them', async () => {
    await renderIntake(await freshDevice());
    const add = screen.getByRole('button', { name: '＋ 添加一段医疗保险缴费记录' });
    fireEvent.click(add);
    fireEvent.click(add);
    typeInto('facts.medical.periods.0.from', '1993-01');
    typeInto('facts.medical.periods.1.from', '2005-07');
    typeInto('facts.medical.periods.1.to', '2010-12');
    fireEvent.click(screen.getByRole('button', { name: '删除医疗保险缴费记录第1段' }));
    await waitFor(() => expect(document.getElementById('f-facts-medical-periods-1-from')).toBeNull());
    expect(field('facts.medical.periods.0.from').value).toBe('2005-07');
    expect(field('facts.medical.periods.0.to').value).toBe('2010-12');
  });

  it('lists every error of a failed save in Chinese, naming the field, and loses nothing typed', async () => {
    const device = await freshDevice();
    await renderIntake(device);
    typeInto('registration.name', '李四');
    typeInto('facts.service.enlistment', '1988年13月');
    save();
    const summary = await screen.findByTestId('error-summary');
    const items = within(summary).getAllByRole('button').map((b) => b.textContent);
    expect(items).toContain('请填写身份证号码');
    expect(items).toContain('入伍时间格式不对：请按“年-月”填写，例如 1988-03');
    expect(items).toContain('请选择安置地旗县（市、区）');
    for (const text of items) expect(text).not.toMatch(/\b[a-z]{3,}\b/i);
    expect(field('registration.name').value).toBe('李四');
    expect(field('facts.service.enlistment').value).toBe('1988年13月');
    expect(errorOf('facts.person.idNumber')).toBe('请填写身份证号码');
    expect(field('facts.person.idNumber').getAttribute('aria-invalid')).toBe('true');
    expect(await device.cases.count()).toBe(0);
  });

  it('saves example 01 as a case with the clerk, shows its number and determination, and leaves no draft', async () => {
    const device = await freshDevice({ clerk: '王丽' });
    await renderIntake(device);
    fillCase(example01);
    await waitFor(() => expect(screen.getByTestId('figure-backPayMonths').textContent).toContain('57个月'));
    expect(screen.getByTestId('figure-unitAmount').textContent).toContain('33550.20元');
    expect(screen.getByTestId('figure-unitAmount').textContent).toContain('NM43-1.3.a');
    expect(screen.getByTestId('figure-unitAmount').textContent).toContain('待核实');
    expect(screen.getByTestId('routing').textContent).toContain('原安置单位');
    save();

    const number = await findSavedCaseNumber();
    expect(screen.getByTestId('saved-note').textContent).toBe('已保存登记。');
    const [summary] = await device.cases.listNewest();
    expect(number.textContent).toBe(summary!.caseNumber);
    expect(summary!.caseNumber).toMatch(/^150102-[0-9A-Z]{8}-00001$/);
    expect(window.location.hash).toBe(`#/intake/${summary!.id}`);
    const record = await device.cases.get(summary!.id);
    expect(record?.facts).toEqual(example01);
    expect(record?.registration).toEqual(REGISTRATION);
    expect(record?.createdBy).toBe('王丽');
    expect(record?.determination.pension?.backPayMonths).toBe(57);
    expect(screen.getByRole('link', { name: '打印回执' }).getAttribute('href')).toBe(`#/cases/${summary!.id}/print/receipt`);
    expect(screen.getByRole('link', { name: '打印申请表' }).getAttribute('href')).toBe(`#/cases/${summary!.id}/print/form`);
    expect(await device.db.drafts.count()).toBe(0);
    expect(unsavedInput.hasUnsavedInput()).toBe(false);
  });

  it('will not save without a clerk on shift', async () => {
    const device = await freshDevice({ clerk: null });
    await renderIntake(device);
    expect(screen.getByTestId('shift-bar').textContent).toContain('未登录');
    expect(screen.getByTestId('device-id').textContent).toBe((await device.db.meta.get('device'))?.value && ((await device.db.meta.get('device'))!.value as { deviceId: string }).deviceId);
    fillCase(example01);
    save();
    expect((await screen.findByTestId('submit-error')).textContent).toContain('当班经办人');
    expect(await device.cases.count()).toBe(0);
  });

  it('restores a half-filled form from its draft after the screen is closed', async () => {
    const device = await freshDevice();
    const first = await renderIntake(device);
    typeInto('facts.person.idNumber', example01.person.idNumber);
    typeInto('registration.name', '张三');
    answer('facts.service.militarySubsidyReceived', false);
    expect(unsavedInput.hasUnsavedInput()).toBe(true);
    await waitForDraftSaved();
    first.unmount();
    expect(await device.db.drafts.count()).toBe(1);

    await renderIntake(device);
    await screen.findByTestId('draft-restored');
    expect(field('facts.person.idNumber').value).toBe(example01.person.idNumber);
    expect(field('registration.name').value).toBe('张三');
    expect((document.getElementById('f-facts-service-militarySubsidyReceived-no') as HTMLInputElement).checked).toBe(true);
    // Restored input is unsaved input: the update banner must not reload over it.
    await waitFor(() => expect(unsavedInput.hasUnsavedInput()).toBe(true));

    fireEvent.click(screen.getByRole('button', { name: /放弃草稿/ }));
    await waitFor(() => expect(field('registration.name').value).toBe(''));
    expect(await device.db.drafts.count()).toBe(0);
  });

  it('writes the draft at once when the page is hidden, without waiting for the pause in typing', async () => {
    const device = await freshDevice();
    // A pause that never comes in this test: only the page-hide flush can write the draft.
    await renderIntake(device, { draftDelayMs: 600_000 });
    typeInto('registration.name', '王五');
    await new Promise((r) => setTimeout(r, 50));
    expect(await device.db.drafts.count()).toBe(0);
    window.dispatchEvent(new Event('pagehide'));
    await waitFor(async () => expect(((await device.db.drafts.get('intake:new'))?.value as { values: { registration: { name: string } } } | undefined)?.values.registration.name).toBe('王五'));

    typeInto('registration.name', '王五六');
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    await waitFor(async () => expect(((await device.db.drafts.get('intake:new'))?.value as { values: { registration: { name: string } } } | undefined)?.values.registration.name).toBe('王五六'));
  });

  it('warns when the ID number already exists on this device', async () => {
    const device = await freshDevice();
    const existing = await device.cases.create({ facts: example01, registration: REGISTRATION, clerk: '王丽' });
    await renderIntake(device);
    typeInto('facts.person.idNumber', example01.person.idNumber);
    const warning = await screen.findByTestId('duplicate-warning');
    expect(warning.textContent).toContain(existing.caseNumber);
    expect(warning.textContent).toContain('张三');
    // The 15-digit form of the same number is the same person.
    typeInto('facts.person.idNumber', '150102700315003');
    await screen.findByTestId('duplicate-warning');
    typeInto('facts.person.idNumber', '150102196807200133'.slice(0, 17) + idCheckCharacter('15010219680720013'));
    await waitFor(() => expect(screen.queryByTestId('duplicate-warning')).toBeNull());
  });

  it('edits a saved case: the change is a new revision, kept in its history with who and when', async () => {
    const device = await freshDevice({ clerk: '赵敏' });
    const created = await device.cases.create({ facts: example01, registration: REGISTRATION, clerk: '王丽' });
    await renderIntake(device, { hash: `#/intake/${created.id}` });
    expect(screen.getByTestId('case-number').textContent).toBe(created.caseNumber);
    expect(field('registration.name').value).toBe('张三');
    // Editing its own case raises no duplicate warning.
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByTestId('duplicate-warning')).toBeNull();

    typeInto('registration.phone', '13900139000');
    save();
    await waitFor(() => expect(screen.getByTestId('saved-note').textContent).toBe('修改已保存，已记入历史。'), { timeout: SAVE_TIMEOUT });
    const updated = await device.cases.get(created.id);
    expect(updated?.revision).toBe(2);
    expect(updated?.registration.phone).toBe('13900139000');
    expect(updated?.updatedBy).toBe('赵敏');
    const history = await device.cases.history(created.id);
    expect(history.map((e) => [e.action, e.actor])).toEqual([
      ['case.create', '王丽'],
      ['case.update', '赵敏'],
    ]);
    expect(history[1]!.changes).toContainEqual({ path: 'registration.phone', before: '13800138000', after: '13900139000' });
  });

  it('withdraws a saved case only with a reason, and then refuses edits', async () => {
    const device = await freshDevice();
    const created = await device.cases.create({ facts: example01, registration: REGISTRATION, clerk: '王丽' });
    await renderIntake(device, { hash: `#/intake/${created.id}` });
    fireEvent.click(screen.getByRole('button', { name: '撤回此受理…' }));
    fireEvent.click(screen.getByRole('button', { name: '确认撤回' }));
    expect(await screen.findByText('请填写撤回原因')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('撤回原因'), { target: { value: '本人放弃申请' } });
    fireEvent.click(screen.getByRole('button', { name: '确认撤回' }));
    await waitFor(() => expect(screen.getByTestId('saved-note').textContent).toBe('已撤回。'), { timeout: SAVE_TIMEOUT });
    expect((await device.cases.get(created.id))?.status).toBe('withdrawn');
    const history = await device.cases.history(created.id);
    expect(history.at(-1)).toMatchObject({ action: 'case.withdraw', reason: '本人放弃申请' });
    expect(screen.queryByRole('button', { name: '保存修改' })).toBeNull();
    expect(field('registration.name').closest('fieldset')?.disabled).toBe(true);
  });
});

describe('the form’s hints', () => {
  it('ask for contributions before enlistment too, and take the base and rates as at the time of back-payment', async () => {
    await renderIntake(await freshDevice());
    const insurance = document.getElementById('section-insurance')!.textContent!;
    expect(insurance).toContain('入伍前和退役后实际缴费的各段时间都要填');
    const dates = document.getElementById('section-dates')!.textContent!;
    expect(dates).not.toMatch(/上年度[^。]*费率/);
    expect(dates).toContain('费率按此日期安置地的规定');
    expect(dates).toContain('上年度职工平均工资的60%');
    // The law's date is the device's parameter set's, the only one the form has before a determination.
    expect(document.getElementById('section-service')!.textContent).toContain('2012年7月1日《军人保险法》施行后退役的');
  });
});

describe('the determination panel', () => {
  it('says what is still missing before the facts are complete', async () => {
    await renderIntake(await freshDevice());
    typeInto('facts.person.idNumber', example01.person.idNumber);
    const incomplete = await screen.findByTestId('det-incomplete');
    expect(incomplete.textContent).toContain('出生 1970年3月 · 男');
    expect(incomplete.textContent).toContain('请填写入伍时间');
    expect(screen.getByTestId('disclaimer').textContent).toContain('测算结果仅供参考，以经办机构核定为准');
    expect(screen.getByTestId('checklist').textContent).toContain('居民身份证');
  });

  it('follows the facts as they change, keeping the last figures marked while a month is half typed', async () => {
    await renderIntake(await freshDevice());
    fillCase(example01);
    await waitFor(() => expect(screen.getByTestId('figure-gapMonths').textContent).toContain('219个月'));
    fireEvent.change(field('facts.pension.periods.0.to'), { target: { value: '200' } });
    const stale = await screen.findByTestId('det-stale');
    expect(stale.textContent).toContain('养老保险缴费记录第1段的截止月份格式不对');
    expect(screen.getByTestId('figure-gapMonths').closest('.det-body-stale')).not.toBeNull();
    expect(screen.getByTestId('det-summary').textContent).toContain('还需填写 1 项');
    fireEvent.change(field('facts.pension.periods.0.to'), { target: { value: '2003-12' } });
    await waitFor(() => expect(screen.getByTestId('figure-gapMonths').textContent).toContain('189个月'));
    expect(screen.queryByTestId('det-stale')).toBeNull();
    expect(screen.getByTestId('det-summary').textContent).toBe('可补缴 57 个月 · 单位 33550.20 元 · 个人 16775.10 元 ↓');
    // Typing a name does not touch the figures.
    typeInto('registration.name', '张三丰');
    expect(screen.getByTestId('figure-gapMonths').textContent).toContain('189个月');
  });

  it('explains a case outside the notice’s rules and what the clerk can do next', async () => {
    const device = await freshDevice();
    await renderIntake(device);
    fillCase(example03);
    const out = await screen.findByTestId('out-of-scope');
    expect(out.textContent).toContain('2012年7月1日以后退役且未领取军人退役基本养老保险补助');
    expect(out.textContent).toContain('下一步：');
    expect(out.textContent).toContain('报县局审核');
    // It can still be recorded for county review.
    save();
    await findSavedCaseNumber();
    const [summary] = await device.cases.listNewest();
    expect(summary?.inScope).toBe(false);
  });

  it('shows the engine’s refusal in Chinese when a parameter is not in force', async () => {
    await renderIntake(await freshDevice(), { today: '2040-01-10' });
    fillCase({ ...example01, asOf: '2040-01-10', applicationDate: '2040-01-10' });
    const error = await screen.findByTestId('det-error');
    expect(error.textContent).toMatch(/本设备参数中尚无\d{4}年度职工平均工资/);
  });

  it('shows the trace with the parameters’ provenance, provisional ones marked 待核实', async () => {
    await renderIntake(await freshDevice());
    fillCase(example01);
    const why = await screen.findByTestId('why');
    // Built only when opened.
    expect(why.textContent).not.toContain('养老保险补缴金额');
    act(() => {
      (why as HTMLDetailsElement).open = true;
    });
    fireEvent(why, new Event('toggle'));
    await waitFor(() => expect(why.textContent).toContain('养老保险补缴金额'));
    expect(why.textContent).toContain('军龄计算方法：退役月份减入伍月份约定');
    expect(why.textContent).toContain('2018年度全区职工平均工资：6131.25元/月待核实');
    expect(why.textContent).toContain('一（一）第二段');
    expect(why.textContent).toContain('允许按不超过本人军龄的年限补缴');
    expect(screen.getByTestId('parameters-version').textContent).toBe('nm43-default-2026.1');
    expect(TODAY).toBe(example01.asOf);
  });
});
