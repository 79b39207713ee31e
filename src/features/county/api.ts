// The county page's calls to /api/admin/* on the server that serves it (the session cookie rides
// along). Errors carry the server's stable code; errorZh puts them into words for the admin.

import type {
  AccountListItem as Account,
  AgencyFindingInput,
  AgencyFindingView,
  AgencyResultsCommit,
  AgencyResultsPreview,
  CaseListItem as CaseItem,
  CaseQueuePage,
  DeviceItem,
  PayerConfirmationInput,
  PayerConfirmationView,
  SessionInfo,
  UnitPayer,
} from '../../shared/admin-api';
import type { CaseStep, CaseStepView, LifecycleStatus, StepTaken, VerificationCheckRecord } from '../../shared/case-lifecycle';
import type { AugustStatistics, CompletionSummary, ReportSubmission, ReportSubmissionWithReport, WeeklyReport } from '../../shared/reports';
import type { Area, Role } from '../../shared/roles';
import { tooManyAttemptsZh } from '../../sync/messages';
import type { ParameterImpactPage, ParameterSetDetail, ParameterSetItem } from '../../shared/parameter-publishing';
import { parameterFieldZh, parameterProblemZh } from './parameters/draft';
import { checkFieldZh, serverReasonZh } from './common/problems';

export type { Account, CaseItem, CaseQueuePage, DeviceItem, SessionInfo, UnitPayer };

export class AdminApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: { path: string; message: string }[];
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, message: string, problems: { path: string; message: string }[] = [], retryAfterSeconds?: number) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
    this.code = code;
    this.problems = problems;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface Township {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}
export interface IssuedCode {
  code: string;
  townshipCode: string;
  townshipName: string;
  expiresAt: string;
}
export interface CaseVersion {
  id: string;
  revision: number;
  source: 'tablet' | 'county';
  deviceId: string | null;
  actor: string;
  clerkAccount: string | null;
  clerkProblem: string | null;
  at: string;
  status: string;
  conflicting: boolean;
  current: boolean;
  registration: { name?: string; phone?: string; address?: string } & Record<string, unknown>;
  tabletFigures: Record<string, unknown> | null;
  serverDeterminations: { parametersVersion: string; purpose: string; figures: Record<string, unknown> | null; error: string | null; figuresDiffer: boolean }[];
}
export interface CaseDetail extends CaseItem {
  correctionRequest: string | null;
  versions: CaseVersion[];
  possibleDuplicates: CaseItem[];
  /** The current facts: 核查通过 asks for civil affairs' confirmation when they record 低保 or 特困. */
  facts?: { assistance?: { dibao?: boolean; tekun?: boolean } };
  /** The signed history of the case's lifecycle, void steps marked, oldest first. */
  steps: CaseStepView[];
  /** The steps the signed-in role may take from the case's status (the policy table's, sent by the server). */
  allowedSteps: CaseStep[];
  /** The agencies' findings beside the engine's re-runs, superseded ones too, oldest first. */
  agencyFindings?: AgencyFindingView[];
  /** Who confirmed that the unit or its superior is gone or unable to pay, superseded ones too. */
  payerConfirmations?: PayerConfirmationView[];
}

/** 送经办机构 for the selected verified cases at once (POST /api/admin/cases/batch-steps). */
export interface BatchSendRequest {
  caseIds: string[];
  comment: string;
  agencyName: string;
}
/** A line of the printed 移交清单: one case sent. */
export interface HandoverLine {
  caseId: string;
  caseNumber: string;
  name: string;
  idNumber: string;
  townshipCode: string;
  unitPayer: UnitPayer | null;
  estimateFen: number | null;
}
export interface BatchSendResult {
  signed: (StepTaken & { caseId: string })[];
  /** Cases not sent, by id: case-not-found (or outside the area), step-not-allowed-from-status, forbidden. */
  refused: { caseId: string; code: string }[];
  handover: HandoverLine[];
}

/** What a signed step carries (POST /api/admin/cases/:id/steps). */
export interface StepRequest {
  step: CaseStep;
  comment: string;
  checks?: VerificationCheckRecord[];
  reasonForVeteran?: string;
}
/** The audit chain's last entry: compare its hash with a copy kept elsewhere (README, audit chain). */
export interface AuditHead {
  seq: number;
  hash: string;
  at: string | null;
}
export type CaseFlag = 'conflict' | 'possible-duplicate' | 'figures-differ' | 'late-application' | 'provisional-parameters' | 'clerk-unverified';

/** What the county queue asks for (GET /api/admin/cases): all of them optional. */
export interface CaseQueueQuery {
  township?: string;
  status?: LifecycleStatus;
  payer?: UnitPayer;
  flag?: CaseFlag;
  /** The search box: ID number (whole or last digits), name, pinyin, case number or a form's QR text. */
  q?: string;
  /** Only cases waiting in their status longer than the server's days for it (超期). */
  overdue?: boolean;
  limit?: number;
  offset?: number;
}

export interface AdminApi {
  login(username: string, password: string): Promise<SessionInfo>;
  logout(): Promise<void>;
  /** Who is signed in (rejects with 'unauthenticated' when nobody is). */
  session(): Promise<SessionInfo>;
  changePassword(currentPassword: string, newPassword: string): Promise<{ username: string; mustChangePassword: boolean }>;
  townships(): Promise<Township[]>;
  createTownship(code: string, name: string): Promise<Township>;
  createEnrolmentCode(townshipCode: string, hours?: number): Promise<IssuedCode>;
  devices(): Promise<DeviceItem[]>;
  revokeDevice(deviceId: string): Promise<DeviceItem>;
  accounts(): Promise<Account[]>;
  createClerk(input: { username: string; displayName: string; password: string; townshipCode: string }): Promise<Account>;
  /** An account of any role: a tablet role's area is its township (townshipCode), the others' `area`. */
  createAccount(input: { username: string; displayName: string; password: string; role: Role; townshipCode?: string; area?: Area }): Promise<Account>;
  /** A one-time password, shown once: the account must change it at its first sign-in. */
  resetPassword(username: string): Promise<{ username: string; oneTimePassword: string }>;
  revokeSessions(username: string): Promise<{ username: string; sessionsEnded: number; tabletPinsRevoked: boolean }>;
  unlockAccount(username: string): Promise<{ username: string; wasLocked: boolean }>;
  /** Disables (false) or enables (true) an account: a disabled one signs in nowhere. */
  setAccountActive(username: string, active: boolean): Promise<Account>;
  /** Moves a tablet clerk to another township of the caller's area; his cases stay where they were made. */
  moveClerk?(username: string, townshipCode: string): Promise<Account>;
  /** A page of the reviewer's queue with the true total. */
  cases(query?: CaseQueueQuery): Promise<CaseQueuePage>;
  caseDetail(id: string): Promise<CaseDetail>;
  resolve(id: string, versionId: string): Promise<CaseDetail>;
  requestCorrection(id: string, message: string): Promise<CaseDetail>;
  /** Signs one step of the case's lifecycle: the new status and the step. */
  takeStep(id: string, input: StepRequest): Promise<StepTaken>;
  /** Absent from a page that is given no batch API (the queue then offers no selection). */
  sendToAgency?(input: BatchSendRequest): Promise<BatchSendResult>;
  /** An agency's figures for one track, compared by the server with the engine's re-run. */
  recordAgencyFinding?(id: string, input: AgencyFindingInput): Promise<AgencyFindingView>;
  /** The government's confirmation that the unit or its superior is gone or unable to pay. */
  recordPayerConfirmation?(id: string, input: PayerConfirmationInput): Promise<PayerConfirmationView>;
  /** An agencies' results file (.xlsx or CSV, base64): each row judged; commit records the good ones as findings. */
  agencyResults?: {
    preview(file: { fileName: string; content: string; agencyName?: string }): Promise<AgencyResultsPreview>;
    commit(file: { fileName: string; content: string; agencyName?: string }): Promise<AgencyResultsCommit>;
  };
  /** Absent from a page that is given no audit API (the section is then not shown). */
  auditHead?(): Promise<AuditHead>;
  /** Absent from a page that is given no reports API (the 报表 tab is then not shown). */
  reports?: ReportsApi;
  /** Absent from a page that is given no parameters API (the 参数 tab is then not shown). */
  parameters?: ParametersApi;
}

/** Parameter sets (parameters/ParametersPanel.tsx): every one the server knows, a draft's impact, publishing. */
export interface ParametersApi {
  list(): Promise<ParameterSetItem[]>;
  get(version: string): Promise<ParameterSetDetail>;
  /** One page of the open cases of the caller's area re-run under the draft; nothing is written. */
  preview(document: unknown, paging?: { offset?: number; limit?: number }): Promise<ParameterImpactPage>;
  publish(document: unknown): Promise<{ version: string; issued: string; publishedAt: string }>;
}

/** The reports (reports/ReportsScreen.tsx): computed by the server from the cases, never typed in. */
export interface ReportsApi {
  /** `week`: a date (YYYY-MM-DD) or instant inside the week; absent: the current week. */
  weekly(week?: string): Promise<WeeklyReport>;
  /** `year`: the campaign year; absent: the server's current one. */
  augustStatistics(year?: number): Promise<AugustStatistics>;
  completion(): Promise<CompletionSummary>;
  /** 报送: freezes and signs the week's report; a later one is a new version beside it. */
  submitWeekly(input: { week?: string; comment?: string }): Promise<ReportSubmission>;
  /** The 报送 versions in the caller's area, of one week when given. */
  submissions(week?: string): Promise<ReportSubmission[]>;
  submission(id: string): Promise<ReportSubmissionWithReport>;
  /** Where the browser downloads a report's .xlsx (the session cookie rides along). */
  xlsxUrl(kind: 'weekly' | 'august-statistics' | 'completion', query?: { week?: string; year?: number }): string;
}

export function createAdminApi(base = '', fetchImpl: typeof fetch = (i, init) => globalThis.fetch(i, init)): AdminApi {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(`${base}/api/admin${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new AdminApiError(0, 'network', (err as Error).message);
    }
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; problems?: { path: string; message: string }[]; retryAfterSeconds?: number } } | null;
    if (!res.ok) {
      const e = data?.error;
      throw new AdminApiError(res.status, e?.code ?? `status-${res.status}`, e?.message ?? `status ${res.status}`, e?.problems ?? [], typeof e?.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined);
    }
    return data as T;
  }
  const enc = encodeURIComponent;
  return {
    login: (username, password) => call('POST', '/login', { username, password }),
    logout: async () => {
      await call('POST', '/logout', {});
    },
    session: () => call('GET', '/session'),
    changePassword: (currentPassword, newPassword) => call('POST', '/password', { currentPassword, newPassword }),
    townships: async () => (await call<{ townships: Township[] }>('GET', '/townships')).townships,
    createTownship: (code, name) => call('POST', '/townships', { code, name }),
    createEnrolmentCode: (townshipCode, hours) => call('POST', '/enrolment-codes', { townshipCode, ...(hours ? { hours } : {}) }),
    devices: async () => (await call<{ devices: DeviceItem[] }>('GET', '/devices')).devices,
    revokeDevice: (deviceId) => call('POST', `/devices/${enc(deviceId)}/revoke`, {}),
    accounts: async () => (await call<{ accounts: Account[] }>('GET', '/accounts')).accounts,
    createClerk: (input) => call('POST', '/accounts', { ...input, role: 'window-clerk' }),
    createAccount: (input) => call('POST', '/accounts', input),
    resetPassword: (username) => call('POST', `/accounts/${enc(username)}/reset-password`, {}),
    revokeSessions: (username) => call('POST', `/accounts/${enc(username)}/revoke-sessions`, {}),
    unlockAccount: (username) => call('POST', `/accounts/${enc(username)}/unlock`, {}),
    setAccountActive: (username, active) => call('POST', `/accounts/${enc(username)}/${active ? 'enable' : 'disable'}`, {}),
    moveClerk: (username, townshipCode) => call('POST', `/accounts/${enc(username)}/move`, { townshipCode }),
    cases: (query = {}) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
      const qs = params.toString();
      return call('GET', `/cases${qs ? `?${qs}` : ''}`);
    },
    caseDetail: (id) => call('GET', `/cases/${enc(id)}`),
    resolve: (id, versionId) => call('POST', `/cases/${enc(id)}/resolve`, { versionId }),
    requestCorrection: (id, message) => call('POST', `/cases/${enc(id)}/correction-request`, { message }),
    takeStep: (id, input) => call('POST', `/cases/${enc(id)}/steps`, input),
    sendToAgency: (input) => call('POST', '/cases/batch-steps', { step: 'sent-to-agency', ...input }),
    recordAgencyFinding: (id, input) => call('POST', `/cases/${enc(id)}/agency-findings`, input),
    recordPayerConfirmation: (id, input) => call('POST', `/cases/${enc(id)}/payer-confirmations`, input),
    agencyResults: {
      preview: (file) => call('POST', '/agency-results/preview', file),
      commit: (file) => call('POST', '/agency-results/commit', file),
    },
    auditHead: () => call('GET', '/audit/head'),
    parameters: {
      list: async () => (await call<{ parameterSets: ParameterSetItem[] }>('GET', '/parameter-sets')).parameterSets,
      get: (version) => call('GET', `/parameter-sets/${enc(version)}`),
      preview: (document, paging = {}) => call('POST', '/parameter-sets/preview', { document, ...paging }),
      publish: (document) => call('POST', '/parameter-sets', { document }),
    },
    reports: {
      weekly: (week) => call('GET', `/reports/weekly${week ? `?week=${enc(week)}` : ''}`),
      augustStatistics: (year) => call('GET', `/reports/august-statistics${year === undefined ? '' : `?year=${year}`}`),
      completion: () => call('GET', '/reports/completion'),
      submitWeekly: (input) => call('POST', '/reports/weekly/submit', input),
      submissions: async (week) => (await call<{ submissions: ReportSubmission[] }>('GET', `/reports/submissions${week ? `?week=${enc(week)}` : ''}`)).submissions,
      submission: (id) => call('GET', `/reports/submissions/${enc(id)}`),
      xlsxUrl: (kind, query = {}) => {
        const params = new URLSearchParams();
        if (query.week) params.set('week', query.week);
        if (query.year !== undefined) params.set('year', String(query.year));
        const qs = params.toString();
        return `${base}/api/admin/reports/${kind}.xlsx${qs ? `?${qs}` : ''}`;
      },
    },
  };
}

/** Why the server could not verify the clerk account a tablet sent with a version (policy.ts CLERK_ACCOUNT_PROBLEMS). */
export function clerkProblemZh(problem: string): string {
  switch (problem) {
    case 'unknown-account':
      return '县局没有这个经办人账号';
    case 'account-disabled':
      return '该经办人账号已停用（可能是停用前离线登记的）';
    case 'not-a-clerk':
      return '该账号不是窗口经办人或外勤人员账号';
    case 'other-township':
      return '该经办人属于其他乡镇（街道），不是本设备所在乡镇';
    default:
      return `账号无法核实（${problem}）`;
  }
}

/** The fields of the county page's forms as their labels name them (the server names them by path). */
const FIELD_ZH: Readonly<Record<string, string>> = {
  username: '用户名',
  displayName: '姓名',
  password: '初始密码',
  role: '角色',
  area: '辖区',
  'area.level': '辖区级别',
  'area.code': '辖区代码',
  townshipCode: '乡镇（街道）',
  currentPassword: '当前密码',
  newPassword: '新密码',
  code: '代码',
  name: '名称',
  message: '退回意见',
  step: '办理步骤',
  comment: '说明',
  checks: '核查项目',
  reasonForVeteran: '告知退役士兵的理由',
  'checks.service': '服役情况核实',
  'checks.discharge-mode': '退役安置方式核实',
  'checks.civil-affairs': '民政部门低保/特困确认',
  'checks.government-confirmation': '同级人民政府确认',
  track: '险种',
  gapMonths: '中断月数',
  unitAmount: '单位缴费金额',
  individualAmount: '个人缴费金额',
  agencyName: '经办机构',
  documentNumber: '文号',
  documentDate: '文件日期',
  computedOn: '测算日期',
  government: '确认的人民政府',
  confirmedOn: '确认日期',
  fileName: '文件名',
  content: '文件内容',
  'document.fiscalSplit': '财政补助分担比例',
  hours: '有效时长',
  township: '乡镇（街道）',
  status: '办理状态',
  payer: '单位部分承担方',
  flag: '标记',
  q: '搜索',
  limit: '每页件数',
  offset: '页码',
  week: '报告周',
  year: '年度',
};

/** The server's field problems in Chinese (common/problems.ts has the table); the parameter documents' own first. */
function problemZh(message: string): string {
  if (message === 'required') return '必须填写';
  const parameter = parameterProblemZh(message);
  if (parameter !== null) return parameter;
  if (message === 'must differ from the current one') return '不能与当前密码相同';
  const m = /^at (least|most) (\d+) characters$/.exec(message);
  if (m) return `${m[1] === 'least' ? '至少' : '最多'}${m[2]}个字符`;
  return serverReasonZh(message);
}

/** The admin's explanation of a failed call. */
export function adminErrorZh(err: unknown): string {
  if (!(err instanceof AdminApiError)) return `操作失败：${String(err)}`;
  const fields = err.problems.length > 0 ? `（${err.problems.map((p) => `${FIELD_ZH[p.path] ?? parameterFieldZh(p.path) ?? checkFieldZh(p.path) ?? p.path}：${problemZh(p.message)}`).join('；')}）` : '';
  switch (err.code) {
    case 'network':
      return '连接不上县局服务器，请检查网络后重试。';
    case 'wrong-credentials':
      return '用户名或密码不正确。';
    case 'too-many-attempts':
      return tooManyAttemptsZh(err.retryAfterSeconds);
    case 'unauthenticated':
      return '登录已过期，请重新登录。';
    case 'forbidden':
      return '没有权限：您的角色不能进行此操作，或对象不在您的辖区内。';
    case 'password-change-required':
      return '您正在使用一次性密码，请先修改密码。';
    case 'wrong-current-password':
      return '当前密码不正确。';
    case 'account-disabled':
      return '该账号已被停用。';
    case 'invalid-request':
      return `填写有误${fields}`;
    case 'township-exists':
      return '该乡镇（街道）代码已存在。';
    case 'account-exists':
      return '该用户名已被使用。';
    case 'parameter-set-exists':
      return '这个版本号已经发布过：已发布的参数不能修改，请换一个新版本号。';
    case 'no-conflict':
      return '该案件没有待裁决的冲突（可能已被其他人处理），请刷新。';
    case 'conflict-open':
      return '本案件有待裁决的冲突：请先在下列版本中选定正式版本，再核查。';
    case 'step-not-allowed-from-status':
      return '案件当前的办理状态不能进行这一步（可能已被其他人处理），请刷新后再试。';
    case 'case-not-found':
      return '找不到该案件，请刷新。';
    case 'device-not-found':
      return '找不到该设备。';
    case 'account-not-found':
      return '找不到该账号，请刷新。';
    case 'township-not-found':
      return '找不到该乡镇（街道），请刷新。';
    case 'cannot-disable-self':
      return '不能停用自己正在使用的账号。';
    case 'export-too-large':
      return '符合条件的案件太多，一次导出不下：请按乡镇（街道）或办理状态缩小范围后再导出。';
    case 'bad-signature':
      return '签名核验不通过：文件在签名后被改动过，或不是该旗县服务器签发的。请向旗县重新索取文件。';
    case 'unknown-county-key':
      return '未登记该旗县服务器的公钥（或公钥登记在另一个旗县名下）：请先与旗县电话核对指纹后登记其公钥。';
    case 'not-in-area':
      return '该旗县不在您的辖区内，不能导入其周报。';
    case 'key-registered-elsewhere':
      return '这把公钥已登记在另一个旗县名下：一把公钥只能对应一个旗县。';
    default:
      return `操作失败（${err.code}）：${err.message}`;
  }
}

/** Each role as the county page names it. */
export const ROLE_ZH: Readonly<Record<Role, string>> = {
  'window-clerk': '窗口经办人',
  'outreach-worker': '外勤人员',
  'county-reviewer': '县局审核人',
  admin: '管理员',
  'league-task-force': '盟市专班',
  'region-task-force': '自治区专班',
  auditor: '审计员',
};

const LEVEL_ZH: Readonly<Record<Area['level'], string>> = { township: '乡镇', county: '旗县', league: '盟市', region: '自治区' };

/** An area as the county page shows it, e.g. 旗县 150102. */
export function areaZh(area: Area): string {
  return `${LEVEL_ZH[area.level]} ${area.code}`;
}

/**
 * Where the browser downloads the queue's case list as .xlsx (the session cookie rides along): the
 * queue's filters without paging, since the export holds every match.
 */
export function caseListXlsxUrl(query: Omit<CaseQueueQuery, 'limit' | 'offset'> = {}, base = ''): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${base}/api/admin/cases/export.xlsx${qs ? `?${qs}` : ''}`;
}
