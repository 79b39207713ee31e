// One case as stored on the tablet: the facts and registration, the determination with its figures,
// citations and explanation, the parameter-set version, and its history (who changed what, when).
// From here the clerk edits it, withdraws it (with a reason), or prints the form and the receipt.
import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type FormEvent } from 'react';
import { useClerk, useRepositories } from '../../app/providers';
import { paths } from '../../app/router';
import { storageMessageZh } from '../../storage/messages';
import type { AuditEvent, CaseRecord } from '../../storage/types';
import { StatusBadges } from './CaseListScreen';
import { Explanation, FiguresTable, OutOfScope, VersionLine, WarningsList, DISCLAIMER } from './DeterminationSummary';
import { factSections } from './facts';
import { dateTimeZh } from './format';
import { AUDIT_ACTION_LABELS, describeChange } from './history';
import './cases.css';

type Loaded<T> = { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'failed'; message: string };

/** A live read that reports failure instead of throwing into the render. */
function useLiveRead<T>(read: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const result = useLiveQuery(
    () => read().then((value): Loaded<T> => ({ kind: 'ok', value }), (e: unknown): Loaded<T> => ({ kind: 'failed', message: storageMessageZh(e) })),
    deps,
  );
  return result ?? { kind: 'loading' };
}

function FactsView({ record }: { record: CaseRecord }) {
  return (
    <div className="facts" data-testid="case-facts">
      {factSections(record).map((section) => (
        <section key={section.title} aria-label={section.title}>
          <h3>{section.title}</h3>
          <dl className="fact-list">
            {section.rows.map((r) => (
              <div key={r.path} data-field={r.path}>
                <dt>{r.label}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

function HistoryView({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) return <p>尚无记录。</p>;
  return (
    <ol className="history" data-testid="case-history">
      {[...events].reverse().map((e) => (
        <li key={e.id}>
          <span className="history-head">
            <span>{AUDIT_ACTION_LABELS[e.action] ?? e.action}</span>
            <span>{dateTimeZh(e.at)}</span>
            <span>经办人 {e.actor}</span>
            {e.revision !== null && <span className="cite">第{e.revision}版</span>}
          </span>
          {e.reason && <span>原因：{e.reason}</span>}
          {e.action === 'case.update' && e.changes.length > 0 && (
            <ul className="history-changes">
              {e.changes.map((c) => (
                <li key={c.path}>{describeChange(c)}</li>
              ))}
            </ul>
          )}
          {e.action === 'case.update' && e.changes.length === 0 && <span className="cite">未改动内容</span>}
        </li>
      ))}
    </ol>
  );
}

function WithdrawForm({ record, onDone }: { record: CaseRecord; onDone: () => void }) {
  const { cases } = useRepositories();
  const { clerk } = useClerk();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const errorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!clerk) return setError('请先在登记页选择本班经办人，再撤回案件');
    if (reason.trim() === '') return setError('请填写撤回原因');
    setBusy(true);
    setError(null);
    try {
      await cases.withdraw(record.id, { clerk, reason, expectedRevision: record.revision });
      onDone();
    } catch (err) {
      setError(storageMessageZh(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="withdraw-form" onSubmit={(e) => void submit(e)} aria-label="撤回案件">
      <p>撤回后，本案不再办理，但记录和历史仍保留，并随同步报县局。</p>
      <label htmlFor={reasonId}>撤回原因</label>
      <textarea
        id={reasonId}
        value={reason}
        maxLength={500}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setReason(e.target.value)}
      />
      {error && (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          确认撤回
        </button>
        <button type="button" className="button" onClick={onDone} disabled={busy}>
          取消
        </button>
      </div>
    </form>
  );
}

export function CaseDetailScreen({ caseId }: { caseId: string }) {
  const { cases } = useRepositories();
  const record = useLiveRead(() => cases.get(caseId), [cases, caseId]);
  const history = useLiveRead(() => cases.history(caseId), [cases, caseId]);
  const [withdrawing, setWithdrawing] = useState(false);

  if (record.kind === 'loading') {
    return (
      <p className="opening" role="status">
        正在读取案件…
      </p>
    );
  }
  if (record.kind === 'failed' || record.value === undefined) {
    return (
      <section className="panel" role="alert">
        <h2>找不到该案件</h2>
        <p>{record.kind === 'failed' ? record.message : '本机没有这个案件的记录。它可能登记在另一台设备上。'}</p>
        <div className="actions">
          <a className="button" href={paths.cases()}>
            返回受理记录
          </a>
        </div>
      </section>
    );
  }
  const r = record.value;
  const d = r.determination;
  const withdrawn = r.status === 'withdrawn';

  return (
    <div className="case-detail" data-testid="case-detail">
      <section className="panel case-detail-head" aria-labelledby="case-title">
        <div className="case-detail-title">
          <h2 id="case-title">{r.registration.name}</h2>
          <StatusBadges summary={r} />
        </div>
        <p>
          案件编号 <span className="case-number" data-testid="case-number">{r.caseNumber}</span>
        </p>
        <p className="cite">
          {dateTimeZh(r.createdAt)} 由 {r.createdBy} 登记
          {r.revision > 1 && `；${dateTimeZh(r.updatedAt)} 由 ${r.updatedBy} 最后修改（第${r.revision}版）`}；设备 {r.deviceId}
        </p>
        <div className="actions">
          <a className="button" href={paths.cases()}>
            返回受理记录
          </a>
          {!withdrawn && (
            <a className="button" href={paths.intake(r.id)}>
              编辑
            </a>
          )}
          {!withdrawn && !withdrawing && (
            <button type="button" className="button" onClick={() => setWithdrawing(true)}>
              撤回
            </button>
          )}
          <a className="button button-primary" href={paths.print(r.id, 'form')}>
            打印申请表
          </a>
          <a className="button button-primary" href={paths.print(r.id, 'receipt')}>
            打印回执
          </a>
        </div>
        {withdrawing && !withdrawn && <WithdrawForm record={r} onDone={() => setWithdrawing(false)} />}
      </section>

      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">登记信息</h2>
        <FactsView record={r} />
      </section>

      <section className="panel" aria-labelledby="determination-title">
        <h2 id="determination-title">测算结果</h2>
        <OutOfScope determination={d} />
        <FiguresTable determination={d} />
        <WarningsList determination={d} />
        <h3>说明</h3>
        <Explanation determination={d} />
        <p className="notice">{DISCLAIMER}。</p>
        <VersionLine determination={d} parameterSetVersion={r.parameterSetVersion} />
      </section>

      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">历史记录</h2>
        {history.kind === 'ok' ? <HistoryView events={history.value} /> : history.kind === 'failed' ? <p className="form-error">{history.message}</p> : <p>正在读取…</p>}
      </section>
    </div>
  );
}
