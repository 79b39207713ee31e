// The tables of the reports, shared by the screen and the printed sheet. Money is the server's yuan
// text to the fen; the engine's estimate and the agencies' figure stay in columns of their own.
import type { ReactNode } from 'react';
import {
  FISCAL_LEVELS,
  FISCAL_LEVEL_ZH,
  FISCAL_NOT_PUBLISHED_ZH,
  MONEY_SOURCE_ZH,
  REPORT_COLUMNS,
  REPORT_COLUMN_ZH,
  REPORT_PERIODS,
  REPORT_PERIOD_ZH,
  UNIT_PAYER_REPORT_ZH,
  type MoneyFigures,
  type PayerRow,
  type ReportPeriod,
  type WeeklyAreaRow,
} from '../../../shared/reports';
import type { Area } from '../../../shared/roles';
import { areaName, childrenOf, type AreaRowLike, type LevelLike } from './drill';
import { formatPeople, formatYuan, sumYuan } from './format';

/** A number cell: right-aligned digits. */
export function Num({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <td className="county-num" data-testid={testId}>
      {children}
    </td>
  );
}

/** The area column of a by-area table: a button that drills into the area when the report goes finer. */
export function AreaCell<R extends AreaRowLike>({ row, levels, onDrill }: { row: R; levels: readonly LevelLike<R>[]; onDrill(area: Area): void }) {
  const finer = childrenOf(levels, row.area);
  return (
    <th scope="row">
      {finer ? (
        <button type="button" className="county-link" onClick={() => onDrill(row.area)} aria-label={`${areaName(row)}：查看下辖地区`}>
          {areaName(row)}
        </button>
      ) : (
        areaName(row)
      )}
    </th>
  );
}

/** The progress columns (本周 / 上周 / 累计) of one area. */
export function StatusTable({ row }: { row: WeeklyAreaRow }) {
  return (
    <table className="county-table county-report-table" data-testid="report-status-table">
      <caption>按办理状态（人）</caption>
      <thead>
        <tr>
          <th scope="col">办理状态</th>
          {REPORT_PERIODS.map((p) => (
            <th key={p} scope="col">
              {REPORT_PERIOD_ZH[p]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {REPORT_COLUMNS.map((c) => (
          <tr key={c}>
            <th scope="row">{REPORT_COLUMN_ZH[c]}</th>
            {REPORT_PERIODS.map((p) => (
              <Num key={p} testId={`status-${c}-${p}`}>
                {formatPeople(row.progress[c][p])}
              </Num>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MoneyCells({ money, testId }: { money: MoneyFigures; testId: string }) {
  return (
    <>
      <Num testId={`${testId}-engine-cases`}>{formatPeople(money.engineCases)}</Num>
      <Num testId={`${testId}-engine-pension`}>{formatYuan(money.engine.pension.total)}</Num>
      <Num testId={`${testId}-engine-medical`}>{formatYuan(money.engine.medical.total)}</Num>
      <Num testId={`${testId}-agency-cases`}>{formatPeople(money.agencyCases)}</Num>
      <Num testId={`${testId}-agency-pension`}>{formatYuan(money.agency.pension.total)}</Num>
      <Num testId={`${testId}-agency-medical`}>{formatYuan(money.agency.medical.total)}</Num>
    </>
  );
}

export function MoneyHead() {
  return (
    <>
      <th scope="colgroup" colSpan={3}>
        {MONEY_SOURCE_ZH.engine}
      </th>
      <th scope="colgroup" colSpan={3}>
        {MONEY_SOURCE_ZH.agency}
      </th>
    </>
  );
}

export function MoneySubHead() {
  return (
    <>
      <th scope="col">件数</th>
      <th scope="col">养老保险</th>
      <th scope="col">医疗保险</th>
      <th scope="col">件数</th>
      <th scope="col">养老保险</th>
      <th scope="col">医疗保险</th>
    </>
  );
}

/** People and money by the payer of the unit share, each period. */
export function PayerTable({ payers }: { payers: readonly PayerRow[] }) {
  return (
    <table className="county-table county-report-table" data-testid="report-payer-table">
      <caption>按单位缴费承担方：人数与补缴金额（元，单位与个人缴费合计）</caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>
            承担方
          </th>
          <th scope="col" rowSpan={2}>
            期间
          </th>
          <th scope="col" rowSpan={2}>
            人数
          </th>
          <MoneyHead />
        </tr>
        <tr>
          <MoneySubHead />
        </tr>
      </thead>
      <tbody>
        {payers.flatMap((r) =>
          REPORT_PERIODS.map((p, i) => (
            <tr key={`${r.payer}-${p}`}>
              {i === 0 && (
                <th scope="rowgroup" rowSpan={REPORT_PERIODS.length}>
                  {UNIT_PAYER_REPORT_ZH[r.payer]}
                </th>
              )}
              <th scope="row">{REPORT_PERIOD_ZH[p]}</th>
              <Num testId={`payer-${r.payer}-${p}-people`}>{formatPeople(r.periods[p].people)}</Num>
              <MoneyCells money={r.periods[p].money} testId={`payer-${r.payer}-${p}`} />
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/** The fiscal cases' unit amounts split between 自治区 / 盟市 / 旗县 (NM43-1.2.b); 比例未公布 until the ratios are. */
export function FiscalSplitTable({ payers }: { payers: readonly PayerRow[] }) {
  const split = payers.find((r) => r.payer === 'fiscal')?.fiscalSplit;
  if (!split) return null;
  const version = REPORT_PERIODS.map((p) => split[p]).find((c) => c.published);
  return (
    <table className="county-table county-report-table" data-testid="report-fiscal-table">
      <caption>
        财政资金分担（财政承担的单位缴费，元）{version?.published ? `，比例依参数 ${version.parametersVersion}` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>
            期间
          </th>
          <MoneyHeadLevels />
        </tr>
        <tr>
          {(['engine', 'agency'] as const).flatMap((s) =>
            FISCAL_LEVELS.map((l) => (
              <th key={`${s}-${l}`} scope="col">
                {FISCAL_LEVEL_ZH[l]}
              </th>
            )),
          )}
        </tr>
      </thead>
      <tbody>
        {REPORT_PERIODS.map((p) => {
          const cells = split[p];
          return (
            <tr key={p}>
              <th scope="row">{REPORT_PERIOD_ZH[p]}</th>
              {cells.published ? (
                (['engine', 'agency'] as const).flatMap((s) =>
                  FISCAL_LEVELS.map((l) => (
                    <Num key={`${s}-${l}`} testId={`fiscal-${p}-${s}-${l}`}>
                      {formatYuan(cells[s][l])}
                    </Num>
                  )),
                )
              ) : (
                <td colSpan={FISCAL_LEVELS.length * 2} data-testid={`fiscal-${p}-unpublished`}>
                  {FISCAL_NOT_PUBLISHED_ZH}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function MoneyHeadLevels() {
  return (
    <>
      <th scope="colgroup" colSpan={FISCAL_LEVELS.length}>
        {MONEY_SOURCE_ZH.engine}
      </th>
      <th scope="colgroup" colSpan={FISCAL_LEVELS.length}>
        {MONEY_SOURCE_ZH.agency}
      </th>
    </>
  );
}

/** A weekly row's money in one period over all payers, each source and track apart. */
export function areaMoney(row: WeeklyAreaRow, period: ReportPeriod) {
  const of = (source: 'engine' | 'agency', track: 'pension' | 'medical') => sumYuan(row.payers.map((p) => p.periods[period].money[source][track].total));
  return {
    // Every registered case, a case with no payer (out of scope) too.
    people: row.progress.registered[period],
    engineCases: row.payers.reduce((n, p) => n + p.periods[period].money.engineCases, 0),
    agencyCases: row.payers.reduce((n, p) => n + p.periods[period].money.agencyCases, 0),
    enginePension: of('engine', 'pension'),
    engineMedical: of('engine', 'medical'),
    agencyPension: of('agency', 'pension'),
    agencyMedical: of('agency', 'medical'),
  };
}

/** The progress of each area one level down, in one period. */
export function AreaProgressTable({ rows, levels, period, onDrill }: { rows: readonly WeeklyAreaRow[]; levels: readonly LevelLike<WeeklyAreaRow>[]; period: ReportPeriod; onDrill(area: Area): void }) {
  return (
    <table className="county-table county-report-table" data-testid="report-area-table">
      <caption>按地区：办理进度（{REPORT_PERIOD_ZH[period]}，人）</caption>
      <thead>
        <tr>
          <th scope="col">地区</th>
          {REPORT_COLUMNS.map((c) => (
            <th key={c} scope="col">
              {REPORT_COLUMN_ZH[c]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.area.code} data-testid="report-area-row">
            <AreaCell row={r} levels={levels} onDrill={onDrill} />
            {REPORT_COLUMNS.map((c) => (
              <Num key={c}>{formatPeople(r.progress[c][period])}</Num>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** People and money of each area one level down, in one period. */
export function AreaMoneyTable({ rows, levels, period, onDrill }: { rows: readonly WeeklyAreaRow[]; levels: readonly LevelLike<WeeklyAreaRow>[]; period: ReportPeriod; onDrill(area: Area): void }) {
  return (
    <table className="county-table county-report-table" data-testid="report-area-money-table">
      <caption>按地区：人数与补缴金额（{REPORT_PERIOD_ZH[period]}，元）</caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>
            地区
          </th>
          <th scope="col" rowSpan={2}>
            人数
          </th>
          <MoneyHead />
        </tr>
        <tr>
          <MoneySubHead />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const m = areaMoney(r, period);
          return (
            <tr key={r.area.code}>
              <AreaCell row={r} levels={levels} onDrill={onDrill} />
              <Num>{formatPeople(m.people)}</Num>
              <Num>{formatPeople(m.engineCases)}</Num>
              <Num>{formatYuan(m.enginePension)}</Num>
              <Num>{formatYuan(m.engineMedical)}</Num>
              <Num>{formatPeople(m.agencyCases)}</Num>
              <Num>{formatYuan(m.agencyPension)}</Num>
              <Num>{formatYuan(m.agencyMedical)}</Num>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
