// The one place where stable codes (errors, out-of-scope reasons, warnings, ID problems) and
// parameter names become Chinese for the clerk. Programs test codes; people read these.

import type { ErrorCode, ErrorDetails } from './errors';
import type { OutOfScopeReason, WarningCode } from './determination';
import type { IdInvalidReason } from './identity';
import { leagues } from './regions';

export type MessageCode = ErrorCode | OutOfScopeReason | WarningCode;

const PARAMETER_LABELS: Record<string, string> = {
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
  'medical.requiredMonths.male': '男性基本医疗保险统筹地区规定缴费年限',
  'medical.requiredMonths.female': '女性基本医疗保险统筹地区规定缴费年限',
  retirement: '法定退休年龄规则',
  minimumPensionMonths: '基本养老保险最低缴费年限规则',
};

/** The Chinese label of a parameter name as a determination lists it (`wage.region.2018` …). */
export function parameterLabelZh(name: string): string {
  const wage = /^wage\.(region|\d{6})\.(\d{4})$/.exec(name);
  if (wage) {
    const where = wage[1] === 'region' ? '全区' : (leagues().find((l) => l.code === wage[1])?.name ?? wage[1]);
    return `${wage[2]}年度${where}职工平均工资`;
  }
  return PARAMETER_LABELS[name] ?? name;
}

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

/**
 * The Chinese message for a code. `details` refines the errors that carry them (a missing wage year
 * names the year; another parameter names itself and the month).
 */
export function messageZh(code: MessageCode, details: ErrorDetails = {}): string {
  switch (code) {
    case 'not-in-force':
      if (details.year !== undefined) return `本设备参数中尚无${details.year}年度职工平均工资，请同步或联系县局`;
      return `本设备参数中${details.parameter ? `“${parameterLabelZh(details.parameter)}”` : '有参数'}在${ym(details.month) || '该日期'}尚无生效的值，请同步或联系县局`;
    case 'invalid-case':
      return '案件信息填写有误，请按标出的项目修改';
    case 'unknown-county':
      return '安置地旗县（市、区）代码不在本区名录中，请重新选择';
    case 'invalid-id-number':
      return '身份证号码无效（位数或校验位不正确），可先保存为草稿，核对后更正';
    case 'invalid-parameters':
      return '收到的参数包无效，已拒绝使用，请联系县局';
    case 'bad-service-dates':
      return '入伍、退役和申请日期不符合要求：入伍应早于退役，退役不得晚于申请';
    case 'post-2012-without-subsidy':
      return '2012年7月1日以后退役且未领取军人退役基本养老保险补助，不属于本通知明确规定的情形，可登记后报县局审核';
    case 'period-overlaps-service':
      return '部分缴费记录在服役期间内，这些月份已按军龄计算，不重复计入';
    case 'periods-overlap':
      return '缴费记录之间有重叠，重叠的月份只计算一次';
    case 'gap-estimated':
      return '断缴月数为按登记的缴费记录估算，以经办机构认定为准';
    case 'provisional-parameter':
      return `使用了暂定参数${details.parameter ? `“${parameterLabelZh(details.parameter)}”` : ''}，以县局发布的正式参数为准`;
    case 'application-late':
      return '申请日期晚于申请截止日期，已照常登记测算，由县局研究处理';
    case 'application-before-notice':
      return '申请日期早于本通知下发日期，已按原规定办理的仍按原规定办理';
    case 'still-short-after-payment':
      return '已达到法定退休年龄，补缴后养老保险累计缴费年限仍不足最低缴费年限，需延长缴费或一次性缴费，当地应予帮助';
    case 'medical-months-exceed-military':
      return '医疗保险应补缴月数超过军龄，请县局审核';
    case 'medical-unit-share-uncovered':
      return '财政补缴年限不超过军龄，超出部分的医疗保险单位缴费本通知未明确承担方，报县局研究确定';
    case 'payer-confirmation-required':
      return '原安置单位或其主管部门“不存在或缴纳确有困难”须由同级人民政府确认';
  }
}
