// 单位部分承担方确认 (NM43-1.2.b/c): which government confirmed that the unit (or its superior) is gone or
// unable to pay, when, under which document. 核查通过 asks for it when the unit's share is not paid by
// the original unit. A later confirmation supersedes the earlier one; both stay listed.
import { useState } from 'react';
import type { ConfirmedPayer, PayerConfirmationInput } from '../../../shared/admin-api';
import type { CaseDetail } from '../api';

export const CONFIRMED_PAYER_ZH: Readonly<Record<ConfirmedPayer, string>> = {
  superior: '原安置单位不存在或无力缴纳，由上级主管部门补缴',
  fiscal: '上级主管部门不存在或无力缴纳，申请财政资金解决',
};

interface Draft {
  payer: ConfirmedPayer | '';
  government: string;
  confirmedOn: string;
  documentNumber: string;
}

const EMPTY: Draft = { payer: '', government: '', confirmedOn: '', documentNumber: '' };

/** Each problem of the form in Chinese, keyed by its field. */
export function confirmationProblems(d: Draft): Partial<Record<keyof Draft, string>> {
  const out: Partial<Record<keyof Draft, string>> = {};
  if (d.payer === '') out.payer = '请选择「由谁缴纳」。';
  if (d.government.trim() === '') out.government = '请填写「确认的人民政府」。';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.confirmedOn)) out.confirmedOn = '请填写「确认日期」（年-月-日）。';
  if (d.documentNumber.trim() === '') out.documentNumber = '请填写「文号」。';
  return out;
}

export function PayerConfirmation({ detail, busy, onRecord }: { detail: CaseDetail; busy: boolean; onRecord?: (input: PayerConfirmationInput) => Promise<boolean> }) {
  const [draft, setDraft] = useState<Draft>(detail.unitPayer === 'superior' || detail.unitPayer === 'fiscal' ? { ...EMPTY, payer: detail.unitPayer } : EMPTY);
  const [shown, setShown] = useState(false);
  const list = detail.payerConfirmations ?? [];
  const problems = confirmationProblems(draft);
  const needed = detail.unitPayer === 'superior' || detail.unitPayer === 'fiscal';
  const inForce = list.find((c) => c.supersededBy === null);
  const error = (k: keyof Draft) =>
    shown && problems[k] ? (
      <span id={`payer-${k}-error`} className="field-error" role="alert">
        {problems[k]}
      </span>
    ) : null;
  const text = (k: 'government' | 'documentNumber' | 'confirmedOn', label: string, type: 'text' | 'date' = 'text') => (
    <p>
      <label htmlFor={`payer-${k}`} className="field-label">
        {label}
      </label>
      <input
        id={`payer-${k}`}
        type={type}
        value={draft[k]}
        aria-invalid={shown && problems[k] !== undefined}
        aria-describedby={shown && problems[k] ? `payer-${k}-error` : undefined}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      />
      {error(k)}
    </p>
  );
  return (
    <section aria-label="单位部分承担方确认" data-testid="payer-confirmations">
      <h4>单位部分承担方确认</h4>
      {needed && !(inForce && inForce.payer === detail.unitPayer) && (
        <p className="banner banner-warning" data-testid="payer-confirmation-needed">
          ⚠ 本案件单位部分不由原安置单位缴纳：核查通过前须登记同级人民政府的确认。
        </p>
      )}
      {list.length > 0 && (
        <ul>
          {[...list].reverse().map((c) => (
            <li key={c.id} data-testid="payer-confirmation">
              {CONFIRMED_PAYER_ZH[c.payer]} · {c.government} {c.documentNumber}（{c.confirmedOn}）· 登记人 {c.recordedBy}
              {c.supersededBy !== null && ' · 已被后来的确认取代'}
            </li>
          ))}
        </ul>
      )}
      {onRecord && (
        <form
          aria-label="登记单位部分承担方确认"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setShown(true);
            if (Object.keys(problems).length > 0 || draft.payer === '') return;
            const input: PayerConfirmationInput = { payer: draft.payer, government: draft.government.trim(), confirmedOn: draft.confirmedOn, documentNumber: draft.documentNumber.trim() };
            void onRecord(input).then((ok) => {
              if (ok) {
                setDraft(EMPTY);
                setShown(false);
              }
            });
          }}
        >
          <fieldset aria-describedby={shown && problems.payer ? 'payer-payer-error' : undefined}>
            <legend>由谁缴纳</legend>
            {(['superior', 'fiscal'] as const).map((p) => (
              <label key={p}>
                <input type="radio" name="payer-payer" value={p} checked={draft.payer === p} onChange={() => setDraft({ ...draft, payer: p })} />
                {CONFIRMED_PAYER_ZH[p]}
              </label>
            ))}
            {error('payer')}
          </fieldset>
          {text('government', '确认的人民政府')}
          {text('confirmedOn', '确认日期', 'date')}
          {text('documentNumber', '文号')}
          <button type="submit" className="button button-primary" disabled={busy}>
            登记确认
          </button>
        </form>
      )}
    </section>
  );
}
