// The case view's 经办机构测算 and 单位部分承担方确认: the agency's and the engine's figures side by side, a
// difference flagged with its amount in words and a mark (not by colour alone), the forms' Chinese
// messages before the server is asked, and the server's field problems in Chinese.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgencyFindings } from '../../../src/features/county/case/AgencyFindings';
import { PayerConfirmation } from '../../../src/features/county/case/PayerConfirmation';
import { AdminApiError, adminErrorZh, type CaseDetail } from '../../../src/features/county/api';
import type { AgencyFindingView, PayerConfirmationView } from '../../../src/shared/admin-api';

afterEach(cleanup);

const finding = (over: Partial<AgencyFindingView> = {}): AgencyFindingView => ({
  id: 'f1',
  caseId: 'c1',
  track: 'pension',
  gapMonths: 30,
  unitAmount: '12000.00',
  individualAmount: '4800.00',
  agencyName: '新城区社保局',
  documentNumber: '新社保核〔2024〕12号',
  documentDate: '2024-04-20',
  computedOn: '2024-04-18',
  recordedBy: 'reviewer',
  recordedAt: '2024-04-21T02:00:00.000Z',
  engine: { gapMonths: 28, unitAmount: '11200.00', individualAmount: '4480.00', error: null },
  parameterVersion: 'nm43-default-2026.1',
  differs: true,
  differenceAmount: '1120.00',
  auditSeq: 7,
  supersededBy: null,
  ...over,
});

const detail = (over: Partial<CaseDetail> = {}): CaseDetail => ({ id: 'c1', unitPayer: 'unit', agencyFindings: [], payerConfirmations: [], ...over }) as unknown as CaseDetail;

describe('经办机构测算', () => {
  it('shows the agency’s and the engine’s figures side by side and flags a difference with its signed amount and a mark, in red text', () => {
    render(<AgencyFindings detail={detail({ agencyFindings: [finding()] })} busy={false} />);
    const table = screen.getByTestId('agency-finding');
    const rows = within(table).getAllByRole('row').map((r) => within(r).queryAllByRole('cell').map((c) => c.textContent));
    expect(rows).toContainEqual(['30', '28']);
    expect(rows).toContainEqual(['12000.00', '11200.00']);
    const flag = screen.getByTestId('agency-finding-differs');
    expect(flag.textContent).toContain('⚠ 不一致');
    expect(flag.textContent).toContain('+1120.00 元');
    expect(flag.textContent).toContain('月数 30 与 28 不同');
    expect(flag.className).toBe('county-difference');
  });

  it('marks agreement in words, a superseded finding as replaced, and the engine’s refusal in Chinese', () => {
    render(
      <AgencyFindings
        detail={detail({
          agencyFindings: [
            finding({ id: 'old', supersededBy: 'new' }),
            finding({ id: 'new', differs: false, differenceAmount: '0.00' }),
            finding({ id: 'med', track: 'medical', engine: { gapMonths: 10, unitAmount: null, individualAmount: null, error: 'medical-not-payable: …' } }),
          ],
        })}
        busy={false}
      />,
    );
    expect(screen.getByTestId('agency-finding-same').textContent).toBe('✓ 一致');
    expect(screen.getByText(/已被后来的测算取代/)).toBeTruthy();
    expect(screen.getByText(/尚未达到退休年龄/)).toBeTruthy();
  });

  it('names each wrong field in Chinese before asking the server, and sends the finding once they are right', async () => {
    const onRecord = vi.fn(async () => true);
    render(<AgencyFindings detail={detail()} busy={false} onRecord={onRecord} />);
    const form = screen.getByRole('form', { name: '登记经办机构测算' });
    fireEvent.change(within(form).getByLabelText('单位缴费金额（元）'), { target: { value: '12.345' } });
    fireEvent.click(within(form).getByRole('button', { name: '登记测算结果' }));
    expect(within(form).getAllByRole('alert').map((a) => a.textContent)).toEqual([
      '「中断月数」须为0至1200的整数。',
      '「单位缴费金额（元）」须为不小于0的金额，最多两位小数。',
      '「个人缴费金额（元）」须为不小于0的金额，最多两位小数。',
      '请填写「经办机构」。',
      '请填写「文号」。',
      '请填写「文件日期」（年-月-日）。',
      '请填写「测算日期」（年-月-日）。',
    ]);
    expect(onRecord).not.toHaveBeenCalled();

    fireEvent.click(within(form).getByLabelText('医疗保险'));
    const set = (label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    set('中断月数', '10');
    set('单位缴费金额（元）', '900');
    set('个人缴费金额（元）', '300.5');
    set('经办机构', ' 新城区医保局 ');
    set('文号', '医保核〔2024〕3号');
    set('文件日期', '2024-04-20');
    set('测算日期', '2024-04-18');
    fireEvent.click(within(form).getByRole('button', { name: '登记测算结果' }));
    expect(onRecord).toHaveBeenCalledWith({
      track: 'medical',
      gapMonths: 10,
      unitAmount: '900',
      individualAmount: '300.5',
      agencyName: '新城区医保局',
      documentNumber: '医保核〔2024〕3号',
      documentDate: '2024-04-20',
      computedOn: '2024-04-18',
    });
  });

  it('puts the server’s field problems into Chinese', () => {
    const err = new AdminApiError(422, 'invalid-request', '…', [
      { path: 'gapMonths', message: 'required: a whole number of months from 0 to 1200' },
      { path: 'unitAmount', message: 'required: yuan, not negative, with at most two decimals' },
      { path: 'checks.government-confirmation', message: 'required: record the government’s confirmation that the superior pays first (payer-confirmations)' },
    ]);
    expect(adminErrorZh(err)).toBe(
      '填写有误（中断月数：须为0至1200的整数（月）；单位缴费金额：须为不小于0的金额（元），最多两位小数；同级人民政府确认：请先在「单位部分承担方确认」中登记同级人民政府的确认文件）',
    );
  });
});

describe('单位部分承担方确认', () => {
  const confirmation = (over: Partial<PayerConfirmationView> = {}): PayerConfirmationView => ({
    id: 'p1',
    caseId: 'c1',
    payer: 'superior',
    government: '新城区人民政府',
    confirmedOn: '2024-04-10',
    documentNumber: '新政函〔2024〕8号',
    recordedBy: 'reviewer',
    recordedAt: '2024-04-11T02:00:00.000Z',
    auditSeq: 3,
    supersededBy: null,
    ...over,
  });

  it('says in words that 核查通过 needs the confirmation while none for the case’s payer is on record', () => {
    render(<PayerConfirmation detail={detail({ unitPayer: 'superior' })} busy={false} />);
    expect(screen.getByTestId('payer-confirmation-needed').textContent).toContain('核查通过前须登记同级人民政府的确认');
    cleanup();
    render(<PayerConfirmation detail={detail({ unitPayer: 'superior', payerConfirmations: [confirmation()] })} busy={false} />);
    expect(screen.queryByTestId('payer-confirmation-needed')).toBeNull();
    expect(screen.getByTestId('payer-confirmation').textContent).toContain('新城区人民政府 新政函〔2024〕8号（2024-04-10）');
  });

  it('names each missing field in Chinese, then sends the confirmation with the case’s payer chosen', () => {
    const onRecord = vi.fn(async () => true);
    render(<PayerConfirmation detail={detail({ unitPayer: 'fiscal' })} busy={false} onRecord={onRecord} />);
    const form = screen.getByRole('form', { name: '登记单位部分承担方确认' });
    fireEvent.click(within(form).getByRole('button', { name: '登记确认' }));
    expect(within(form).getAllByRole('alert').map((a) => a.textContent)).toEqual(['请填写「确认的人民政府」。', '请填写「确认日期」（年-月-日）。', '请填写「文号」。']);
    fireEvent.change(within(form).getByLabelText('确认的人民政府'), { target: { value: '新城区人民政府' } });
    fireEvent.change(within(form).getByLabelText('确认日期'), { target: { value: '2024-04-10' } });
    fireEvent.change(within(form).getByLabelText('文号'), { target: { value: '新政函〔2024〕9号' } });
    fireEvent.click(within(form).getByRole('button', { name: '登记确认' }));
    expect(onRecord).toHaveBeenCalledWith({ payer: 'fiscal', government: '新城区人民政府', confirmedOn: '2024-04-10', documentNumber: '新政函〔2024〕9号' });
  });
});
