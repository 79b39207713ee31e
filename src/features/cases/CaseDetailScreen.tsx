// One case as stored on the tablet: the facts and registration, the determination with its figures,
// citations and explanation, the parameter-set version, and its history (who changed what, when).
// From here the clerk edits it, withdraws it (with a reason), or prints the form and the receipt.
// The live reads keep the screen current when the case changes (a withdrawal here, a sync).
import { useLiveQuery } from 'dexie-react-hooks';
import { useRepositories } from '../../app/providers';
import { paths } from '../../app/router';
import { storageMessageZh } from '../../storage/messages';
import type { AuditEvent, CaseRecord } from '../../storage/types';
import { WithdrawPanel } from '../intake/WithdrawPanel';
import { StatusBadges } from './CaseListScreen';
import { CountyStatusBadge, CountyStatusPanel, lockedAtCounty } from './county-status';
import { Explanation, FiguresTable, OutOfScope, VersionLine, WarningsList, DISCLAIMER } from './DeterminationSummary';
import { factSections } from './facts';
import { dateTimeZh } from './format';
import { AUDIT_ACTION_LABELS, describeChange } from './history';
import './cases.css';
// WithdrawPanel's look, when the detail opens before the intake screen has ever been shown.
import '../intake/intake.css';

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
            <span>{AUDIT_ACTION_LABELS[e.action]}</span>
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

export function CaseDetailScreen({ caseId }: { caseId: string }) {
  const { cases } = useRepositories();
  const record = useLiveRead(() => cases.get(caseId), [cases, caseId]);
  const history = useLiveRead(() => cases.history(caseId), [cases, caseId]);
  const sync = useLiveRead(() => cases.syncInfo(caseId), [cases, caseId]);

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
  const county = sync.kind === 'ok' && sync.value !== undefined ? sync.value : null;
  // The county would refuse the change (case-locked-after-verification): not offered.
  const locked = lockedAtCounty(county?.lifecycleStatus);

  return (
    <div className="case-detail" data-testid="case-detail">
      <section className="panel case-detail-head" aria-labelledby="case-title">
        <div className="case-detail-title">
          <h2 id="case-title">{r.registration.name}</h2>
          <StatusBadges summary={r} />
          <CountyStatusBadge status={county?.lifecycleStatus} />
        </div>
        <p>
          案件编号 <span className="case-detail-number" data-testid="case-number">{r.caseNumber}</span>
        </p>
        <p className="cite">
          {dateTimeZh(r.createdAt)} 由 {r.createdBy} 登记
          {r.revision > 1 && `；${dateTimeZh(r.updatedAt)} 由 ${r.updatedBy} 最后修改（第${r.revision}版）`}；设备 {r.deviceId}
        </p>
        <div className="actions">
          <a className="button" href={paths.cases()}>
            返回受理记录
          </a>
          {!withdrawn && !locked && (
            <a className="button" href={paths.intake(r.id)}>
              编辑
            </a>
          )}
          <a className="button button-primary" href={paths.print(r.id, 'form')}>
            打印申请表
          </a>
          <a className="button button-primary" href={paths.print(r.id, 'receipt')}>
            打印回执
          </a>
        </div>
        {/* The intake screen's withdrawal, so both ways record the same reason, clerk and time. */}
        {!withdrawn && !locked && <WithdrawPanel record={r} onWithdrawn={() => undefined} />}
      </section>
      {county && <CountyStatusPanel status={county.lifecycleStatus} correctionRequest={county.correctionRequest} />}

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
