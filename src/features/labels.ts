// The one Chinese label map of the tablet: domain names, enum values and field paths as the clerk
// reads them. Codes (warnings, errors, out-of-scope reasons) go through the engine's messageZh; the
// English messages of the shared schemas become Chinese here, each naming its field.
import { isJiexuError, messageZh, parameterLabelZh, idProblemZh, type CaseFacts, type OutOfScopeReason, type Problem, type Regime, type Routing, type TraceStepName, type UnitPayer, type Warning } from '../domain';
import type { DischargeMode, Registration } from '../shared/registration';
import { isStorageError, storageErrorZh, type CaseStatus, type SyncState } from '../storage';

export const DISCHARGE_MODE_LABELS: Record<DischargeMode, string> = {
  discharged: '退伍',
  demobilized: '复员',
  transferred: '转业',
  'self-employed': '自主就业',
  'assigned-job': '安排工作',
  retired: '退休',
  supported: '供养',
  other: '其他',
};

export const FEMALE_CATEGORY_LABELS: Record<'cadre' | 'worker', string> = {
  cadre: '女干部（原法定退休年龄55周岁）',
  worker: '女工人（原法定退休年龄50周岁）',
};

export const RETIREMENT_CATEGORY_LABELS: Record<'male' | 'female-cadre' | 'female-worker', string> = {
  male: '男职工',
  'female-cadre': '女干部',
  'female-worker': '女工人',
};

export const SEX_LABELS: Record<'male' | 'female', string> = { male: '男', female: '女' };

/** Who pays the unit share (NM43-1.2.a, NM43-1.2.b). */
export const UNIT_PAYER_LABELS: Record<UnitPayer, string> = {
  unit: '原安置单位',
  superior: '原安置单位上级主管部门',
  fiscal: '财政资金（由安置地退役军人事务主管部门申请）',
};

/**
 * Where the veteran hands in the materials (NM43-1.4.a 一（四）第一段): with no unit and no superior,
 * he submits them himself, directly, to the department at the level that handled his placement.
 */
export const ROUTING_LABELS: Record<Routing, string> = {
  unit: '原安置单位',
  superior: '原安置单位的上级主管部门',
  department: '原办理安置手续层级的退役军人事务主管部门（由本人直接提交）',
};

export const REGIME_LABELS: Record<Regime, string> = {
  deemed: '军龄视同缴费年限（《军人保险法》施行前退役）',
  combined: '军龄与缴费年限合并计算（已领取军人退役基本养老保险补助）',
};

export const GAP_SOURCE_LABELS: Record<'estimate' | 'agency', string> = {
  estimate: '按登记的缴费记录估算',
  agency: '经办机构认定',
};

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  registered: '已登记',
  withdrawn: '已撤回',
};

export const SYNC_STATE_LABELS: Record<SyncState, string> = {
  pending: '待同步',
  synced: '已同步',
  conflict: '同步冲突',
};

const isCaseStatus = (value: string): value is CaseStatus => Object.hasOwn(CASE_STATUS_LABELS, value);
const isSyncState = (value: string): value is SyncState => Object.hasOwn(SYNC_STATE_LABELS, value);

/** A status read back from a stored record (an audit entry's value). */
export function caseStatusZh(value: string): string {
  return isCaseStatus(value) ? CASE_STATUS_LABELS[value] : '本版本不认识的状态';
}

export function syncStateZh(value: string): string {
  return isSyncState(value) ? SYNC_STATE_LABELS[value] : '本版本不认识的同步状态';
}

export const YES_NO: Record<'true' | 'false', string> = { true: '是', false: '否' };

/** What the clerk can do next when a case is outside the notice's explicit rules. */
export const OUT_OF_SCOPE_NEXT_STEP: Record<OutOfScopeReason, string> = {
  'invalid-id-number': '请对照身份证原件逐位核对号码；核对前所填内容会自动保存为草稿。',
  'bad-service-dates': '请对照退役证件核对入伍时间、退役时间，并确认申请日期。',
  'post-2012-without-subsidy':
    '这种情况多为补助发放记录的问题：可照常保存登记，本案随当日记录报县局审核；请本人提供退役证件和补助发放情况的材料。',
};

/** The engine's trace steps, as the 为什么 expansion titles them. */
export const TRACE_STEP_LABELS: Record<TraceStepName, string> = {
  identity: '身份证号码',
  regime: '军龄与认定方式',
  scope: '是否适用本通知',
  'application-deadline': '申请截止日期',
  'application-before-notice': '通知下发前的申请',
  'first-insured': '首次参保时间',
  retirement: '法定退休年龄',
  'pension-paid-months': '养老保险已缴月数',
  gap: '养老保险断缴月数',
  'back-pay-months': '可补缴月数',
  'pension-amounts': '养老保险补缴金额',
  'pension-unit-payer': '养老保险单位缴费承担方',
  'payer-confirmation': '承担方的确认',
  routing: '材料报送',
  'individual-subsidy': '个人缴费补助',
  'pension-timing': '养老保险补缴时间',
  'pension-at-retirement': '退休时的最低缴费年限',
  'medical-paid-months': '医疗保险已缴月数',
  'medical-months': '医疗保险缴费年限',
  'medical-timing': '医疗保险补缴时间',
  'medical-unit-payer': '医疗保险单位缴费承担方',
  'medical-amounts': '医疗保险补缴金额',
  'medical-fiscal-cap': '财政补缴年限上限',
};

/** Keys of trace inputs and results. */
export const TRACE_KEY_LABELS = {
  idNumber: '身份证号码',
  valid: '有效',
  problem: '问题',
  sex: '性别',
  birth: '出生年月',
  upgradedFrom15: '由15位升级',
  enlistment: '入伍',
  discharge: '退役',
  application: '申请',
  militarySubsidyReceived: '领取军人退役基本养老保险补助',
  regime: '认定方式',
  militaryMonths: '军龄（月）',
  idNumberValid: '身份证号码有效',
  inScope: '适用本通知',
  outOfScopeReasons: '不适用的原因',
  applicationLate: '申请逾期',
  beforeNotice: '早于通知下发',
  insuredAtEnlistment: '入伍时已参保',
  firstInsured: '首次参保',
  source: '来源',
  femaleCategory: '女性类别',
  asOf: '测算月份',
  category: '类别',
  delayMonths: '延迟月数',
  ageMonths: '退休年龄（月）',
  month: '月份',
  months: '月数',
  reached: '已达到',
  minimumPensionMonths: '最低缴费年限（月）',
  periods: '缴费记录',
  serviceWindow: '服役期间',
  paidMonths: '已缴月数',
  monthsInServiceWindow: '与服役期间重叠的月数',
  monthsCountedOnce: '重叠只计一次的月数',
  window: '断缴计算区间',
  agencyGapMonths: '经办机构认定断缴月数',
  gapMonths: '断缴月数',
  gapSource: '断缴月数来源',
  estimatedGapMonths: '估算断缴月数',
  backPayMonths: '可补缴月数',
  lateFee: '滞纳金',
  wageYear: '工资年度',
  placementCounty: '安置地旗县',
  placementLeague: '安置地盟市',
  baseMonthly: '月缴费基数（元）',
  unitRate: '单位费率',
  individualRate: '个人费率',
  unitAmount: '单位金额（元）',
  individualAmount: '个人金额（元）',
  unitExists: '原安置单位存在',
  unitCanPay: '原安置单位能缴纳',
  superiorExists: '上级主管部门存在',
  superiorCanPay: '上级主管部门能缴纳',
  unitPayer: '单位缴费承担方',
  confirmationRequired: '需同级政府确认',
  routing: '材料报送',
  dibao: '低保',
  tekun: '特困',
  individualSubsidyEligible: '可享个人缴费补助',
  retirementReached: '已达退休年龄',
  timing: '补缴时间',
  payableNow: '现可补缴',
  cumulativeMonths: '累计缴费月数',
  shortfallMonths: '差额月数',
  extensionMonths: '延长缴费月数',
  oneTimeMonths: '一次性缴费月数',
  medicalPaidMonths: '医疗保险已缴月数',
  countedMonths: '累计月数',
  requiredMonths: '规定月数',
  fiscalMonths: '财政负担月数',
  uncoveredUnitMonths: '未明确承担方的月数',
  uncoveredUnitAmount: '未明确承担方的金额（元）',
  from: '起',
  to: '止',
  toExcluded: '止（不含）',
  // The determination's own fields, as an audit entry names a change of them.
  identity: '身份',
  idNumberProblem: '身份证号码问题',
  retirement: '法定退休',
  pension: '养老保险',
  medical: '医疗保险',
  provisional: '暂定参数',
  warnings: '提示',
  trace: '计算过程',
  parametersVersion: '参数版本',
  rulesVersion: '规则版本',
} as const satisfies Record<string, string>;

export type TraceKey = keyof typeof TRACE_KEY_LABELS;

function isTraceKey(key: string): key is TraceKey {
  return Object.hasOwn(TRACE_KEY_LABELS, key);
}

/** A key of a trace step's inputs or results in Chinese; the tests hold every key the engine writes. */
export function traceKeyZh(key: string): string {
  return isTraceKey(key) ? TRACE_KEY_LABELS[key] : '其他';
}

/** A value of the trace, in words a clerk reads. */
export function traceValueZh(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (value === true) return '是';
  if (value === false) return '否';
  if (typeof value === 'string') {
    // Dates, months and rates are shown as recorded; only the engine's words are translated.
    return isTraceWord(value) ? TRACE_VALUE_WORDS[value] : value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '无';
    return value.map(traceValueZh).join('；');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${traceKeyZh(k)} ${traceValueZh(v)}`)
      .join('，');
  }
  return String(value);
}

const TRACE_VALUE_WORDS = {
  ...UNIT_PAYER_LABELS,
  ...ROUTING_LABELS,
  deemed: '视同缴费年限',
  combined: '合并计算',
  estimate: '估算',
  agency: '经办机构认定',
  enlistment: '入伍时间',
  recorded: '登记的时间',
  male: '男',
  female: '女',
  'female-cadre': '女干部',
  'female-worker': '女工人',
  cadre: '干部',
  worker: '工人',
  'on-approval': '审核后及时补缴',
  'at-retirement': '达到法定退休年龄时补缴',
  'invalid-id-number': '身份证号码无效',
  'bad-service-dates': '服役日期不符合要求',
  'post-2012-without-subsidy': '《军人保险法》施行后退役且未领取补助',
  length: idProblemZh('length'),
  characters: idProblemZh('characters'),
  'birth-date': idProblemZh('birth-date'),
  checksum: idProblemZh('checksum'),
} as const satisfies Record<string, string>;

function isTraceWord(value: string): value is keyof typeof TRACE_VALUE_WORDS {
  return Object.hasOwn(TRACE_VALUE_WORDS, value);
}

/**
 * The dotted paths of an object type, array rows as `[]`: `person.idNumber`, `pension.periods[].from`.
 */
type PathsOf<T> = {
  [K in keyof T & string]: NonNullable<T[K]> extends readonly (infer E)[]
    ? K | `${K}[]` | `${K}[].${PathsOf<E>}`
    : NonNullable<T[K]> extends object
      ? K | `${K}.${PathsOf<NonNullable<T[K]>>}`
      : K;
}[keyof T & string];

/** Every field of the intake form: the case facts and the registration. */
export type FieldPath = PathsOf<CaseFacts> | PathsOf<Registration>;

/** Field labels by the shared schemas' paths (`person.idNumber`; array rows as `[]`). */
export const FIELD_LABELS: Record<FieldPath, string> = {
  asOf: '测算日期',
  applicationDate: '申请日期',
  person: '身份信息',
  'person.idNumber': '身份证号码',
  'person.femaleCategory': '女性退休类别',
  service: '服役信息',
  'service.enlistment': '入伍时间',
  'service.discharge': '退役时间',
  'service.militarySubsidyReceived': '是否领取军人退役基本养老保险补助',
  placement: '安置信息',
  'placement.countyCode': '安置地旗县（市、区）',
  'placement.unitExists': '原安置单位是否存在',
  'placement.unitCanPay': '原安置单位能否缴纳',
  'placement.superiorExists': '上级主管部门是否存在',
  'placement.superiorCanPay': '上级主管部门能否缴纳',
  pension: '养老保险',
  'pension.insuredAtEnlistment': '入伍时是否已参加城镇职工基本养老保险',
  'pension.firstInsured': '养老保险首次参保时间',
  'pension.periods': '养老保险缴费记录',
  'pension.periods[]': '养老保险缴费记录',
  'pension.periods[].from': '养老保险缴费记录的起始月份',
  'pension.periods[].to': '养老保险缴费记录的截止月份',
  'pension.agencyGapMonths': '经办机构认定的断缴月数',
  medical: '医疗保险',
  'medical.periods': '医疗保险缴费记录',
  'medical.periods[]': '医疗保险缴费记录',
  'medical.periods[].from': '医疗保险缴费记录的起始月份',
  'medical.periods[].to': '医疗保险缴费记录的截止月份',
  assistance: '救助情况',
  'assistance.dibao': '最低生活保障对象',
  'assistance.tekun': '特困人员',
  name: '姓名',
  phone: '联系电话',
  address: '住址',
  dischargeMode: '退役方式',
  unitName: '原安置单位名称',
  superiorName: '上级主管部门名称',
  confirmedBy: '确认“不存在或缴纳确有困难”的同级人民政府',
  medicalInsuredAtEnlistment: '入伍时是否已参加城镇职工基本医疗保险',
  medicalFirstInsured: '医疗保险首次参保时间',
  otherInsuranceNote: '工伤、失业、生育保险情况',
};

/** `pension.periods[1].from` → `养老保险缴费记录第2段的起始月份`. */
export function fieldLabelZh(path: string): string {
  const row = /^(pension|medical)\.periods\[(\d+)\](?:\.(from|to))?$/.exec(path);
  if (row) {
    const scheme = row[1] === 'pension' ? '养老保险' : '医疗保险';
    const n = Number(row[2]) + 1;
    const part = row[3] === 'from' ? '的起始月份' : row[3] === 'to' ? '的截止月份' : '';
    return `${scheme}缴费记录第${n}段${part}`;
  }
  const anyRow = path.replace(/\[\d+\]/g, '[]');
  if (isFieldPath(path)) return FIELD_LABELS[path];
  if (isFieldPath(anyRow)) return FIELD_LABELS[anyRow];
  // A field a newer version sends: named as such rather than by its English path.
  return '本版本不认识的项目';
}

function isFieldPath(path: string): path is FieldPath {
  return Object.hasOwn(FIELD_LABELS, path);
}

const CHOICE_FIELDS = new Set([
  'person.femaleCategory',
  'service.militarySubsidyReceived',
  'placement.countyCode',
  'placement.unitExists',
  'placement.unitCanPay',
  'placement.superiorExists',
  'placement.superiorCanPay',
  'pension.insuredAtEnlistment',
  'dischargeMode',
  'medicalInsuredAtEnlistment',
]);

const MONTH_FIELDS = /^(service\.(enlistment|discharge)|pension\.firstInsured|medicalFirstInsured|(pension|medical)\.periods\[\d+\]\.(from|to))$/;

/**
 * A problem of the shared schemas (path + English message) as the Chinese sentence shown on the
 * field: it names the field and says what to fix.
 */
export function problemZh(problem: Problem): string {
  const { path, message } = problem;
  const label = fieldLabelZh(path);
  const isMonth = MONTH_FIELDS.test(path);
  const missing = message === 'required' || / received (null|undefined)$/.test(message);
  if (missing) return CHOICE_FIELDS.has(path) ? `请选择${label}` : `请填写${label}`;

  if (message.startsWith('not a date') || message.startsWith('not a month')) {
    return isMonth || path === 'medicalFirstInsured'
      ? `${label}格式不对：请按“年-月”填写，例如 1988-03`
      : `${label}格式不对：请按“年-月-日”填写，例如 2019-08-20`;
  }
  if (message.startsWith('must not be after to')) {
    return `${label}晚于截止月份：请检查这一段的起止月份`;
  }
  if (message.startsWith('must not be before applicationDate')) {
    return '测算日期早于申请日期：测算日期不能早于申请日期';
  }
  if (message.startsWith('required for a female applicant')) {
    return '身份证号码为女性，请选择女性退休类别（干部或工人）';
  }
  if (path === 'pension.firstInsured' && message.startsWith('required when')) {
    return '已选入伍时参加了养老保险，请填写养老保险首次参保时间';
  }
  if (path === 'medicalFirstInsured' && message.startsWith('required when')) {
    return '已选入伍时参加了医疗保险，请填写医疗保险首次参保时间';
  }
  if ((path === 'pension.firstInsured' || path === 'medicalFirstInsured') && message.includes('is after service.enlistment')) {
    return `${label}晚于入伍时间，但选择了“入伍时已参保”：请核对`;
  }
  if (path === 'confirmedBy') {
    return '原安置单位或其上级主管部门不存在或缴纳确有困难时，须填写负责确认的同级人民政府（NM43-1.2.c）';
  }
  if (path === 'unitName' && message.startsWith('required when')) return '原安置单位存在，请填写原安置单位名称';
  if (path === 'superiorName' && message.startsWith('required when')) return '上级主管部门存在，请填写上级主管部门名称';
  if (path === 'phone') return '联系电话格式不对：手机号为11位（1开头），座机如 0471-1234567；没有可不填';
  if (path === 'placement.countyCode') return `请从名录中选择${label}`;
  if (path === 'person.idNumber' && message.startsWith('too long')) return '身份证号码太长：应为18位（或15位旧号码）';
  const max = /^at most (\d+) (characters|periods)/.exec(message);
  if (max) return max[2] === 'periods' ? `${label}最多${max[1]}段` : `${label}最多${max[1]}个字`;
  if (message.startsWith('expected true or false')) return `请选择${label}`;
  if (message.startsWith('must be one of')) return `请选择${label}`;
  if (message === 'unknown field') return `${label}：本版本不认识的项目`;
  return `${label}填写有误，请核对`;
}

/** The Chinese text of a determination warning (provisional parameters name themselves). */
export function warningZh(w: Warning): string {
  return messageZh(w.code, w.parameter ? { parameter: w.parameter } : {});
}

export { messageZh, parameterLabelZh, idProblemZh };

/**
 * A failure of a save, in Chinese: storage errors through the storage layer's messages, the
 * engine's `invalid-case` with each field named, anything else with its message for the technician.
 */
export function saveErrorZh(error: unknown): string {
  if (isStorageError(error)) return storageErrorZh(error.code, error.details);
  if (isJiexuError(error)) {
    const problems = error.details.problems ?? [];
    const base = messageZh(error.code, error.details);
    return problems.length > 0 ? `${base}：${problems.map(problemZh).join('；')}` : base;
  }
  return `保存失败（${error instanceof Error ? error.message : String(error)}）。已填写的内容仍在草稿中，请稍后再试或联系县局技术人员。`;
}

const CONVENTION_VALUES = {
  'month-diff': '退役月份减入伍月份',
  'fen-half-up': '四舍五入到分',
  total: '按总额一次四舍五入到分',
  'as-of-year-minus-1': '测算日期的上一个自然年',
  'RA-2024': '按出生年月和类别查渐进式延迟退休对照',
} as const satisfies Record<string, string>;

const UNIT_WORDS = { 'CNY/month': '元/月', months: '个月', ratio: '', date: '', convention: '' } as const satisfies Record<string, string>;

function isConventionValue(value: string): value is keyof typeof CONVENTION_VALUES {
  return Object.hasOwn(CONVENTION_VALUES, value);
}

function isUnit(unit: string): unit is keyof typeof UNIT_WORDS {
  return Object.hasOwn(UNIT_WORDS, unit);
}

/** A parameter's value in words (conventions and rules named in English in the parameter set). */
export function parameterValueZh(name: string, value: string | number, unit: string): string {
  if (typeof value === 'string' && isConventionValue(value)) return CONVENTION_VALUES[value];
  const min = name === 'minimumPensionMonths' && typeof value === 'string' ? /^(\d+) \+ (\d+)×\(Y−(\d+)\) from (\d+), at most (\d+)$/.exec(value) : null;
  if (min) return `${min[1]}个月，自${min[4]}年起每年增加${min[2]}个月，最多${min[5]}个月`;
  return `${value}${isUnit(unit) ? UNIT_WORDS[unit] : ''}`;
}

/** Where a parameter comes from, in words (the built-in conventions are described in English). */
export function parameterSourceZh(source: string): string {
  return source.startsWith('policy-rules.md') ? '本系统约定（通知未作规定之处，县局可调整）' : source;
}
