// The county's reports as the server computes them and the county page and the .xlsx export show them:
// the weekly progress report (NM43-3.4), the end-of-August statistics (NM43-2), the completion summary,
// and a submitted (报送) weekly report frozen as it was. Every figure is computed from the cases.
// Money is yuan as a decimal string to the fen ('1234.56'); the engine's estimate and the agencies'
// figure are always separate fields, never added together.

import type { Area, AreaLevel } from './roles';
import { UNIT_PAYERS, type UnitPayer } from './admin-api';
import { CASE_STEP_ZH, CASE_STEPS } from './case-lifecycle';

export { UNIT_PAYERS, type UnitPayer };

/** Yuan to the fen, e.g. '1234.56' (src/domain/money.ts reads and writes it). */
export type Yuan = string;

/**
 * The progress columns of the weekly report. 'registered' counts cases by the server's receipt time;
 * every other column counts the signed (not void) steps into that status.
 */
export const REPORT_COLUMNS = ['registered', ...CASE_STEPS] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

export const REPORT_COLUMN_ZH: Readonly<Record<ReportColumn, string>> = { registered: '登记', ...CASE_STEP_ZH };

/** This week, the week before it, and everything up to the end of this week. */
export const REPORT_PERIODS = ['thisWeek', 'previousWeek', 'toDate'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const REPORT_PERIOD_ZH: Readonly<Record<ReportPeriod, string>> = {
  thisWeek: '本周',
  previousWeek: '上周',
  toDate: '累计',
};

export type PeriodCounts = Readonly<Record<ReportPeriod, number>>;

export const UNIT_PAYER_REPORT_ZH: Readonly<Record<UnitPayer, string>> = {
  unit: '原安置单位',
  superior: '上级主管部门',
  fiscal: '财政',
};

/** The three shares of the fiscal funds (NM43-1.2.b). */
export const FISCAL_LEVELS = ['region', 'league', 'county'] as const;
export type FiscalLevel = (typeof FISCAL_LEVELS)[number];

export const FISCAL_LEVEL_ZH: Readonly<Record<FiscalLevel, string>> = {
  region: '自治区',
  league: '盟市',
  county: '旗县',
};

export const INSURANCE_TRACKS = ['pension', 'medical'] as const;
export type InsuranceTrack = (typeof INSURANCE_TRACKS)[number];

export const INSURANCE_TRACK_ZH: Readonly<Record<InsuranceTrack, string>> = {
  pension: '养老保险',
  medical: '医疗保险',
};

/** The unit's and the individual's shares of one track, and both together. */
export interface ShareAmounts {
  unit: Yuan;
  individual: Yuan;
  total: Yuan;
}

export const SHARE_ZH: Readonly<Record<keyof ShareAmounts, string>> = {
  unit: '单位缴费',
  individual: '个人缴费',
  total: '合计',
};

/** Money of a set of cases by track. */
export type TrackAmounts = Readonly<Record<InsuranceTrack, ShareAmounts>>;

/** The engine's estimate (the server's determination) and the agencies' figure (findings in force), apart. */
export interface MoneyFigures {
  engine: TrackAmounts;
  /** Cases with an engine figure: a case whose determination failed has none. */
  engineCases: number;
  agency: TrackAmounts;
  /** Cases with at least one agency finding in force. */
  agencyCases: number;
}

export const MONEY_SOURCE_ZH: Readonly<Record<'engine' | 'agency', string>> = {
  engine: '系统测算',
  agency: '经办机构核定',
};

/** The fiscal shares of the unit amounts of fiscal cases, or why there are none to show. */
export type FiscalSplitCells =
  | {
      published: true;
      /** The parameter set whose ratios were used. */
      parametersVersion: string;
      engine: Readonly<Record<FiscalLevel, Yuan>>;
      agency: Readonly<Record<FiscalLevel, Yuan>>;
    }
  | {
      /** The ratios are not in force (the region has not published them): the cells show 未公布, never 0. */
      published: false;
      reason: string;
    };

export const FISCAL_NOT_PUBLISHED_ZH = '比例未公布';

/** People and money of one payer in one period: cases registered in the period with that payer. */
export interface PayerFigures {
  people: number;
  money: MoneyFigures;
}

export interface PayerRow {
  payer: UnitPayer;
  periods: Readonly<Record<ReportPeriod, PayerFigures>>;
  /** Only for 'fiscal': the split of the unit amounts (NM43-1.2.b); null for the other payers. */
  fiscalSplit: Readonly<Record<ReportPeriod, FiscalSplitCells>> | null;
}

/** One area's row (a township, county or 盟市, or the total of the report's area). */
export interface WeeklyAreaRow {
  area: Area;
  /** The area's Chinese name ('' when the server does not know it, e.g. a township it has no name for). */
  name: string;
  progress: Readonly<Record<ReportColumn, PeriodCounts>>;
  payers: readonly PayerRow[];
}

export interface WeeklyAreaLevel {
  level: AreaLevel;
  rows: readonly WeeklyAreaRow[];
}

/** A reporting week: Thursday 12:00 to Thursday 12:00 Asia/Shanghai, as ISO instants (UTC). */
export interface ReportingWeek {
  /** Inclusive. */
  start: string;
  /** Exclusive: the next week's start. */
  end: string;
  /** The Thursday (YYYY-MM-DD, Shanghai) the report is due, the day the week ends. */
  dueDate: string;
}

export interface WeeklyReport {
  kind: 'weekly';
  week: ReportingWeek;
  previousWeek: ReportingWeek;
  /** The area the report covers (the caller's). */
  area: Area;
  areaName: string;
  /** Rows by level, broadest first, down to the townships. */
  levels: readonly WeeklyAreaLevel[];
  total: WeeklyAreaRow;
  /** When the figures were computed (ISO). */
  computedAt: string;
}

/** NM43-2: registered people and the back-pay money to be raised, by area, as of 08-31 of the campaign year. */
export interface AugustStatisticsRow {
  area: Area;
  name: string;
  people: number;
  /** People by the payer of the unit share (cases with no payer, e.g. out of scope, counted in none). */
  peopleByPayer: Readonly<Record<UnitPayer, number>>;
  money: MoneyFigures;
}

export interface AugustStatistics {
  kind: 'august-statistics';
  campaignYear: number;
  /** YYYY-08-31: cases received by the end of that day, Shanghai time. */
  asOf: string;
  /** The exclusive end as an ISO instant. */
  asOfEnd: string;
  area: Area;
  areaName: string;
  levels: readonly { level: AreaLevel; rows: readonly AugustStatisticsRow[] }[];
  total: AugustStatisticsRow;
  computedAt: string;
}

export const AUGUST_STATISTICS_ZH = {
  title: '退役士兵社会保险接续情况统计（截至8月31日）',
  people: '登记人数',
  money: '需筹集补缴资金',
} as const;

/** Cases by where they are now, by area: how far the campaign has come. */
export const COMPLETION_STATES = ['open', 'completed', 'transferred', 'not-eligible'] as const;
export type CompletionState = (typeof COMPLETION_STATES)[number];

export const COMPLETION_STATE_ZH: Readonly<Record<CompletionState, string>> = {
  open: '办理中',
  completed: '完成',
  transferred: '转出',
  'not-eligible': '不符合',
};

export interface CompletionRow {
  area: Area;
  name: string;
  /** Registered (withdrawn cases excluded). */
  cases: number;
  byState: Readonly<Record<CompletionState, number>>;
  /** (completed + transferred + not-eligible) / cases, as a decimal string with 4 places ('0.8125'); '0.0000' with no cases. */
  closedShare: string;
  /** Money of the completed cases. */
  completedMoney: MoneyFigures;
}

export interface CompletionSummary {
  kind: 'completion';
  area: Area;
  areaName: string;
  levels: readonly { level: AreaLevel; rows: readonly CompletionRow[] }[];
  total: CompletionRow;
  computedAt: string;
}

/** One 报送 of a weekly report: the figures frozen as submitted, signed into the audit chain. */
export interface ReportSubmission {
  id: string;
  /** The week's start (ISO): every version of one week's report shares it. */
  weekStart: string;
  area: Area;
  /** 1 for the first submission of this week and area, then 2, 3 …: a later one stands beside, never replaces. */
  version: number;
  submittedBy: string;
  submittedAt: string;
  comment: string;
  /** SHA-256 of the report's canonical JSON (src/shared/canonical-json.ts). */
  sha256: string;
  auditSeq: number;
  auditHash: string;
}

/** GET /api/admin/reports/submissions/:id: a submission with its report exactly as frozen. */
export interface ReportSubmissionWithReport extends ReportSubmission {
  report: WeeklyReport;
}

export interface ReportSubmissionList {
  submissions: ReportSubmission[];
}

/** POST /api/admin/reports/weekly/submit body. */
export interface SubmitWeeklyReportRequest {
  /** A date (YYYY-MM-DD) or instant inside the week; absent: the current week. */
  week?: string;
  comment?: string;
}

export const REPORT_KIND_ZH = {
  weekly: '周报',
  'august-statistics': '8月底统计',
  completion: '完成情况汇总',
  submission: '报送',
} as const;
