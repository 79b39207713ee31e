import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderSVG } from 'uqr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PARAMETERS, explain, numeralZh, parseParameterSet, type ParameterSet } from '../../../src/domain';
import { createCasesRepository, openJiexuDb } from '../../../src/storage';
import { freshName } from '../../storage/support';
import { keyFigures } from '../../../src/features/cases/figures';
import { factSections } from '../../../src/features/cases/facts';
import { documentChecklist, FORM_TITLE, RECEIPT_TITLE } from '../../../src/features/print/PrintDocument';
import { PrintScreen } from '../../../src/features/print/PrintScreen';
import { qrSvg } from '../../../src/features/print/QrCode';
import { caseFacts, closeSeeded, idNumber, registration, renderWithRepos, seed } from '../cases/support';

afterEach(() => {
  cleanup();
  closeSeeded();
  vi.restoreAllMocks();
});

const DISCLAIMER = '测算结果仅供参考，以经办机构核定为准';
const ZHANG = {
  name: '张三',
  id: idNumber('19700315', '003'),
  registration: { address: '呼和浩特市新城区海拉尔东路12号', otherInsuranceNote: '曾参加失业保险', confirmedBy: '新城区人民政府' },
  facts: { assistance: { dibao: true, tekun: false }, placement: { countyCode: '150102', unitExists: false, unitCanPay: false, superiorExists: true, superiorCanPay: true } },
};

describe('the application form (申请表)', () => {
  it('carries every fact and registration field, the case number, the determination with citations, the disclaimer and the parameter version', async () => {
    const s = await seed([ZHANG]);
    const r = s.records[0]!;
    renderWithRepos(<PrintScreen caseId={r.id} kind="form" />, s.dbName);
    const form = await screen.findByTestId('print-form');
    const text = form.textContent!;

    expect(screen.getByRole('heading', { name: FORM_TITLE })).toBeTruthy();
    expect(screen.getByTestId('print-case-number').textContent).toBe(r.caseNumber);
    // Every row of every section, label and value, is on the form; the full ID number too.
    const rows = factSections(r).flatMap((section) => section.rows);
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const cell = form.querySelector(`[data-field="${row.path}"]`);
      expect(cell?.querySelector('th')?.textContent, row.path).toBe(row.label);
      expect(cell?.querySelector('td')?.textContent, row.path).toBe(row.value);
    }
    expect(text).toContain(ZHANG.id);
    expect(text).toContain('呼和浩特市新城区海拉尔东路12号');
    expect(text).toContain('新城区人民政府');
    expect(text).toContain('曾参加失业保险');

    for (const f of keyFigures(r.determination)) {
      const figure = form.querySelector(`[data-figure="${f.key}"]`);
      expect(figure?.textContent, f.key).toContain(f.value);
      expect(figure?.textContent, f.key).toContain(`（${f.rule}）`);
    }
    // The unit is gone: the superior pays, by 一（二）第二段.
    expect(form.querySelector('[data-figure="pension.unitPayer"]')!.textContent).toContain('原安置单位上级主管部门');
    expect(form.querySelector('[data-figure="pension.unitPayer"]')!.textContent).toContain('NM43-1.2.b');

    expect(screen.getByTestId('disclaimer').textContent).toContain(DISCLAIMER);
    expect(screen.getByTestId('parameter-version').textContent).toContain(`参数版本 ${r.parameterSetVersion}`);
    // The case's QR code, so the county office can scan the paper form.
    const qr = within(form).getByRole('img', { name: `案件二维码：${r.id}` });
    expect(qr.querySelector('svg path')?.getAttribute('d')).toBe(/<path[^>]* d="([^"]+)"/.exec(qrSvg(r.id))?.[1]);
    expect(text).toContain('申请人（签字）');
    expect(text).toContain('经办人（签字）');
    expect(text).toContain('王丽');
  });

  it('prints with the browser’s print dialog', async () => {
    const s = await seed([ZHANG]);
    const print = vi.fn();
    vi.stubGlobal('print', print);
    renderWithRepos(<PrintScreen caseId={s.records[0]!.id} kind="form" />, s.dbName);
    fireEvent.click(await screen.findByRole('button', { name: '打印' }));
    expect(print).toHaveBeenCalledTimes(1);
    vi.unstubAllGlobals();
  });

  it('names the printout after the case, for the PDF file and the print queue', async () => {
    const s = await seed([ZHANG]);
    const r = s.records[0]!;
    renderWithRepos(<PrintScreen caseId={r.id} kind="form" />, s.dbName);
    await screen.findByTestId('print-form');
    // The title is set by an effect, which may run a task after the form is shown.
    await waitFor(() => expect(document.title).toBe(`申请表 ${r.caseNumber} 张三`));
  });
});

describe('the receipt (回执)', () => {
  it('has the case number, name, masked ID number, clerk, date, checklist, disclaimer, parameter version and a QR code of the case id', async () => {
    const s = await seed([ZHANG]);
    const r = s.records[0]!;
    renderWithRepos(<PrintScreen caseId={r.id} kind="receipt" />, s.dbName);
    const receipt = await screen.findByTestId('print-receipt');
    const text = receipt.textContent!;

    expect(screen.getByRole('heading', { name: RECEIPT_TITLE })).toBeTruthy();
    expect(screen.getByTestId('print-case-number').textContent).toBe(r.caseNumber);
    expect(text).toContain('张三');
    expect(text).toContain(`150102********${ZHANG.id.slice(-4)}`);
    expect(text).not.toContain(ZHANG.id);
    expect(text).toContain('经办人王丽');
    expect(text).toContain('受理地呼和浩特市 新城区');
    expect(text).toContain(r.deviceId);
    expect(text).toMatch(/受理日期\d{4}年\d{1,2}月\d{1,2}日/);

    const checklist = screen.getByTestId('checklist').textContent!;
    for (const item of documentChecklist(r)) expect(checklist).toContain(item.text);
    // This case needs the government's confirmation (一（二）第三段) and the 低保 certificate (一（二）第四段).
    expect(checklist).toContain('通知一（二）第三段');
    expect(checklist).toContain('最低生活保障对象或特困人员的证明');

    expect(screen.getByTestId('disclaimer').textContent).toContain(DISCLAIMER);
    expect(screen.getByTestId('parameter-version').textContent).toContain(`参数版本 ${r.parameterSetVersion}`);

    // The QR code is uqr's SVG of exactly the case id.
    const qr = screen.getByRole('img', { name: `案件二维码：${r.id}` });
    const svg = qr.querySelector('svg');
    expect(svg).not.toBeNull();
    const modules = (markup: string) => /<path[^>]* d="([^"]+)"/.exec(markup)?.[1];
    const drawn = svg!.querySelector('path')!.getAttribute('d');
    expect(drawn).toBe(modules(renderSVG(r.id, { ecc: 'M', border: 2, pixelSize: 4 })));
    expect(drawn).toBe(modules(qrSvg(r.id)));
    expect(drawn).not.toBe(modules(qrSvg(`${r.id}x`)));
  });

  it('lists only the documents every case needs when the unit pays and there is no assistance', async () => {
    const s = await seed([{ name: '李四', id: idNumber('19680720', '013') }]);
    expect(documentChecklist(s.records[0]!).map((i) => i.rule)).toEqual(['NM43-1.4.a', 'NM43-1.4.a', 'NM43-1.4.a']);
  });

  it('says when the case is not on this device', async () => {
    const s = await seed([]);
    renderWithRepos(<PrintScreen caseId="0190e3a0-0000-7000-8000-000000000000" kind="receipt" />, s.dbName);
    expect((await screen.findByRole('alert')).textContent).toContain('找不到该案件');
  });
});

const LI = { name: '李四', id: idNumber('19680720', '013') };
const GONE = {
  name: '王五',
  id: idNumber('19690101', '015'),
  registration: { confirmedBy: '新城区人民政府' },
  facts: { placement: { countyCode: '150102', unitExists: false, unitCanPay: false, superiorExists: false, superiorCanPay: false } },
};
const LATE = { name: '赵六', id: idNumber('19680720', '031'), facts: { applicationDate: '2020-03-10', asOf: '2020-04-15' } };

async function printed(person: Parameters<typeof seed>[0][number], kind: 'form' | 'receipt') {
  const s = await seed([person]);
  renderWithRepos(<PrintScreen caseId={s.records[0]!.id} kind={kind} />, s.dbName);
  const sheet = await screen.findByTestId(kind === 'form' ? 'print-form' : 'print-receipt');
  return { sheet, record: s.records[0]! };
}

describe('the printed form puts the veteran’s word, the estimate and the officials’ findings apart', () => {
  it('has the applicant’s promise before the figures, so that he does not vouch for them', async () => {
    const { sheet } = await printed(ZHANG, 'form');
    const text = sheet.textContent!;
    expect(text.indexOf('本人承诺')).toBeGreaterThan(0);
    expect(text.indexOf('本人承诺')).toBeLessThan(text.indexOf('测算结果'));
    expect(text.indexOf('申请人（签字）')).toBeLessThan(text.indexOf('测算结果'));
  });

  it('leaves every signature line blank for a hand signature, and the seal with its date', async () => {
    const { sheet } = await printed(ZHANG, 'form');
    const clerk = within(sheet).getByTestId('sign-clerk');
    expect(clerk.textContent).toContain('经办人（签字）');
    expect(clerk.querySelector('.signature-line')!.textContent).toBe('');
    expect(clerk.textContent).not.toContain('王丽');
    expect(within(sheet).getByTestId('sign-seal').textContent).toMatch(/受理单位（盖章）：\s*年\s*月\s*日/);
  });

  it('has boxes for the county’s check, civil affairs’ verification of a claimed 低保 and the agencies’ findings', async () => {
    const { sheet } = await printed(ZHANG, 'form');
    expect(within(sheet).getByTestId('verify-county').textContent).toMatch(/服役经历.*退役方式/);
    expect(within(sheet).getByTestId('verify-civil-affairs').textContent).toContain('民政部门核实');
    expect(within(sheet).getByTestId('verify-government').textContent).toContain('同级人民政府确认');
    for (const agency of ['verify-pension', 'verify-medical']) expect(within(sheet).getByTestId(agency).textContent).toContain('应补缴金额');
    expect(within(sheet).getByTestId('verify-pension').textContent).toContain('断缴时间');
    cleanup();
    const plain = await printed(LI, 'form');
    expect(within(plain.sheet).queryByTestId('verify-civil-affairs')).toBeNull();
  });

  it('numbers its parts 一、二、… in order, past 十 too', async () => {
    const { sheet } = await printed(ZHANG, 'form');
    const headings = [...sheet.querySelectorAll('h3')].map((h) => h.textContent!).filter((t) => t.includes('、'));
    expect(headings.length).toBeGreaterThan(10);
    expect(headings.map((t) => t.split('、')[0])).toEqual(headings.map((_, i) => numeralZh(i + 1)));
  });

  it('lists the attachments and prints what the veteran was told, without internal ids', async () => {
    const { sheet, record } = await printed(ZHANG, 'form');
    const attachments = within(sheet).getByTestId('print-attachments').textContent!;
    expect(attachments).toContain('有效身份证件');
    expect(attachments).toContain('退役证明');
    const told = within(sheet).getByTestId('print-explanation').textContent!;
    for (const s of explain(record.determination)) expect(told).toContain(s.text);
    expect(told).not.toMatch(/NM43-|RA-2024/);
  });
});

describe('the receipt says no more than the notice', () => {
  it('gives the amounts with their payer and as an estimate the agencies settle, without internal ids', async () => {
    const { sheet } = await printed(ZHANG, 'receipt');
    const summary = within(sheet).getByTestId('receipt-summary').textContent!;
    expect(summary).toContain('经同级人民政府确认后由原安置单位上级主管部门负担');
    expect(summary).toContain('由本人负担');
    expect(summary).toContain('以养老、医疗保险经办机构认定和计算的为准');
    expect(summary).not.toContain('应补缴3');
    expect(sheet.textContent).not.toMatch(/NM43-|RA-2024/);
  });

  it('says that a late application is for the county to decide', async () => {
    const { sheet } = await printed(LATE, 'receipt');
    expect(within(sheet).getByTestId('receipt-summary').textContent).toContain('申请晚于本通知规定的申请截止时间（2019年12月31日）');
  });

  it('sends a veteran with no unit and no superior straight to the department that handled the placement', async () => {
    const { sheet } = await printed(GONE, 'receipt');
    const routing = within(sheet).getByTestId('receipt-routing').textContent!;
    expect(routing).toContain('由您本人将所需材料直接提交原办理安置手续层级的退役军人事务主管部门');
    expect(routing).not.toContain('由其收齐');
    expect(routing).not.toContain('安置地退役军人事务主管部门');
  });
});

describe('the printed form under a county’s own parameters', () => {
  it('shows the parameter set’s cap, wage and deadline, not the default ones', async () => {
    const copy = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)) as ParameterSet;
    copy.version = 'county-test';
    copy.fixed.extensionCapMonths[0]!.value = 48;
    copy.fixed.applicationDeadline[0]!.value = '2019-11-30';
    copy.wages.region = copy.wages.region.map((w) => (w.year === 2019 ? { ...w, value: '7000.00' } : w));
    const params = parseParameterSet(copy);
    const dbName = freshName();
    const db = await openJiexuDb(dbName);
    // Retired in 2010 with 48 months of service and nothing paid: short by more than the cap.
    const facts = caseFacts({
      asOf: '2020-04-15',
      applicationDate: '2019-12-10',
      person: { idNumber: idNumber('19500315', '011'), femaleCategory: null },
      service: { enlistment: '1968-03', discharge: '1972-03', militarySubsidyReceived: false },
      pension: { insuredAtEnlistment: false, firstInsured: null, periods: [], agencyGapMonths: null },
    });
    const record = await createCasesRepository(db, { parameters: () => params }).create({ facts, registration: registration({ name: '钱七' }), clerk: '王丽' });
    db.close();
    renderWithRepos(<PrintScreen caseId={record.id} kind="form" />, dbName);
    const told = (await screen.findByTestId('print-explanation')).textContent!;
    expect(told).toContain('延长缴费4年后仍不足');
    expect(told).toContain('2019年度全区职工月平均工资7000.00元');
    expect(told).toContain('申请截止时间是2019年11月30日');
    expect(told).not.toMatch(/5年后|6508\.67|2019年12月31日/);
    expect(screen.getByTestId('parameter-version').textContent).toContain('county-test');
  });
});
