// 案件详情: one case as the county sees it — its signed lifecycle, every version with the tablet's and the
// server's figures side by side, conflict resolution and possible duplicates.
import { useEffect, useState } from 'react';
import { clerkProblemZh, type AdminApi, type CaseDetail, type CaseItem } from '../api';
import { caseFlags, FLAG_LABELS } from '../cases/CaseQueue';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import { when } from '../common/when';
import { AgencyFindings } from './AgencyFindings';
import { CaseLifecycle } from './CaseLifecycle';
import { PayerConfirmation } from './PayerConfirmation';

export function Flags({ c }: { c: CaseItem }) {
  return (
    <>
      {caseFlags(c).map((f) => (
        <span key={f} className={`county-flag county-flag-${f}`} data-flag={f}>
          {FLAG_LABELS[f]}
        </span>
      ))}
    </>
  );
}

const FIGURE_LABELS: Record<string, string> = {
  militaryMonths: '军龄（月）',
  backPayMonths: '可补缴月数',
  pensionUnitAmount: '养老单位缴费',
  pensionIndividualAmount: '养老个人缴费',
  pensionUnitPayer: '养老单位部分承担方',
  medicalUnitAmount: '医疗单位缴费',
  medicalIndividualAmount: '医疗个人缴费',
  medicalUnitPayer: '医疗单位部分承担方',
};

function Figures({ figures }: { figures: Record<string, unknown> | null }) {
  if (!figures) return <span>—</span>;
  return (
    <ul className="county-figures">
      {Object.entries(FIGURE_LABELS).map(([k, label]) => (
        <li key={k}>
          {label}：{figures[k] === null || figures[k] === undefined ? '—' : String(figures[k])}
        </li>
      ))}
    </ul>
  );
}

export function CaseDetailView({ api, id, onSignedOut, onClose, onChanged, onOpen }: { api: AdminApi; id: string; onSignedOut(): void; onClose(): void; onChanged(): void; onOpen(id: string): void }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const { error, busy, run } = useAction(onSignedOut);
  useEffect(() => {
    void run(() => api.caseDetail(id)).then((d) => d && setDetail(d));
  }, [api, id, run]);
  if (!detail) return <ErrorLine error={error} />;

  const recorded = async (r: unknown): Promise<boolean> => {
    if (r === undefined) return false;
    await act(() => api.caseDetail(detail.id));
    return true;
  };
  const act = async (f: () => Promise<CaseDetail>) => {
    const d = await run(f);
    if (d) {
      setDetail(d);
      onChanged();
    }
  };
  return (
    <section className="panel county-detail" aria-label={`案件 ${detail.caseNumber}`} data-testid="county-case-detail">
      <div className="county-head">
        <h3>
          {detail.caseNumber} · {detail.name} <Flags c={detail} />
        </h3>
        <button type="button" className="button" onClick={onClose}>
          关闭
        </button>
      </div>
      <p>
        设备 <code>{detail.deviceId}</code> · 乡镇 {detail.townshipCode} · 第 {detail.revision} 版 · 参数 {detail.parametersVersion}
        {detail.correctionRequest && <> · 退回补正：{detail.correctionRequest}</>}
      </p>
      {/* 退回补正 is one of the signed steps: its button is here when the role may take it. */}
      <CaseLifecycle
        detail={detail}
        busy={busy}
        onTake={async (input) => {
          if (!(await run(() => api.takeStep(detail.id, input)))) return false;
          await act(() => api.caseDetail(detail.id));
          return true;
        }}
      />
      {/* Signers (those offered a step) record what the agencies and the government found; the server checks the role again. */}
      <PayerConfirmation
        detail={detail}
        busy={busy}
        {...(api.recordPayerConfirmation && detail.allowedSteps.length > 0 ? { onRecord: async (input) => recorded(await run(() => api.recordPayerConfirmation!(detail.id, input))) } : {})}
      />
      <AgencyFindings
        detail={detail}
        busy={busy}
        {...(api.recordAgencyFinding && detail.allowedSteps.length > 0 ? { onRecord: async (input) => recorded(await run(() => api.recordAgencyFinding!(detail.id, input))) } : {})}
      />
      {detail.flags.conflict && <p className="banner banner-warning">本案件在县局和窗口两边都被修改过：请核对下列版本，选定一个作为正式版本。</p>}
      <h4>各版本</h4>
      <ol className="county-versions">
        {detail.versions.map((v) => (
          <li key={v.id} className={v.current ? 'county-version-current' : undefined} data-testid="county-version">
            <p>
              第 {v.revision} 版 · {v.source === 'tablet' ? `窗口（${v.deviceId ?? ''}，${v.actor}${v.clerkAccount ? `，账号 ${v.clerkAccount}` : ''}）` : `县局（${v.actor}）`} · {when(v.at)}
              {v.current && ' · 当前版本'}
              {v.conflicting && ' · 冲突'}
            </p>
            {v.clerkProblem && (
              <p className="banner banner-warning" data-testid="county-clerk-problem">
                经办人账号待核实：{clerkProblemZh(v.clerkProblem)}。案件已照常接收，请核实经办人身份。
              </p>
            )}
            <p>
              姓名 {String(v.registration.name ?? '')} · 电话 {String(v.registration.phone ?? '')} · 地址 {String(v.registration.address ?? '')}
            </p>
            <div className="county-figures-pair">
              <div>
                窗口测算
                <Figures figures={v.tabletFigures} />
              </div>
              {v.serverDeterminations.map((d) => (
                <div key={`${d.parametersVersion}/${d.purpose}`}>
                  县局复算（{d.parametersVersion}
                  {d.purpose === 'tablet-set' ? '，窗口所用参数' : '，最新参数'}）{d.figuresDiffer && <strong className="county-flag county-flag-figures-differ">不一致</strong>}
                  {d.error ? <p className="field-error">{d.error}</p> : <Figures figures={d.figures} />}
                </div>
              ))}
            </div>
            {detail.flags.conflict && (
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void act(() => api.resolve(detail.id, v.id))}>
                采用此版本
              </button>
            )}
          </li>
        ))}
      </ol>
      {detail.possibleDuplicates.length > 0 && (
        <>
          <h4>疑似重复（同一身份证号，其他设备登记）</h4>
          <ul data-testid="county-duplicates">
            {detail.possibleDuplicates.map((c) => (
              <li key={c.id}>
                <button type="button" className="county-link" onClick={() => onOpen(c.id)}>
                  {c.caseNumber}
                </button>{' '}
                {c.name} · 乡镇 {c.townshipCode} · 设备 {c.deviceId}
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
