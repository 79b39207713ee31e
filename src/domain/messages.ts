// The one place where stable codes (errors, out-of-scope reasons, warnings, ID problems) and
// parameter names become Chinese for the clerk. Programs test codes; people read these.

import type { ErrorCode, ErrorDetails } from './errors';
import type { Determination, OutOfScopeReason, Routing, TraceStepName, WarningCode } from './determination';
import type { IdInvalidReason } from './identity';
import type { ParameterUse } from './parameters';
import { dateZh } from './format-zh';
import { leagues } from './regions';

export type MessageCode = ErrorCode | OutOfScopeReason | WarningCode;

/** The names the engine gives its parameters, apart from the wages (`wage.region.2018`). */
export type ParameterName = keyof typeof PARAMETER_LABELS;

const PARAMETER_LABELS = {
  militaryInsuranceLawDate: '《军人保险法》施行日期',
  socialInsuranceLawDate: '《社会保险法》施行日期',
  applicationDeadline: '申请截止日期',
  noticeDate: '通知下发日期',
  extensionCapMonths: '延长缴费年限上限',
  baseWageShare: '缴费基数占上年度职工平均工资的比例',
  militaryMonthsCounting: '军龄计算方法',
  baseRounding: '缴费基数舍入方法',
  amountRounding: '补缴金额舍入方法',
  wageYear: '“上年度”的确定方法',
  'rate.pension.unit': '基本养老保险单位缴费比例',
  'rate.pension.individual': '基本养老保险个人缴费比例',
  'rate.medical.unit': '基本医疗保险单位缴费比例',
  'rate.medical.individual': '基本医疗保险个人缴费比例',
  'medical.requiredMonths.male': '当地规定的基本医疗保险缴费年限（男）',
  'medical.requiredMonths.female': '当地规定的基本医疗保险缴费年限（女）',
  retirement: '法定退休年龄规则',
  minimumPensionMonths: '基本养老保险最低缴费年限规则',
} as const satisfies Record<string, string>;

function isParameterName(name: string): name is ParameterName {
  return Object.hasOwn(PARAMETER_LABELS, name);
}

/** The Chinese label of a parameter name as a determination lists it (`wage.region.2018` …). */
export function parameterLabelZh(name: string): string {
  const wage = /^wage\.(region|\d{6})\.(\d{4})$/.exec(name);
  if (wage) {
    const where = wage[1] === 'region' ? '全区' : (leagues().find((l) => l.code === wage[1])?.name ?? '安置地盟市');
    return `${wage[2]}年度${where}职工平均工资`;
  }
  // A parameter a newer pack adds before this program knows its name: said so, not shown in English.
  return isParameterName(name) ? PARAMETER_LABELS[name] : '本程序尚不认识的参数';
}

/** The value of a parameter a trace step used, as the determination records it. */
export function usedParameter(d: Determination, step: TraceStepName, name: ParameterName): ParameterUse | undefined {
  return d.trace.find((s) => s.step === step)?.parameters.find((u) => u.name === name);
}

/** A date parameter of the determination in words (`Y年M月D日`), or null when no step used it. */
export function usedDateZh(d: Determination, step: TraceStepName, name: ParameterName): string | null {
  const u = usedParameter(d, step, name);
  return typeof u?.value === 'string' ? dateZh(u.value) : null;
}

/** Where the materials go (NM43-1.4.a 一（四）第一段), as one sentence for the veteran. */
export const ROUTING_SENTENCES: Record<Routing, string> = {
  unit: '原安置单位存在，所需材料提交原安置单位，由原安置单位收齐后交到原办理安置手续相应层级的退役军人事务主管部门。',
  superior: '原安置单位已不存在，所需材料提交其上级主管部门，由主管部门收齐后交到原办理安置手续相应层级的退役军人事务主管部门。',
  department: '原安置单位及其上级主管部门都已不存在，由您本人将所需材料直接提交原办理安置手续层级的退役军人事务主管部门。',
};

const ID_PROBLEMS: Record<IdInvalidReason, string> = {
  length: '身份证号码应为18位（或15位旧号码）',
  characters: '身份证号码含有无效字符',
  'birth-date': '身份证号码中的出生日期无效',
  checksum: '身份证号码校验位不正确',
};

/** Why an ID number is not valid, in Chinese. */
export function idProblemZh(reason: IdInvalidReason): string {
  return ID_PROBLEMS[reason];
}

function ym(month: string | undefined): string {
  if (!month) return '';
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

const ERROR_MESSAGES: Record<ErrorCode, (details: ErrorDetails) => string> = {
  'not-in-force': (details) =>
    details.year !== undefined
      ? `本设备参数中尚无${details.year}年度职工平均工资，请同步或联系县局`
      : `本设备参数中${details.parameter ? `“${parameterLabelZh(details.parameter)}”` : '有参数'}在${ym(details.month) || '该日期'}尚无生效的值，请同步或联系县局`,
  'invalid-case': () => '案件信息填写有误，请按标出的项目修改',
  'unknown-county': () => '安置地旗县（市、区）代码不在本区名录中，请重新选择',
  'invalid-id-number': () => '身份证号码无效（位数或校验位不正确），可先保存为草稿，核对后更正',
  'invalid-parameters': () => '收到的参数包无效，已拒绝使用，请联系县局',
  'no-rule-set': () => '本程序中没有适用于该安置地和申请日期的政策文件，无法测算，请核对申请日期或联系县局',
};

/**
 * Why a case is out of scope, for the clerk. The 《军人保险法》 date is the parameter the
 * determination used; without a determination the law is named without it.
 */
const OUT_OF_SCOPE_MESSAGES: Record<OutOfScopeReason, (lawDate: string | null) => string> = {
  'invalid-id-number': () => ERROR_MESSAGES['invalid-id-number']({}),
  'bad-service-dates': () => '入伍、退役和申请日期不符合要求：入伍应早于退役，退役不得晚于申请',
  'post-2012-without-subsidy': (lawDate) =>
    `${lawDate ?? '《中华人民共和国军人保险法》施行'}以后退役且未领取军人退役基本养老保险补助，不属于本通知明确规定的情形，可登记后报县局审核`,
};

const WARNING_MESSAGES: Record<WarningCode, (details: ErrorDetails) => string> = {
  'period-overlaps-service': () => '部分缴费记录在服役期间内，这些月份已按军龄计算，不重复计入',
  'periods-overlap': () => '缴费记录之间有重叠，重叠的月份只计算一次',
  'gap-estimated': () => '断缴月数为按登记的缴费记录估算，以经办机构认定为准',
  'provisional-parameter': (details) => `使用了暂定参数${details.parameter ? `“${parameterLabelZh(details.parameter)}”` : ''}，以县局发布的正式参数为准`,
  'application-late': () => '申请日期晚于申请截止日期，已照常登记测算，由县局研究处理',
  'application-before-notice': () => '申请日期早于本通知下发日期，已按原规定办理的仍按原规定办理',
  'still-short-after-payment': () =>
    '已达到法定退休年龄，补缴后养老保险累计缴费年限仍不足最低缴费年限：通知允许延长缴费至最低缴费年限，《社会保险法》实施前首次参保、延长缴费后仍不足的允许一次性缴费；按通知缴费后仍未达到的，由当地采取措施予以帮助',
  'medical-months-exceed-military': () => '医疗保险应补缴月数超过军龄，请县局审核',
  'medical-unit-share-uncovered': () => '财政补缴年限不超过军龄，超出部分的医疗保险单位缴费本通知未明确承担方，报县局研究确定',
  'payer-confirmation-required': () => '原安置单位或其主管部门“不存在或缴纳确有困难”须由同级人民政府确认',
};

function isErrorCode(code: MessageCode): code is ErrorCode {
  return Object.hasOwn(ERROR_MESSAGES, code);
}

function isOutOfScopeReason(code: MessageCode): code is OutOfScopeReason {
  return Object.hasOwn(OUT_OF_SCOPE_MESSAGES, code);
}

/**
 * The Chinese message for a code. `details` refines the errors that carry them (a missing wage year
 * names the year; another parameter names itself and the month).
 */
export function messageZh(code: MessageCode, details: ErrorDetails = {}): string {
  if (isErrorCode(code)) return ERROR_MESSAGES[code](details);
  if (isOutOfScopeReason(code)) return OUT_OF_SCOPE_MESSAGES[code](null);
  return WARNING_MESSAGES[code](details);
}

/** Why this determination is out of scope, with the dates it used. */
export function outOfScopeZh(d: Determination, reason: OutOfScopeReason): string {
  return OUT_OF_SCOPE_MESSAGES[reason](usedDateZh(d, 'regime', 'militaryInsuranceLawDate'));
}
