// 8月底统计 (NM43-2: people registered and the back-pay money to raise, as of 31 August) and 完成情况汇总
// (where every case stands now), by area with the same drill-down as the weekly report.
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import {
  AUGUST_STATISTICS_ZH,
  COMPLETION_STATES,
  COMPLETION_STATE_ZH,
  MONEY_SOURCE_ZH,
  UNIT_PAYERS,
  UNIT_PAYER_REPORT_ZH,
  type AugustStatistics,
  type AugustStatisticsRow,
  type CompletionRow,
  type CompletionSummary,
} from '../../../shared/reports';
import type { Area } from '../../../shared/roles';
import type { ReportsApi } from '../api';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import { AreaTrail } from './AreaTrail';
import { areaName, childrenOf, rowOf } from './drill';
import { formatPeople, formatShare, formatYuan, shanghaiTime, sumYuan, yuanForDrawing } from './format';
import { ReportChart, type ChartSpec } from './ReportChart';
import { AreaCell, MoneyCells, MoneyHead, MoneySubHead, Num } from './tables';

export const COMPLETION_TITLE = '退役士兵社会保险接续完成情况汇总';

function Toolbar({ href, children }: { href: string | null; children?: ReactNode }) {
  return (
    <div className="county-toolbar county-report-controls">
      {children}
      {href && (
        <a className="button" href={href} download>
          下载 Excel（.xlsx）
        </a>
      )}
      <button type="button" className="button" onClick={() => window.print()}>
        打印（A4）
      </button>
    </div>
  );
}

function moneyChart(title: string, rows: readonly { name: string; money: AugustStatisticsRow['money'] }[]): ChartSpec {
  return {
    title,
    kind: 'bar',
    unit: '元',
    categories: rows.map((r) => r.name),
    series: (['engine', 'agency'] as const).map((source) => {
      const sums = rows.map((r) => sumYuan([r.money[source].pension.total, r.money[source].medical.total]));
      return { name: MONEY_SOURCE_ZH[source], values: sums.map(yuanForDrawing), texts: sums.map(formatYuan) };
    }),
  };
}

export function AugustStatisticsView({ reports, onSignedOut }: { reports: ReportsApi; onSignedOut(): void }) {
  const id = useId();
  const [year, setYear] = useState<number | undefined>(undefined);
  const [yearText, setYearText] = useState('');
  const [stats, setStats] = useState<AugustStatistics | null>(null);
  const [trail, setTrail] = useState<Area[]>([]);
  const { error, run } = useAction(onSignedOut);

  useEffect(() => {
    let gone = false;
    void run(() => reports.augustStatistics(year)).then((s) => {
      if (gone || !s) return;
      setStats(s);
      setYearText(String(s.campaignYear));
      setTrail([]);
    });
    return () => {
      gone = true;
    };
  }, [reports, year, run]);

  const view = useMemo(() => {
    if (!stats) return null;
    const row = rowOf(stats.levels, stats.total, trail.at(-1) ?? stats.area);
    const children = childrenOf(stats.levels, row.area);
    const rows = children?.rows ?? [row];
    const named = rows.map((r) => ({ name: areaName(r), money: r.money }));
    const charts: { spec: ChartSpec; testId: string }[] = [
      {
        spec: {
          title: '按地区：登记人数（人）',
          kind: 'bar',
          unit: '人',
          categories: named.map((r) => r.name),
          series: UNIT_PAYERS.map((p) => ({ name: UNIT_PAYER_REPORT_ZH[p], values: rows.map((r) => r.peopleByPayer[p]), texts: rows.map((r) => formatPeople(r.peopleByPayer[p])) })),
        },
        testId: 'chart-august-people',
      },
      { spec: moneyChart('按地区：需筹集补缴资金（元，养老与医疗合计）', named), testId: 'chart-august-money' },
    ];
    return { row, rows, charts };
  }, [stats, trail]);

  return (
    <div className="county-report" data-testid="august-statistics">
      <Toolbar href={stats ? reports.xlsxUrl('august-statistics', { year: stats.campaignYear }) : null}>
        <form
          className="county-toolbar"
          aria-label="选择年度"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^\d{4}$/.test(yearText)) setYear(Number(yearText));
          }}
        >
          <label htmlFor={`${id}-year`}>年度</label>
          <input id={`${id}-year`} inputMode="numeric" pattern="\d{4}" maxLength={4} value={yearText} onChange={(e) => setYearText(e.target.value.trim())} />
          <button type="submit" className="button">
            查看
          </button>
        </form>
      </Toolbar>
      <ErrorLine error={error} />
      {!stats && !error && <p role="status">正在统计…</p>}
      {stats && view && (
        <article className="county-report-sheet" aria-labelledby={`${id}-title`}>
          <header className="county-report-head">
            <h3 id={`${id}-title`}>{AUGUST_STATISTICS_ZH.title}</h3>
            <p>
              地区：{stats.areaName || areaName({ area: stats.area, name: '' })}
              {trail.length > 0 && `（本页：${areaName(view.row)}）`}
              <br />
              统计截止：{stats.asOf}（北京时间当日 24:00 前收到的案件）；数字计算于 {shanghaiTime(stats.computedAt)}
            </p>
          </header>
          <AreaTrail root={{ area: stats.area, name: stats.areaName }} trail={trail} rowsOf={(a) => rowOf(stats.levels, stats.total, a)} onTrail={setTrail} />
          <table className="county-table county-report-table" data-testid="august-table">
            <caption>按地区：{AUGUST_STATISTICS_ZH.people}与{AUGUST_STATISTICS_ZH.money}（人，元）</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  地区
                </th>
                <th scope="col" rowSpan={2}>
                  {AUGUST_STATISTICS_ZH.people}
                </th>
                <th scope="colgroup" colSpan={UNIT_PAYERS.length}>
                  其中单位缴费承担方
                </th>
                <MoneyHead />
              </tr>
              <tr>
                {UNIT_PAYERS.map((p) => (
                  <th key={p} scope="col">
                    {UNIT_PAYER_REPORT_ZH[p]}
                  </th>
                ))}
                <MoneySubHead />
              </tr>
            </thead>
            <tbody>
              {[...view.rows, ...(view.rows[0] !== view.row ? [view.row] : [])].map((r, _, all) => {
                const isTotal = r === view.row && all.length > 1;
                return (
                  <tr key={`${r.area.level}-${r.area.code}`} className={isTotal ? 'county-report-total' : undefined}>
                    {isTotal ? <th scope="row">合计</th> : <AreaCell row={r} levels={stats.levels} onDrill={(a) => setTrail((t) => [...t, a])} />}
                    <Num testId={`august-${r.area.code}-people`}>{formatPeople(r.people)}</Num>
                    {UNIT_PAYERS.map((p) => (
                      <Num key={p}>{formatPeople(r.peopleByPayer[p])}</Num>
                    ))}
                    <MoneyCells money={r.money} testId={`august-${r.area.code}`} />
                  </tr>
                );
              })}
            </tbody>
          </table>
          <section className="county-report-charts" aria-label="图表">
            {view.charts.map((c) => (
              <ReportChart key={c.testId} spec={c.spec} testId={c.testId} />
            ))}
          </section>
        </article>
      )}
    </div>
  );
}

export function CompletionView({ reports, onSignedOut }: { reports: ReportsApi; onSignedOut(): void }) {
  const id = useId();
  const [summary, setSummary] = useState<CompletionSummary | null>(null);
  const [trail, setTrail] = useState<Area[]>([]);
  const { error, run } = useAction(onSignedOut);

  useEffect(() => {
    let gone = false;
    void run(() => reports.completion()).then((s) => {
      if (!gone && s) setSummary(s);
    });
    return () => {
      gone = true;
    };
  }, [reports, run]);

  const view = useMemo(() => {
    if (!summary) return null;
    const row = rowOf(summary.levels, summary.total, trail.at(-1) ?? summary.area);
    const rows: readonly CompletionRow[] = childrenOf(summary.levels, row.area)?.rows ?? [row];
    const chart: ChartSpec = {
      title: '按地区：案件办理情况（件）',
      kind: 'bar',
      unit: '件',
      categories: rows.map(areaName),
      series: COMPLETION_STATES.map((s) => ({ name: COMPLETION_STATE_ZH[s], values: rows.map((r) => r.byState[s]), texts: rows.map((r) => formatPeople(r.byState[s])) })),
    };
    const money = moneyChart(
      '按地区：已完成案件的补缴金额（元，养老与医疗合计）',
      rows.map((r) => ({ name: areaName(r), money: r.completedMoney })),
    );
    return {
      row,
      rows,
      charts: [
        { spec: chart, testId: 'chart-completion-states' },
        { spec: money, testId: 'chart-completion-money' },
      ],
    };
  }, [summary, trail]);

  return (
    <div className="county-report" data-testid="completion-summary">
      <Toolbar href={summary ? reports.xlsxUrl('completion') : null} />
      <ErrorLine error={error} />
      {!summary && !error && <p role="status">正在汇总…</p>}
      {summary && view && (
        <article className="county-report-sheet" aria-labelledby={`${id}-title`}>
          <header className="county-report-head">
            <h3 id={`${id}-title`}>{COMPLETION_TITLE}</h3>
            <p>
              地区：{summary.areaName || areaName({ area: summary.area, name: '' })}
              {trail.length > 0 && `（本页：${areaName(view.row)}）`}
              <br />
              数字计算于 {shanghaiTime(summary.computedAt)}（北京时间）
            </p>
          </header>
          <AreaTrail root={{ area: summary.area, name: summary.areaName }} trail={trail} rowsOf={(a) => rowOf(summary.levels, summary.total, a)} onTrail={setTrail} />
          <table className="county-table county-report-table" data-testid="completion-table">
            <caption>按地区：案件办理情况（件）与已完成案件的补缴金额（元）</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  地区
                </th>
                <th scope="col" rowSpan={2}>
                  登记
                </th>
                {COMPLETION_STATES.map((s) => (
                  <th key={s} scope="col" rowSpan={2}>
                    {COMPLETION_STATE_ZH[s]}
                  </th>
                ))}
                <th scope="col" rowSpan={2}>
                  办结率
                </th>
                <MoneyHead />
              </tr>
              <tr>
                <MoneySubHead />
              </tr>
            </thead>
            <tbody>
              {[...view.rows, ...(view.rows[0] !== view.row ? [view.row] : [])].map((r, _, all) => {
                const isTotal = r === view.row && all.length > 1;
                return (
                  <tr key={`${r.area.level}-${r.area.code}`} className={isTotal ? 'county-report-total' : undefined}>
                    {isTotal ? <th scope="row">合计</th> : <AreaCell row={r} levels={summary.levels} onDrill={(a) => setTrail((t) => [...t, a])} />}
                    <Num testId={`completion-${r.area.code}-cases`}>{formatPeople(r.cases)}</Num>
                    {COMPLETION_STATES.map((s) => (
                      <Num key={s} testId={`completion-${r.area.code}-${s}`}>
                        {formatPeople(r.byState[s])}
                      </Num>
                    ))}
                    <Num testId={`completion-${r.area.code}-share`}>{formatShare(r.closedShare)}</Num>
                    <MoneyCells money={r.completedMoney} testId={`completion-${r.area.code}`} />
                  </tr>
                );
              })}
            </tbody>
          </table>
          <section className="county-report-charts" aria-label="图表">
            {view.charts.map((c) => (
              <ReportChart key={c.testId} spec={c.spec} testId={c.testId} />
            ))}
          </section>
        </article>
      )}
    </div>
  );
}
