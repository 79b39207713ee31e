// Withdrawing a saved case (the veteran withdraws, or it was registered by mistake): the reason is
// required and kept in the case's history with the clerk and the time.
import { useId, useState } from 'react';
import { useClerk, useRepositories } from '../../app/providers';
import type { CaseRecord } from '../../storage';
import { saveErrorZh } from '../labels';

export function WithdrawPanel({ record, onWithdrawn, beforeWithdraw }: { record: CaseRecord; onWithdrawn(r: CaseRecord): void; beforeWithdraw?: () => Promise<void> }) {
  const { cases } = useRepositories();
  const { clerk } = useClerk();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  if (!open) {
    return (
      <div className="withdraw">
        <button type="button" className="button button-danger-quiet" onClick={() => setOpen(true)}>
          撤回此受理…
        </button>
      </div>
    );
  }

  const confirm = async () => {
    if (!clerk) {
      setError('请先在页面上方选择当班经办人');
      return;
    }
    if (reason.trim() === '') {
      setError('请填写撤回原因');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await beforeWithdraw?.();
      onWithdrawn(await cases.withdraw(record.id, { clerk, reason, expectedRevision: record.revision }));
    } catch (e) {
      setError(saveErrorZh(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="withdraw withdraw-open" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>撤回受理 {record.caseNumber}</h3>
      <p className="field-hint">撤回后记录仍保留在本机并同步至县局，注明撤回原因、经办人和时间，不能再修改。</p>
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label className="field-label" htmlFor={`${id}-reason`}>
          撤回原因
        </label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          maxLength={500}
          value={reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
        {error && (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="action-row">
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void confirm()}>
          确认撤回
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => setOpen(false)}>
          取消
        </button>
      </div>
    </section>
  );
}
