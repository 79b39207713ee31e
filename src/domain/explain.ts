// The determination as the sentences a clerk reads to the veteran, each with the citation behind it.

import { RULES, type RuleId } from './citations';
import type { Determination, TraceStep } from './determination';
import { ageZh, dateZh, monthZh, percentZh, yearsMonthsZh } from './format-zh';
import { idProblemZh, messageZh, parameterLabelZh } from './messages';

export interface ExplanationSentence {
  text: string;
  rule: RuleId;
  /** The paragraph of the notice (`一（一）第一段`), shown beside the sentence. */
  paragraph: string;
  /** A one-line quote of that paragraph. */
  quote: string;
}

function stepOf(d: Determination, step: string): TraceStep | undefined {
  return d.trace.find((s) => s.step === step);
}

/**
 * The determination in Chinese sentences, in the order a clerk explains a case: what counts as
 * contribution time, what may be back-paid and what it costs, who pays, what the veteran pays and
 * any subsidy, what to bring and where the materials go, retirement, and the medical part.
 */
export function explain(d: Determination): ExplanationSentence[] {
  const out: ExplanationSentence[] = [];
  const say = (rule: RuleId, text: string) => out.push({ text, rule, paragraph: RULES[rule].paragraph, quote: RULES[rule].quote });

  if (!d.inScope) {
    for (const reason of d.outOfScopeReasons) {
      if (reason === 'invalid-id-number') {
        say('NM43-1.4.a', `${messageZh('invalid-id-number')}${d.idNumberProblem ? `（${idProblemZh(d.idNumberProblem)}）` : ''}。`);
      } else if (reason === 'bad-service-dates') {
        say('NM43-1.4.b', `${messageZh('bad-service-dates')}。`);
      } else {
        say('NM43-1.1.a', `${messageZh('post-2012-without-subsidy')}。`);
      }
    }
    return out;
  }
  const p = d.pension!;
  const med = d.medical!;
  const ret = d.retirement!;
  const mm = d.militaryMonths!;
  const has = (code: string) => d.warnings.some((w) => w.code === code);

  // Contribution time
  if (d.regime === 'deemed') {
    say('NM43-1.1.a', `您在2012年7月1日《中华人民共和国军人保险法》实施前退役，军龄${mm}个月（${yearsMonthsZh(mm)}）视同基本养老保险、基本医疗保险缴费年限。`);
  } else {
    say('NM43-1.1.a', `您在《中华人民共和国军人保险法》实施后退役并享受了军人退役基本养老保险补助，军龄${mm}个月（${yearsMonthsZh(mm)}）与基本养老保险、基本医疗保险缴费年限合并计算。`);
  }
  if (p.firstInsuredSource === 'enlistment') {
    say('NM43-1.1.a', `您入伍时未参加城镇职工基本养老保险，入伍时间${monthZh(p.firstInsured)}视为首次参保时间。`);
  } else {
    say('NM43-1.1.a', `您入伍时已参加城镇职工基本养老保险，首次参保时间为${monthZh(p.firstInsured)}。`);
  }
  for (const w of d.warnings) {
    if (w.code === 'period-overlaps-service') {
      say('NM43-1.1.a', `登记的${w.scheme === 'medical' ? '医疗' : '养老'}保险缴费记录中有${w.months}个月在服役期间，已按军龄计算，不重复计入。`);
    }
  }

  // Back-payment
  if (p.gapSource === 'estimate') {
    say('NM43-1.4.b', `按登记的缴费记录估算，退役后养老保险中断${p.gapMonths}个月；断缴时间以养老保险经办机构认定为准。`);
  } else {
    say('NM43-1.4.b', `养老保险经办机构认定的断缴时间为${p.gapMonths}个月。`);
  }
  if (p.backPayMonths > 0) {
    say('NM43-1.1.b', `断缴部分可按不超过本人军龄的年限补缴：本次可补缴${p.backPayMonths}个月，免收滞纳金。`);
  } else {
    say('NM43-1.1.b', '目前没有可补缴的养老保险断缴月数。');
  }
  const amounts = stepOf(d, 'pension-amounts');
  const wageYear = amounts?.inputs.wageYear;
  const share = amounts?.parameters.find((u) => u.name === 'baseWageShare')?.value;
  say(
    'NM43-1.3.a',
    `养老保险补缴基数为补缴时上年度${typeof wageYear === 'number' ? `（${wageYear}年）` : ''}职工月平均工资的${typeof share === 'string' ? percentZh(share) : '60%'}，即每月${p.baseMonthly}元；` +
      `单位缴费比例${percentZh(p.unitRate)}，应补缴${p.unitAmount}元；个人缴费比例${percentZh(p.individualRate)}，应补缴${p.individualAmount}元（金额四舍五入到分）。`,
  );

  // Who pays
  if (p.unitPayer === 'unit') {
    say('NM43-1.2.a', '单位缴费部分由原安置单位负担，个人缴费部分由您本人负担。');
  } else if (p.unitPayer === 'superior') {
    say('NM43-1.2.b', '原安置单位已不存在或缴纳确有困难，单位缴费部分由原安置单位上级主管部门负责补缴。');
  } else {
    say('NM43-1.2.b', '原安置单位及其上级主管部门不存在或无力缴纳，单位缴费部分由安置地退役军人事务主管部门申请财政资金解决，政府补缴年限不超过本人军龄。');
  }
  if (p.unitPayer !== 'unit') {
    say('NM43-1.2.c', '“不存在或缴纳确有困难”由同级人民政府按规定确认。');
    say('NM43-1.2.a', '个人缴费部分由您本人负担。');
  }
  if (p.individualSubsidyEligible) {
    say('NM43-1.2.d', '您属于最低生活保障对象或特困人员，地方人民政府对您的个人缴费予以适当补助。');
  }

  // What to bring and where it goes
  say('NM43-1.4.a', '请持本人有效身份证件和退役证明，到安置地退役军人事务主管部门登记军龄、提出申请，并填写申请表。');
  if (d.routing === 'unit') {
    say('NM43-1.4.a', '所需材料提交原安置单位，由原安置单位收齐后交到原办理安置手续相应层级的退役军人事务主管部门。');
  } else if (d.routing === 'superior') {
    say('NM43-1.4.a', '原安置单位已不存在，所需材料提交其主管部门，由主管部门收齐后交到原办理安置手续相应层级的退役军人事务主管部门。');
  } else {
    say('NM43-1.4.a', '所需材料直接提交原办理安置手续层级的退役军人事务主管部门。');
  }
  for (const w of d.warnings) {
    if (w.code === 'application-late') say('NM43-1.4.a', `您的申请日期晚于申请截止日期${w.date ? `（${dateZh(w.date)}）` : ''}，已照常登记测算，由县局研究处理。`);
    if (w.code === 'application-before-notice') say('NM43-1.6', `申请日期早于本通知下发日期${w.date ? `（${dateZh(w.date)}）` : ''}；已按原有政策办理的，仍按原规定办理。`);
  }
  say('NM43-1.5', '养老保险在您提出申请后，经审核及时办理补缴。');

  // Retirement
  say(
    'RA-2024',
    `按渐进式延迟法定退休年龄的规定，您的法定退休年龄为${ageZh(ret.ageMonths)}，${ret.reached ? '已于' : '将于'}${monthZh(ret.month)}达到；按退休年份，基本养老保险最低缴费年限为${yearsMonthsZh(ret.minimumPensionMonths)}。`,
  );
  if (ret.reached) {
    if (p.shortfallMonths === 0) {
      say('NM43-1.1.c', `您已达到法定退休年龄，补缴后养老保险累计缴费${p.cumulativeMonths}个月（含军龄），已达到最低缴费年限。`);
    } else {
      say(
        'NM43-1.1.c',
        `您已达到法定退休年龄，补缴后养老保险累计缴费${p.cumulativeMonths}个月（含军龄），比最低缴费年限少${p.shortfallMonths}个月：可延长缴费${p.extensionMonths}个月` +
          (p.oneTimeMonths > 0 ? `，延长缴费5年后仍不足的${p.oneTimeMonths}个月可一次性缴费至最低缴费年限；延长缴费和一次性缴费由本人缴纳。` : '；延长缴费由本人缴纳。'),
      );
      say('NM43-3.3', '按本通知缴费后仍未达到最低缴费年限的，当地将采取多种有效措施予以帮助。');
    }
  } else {
    say('NM43-1.1.c', `补缴后养老保险累计缴费${p.cumulativeMonths}个月（含军龄）；达到法定退休年龄时仍不足最低缴费年限的，可延长缴费至最低缴费年限。`);
  }

  // Medical
  say(
    'NM43-1.1.d',
    `基本医疗保险累计缴费${med.countedMonths}个月（含军龄），统筹地区规定年限为${med.requiredMonths}个月（${yearsMonthsZh(med.requiredMonths)}）` +
      (med.shortfallMonths > 0 ? `，${med.payableNow ? '' : '按目前的缴费记录测算'}尚差${med.shortfallMonths}个月，可以缴费至规定年限。` : '，已达到规定年限。'),
  );
  if (!med.payableNow) {
    say('NM43-1.5', `基本医疗保险在您达到法定退休年龄（${monthZh(ret.month)}）时予以补缴，金额届时按当时的缴费基数和费率计算。`);
  } else if (med.shortfallMonths > 0) {
    say(
      'NM43-1.3.b',
      `您已达到法定退休年龄，基本医疗保险现可补缴${med.shortfallMonths}个月：缴费基数每月${med.baseMonthly}元，单位缴费比例${percentZh(med.unitRate!)}，应缴${med.unitAmount}元；个人缴费比例${percentZh(med.individualRate!)}，应缴${med.individualAmount}元。`,
    );
    if (med.unitPayer === 'fiscal') {
      say(
        'NM43-1.2.b',
        med.uncoveredUnitMonths > 0
          ? `医疗保险单位缴费部分由财政资金解决的年限不超过军龄，即${med.fiscalMonths}个月；其余${med.uncoveredUnitMonths}个月的单位缴费${med.uncoveredUnitAmount}元本通知未明确承担方，报县局研究确定。`
          : `医疗保险单位缴费部分${med.fiscalMonths}个月由财政资金解决。`,
      );
    } else if (has('medical-months-exceed-military')) {
      say('NM43-1.2.b', `医疗保险单位缴费由${med.unitPayer === 'unit' ? '原安置单位' : '上级主管部门'}负担；应补缴月数超过军龄，报县局审核。`);
    }
  }
  say('NM43-1.1.e', '工伤、失业、生育保险方面的问题，由当地按规定解决。');

  if (d.provisional.length > 0) {
    say('NM43-1.4.b', `本次测算使用了暂定参数（${d.provisional.map(parameterLabelZh).join('、')}），最终金额以养老、医疗保险经办机构核定为准。`);
  }
  return out;
}
