// 经办机构测算 (NM43-1.4.b): what the pension or medical agency computed for the case, side by side with
// the server's re-run of the engine on the agency's months as of the agency's computation date. A
// difference is shown with its amount, in words and with a mark, never by colour alone; a superseded
// finding stays listed.
import { useState } from 'react';
import type { AgencyFindingInput, AgencyFindingView, AgencyTrack } from '../../../shared/admin-api';
import type { CaseDetail } from '../api';

export const TRACK_ZH: Readonly<Record<AgencyTrack, string>> = { pension: '养老保险', medical: '医疗保险' };

interface Draft {
  track: AgencyTrack;
  gapMonths: string;
  unitAmount: string;
  individualAmount: string;
  agencyName: string;
  documentNumber: string;
  documentDate: string;
  computedOn: string;
}

const EMPTY: Draft = { track: 'pension', gapMonths: '', unitAmount: '', individualAmount: '', agencyName: '', documentNumber: '', documentDate: '', computedOn: '' };

const LABEL: Readonly<Record<Exclude<keyof Draft, 'track'>, string>> = {
  gapMonths: '中断月数',
  unitAmount: '单位缴费金额（元）',
  individualAmount: '个人缴费金额（元）',
  agencyName: '经办机构',
  documentNumber: '文号',
  documentDate: '文件日期',
  computedOn: '测算日期',
};

const YUAN = /^\d{1,11}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Each problem of the form in Chinese, keyed by its field. */
export function findingProblems(d: Draft): Partial<Record<keyof Draft, string>> {
  const out: Partial<Record<keyof Draft, string>> = {};
  if (!/^\d{1,4}$/.test(d.gapMonths.trim()) || Number(d.gapMonths) > 1200) out.gapMonths = `「${LABEL.gapMonths}」须为0至1200的整数。`;
  for (const k of ['unitAmount', 'individualAmount'] as const) if (!YUAN.test(d[k].trim())) out[k] = `「${LABEL[k]}」须为不小于0的金额，最多两位小数。`;
  for (const k of ['agencyName', 'documentNumber'] as const) if (d[k].trim() === '') out[k] = `请填写「${LABEL[k]}」。`;
  for (const k of ['documentDate', 'computedOn'] as const) if (!DATE.test(d[k])) out[k] = `请填写「${LABEL[k]}」（年-月-日）。`;
  return out;
}

function Difference({ f }: { f: AgencyFindingView }) {
  if (!f.differs) return <span data-testid="agency-finding-same">✓ 一致</span>;
  const amount = f.differenceAmount.startsWith('-') ? f.differenceAmount : `+${f.differenceAmount}`;
  return (
    <strong className="county-difference" data-testid="agency-finding-differs">
      ⚠ 不一致：经办机构比系统测算 {amount} 元{f.engine.gapMonths !== null && f.engine.gapMonths !== f.gapMonths && `；月数 ${f.gapMonths} 与 ${f.engine.gapMonths} 不同`}
    </strong>
  );
}

function FindingTable({ f }: { f: AgencyFindingView }) {
  const engine = (v: string | number | null) => (v === null ? '—' : String(v));
  return (
    <table className="county-findings" data-testid="agency-finding">
      <caption>
        {TRACK_ZH[f.track]} · {f.agencyName} {f.documentNumber}（{f.documentDate}，测算日期 {f.computedOn}）· 登记人 {f.recordedBy}
        {f.supersededBy !== null && ' · 已被后来的测算取代'}
      </caption>
      <thead>
        <tr>
          <th scope="col">项目</th>
          <th scope="col">经办机构</th>
          <th scope="col">系统测算（参数 {f.parameterVersion}）</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">中断月数</th>
          <td>{f.gapMonths}</td>
          <td>{engine(f.engine.gapMonths)}</td>
        </tr>
        <tr>
          <th scope="row">单位缴费（元）</th>
          <td>{f.unitAmount}</td>
          <td>{engine(f.engine.unitAmount)}</td>
        </tr>
        <tr>
          <th scope="row">个人缴费（元）</th>
          <td>{f.individualAmount}</td>
          <td>{engine(f.engine.individualAmount)}</td>
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={3}>
            <Difference f={f} />
            {f.engine.error !== null && <p className="field-error">系统未能测算：{engineErrorZh(f.engine.error)}</p>}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function engineErrorZh(error: string): string {
  if (error.startsWith('medical-not-payable')) return '测算日期时尚未达到退休年龄，医疗保险补缴在退休时办理';
  if (error.startsWith('no-pension-figures') || error.startsWith('no-medical-figures')) return '本案件不在补缴范围内';
  if (error.startsWith('not-in-force')) return '测算日期没有有效的参数';
  if (error.startsWith('invalid-case')) return '案件信息不完整或测算日期早于申请日期';
  return error.split(':')[0]!;
}

export function AgencyFindings({ detail, busy, onRecord }: { detail: CaseDetail; busy: boolean; onRecord?: (input: AgencyFindingInput) => Promise<boolean> }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [shown, setShown] = useState(false);
  const findings = detail.agencyFindings ?? [];
  const problems = findingProblems(draft);
  const field = (k: Exclude<keyof Draft, 'track'>, type: 'text' | 'date' = 'text') => (
    <p key={k}>
      <label htmlFor={`agency-${k}`} className="field-label">
        {LABEL[k]}
      </label>
      <input
        id={`agency-${k}`}
        type={type}
        inputMode={k === 'gapMonths' ? 'numeric' : k.endsWith('Amount') ? 'decimal' : undefined}
        value={draft[k]}
        aria-invalid={shown && problems[k] !== undefined}
        aria-describedby={shown && problems[k] ? `agency-${k}-error` : undefined}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
      />
      {shown && problems[k] && (
        <span id={`agency-${k}-error`} className="field-error" role="alert">
          {problems[k]}
        </span>
      )}
    </p>
  );
  return (
    <section aria-label="经办机构测算" data-testid="agency-findings">
      <h4>经办机构测算</h4>
      {findings.length === 0 ? <p>尚未登记经办机构的测算结果。</p> : [...findings].reverse().map((f) => <FindingTable key={f.id} f={f} />)}
      {onRecord && (
        <form
          aria-label="登记经办机构测算"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setShown(true);
            if (Object.keys(problems).length > 0) return;
            const input: AgencyFindingInput = {
              track: draft.track,
              gapMonths: Number(draft.gapMonths),
              unitAmount: draft.unitAmount.trim(),
              individualAmount: draft.individualAmount.trim(),
              agencyName: draft.agencyName.trim(),
              documentNumber: draft.documentNumber.trim(),
              documentDate: draft.documentDate,
              computedOn: draft.computedOn,
            };
            void onRecord(input).then((ok) => {
              if (ok) {
                setDraft(EMPTY);
                setShown(false);
              }
            });
          }}
        >
          <fieldset>
            <legend>险种</legend>
            {(['pension', 'medical'] as const).map((t) => (
              <label key={t}>
                <input type="radio" name="agency-track" value={t} checked={draft.track === t} onChange={() => setDraft({ ...draft, track: t })} />
                {TRACK_ZH[t]}
              </label>
            ))}
          </fieldset>
          {field('gapMonths')}
          {field('unitAmount')}
          {field('individualAmount')}
          {field('agencyName')}
          {field('documentNumber')}
          {field('documentDate', 'date')}
          {field('computedOn', 'date')}
          <button type="submit" className="button button-primary" disabled={busy}>
            登记测算结果
          </button>
        </form>
      )}
    </section>
  );
}
