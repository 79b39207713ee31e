// The county's spreadsheets (.xlsx, by exceljs): Chinese sheet names and headers, people as '#,##0'
// and money as '#,##0.00', the header row frozen, set up to print on A4. Every figure is handed in
// by the caller from the same function its JSON route answers with: nothing is computed here.
//
// Text a veteran, a clerk or a tablet typed (names, comments) may start with = + - @ or a control
// character, which a spreadsheet program would take for a formula (a link out, a DDE command) once
// someone edits or re-saves the cell. Every text cell is therefore written as a string cell (never
// a formula) in the Text number format '@', which keeps it text when edited, and a leading
// formula character is prefixed with an apostrophe for programs that re-read the sheet as CSV.

import ExcelJS from 'exceljs';
import type { CaseListItem, UnitPayer } from '../../shared/admin-api';
import { LIFECYCLE_STATUS_ZH } from '../../shared/case-lifecycle';
import {
  AUGUST_STATISTICS_ZH,
  COMPLETION_STATE_ZH,
  COMPLETION_STATES,
  FISCAL_LEVEL_ZH,
  FISCAL_LEVELS,
  FISCAL_NOT_PUBLISHED_ZH,
  INSURANCE_TRACK_ZH,
  INSURANCE_TRACKS,
  MONEY_SOURCE_ZH,
  REPORT_COLUMN_ZH,
  REPORT_COLUMNS,
  REPORT_PERIOD_ZH,
  REPORT_PERIODS,
  SHARE_ZH,
  UNIT_PAYER_REPORT_ZH,
  UNIT_PAYERS,
  type AugustStatistics,
  type AugustStatisticsRow,
  type CompletionRow,
  type CompletionSummary,
  type FiscalLevel,
  type FiscalSplitCells,
  type MoneyFigures,
  type PayerRow,
  type ReportingWeek,
  type ReportPeriod,
  type WeeklyAreaRow,
  type WeeklyReport,
} from '../../shared/reports';
import type { Area, AreaLevel } from '../../shared/roles';
import type { CaseQueueFilter } from '../county/case-queue';

export const PEOPLE_FORMAT = '#,##0';
export const MONEY_FORMAT = '#,##0.00';
export const TEXT_FORMAT = '@';
export const PERCENT_FORMAT = '0.00%';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ColumnKind = 'text' | 'people' | 'money' | 'percent';

export interface SheetColumn<Row> {
  header: string;
  kind: ColumnKind;
  width?: number;
  /** The cell's value: text, a whole number of people, yuan as a decimal string to the fen, or a share ('0.8125'). */
  value(row: Row): string | number | null;
}

export interface SheetSpec<Row> {
  /** At most 31 characters, none of \ / ? * [ ] : (Excel's rule). */
  name: string;
  /** Lines above the header (title, period, area): merged across the columns. */
  title?: string[];
  columns: SheetColumn<Row>[];
  rows: readonly Row[];
}

/** What starts a formula in a spreadsheet program (with TAB and CR, which some strip first). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text as it is safe to write: never read as a formula. A line break is written as LF, which is what
 * XML gives back for a CR anyway.
 */
export function safeText(text: string): string {
  const t = FORMULA_START.test(text) ? `'${text}` : text;
  return t.replace(/\r\n?/g, '\n');
}

const A4 = 9;

const FORMAT: Readonly<Record<ColumnKind, string>> = { text: TEXT_FORMAT, people: PEOPLE_FORMAT, money: MONEY_FORMAT, percent: PERCENT_FORMAT };

const YUAN = /^-?\d{1,13}(?:\.\d{1,2})?$/;

/**
 * Yuan as the cell's number: a spreadsheet keeps doubles, and the nearest double to a decimal of at
 * most two places shows the same figure to the fen. Anything else is a caller's bug, never rounded.
 */
function yuanCell(value: string | number): number {
  const text = String(value);
  if (!YUAN.test(text)) throw new Error(`xlsx money cell: expected yuan to the fen, got ${text}`);
  return Number(text);
}

export function addSheet<Row>(book: ExcelJS.Workbook, spec: SheetSpec<Row>): ExcelJS.Worksheet {
  const title = spec.title ?? [];
  const headerRow = title.length + 1;
  const sheet = book.addWorksheet(spec.name, {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
    pageSetup: {
      paperSize: A4,
      orientation: spec.columns.length > 7 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  sheet.columns = spec.columns.map((c) => ({
    width: c.width ?? (c.kind === 'text' ? 16 : 14),
    style: { numFmt: FORMAT[c.kind] },
  }));
  for (const [i, line] of title.entries()) {
    const row = sheet.getRow(i + 1);
    const cell = row.getCell(1);
    cell.value = safeText(line);
    cell.numFmt = TEXT_FORMAT;
    cell.font = { bold: i === 0, size: i === 0 ? 14 : 11 };
    if (spec.columns.length > 1) sheet.mergeCells(i + 1, 1, i + 1, spec.columns.length);
  }
  const header = sheet.getRow(headerRow);
  for (const [i, c] of spec.columns.entries()) {
    const cell = header.getCell(i + 1);
    cell.value = safeText(c.header);
    cell.numFmt = TEXT_FORMAT;
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  }
  for (const [r, item] of spec.rows.entries()) {
    const row = sheet.getRow(headerRow + 1 + r);
    for (const [i, c] of spec.columns.entries()) {
      const cell = row.getCell(i + 1);
      const v = c.value(item);
      if (v === null || v === '') {
        cell.value = null;
      } else if (c.kind === 'text') {
        cell.value = safeText(String(v));
      } else if (c.kind === 'money') {
        cell.value = yuanCell(v);
      } else if (c.kind === 'percent') {
        cell.value = Number(v);
      } else {
        cell.value = Number(v);
      }
      cell.numFmt = FORMAT[c.kind];
    }
  }
  return sheet;
}

export function newWorkbook(): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = 'Jiexu county server';
  return book;
}

export async function workbookBuffer(book: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** An attachment's Content-Disposition with a Chinese file name (RFC 6266 / 5987) and an ASCII fallback. */
export function attachment(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

// --- the case list ---------------------------------------------------------------------------------

export const UNIT_PAYER_ZH: Readonly<Record<UnitPayer, string>> = {
  unit: '原安置单位',
  superior: '原安置单位上级主管部门',
  fiscal: '财政资金',
};

const FLAG_ZH: readonly [keyof CaseListItem['flags'], string][] = [
  ['conflict', '冲突'],
  ['possibleDuplicate', '疑似重复'],
  ['figuresDiffer', '测算不一致'],
  ['lateApplication', '逾期申请'],
  ['provisionalParameters', '暂定参数'],
  ['clerkUnverified', '经办人待核实'],
];

export const CASE_LIST_HEADERS = ['案件编号', '姓名', '公民身份号码', '乡镇（街道）代码', '乡镇（街道）', '办理状态', '单位缴费承担方', '标记', '登记人', '接收时间', '更新时间'] as const;

/** The filter as the sheet's second line says it (the search text is personal: not repeated there). */
function filterZh(filter: CaseQueueFilter): string {
  const parts: string[] = [];
  if (filter.townshipCode !== undefined) parts.push(`乡镇（街道）${filter.townshipCode}`);
  if (filter.lifecycleStatus !== undefined) parts.push(`状态：${LIFECYCLE_STATUS_ZH[filter.lifecycleStatus]}`);
  if (filter.payer !== undefined) parts.push(`承担方：${UNIT_PAYER_ZH[filter.payer]}`);
  const flagNames: Record<string, string> = { conflict: '冲突', 'possible-duplicate': '疑似重复', 'figures-differ': '测算不一致', 'late-application': '逾期申请', 'provisional-parameters': '暂定参数', 'clerk-unverified': '经办人待核实' };
  if (filter.flags?.length) parts.push(`标记：${filter.flags.map((f) => flagNames[f]).join('、')}`);
  if (filter.q !== undefined) parts.push('按搜索条件');
  return parts.length === 0 ? '筛选：全部' : `筛选：${parts.join('；')}`;
}

/** The queue's cases that match the filter, every one of them, as one sheet 案件清单. */
export async function caseListXlsx(input: { cases: readonly CaseListItem[]; filter: CaseQueueFilter; townshipNames: ReadonlyMap<string, string>; exportedAt: string; area: string }): Promise<Buffer> {
  const book = newWorkbook();
  const columns: SheetColumn<CaseListItem>[] = [
    { header: CASE_LIST_HEADERS[0], kind: 'text', width: 26, value: (c) => c.caseNumber },
    { header: CASE_LIST_HEADERS[1], kind: 'text', width: 14, value: (c) => c.name },
    { header: CASE_LIST_HEADERS[2], kind: 'text', width: 21, value: (c) => c.idNumber },
    { header: CASE_LIST_HEADERS[3], kind: 'text', width: 12, value: (c) => c.townshipCode },
    { header: CASE_LIST_HEADERS[4], kind: 'text', width: 16, value: (c) => input.townshipNames.get(c.townshipCode) ?? '' },
    { header: CASE_LIST_HEADERS[5], kind: 'text', width: 14, value: (c) => LIFECYCLE_STATUS_ZH[c.lifecycleStatus] },
    { header: CASE_LIST_HEADERS[6], kind: 'text', width: 18, value: (c) => (c.unitPayer === null ? '' : UNIT_PAYER_ZH[c.unitPayer]) },
    { header: CASE_LIST_HEADERS[7], kind: 'text', width: 18, value: (c) => FLAG_ZH.filter(([k]) => c.flags[k]).map(([, zh]) => zh).join('、') },
    { header: CASE_LIST_HEADERS[8], kind: 'text', width: 14, value: (c) => c.registeredBy ?? '' },
    { header: CASE_LIST_HEADERS[9], kind: 'text', width: 22, value: (c) => c.receivedAt },
    { header: CASE_LIST_HEADERS[10], kind: 'text', width: 22, value: (c) => c.updatedAt },
  ];
  addSheet(book, {
    name: '案件清单',
    title: [`退役士兵养老保险接续案件清单（${input.area}）`, `${filterZh(input.filter)}；共 ${input.cases.length} 件；导出时间 ${input.exportedAt}`],
    columns,
    rows: input.cases,
  });
  return workbookBuffer(book);
}

// --- the reports -----------------------------------------------------------------------------------

const LEVEL_ZH: Readonly<Record<AreaLevel, string>> = { region: '自治区', league: '盟市', county: '旗县（市、区）', township: '乡镇（街道）' };

/** The rows of a report as the sheets list them: the total first, then each level, broadest first. */
function areaRows<R extends { area: Area }>(report: { total: R; levels: readonly { level: AreaLevel; rows: readonly R[] }[] }): { level: string; row: R }[] {
  return [{ level: '合计', row: report.total }, ...report.levels.flatMap((l) => l.rows.map((row) => ({ level: LEVEL_ZH[l.level], row })))];
}

/** Shanghai local time of an ISO instant, to the minute. */
function shanghaiTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function areaColumns<R extends { area: Area; name: string }>(): SheetColumn<{ level: string; row: R }>[] {
  return [
    { header: '层级', kind: 'text', width: 14, value: (r) => r.level },
    { header: '区划代码', kind: 'text', width: 12, value: (r) => r.row.area.code },
    { header: '名称', kind: 'text', width: 18, value: (r) => r.row.name },
  ];
}

/** The money columns of a MoneyFigures: the engine's estimate and the agencies' figure apart, never added. */
function moneyColumns<R>(money: (r: R) => MoneyFigures, prefix = ''): SheetColumn<R>[] {
  const out: SheetColumn<R>[] = [];
  for (const source of ['engine', 'agency'] as const) {
    for (const track of INSURANCE_TRACKS) {
      for (const share of ['unit', 'individual', 'total'] as const) {
        out.push({ header: `${prefix}${MONEY_SOURCE_ZH[source]}·${INSURANCE_TRACK_ZH[track]}·${SHARE_ZH[share]}（元）`, kind: 'money', width: 16, value: (r) => money(r)[source][track][share] });
      }
    }
    out.push({ header: `${prefix}${MONEY_SOURCE_ZH[source]}·件数`, kind: 'people', width: 10, value: (r) => (source === 'engine' ? money(r).engineCases : money(r).agencyCases) });
  }
  return out;
}

export const WEEKLY_SHEETS = { progress: '工作进度', payers: '人数和资金', fiscal: '财政资金分担' } as const;

function weekZh(week: ReportingWeek): string {
  return `${shanghaiTime(week.start)} 至 ${shanghaiTime(week.end)}`;
}

/** The weekly report (NM43-3.4): progress by area and period, people and money by payer, the fiscal split. */
export async function weeklyReportXlsx(report: WeeklyReport): Promise<Buffer> {
  const book = newWorkbook();
  const rows = areaRows(report);
  const title = (what: string) => [
    `退役士兵社会保险接续工作周报·${what}（${report.areaName || report.area.code}）`,
    `本周 ${weekZh(report.week)}；上周 ${weekZh(report.previousWeek)}；报送日 ${report.week.dueDate}；计算时间 ${shanghaiTime(report.computedAt)}（北京时间）`,
  ];
  type AreaRow = (typeof rows)[number];
  addSheet<AreaRow>(book, {
    name: WEEKLY_SHEETS.progress,
    title: title(WEEKLY_SHEETS.progress),
    columns: [
      ...areaColumns<WeeklyAreaRow>(),
      ...REPORT_COLUMNS.flatMap((c) => REPORT_PERIODS.map((p): SheetColumn<AreaRow> => ({ header: `${REPORT_COLUMN_ZH[c]}（${REPORT_PERIOD_ZH[p]}）`, kind: 'people', width: 10, value: (r) => r.row.progress[c][p] }))),
    ],
    rows,
  });
  type PayerLine = AreaRow & { payer: PayerRow; period: ReportPeriod };
  const payerLines: PayerLine[] = rows.flatMap((r) => r.row.payers.flatMap((payer) => REPORT_PERIODS.map((period) => ({ ...r, payer, period }))));
  addSheet<PayerLine>(book, {
    name: WEEKLY_SHEETS.payers,
    title: title(WEEKLY_SHEETS.payers),
    columns: [
      ...areaColumns<WeeklyAreaRow>(),
      { header: '单位缴费承担方', kind: 'text', width: 14, value: (r) => UNIT_PAYER_REPORT_ZH[r.payer.payer] },
      { header: '期间', kind: 'text', width: 8, value: (r) => REPORT_PERIOD_ZH[r.period] },
      { header: '人数', kind: 'people', width: 10, value: (r) => r.payer.periods[r.period].people },
      ...moneyColumns<PayerLine>((r) => r.payer.periods[r.period].money),
    ],
    rows: payerLines,
  });
  type FiscalLine = AreaRow & { period: ReportPeriod; cells: FiscalSplitCells };
  const fiscalLines: FiscalLine[] = rows.flatMap((r) => {
    const split = r.row.payers.find((p) => p.payer === 'fiscal')?.fiscalSplit;
    return split ? REPORT_PERIODS.map((period) => ({ ...r, period, cells: split[period] })) : [];
  });
  const share = (source: 'engine' | 'agency', level: FiscalLevel): SheetColumn<FiscalLine> => ({
    header: `${MONEY_SOURCE_ZH[source]}·${FISCAL_LEVEL_ZH[level]}（元）`,
    // Not published yet: the cell says so as text, never a 0.
    kind: 'money',
    width: 16,
    value: (r) => (r.cells.published ? r.cells[source][level] : null),
  });
  const sheet = addSheet<FiscalLine>(book, {
    name: WEEKLY_SHEETS.fiscal,
    title: title(WEEKLY_SHEETS.fiscal),
    columns: [
      ...areaColumns<WeeklyAreaRow>(),
      { header: '期间', kind: 'text', width: 8, value: (r) => REPORT_PERIOD_ZH[r.period] },
      { header: '分担比例（参数版本）', kind: 'text', width: 18, value: (r) => (r.cells.published ? r.cells.parametersVersion : FISCAL_NOT_PUBLISHED_ZH) },
      ...FISCAL_LEVELS.map((l) => share('engine', l)),
      ...FISCAL_LEVELS.map((l) => share('agency', l)),
    ],
    rows: fiscalLines,
  });
  for (const [i, line] of fiscalLines.entries()) {
    if (line.cells.published) continue;
    for (let col = 6; col <= 5 + 2 * FISCAL_LEVELS.length; col++) {
      const cell = sheet.getRow(4 + i).getCell(col);
      cell.value = FISCAL_NOT_PUBLISHED_ZH;
      cell.numFmt = TEXT_FORMAT;
    }
  }
  return workbookBuffer(book);
}

export const AUGUST_SHEET = '8月底统计';

/** The end-of-August statistics (NM43-2): people and money to raise, by area. */
export async function augustStatisticsXlsx(stats: AugustStatistics): Promise<Buffer> {
  const book = newWorkbook();
  type Line = { level: string; row: AugustStatisticsRow };
  addSheet<Line>(book, {
    name: AUGUST_SHEET,
    title: [`${AUGUST_STATISTICS_ZH.title}（${stats.areaName || stats.area.code}）`, `${stats.campaignYear} 年，截至 ${stats.asOf}；计算时间 ${shanghaiTime(stats.computedAt)}（北京时间）`],
    columns: [
      ...areaColumns<AugustStatisticsRow>(),
      { header: AUGUST_STATISTICS_ZH.people, kind: 'people', width: 10, value: (r) => r.row.people },
      ...UNIT_PAYERS.map((p): SheetColumn<Line> => ({ header: `${AUGUST_STATISTICS_ZH.people}·${UNIT_PAYER_REPORT_ZH[p]}`, kind: 'people', width: 12, value: (r) => r.row.peopleByPayer[p] })),
      ...moneyColumns<Line>((r) => r.row.money, `${AUGUST_STATISTICS_ZH.money}·`),
    ],
    rows: areaRows(stats),
  });
  return workbookBuffer(book);
}

export const COMPLETION_SHEET = '完成情况汇总';

/** The completion summary: cases by where they stand now, and the money of the completed ones. */
export async function completionSummaryXlsx(summary: CompletionSummary): Promise<Buffer> {
  const book = newWorkbook();
  type Line = { level: string; row: CompletionRow };
  addSheet<Line>(book, {
    name: COMPLETION_SHEET,
    title: [`退役士兵社会保险接续完成情况汇总（${summary.areaName || summary.area.code}）`, `计算时间 ${shanghaiTime(summary.computedAt)}（北京时间）`],
    columns: [
      ...areaColumns<CompletionRow>(),
      { header: '案件数', kind: 'people', width: 10, value: (r) => r.row.cases },
      ...COMPLETION_STATES.map((st): SheetColumn<Line> => ({ header: COMPLETION_STATE_ZH[st], kind: 'people', width: 10, value: (r) => r.row.byState[st] })),
      { header: '办结比例', kind: 'percent', width: 10, value: (r) => r.row.closedShare },
      ...moneyColumns<Line>((r) => r.row.completedMoney, '已完成·'),
    ],
    rows: areaRows(summary),
  });
  return workbookBuffer(book);
}
