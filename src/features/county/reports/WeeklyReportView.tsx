// 周报 (NM43-3.4): the week's progress, due Thursday 12:00, as the server computes it for the caller's
// area — by status, by payer (with the fiscal split), by area down to the townships — with its
// charts, the 报送 versions (each one frozen and signed) and the .xlsx download.
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import {
  REPORT_COLUMNS,
  REPORT_COLUMN_ZH,
  REPORT_PERIODS,
  REPORT_PERIOD_ZH,
  UNIT_PAYER_REPORT_ZH,
  MONEY_SOURCE_ZH,
  type ReportPeriod,
  type ReportSubmission,
  type ReportSubmissionWithReport,
  type WeeklyReport,
} from '../../../shared/reports';
import type { Area } from '../../../shared/roles';
import type { ReportsApi } from '../api';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import { areaName, childrenOf, rowOf } from './drill';
import { formatPeople, formatYuan, shanghaiTime, sumYuan, yuanForDrawing } from './format';
import { ReportChart, type ChartSpec } from './ReportChart';
import { AreaMoneyTable, areaMoney, AreaProgressTable, FiscalSplitTable, PayerTable, StatusTable } from './tables';
import { AreaTrail } from './AreaTrail';

export const WEEKLY_TITLE = '退役士兵社会保险接续工作进展周报';

export function WeeklyReportView({ reports, onSignedOut, canSubmit }: { reports: ReportsApi; onSignedOut(): void; canSubmit: boolean }) {
  const id = useId();
  // The week asked for: absent, the current one; else a date or an instant inside it.
  const [week, setWeek] = useState<string | undefined>(undefined);
  const [picked, setPicked] = useState('');
  const [live, setLive] = useState<WeeklyReport | null>(null);
  const [submissions, setSubmissions] = useState<ReportSubmission[] | null>(null);
  const [frozen, setFrozen] = useState<ReportSubmissionWithReport | null>(null);
  const [trail, setTrail] = useState<Area[]>([]);
  const [period, setPeriod] = useState<ReportPeriod>('thisWeek');
  const [comment, setComment] = useState('');
  const [submitted, setSubmitted] = useState<ReportSubmission | null>(null);
  const load = useAction(onSignedOut);
  const act = useAction(onSignedOut);
  const loadRun = load.run;

  useEffect(() => {
    let gone = false;
    void loadRun(async () => {
      const report = await reports.weekly(week);
      // The report stands without its 报送 list: that list failing says so beside it.
      const list = await reports.submissions(report.week.start).catch(() => null);
      return { report, list };
    }).then((r) => {
      if (gone || !r) return;
      setLive(r.report);
      setSubmissions(r.list && r.list.filter((s) => s.weekStart === r.report.week.start).sort((a, b) => a.version - b.version));
      setFrozen(null);
      setTrail([]);
      setSubmitted(null);
    });
    return () => {
      gone = true;
    };
  }, [reports, week, loadRun]);

  const report = frozen?.report ?? live;
  // Computed once per report, drill and period: a chart given a new spec draws itself again.
  const view = useMemo(() => {
    if (!report) return null;
    const row = rowOf(report.levels, report.total, trail.at(-1) ?? report.area);
    const children = childrenOf(report.levels, row.area);
    return { row, children, charts: chartsOf(row, children?.rows ?? [], period) };
  }, [report, trail, period]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!live) return;
    const done = await act.run(() => reports.submitWeekly({ week: live.week.start, ...(comment.trim() ? { comment: comment.trim() } : {}) }));
    if (!done) return;
    setSubmitted(done);
    setComment('');
    const list = await reports.submissions(live.week.start).catch(() => null);
    if (list) setSubmissions(list.filter((s) => s.weekStart === live.week.start).sort((a, b) => a.version - b.version));
  };

  const open = async (s: ReportSubmission) => {
    const got = await act.run(() => reports.submission(s.id));
    if (got) {
      setFrozen(got);
      setTrail([]);
    }
  };

  const isCurrentWeek = live ? Date.parse(live.week.end) > Date.parse(live.computedAt) : true;
  const signature = frozen ?? submissions?.at(-1) ?? null;

  return (
    <div className="county-report" data-testid="weekly-report">
      <form
        className="county-toolbar county-report-controls"
        aria-label="选择周次"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d{4}-\d{2}-\d{2}$/.test(picked)) setWeek(picked);
        }}
      >
        <button type="button" className="button" disabled={!live || load.busy} onClick={() => live && setWeek(live.previousWeek.start)}>
          上一周
        </button>
        <button type="button" className="button" disabled={load.busy || week === undefined} onClick={() => setWeek(undefined)}>
          本周
        </button>
        <button type="button" className="button" disabled={!live || load.busy || isCurrentWeek} onClick={() => live && setWeek(live.week.end)}>
          下一周
        </button>
        <label htmlFor={`${id}-date`}>周内任一日期</label>
        <input id={`${id}-date`} type="date" value={picked} onChange={(e) => setPicked(e.target.value)} />
        <button type="submit" className="button">
          查看该周
        </button>
        {live && (
          <a className="button" href={reports.xlsxUrl('weekly', { week: live.week.start })} download data-testid="weekly-xlsx">
            下载 Excel（.xlsx）
          </a>
        )}
        <button type="button" className="button" disabled={!report} onClick={() => window.print()}>
          打印（A4）
        </button>
      </form>
      <ErrorLine error={load.error} />
      {!report && !load.error && <p role="status">正在计算周报…</p>}
      {report && view && (
        <article className="county-report-sheet" aria-labelledby={`${id}-title`}>
          <header className="county-report-head">
            <h3 id={`${id}-title`}>{WEEKLY_TITLE}</h3>
            <p data-testid="weekly-heading">
              地区：{report.areaName || areaName({ area: report.area, name: '' })}
              {trail.length > 0 && `（本页：${areaName(view.row)}）`}
              <br />
              <span data-testid="weekly-week">
                周次：{shanghaiTime(report.week.start)} 至 {shanghaiTime(report.week.end)}（北京时间，{report.week.dueDate} 12:00 前报送）
              </span>
              <br />
              上周：{shanghaiTime(report.previousWeek.start)} 至 {shanghaiTime(report.previousWeek.end)}；数字计算于 {shanghaiTime(report.computedAt)}
            </p>
            {frozen && (
              <p className="banner banner-warning" data-testid="weekly-frozen">
                本页为第 {frozen.version} 版报送时冻结的数字。
                <button type="button" className="button county-report-controls" onClick={() => setFrozen(null)}>
                  返回当前数字
                </button>
              </p>
            )}
          </header>
          <AreaTrail root={{ area: report.area, name: report.areaName }} trail={trail} rowsOf={(a) => rowOf(report.levels, report.total, a)} onTrail={setTrail} />
          <StatusTable row={view.row} />
          <PayerTable payers={view.row.payers} />
          <FiscalSplitTable payers={view.row.payers} />
          {view.children && (
            <section className="county-report-areas" aria-label="按地区">
              <div className="county-toolbar county-report-controls">
                <label htmlFor={`${id}-period`}>按地区统计的期间</label>
                <select id={`${id}-period`} value={period} onChange={(e) => setPeriod(e.target.value as ReportPeriod)}>
                  {REPORT_PERIODS.map((p) => (
                    <option key={p} value={p}>
                      {REPORT_PERIOD_ZH[p]}
                    </option>
                  ))}
                </select>
              </div>
              <AreaProgressTable rows={view.children.rows} levels={report.levels} period={period} onDrill={(a) => setTrail((t) => [...t, a])} />
              <AreaMoneyTable rows={view.children.rows} levels={report.levels} period={period} onDrill={(a) => setTrail((t) => [...t, a])} />
            </section>
          )}
          <section className="county-report-charts" aria-label="图表">
            {view.charts.map((c) => (
              <ReportChart key={c.testId} spec={c.spec} testId={c.testId} />
            ))}
          </section>
          <Submissions submissions={submissions} signature={signature} frozen={frozen !== null} onOpen={(s) => void open(s)} busy={act.busy} />
        </article>
      )}
      {live && canSubmit && !frozen && (
        <form className="county-form county-report-controls" onSubmit={(e) => void submit(e)} aria-label="报送周报">
          <label htmlFor={`${id}-comment`} className="field-label">
            报送说明（可不填）
          </label>
          <input id={`${id}-comment`} value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={act.busy}>
              {isCurrentWeek ? '报送本周周报' : '报送该周周报'}
            </button>
          </div>
          {submitted && (
            <p role="status" data-testid="weekly-submitted">
              已报送第 {submitted.version} 版，签名哈希 {submitted.sha256.slice(0, 16)}…
            </p>
          )}
        </form>
      )}
      <ErrorLine error={act.error} />
    </div>
  );
}

function Submissions({
  submissions,
  signature,
  frozen,
  onOpen,
  busy,
}: {
  submissions: ReportSubmission[] | null;
  signature: ReportSubmission | null;
  frozen: boolean;
  onOpen(s: ReportSubmission): void;
  busy: boolean;
}) {
  if (submissions === null) return <p className="field-error">报送记录读取失败，请刷新。</p>;
  return (
    <section className="county-report-submissions" aria-label="报送记录" data-testid="weekly-submissions">
      <h4>报送记录</h4>
      {submissions.length === 0 ? (
        <p>本周周报尚未报送。</p>
      ) : (
        <ol>
          {submissions.map((s) => (
            <li key={s.id} data-testid="weekly-submission">
              第 {s.version} 版：{s.submittedBy} 于 {shanghaiTime(s.submittedAt)} 报送{s.comment ? `（${s.comment}）` : ''}，审计链第 {s.auditSeq} 条{' '}
              <button type="button" className="county-link county-report-controls" disabled={busy} onClick={() => onOpen(s)}>
                查看第 {s.version} 版
              </button>
            </li>
          ))}
        </ol>
      )}
      {signature && (
        <p className="county-report-signature" data-testid="weekly-signature">
          {frozen ? `本页数字即第 ${signature.version} 版报送时冻结的数字。` : `本页为当前计算的数字，可能与报送版本不同；最新报送为第 ${signature.version} 版。`}
          报送签名：{signature.submittedBy}，{shanghaiTime(signature.submittedAt)}（北京时间），第 {signature.version} 版，SHA-256：
          <code className="county-audit-hash">{signature.sha256}</code>
        </p>
      )}
    </section>
  );
}

function moneySum(a: string, b: string): string {
  return sumYuan([a, b]);
}

function chartsOf(row: WeeklyReport['total'], areas: readonly WeeklyReport['total'][], period: ReportPeriod): { spec: ChartSpec; testId: string }[] {
  const weekly: ChartSpec = {
    title: '各环节进度：上周与本周（人）',
    kind: 'bar',
    unit: '人',
    categories: REPORT_COLUMNS.map((c) => REPORT_COLUMN_ZH[c]),
    series: (['previousWeek', 'thisWeek'] as const).map((p) => ({
      name: REPORT_PERIOD_ZH[p],
      values: REPORT_COLUMNS.map((c) => row.progress[c][p]),
      texts: REPORT_COLUMNS.map((c) => formatPeople(row.progress[c][p])),
    })),
  };
  const payerPeople: ChartSpec = {
    title: '按承担方：人数（人）',
    kind: 'bar',
    unit: '人',
    categories: row.payers.map((p) => UNIT_PAYER_REPORT_ZH[p.payer]),
    series: (['thisWeek', 'toDate'] as const).map((period) => ({
      name: REPORT_PERIOD_ZH[period],
      values: row.payers.map((p) => p.periods[period].people),
      texts: row.payers.map((p) => formatPeople(p.periods[period].people)),
    })),
  };
  const payerMoney: ChartSpec = {
    title: '按承担方：累计补缴金额（元，养老与医疗合计）',
    kind: 'bar',
    unit: '元',
    categories: row.payers.map((p) => UNIT_PAYER_REPORT_ZH[p.payer]),
    series: (['engine', 'agency'] as const).map((source) => {
      const sums = row.payers.map((p) => moneySum(p.periods.toDate.money[source].pension.total, p.periods.toDate.money[source].medical.total));
      return { name: MONEY_SOURCE_ZH[source], values: sums.map(yuanForDrawing), texts: sums.map(formatYuan) };
    }),
  };
  const charts = [
    { spec: weekly, testId: 'chart-progress' },
    { spec: payerPeople, testId: 'chart-payer-people' },
    { spec: payerMoney, testId: 'chart-payer-money' },
  ];
  if (areas.length > 0) {
    const money = areas.map((a) => areaMoney(a, period));
    charts.push({
      spec: {
        title: `按地区：人数（${REPORT_PERIOD_ZH[period]}，人）`,
        kind: 'bar',
        unit: '人',
        categories: areas.map(areaName),
        series: [{ name: '登记人数', values: money.map((m) => m.people), texts: money.map((m) => formatPeople(m.people)) }],
      },
      testId: 'chart-area-people',
    });
    charts.push({
      spec: {
        title: `按地区：补缴金额（${REPORT_PERIOD_ZH[period]}，元，养老与医疗合计）`,
        kind: 'bar',
        unit: '元',
        categories: areas.map(areaName),
        series: (['engine', 'agency'] as const).map((source) => {
          const sums = money.map((m) => (source === 'engine' ? moneySum(m.enginePension, m.engineMedical) : moneySum(m.agencyPension, m.agencyMedical)));
          return { name: MONEY_SOURCE_ZH[source], values: sums.map(yuanForDrawing), texts: sums.map(formatYuan) };
        }),
      },
      testId: 'chart-area-money',
    });
  }
  return charts;
}
