// A case's signed lifecycle in the county page's case detail: where it stands, every signed step (void
// ones marked, with the audit entry that signs them), and a button for each step the signed-in role may
// take from the current status, as the server's policy table answers (`allowedSteps`). Each step has a
// form: 说明 always, the sub-checks for 核查通过, the reason the veteran is told for 不符合.
import { useState } from 'react';
import {
  CASE_STEP_ZH,
  LIFECYCLE_STATUS_ZH,
  requiredVerificationChecks,
  VERIFICATION_CHECK_ZH,
  type CaseStep,
  type CaseStepView,
  type VerificationCheck,
  type VerificationCheckRecord,
} from '../../../shared/case-lifecycle';
import { ROLE_ZH, type CaseDetail, type StepRequest } from '../api';
import type { Role } from '../../../shared/roles';
import { when } from '../common/when';

/** The sub-checks 核查通过 needs for this case (the server asks for the same). */
function checksFor(detail: CaseDetail): VerificationCheck[] {
  const a = detail.facts?.assistance;
  return requiredVerificationChecks({ assisted: a?.dibao === true || a?.tekun === true, unitPayer: detail.unitPayer });
}

type CheckDraft = Omit<VerificationCheckRecord, 'check'>;
const EMPTY_CHECK: CheckDraft = { documentNumber: '', documentDate: '', recordedBy: '' };

/** Each problem of the form, in Chinese naming its field, keyed by the input it belongs to. */
function problemsOf(step: CaseStep, comment: string, reason: string, checks: VerificationCheck[], drafts: Partial<Record<VerificationCheck, CheckDraft>>): Record<string, string> {
  const out: Record<string, string> = {};
  if (comment.trim() === '') out.comment = '请填写「说明」。';
  if (step === 'not-eligible' && reason.trim() === '') out.reason = '请填写「告知退役士兵的理由」，用通俗的话写明为什么不符合。';
  if (step === 'verified') {
    for (const c of checks) {
      const d = drafts[c] ?? EMPTY_CHECK;
      const label = VERIFICATION_CHECK_ZH[c];
      if (d.documentNumber.trim() === '') out[`${c}.documentNumber`] = `请填写「${label}」的「依据文件文号」。`;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d.documentDate)) out[`${c}.documentDate`] = `请填写「${label}」的「文件日期」。`;
      if (d.recordedBy.trim() === '') out[`${c}.recordedBy`] = `请填写「${label}」的「核实人」。`;
    }
  }
  return out;
}

function StepForm({ detail, step, busy, onSubmit, onCancel }: { detail: CaseDetail; step: CaseStep; busy: boolean; onSubmit(input: StepRequest): void; onCancel(): void }) {
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [drafts, setDrafts] = useState<Partial<Record<VerificationCheck, CheckDraft>>>({});
  const [shown, setShown] = useState(false);
  const checks = step === 'verified' ? checksFor(detail) : [];
  const problems = problemsOf(step, comment, reason, checks, drafts);
  const problem = (key: string) =>
    shown && problems[key] ? (
      <p className="field-error" role="alert">
        {problems[key]}
      </p>
    ) : null;
  const set = (c: VerificationCheck, field: keyof CheckDraft, value: string) => setDrafts((prev) => ({ ...prev, [c]: { ...(prev[c] ?? EMPTY_CHECK), [field]: value } }));
  const id = (key: string) => `step-${detail.id}-${key}`;

  return (
    <form
      className="county-form"
      aria-label={`办理：${CASE_STEP_ZH[step]}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setShown(true);
        if (Object.keys(problems).length > 0) return;
        onSubmit({
          step,
          comment: comment.trim(),
          ...(step === 'verified' ? { checks: checks.map((c) => ({ check: c, ...(drafts[c] ?? EMPTY_CHECK) })) } : {}),
          ...(step === 'not-eligible' ? { reasonForVeteran: reason.trim() } : {}),
        });
      }}
    >
      <h5>{CASE_STEP_ZH[step]}</h5>
      {checks.map((c) => (
        <fieldset key={c} className="county-step-check">
          <legend>{VERIFICATION_CHECK_ZH[c]}</legend>
          <label className="field-label" htmlFor={id(`${c}-number`)}>
            依据文件文号
          </label>
          <input id={id(`${c}-number`)} maxLength={64} value={drafts[c]?.documentNumber ?? ''} onChange={(e) => set(c, 'documentNumber', e.target.value)} />
          {problem(`${c}.documentNumber`)}
          <label className="field-label" htmlFor={id(`${c}-date`)}>
            文件日期
          </label>
          <input id={id(`${c}-date`)} type="date" value={drafts[c]?.documentDate ?? ''} onChange={(e) => set(c, 'documentDate', e.target.value)} />
          {problem(`${c}.documentDate`)}
          <label className="field-label" htmlFor={id(`${c}-by`)}>
            核实人
          </label>
          <input id={id(`${c}-by`)} maxLength={64} value={drafts[c]?.recordedBy ?? ''} onChange={(e) => set(c, 'recordedBy', e.target.value)} />
          {problem(`${c}.recordedBy`)}
        </fieldset>
      ))}
      {step === 'not-eligible' && (
        <>
          <label className="field-label" htmlFor={id('reason')}>
            告知退役士兵的理由（用通俗的话写明）
          </label>
          <textarea id={id('reason')} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          {problem('reason')}
        </>
      )}
      <label className="field-label" htmlFor={id('comment')}>
        {step === 'correction-requested' ? '说明（写明需要窗口补充或更正的内容）' : '说明'}
      </label>
      <textarea id={id('comment')} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
      {problem('comment')}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          签署：{CASE_STEP_ZH[step]}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </form>
  );
}

function StepItem({ s }: { s: CaseStepView }) {
  return (
    <li className={s.void ? 'county-step county-step-void' : 'county-step'} data-testid="county-step">
      <p>
        <strong>{CASE_STEP_ZH[s.step]}</strong>（{LIFECYCLE_STATUS_ZH[s.fromStatus]} → {LIFECYCLE_STATUS_ZH[s.toStatus]}）· {s.actor}
        {s.role ? `（${ROLE_ZH[s.role as Role] ?? s.role}）` : ''} · {when(s.at)}
        {s.void && <strong className="county-flag"> 已作废（窗口补正后重新核查）</strong>}
      </p>
      <p>说明：{s.comment}</p>
      {s.reasonForVeteran && <p>告知退役士兵的理由：{s.reasonForVeteran}</p>}
      {s.checks && (
        <ul>
          {s.checks.map((c) => (
            <li key={c.check}>
              {VERIFICATION_CHECK_ZH[c.check]}：文号 {c.documentNumber} · {c.documentDate} · 核实人 {c.recordedBy}
            </li>
          ))}
        </ul>
      )}
      <p className="county-step-signature">
        审计链签名 #{s.auditSeq} <code>{s.auditHash.slice(0, 16)}…</code>
      </p>
    </li>
  );
}

export function CaseLifecycle({ detail, busy, onTake }: { detail: CaseDetail; busy: boolean; onTake(input: StepRequest): Promise<boolean> }) {
  const [open, setOpen] = useState<CaseStep | null>(null);
  const steps = detail.steps ?? [];
  const allowed = detail.allowedSteps ?? [];
  return (
    <section aria-label="办理进度" data-testid="county-lifecycle">
      <h4>
        办理状态：<span data-testid="county-lifecycle-status">{LIFECYCLE_STATUS_ZH[detail.lifecycleStatus] ?? detail.lifecycleStatus}</span>
      </h4>
      {steps.length === 0 ? (
        <p>尚无签署的办理步骤。</p>
      ) : (
        <ol className="county-steps">
          {steps.map((s) => (
            <StepItem key={s.id} s={s} />
          ))}
        </ol>
      )}
      {allowed.length > 0 && (
        <div className="actions">
          {allowed.map((step) => (
            <button key={step} type="button" className="button" disabled={busy} aria-pressed={open === step} onClick={() => setOpen(step)}>
              {CASE_STEP_ZH[step]}
            </button>
          ))}
        </div>
      )}
      {open !== null && allowed.includes(open) && (
        <StepForm
          key={open}
          detail={detail}
          step={open}
          busy={busy}
          onCancel={() => setOpen(null)}
          onSubmit={(input) => {
            void onTake(input).then((ok) => ok && setOpen(null));
          }}
        />
      )}
    </section>
  );
}
