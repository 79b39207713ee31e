import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderSVG } from 'uqr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyFigures } from '../../../src/features/cases/figures';
import { factSections } from '../../../src/features/cases/facts';
import { documentChecklist, FORM_TITLE, RECEIPT_TITLE } from '../../../src/features/print/PrintDocument';
import { PrintScreen } from '../../../src/features/print/PrintScreen';
import { qrSvg } from '../../../src/features/print/QrCode';
import { closeSeeded, idNumber, renderWithRepos, seed } from '../cases/support';

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
    // This case needs the government's confirmation (NM43-1.2.c) and the 低保 certificate (NM43-1.2.d).
    expect(checklist).toContain('NM43-1.2.c');
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
