// The determination as the sentences a clerk reads to the veteran, each with the citation behind it.

import { RULES, type RuleId } from './citations';
import type { Determination, OutOfScopeReason, TraceStep, TraceStepName, UnitPayer, WarningCode } from './determination';
import { ageZh, dateZh, monthsZh, monthZh, percentZh, yearsMonthsZh } from './format-zh';
import { ROUTING_SENTENCES, idProblemZh, parameterLabelZh, usedDateZh, usedParameter } from './messages';
import { leagues } from './regions';

export interface ExplanationSentence {
  text: string;
  rule: RuleId;
  /** The paragraph of the notice (`一（一）第一段`), shown beside the sentence. */
  paragraph: string;
  /** A one-line quote of that paragraph. */
  quote: string;
}

function stepOf(d: Determination, step: TraceStepName): TraceStep | undefined {
  return d.trace.find((s) => s.step === step);
}

/** The office a veteran hears of: the county-level veterans affairs department decides. */
export const COUNTY_DEPARTMENT = '旗县（市、区）退役军人事务主管部门';

/** Why a case is out of scope, told to the veteran: what is wrong and what happens next. */
const OUT_OF_SCOPE_EXPLANATIONS: Record<OutOfScopeReason, { rule: RuleId; text: (d: Determination) => string }> = {
  'invalid-id-number': {
    rule: 'NM43-1.4.a',
    text: (d) => `登记的身份证号码有误${d.idNumberProblem ? `（${idProblemZh(d.idNumberProblem)}）` : ''}，对照身份证原件核对更正后才能测算。`,
  },
  'bad-service-dates': {
    rule: 'NM43-1.4.b',
    text: () => '登记的入伍、退役或申请时间不对（入伍应早于退役，退役不能晚于申请），对照退役证件核对更正后才能测算。',
  },
  'post-2012-without-subsidy': {
    rule: 'NM43-1.1.a',
    text: (d) =>
      `您在${usedDateZh(d, 'regime', 'militaryInsuranceLawDate') ?? ''}《中华人民共和国军人保险法》实施后退役，登记为没有领取军人退役基本养老保险补助，这种情况不在本通知明确规定的范围内。` +
      `本次照常登记，报${COUNTY_DEPARTMENT}审核；请提供退役证件和补助发放情况的材料。`,
  },
};

/** Who pays the unit share, as the amounts sentence and the receipt say it. */
export const UNIT_SHARE_PAYER: Record<UnitPayer, string> = {
  unit: '原则上由原安置单位负担',
  superior: '经同级人民政府确认后由原安置单位上级主管部门负担',
  fiscal: '经同级人民政府确认后申请财政资金解决',
};

/**
 * The determination in Chinese sentences, in the order a clerk explains a case. A late application
 * comes first, since it puts everything after it under the county's decision; then what counts as
 * contribution time, what may be back-paid and the estimated amounts, who pays, any subsidy, what to
 * bring and where the materials go, retirement, and the medical part. Every value of the law (dates,
 * shares, caps, wages) is the one the determination's trace recorded.
 */
export function explain(d: Determination): ExplanationSentence[] {
  const out: ExplanationSentence[] = [];
  const say = (rule: RuleId, text: string) => out.push({ text, rule, paragraph: RULES[rule].paragraph, quote: RULES[rule].quote });

  if (!d.inScope) {
    for (const reason of d.outOfScopeReasons) {
      const e = OUT_OF_SCOPE_EXPLANATIONS[reason];
      say(e.rule, e.text(d));
    }
    return out;
  }
  const p = d.pension!;
  const med = d.medical!;
  const ret = d.retirement!;
  const mm = d.militaryMonths!;
  const has = (code: WarningCode) => d.warnings.some((w) => w.code === code);
  const late = d.applicationLate === true;

  // Late: the window of the notice has closed, so everything below is the notice's standard only.
  if (late) {
    const deadline = usedDateZh(d, 'application-deadline', 'applicationDeadline');
    say(
      'NM43-1.4.a',
      `本通知规定的申请截止时间是${deadline ?? '通知规定的日期'}，您的申请晚于截止时间。本次照常登记，并按通知的标准测算；能不能补缴、怎样办理，由${COUNTY_DEPARTMENT}研究决定。下面各项都是按通知标准测算的结果，不是已经确定的待遇。`,
    );
  }
  for (const w of d.warnings) {
    if (w.code === 'application-before-notice') say('NM43-1.6', `申请日期早于本通知下发日期${w.date ? `（${dateZh(w.date)}）` : ''}；已按原有政策办理的，仍按原规定办理。`);
  }

  // Contribution time
  if (d.regime === 'deemed') {
    say('NM43-1.1.a', `您在${usedDateZh(d, 'regime', 'militaryInsuranceLawDate') ?? ''}《中华人民共和国军人保险法》实施前退役，军龄${monthsZh(mm)}视同基本养老保险、基本医疗保险缴费年限。`);
  } else {
    say('NM43-1.1.a', `您在《中华人民共和国军人保险法》实施后退役并享受了军人退役基本养老保险补助，军龄${monthsZh(mm)}与基本养老保险、基本医疗保险缴费年限合并计算。`);
  }
  if (p.firstInsuredSource === 'enlistment') {
    say('NM43-1.1.a', `您入伍时未参加城镇职工基本养老保险，入伍时间${monthZh(p.firstInsured)}视为首次参保时间。`);
  } else {
    say('NM43-1.1.a', `您入伍时已参加城镇职工基本养老保险，首次参保时间为${monthZh(p.firstInsured)}。`);
  }
  for (const w of d.warnings) {
    if (w.code === 'period-overlaps-service') {
      say('NM43-1.1.a', `登记的${w.scheme === 'medical' ? '医疗' : '养老'}保险缴费记录中有${monthsZh(w.months ?? 0)}在服役期间，已按军龄计算，不重复计入。`);
    }
  }

  // Back-payment: the agencies determine the gap and compute the amounts (一（四）第二段).
  if (p.gapSource === 'estimate') {
    say('NM43-1.4.b', `按登记的缴费记录估算，退役后养老保险中断${monthsZh(p.gapMonths)}；断缴时间以养老保险经办机构认定为准。`);
  } else {
    say('NM43-1.4.b', `养老保险经办机构认定的断缴时间为${monthsZh(p.gapMonths)}。`);
  }
  if (p.backPayMonths > 0) {
    say('NM43-1.1.b', `按通知标准，断缴部分允许按不超过本人军龄的年限补缴，免收滞纳金：测算可补缴${monthsZh(p.backPayMonths)}。`);
  } else {
    say('NM43-1.1.b', '按登记的情况测算，没有可补缴的养老保险断缴月数。');
  }
  const amounts = stepOf(d, 'pension-amounts');
  const wageYear = amounts?.inputs.wageYear;
  const share = usedParameter(d, 'pension-amounts', 'baseWageShare')?.value;
  const wage = amounts?.parameters.find((u) => u.name.startsWith('wage.'));
  say(
    'NM43-1.3.a',
    `养老保险补缴金额是测算的：缴费基数按补缴时上年度职工平均工资的${typeof share === 'string' ? percentZh(share) : '规定比例'}确定，${wage ? wageClause(wage.name, wage.value, wage.provisional, wageYear) : ''}每月${p.baseMonthly}元；` +
      `单位缴费比例按${percentZh(p.unitRate)}测算，单位部分${p.unitAmount}元，${UNIT_SHARE_PAYER[p.unitPayer]}；个人缴费比例按${percentZh(p.individualRate)}测算，个人部分${p.individualAmount}元，由您本人负担（金额四舍五入到分）。` +
      '断缴时间和应补缴金额以养老保险经办机构认定和计算的为准。',
  );

  // Who pays: the unit share's payer rests on what was registered until the government confirms it.
  if (p.unitPayer === 'unit') {
    say('NM43-1.2.a', '按通知规定，原则上单位缴费部分由原安置单位负担，个人缴费部分由您本人负担。');
  } else {
    say('NM43-1.2.c', `您登记的情况是原安置单位${p.unitPayer === 'fiscal' ? '及其上级主管部门' : ''}已不存在或缴纳确有困难；按通知规定，这一情况须由同级人民政府按相关规定确认。`);
    say(
      'NM43-1.2.b',
      p.unitPayer === 'superior'
        ? '经确认后，单位缴费部分由原安置单位上级主管部门负责补缴。'
        : '经确认后，单位缴费部分由安置地退役军人事务主管部门申请财政资金解决，政府补缴年限不超过本人军龄。',
    );
    say('NM43-1.2.a', '个人缴费部分由您本人负担。');
  }
  if (p.individualSubsidyEligible) {
    say('NM43-1.2.d', '您登记为最低生活保障对象或特困人员：经民政部门核实后，地方人民政府对您的个人缴费予以适当补助，补助多少由当地确定。');
  }

  // What to bring and where it goes
  say('NM43-1.4.a', '请持本人有效身份证件和退役证明，到安置地退役军人事务主管部门登记军龄、提出申请，并填写申请表。');
  if (d.routing) say('NM43-1.4.a', ROUTING_SENTENCES[d.routing]);
  say(
    'NM43-1.5',
    late
      ? `按通知规定，养老保险补缴在提出申请后按程序审核办理；您的申请晚于截止时间，是否补缴由${COUNTY_DEPARTMENT}研究决定。`
      : '按通知规定，养老保险补缴在您提出申请后，按程序审核办理。',
  );

  // Retirement: the 2024 decision's delay applies only to retirements from its start.
  const delayFrom = usedParameter(d, 'retirement', 'retirement')?.from;
  const delayed = ret.delayMonths > 0 || (delayFrom !== undefined && ret.month >= delayFrom.slice(0, 7));
  say(
    'RA-2024',
    delayed
      ? `按渐进式延迟法定退休年龄的规定，您的法定退休年龄为${ageZh(ret.ageMonths)}，${ret.reached ? '已于' : '将于'}${monthZh(ret.month)}达到；按退休年份，基本养老保险最低缴费年限为${yearsMonthsZh(ret.minimumPensionMonths)}。`
      : `您的法定退休年龄为${ageZh(ret.ageMonths)}，${ret.reached ? '已于' : '将于'}${monthZh(ret.month)}达到；基本养老保险最低缴费年限为${yearsMonthsZh(ret.minimumPensionMonths)}。`,
  );
  if (ret.reached) {
    if (p.shortfallMonths === 0) {
      say('NM43-1.1.c', `您已达到法定退休年龄，按测算，补缴后养老保险累计缴费（含军龄）${monthsZh(p.cumulativeMonths)}，已达到最低缴费年限。`);
    } else {
      const lawDate = usedDateZh(d, 'pension-at-retirement', 'socialInsuranceLawDate');
      const cap = usedParameter(d, 'pension-at-retirement', 'extensionCapMonths')?.value;
      say(
        'NM43-1.1.c',
        `您已达到法定退休年龄，按测算，补缴后养老保险累计缴费（含军龄）${monthsZh(p.cumulativeMonths)}，比最低缴费年限少${monthsZh(p.shortfallMonths)}。` +
          `按通知规定，允许延长缴费至最低缴费年限：测算可延长缴费${monthsZh(p.extensionMonths)}` +
          (p.oneTimeMonths > 0
            ? `；您在${lawDate ?? ''}《中华人民共和国社会保险法》实施前首次参保，延长缴费${typeof cap === 'number' ? yearsMonthsZh(cap) : ''}后仍不足的${monthsZh(p.oneTimeMonths)}，允许一次性缴费至最低缴费年限。`
            : '。') +
          `通知没有写明${p.oneTimeMonths > 0 ? '延长缴费和一次性缴费' : '延长缴费'}的费用由谁负担，以当地经办机构的规定为准。`,
      );
      say(
        'NM43-3.3',
        `如果按通知允许的方式${p.oneTimeMonths > 0 ? '延长缴费、一次性缴费' : '延长缴费'}之后仍未达到最低缴费年限，当地将采取多种措施予以帮助，如教育培训、推荐就业、扶持创业；年龄偏大、就业困难的，符合条件的优先安排公共服务岗位。`,
      );
    }
  } else {
    say('NM43-1.1.c', `按测算，补缴后养老保险累计缴费（含军龄）${monthsZh(p.cumulativeMonths)}；达到法定退休年龄时仍不足最低缴费年限的，通知允许延长缴费至最低缴费年限。`);
  }

  // Medical: the years required are the local insurance's; a provisional figure is said to be one.
  const required = stepOf(d, 'medical-months')?.parameters.find((u) => u.name.startsWith('medical.requiredMonths.'));
  const requiredText = required?.provisional
    ? `当地规定的缴费年限还没有正式数字，暂按${monthsZh(med.requiredMonths)}测算`
    : `当地规定的缴费年限为${monthsZh(med.requiredMonths)}`;
  say(
    'NM43-1.1.d',
    `基本医疗保险累计缴费（含军龄）${monthsZh(med.countedMonths)}，${requiredText}` +
      (med.shortfallMonths > 0
        ? med.payableNow
          ? `，尚差${monthsZh(med.shortfallMonths)}；按通知规定，可以缴费至规定年限。`
          : `；按目前的缴费记录测算，到退休时尚差${monthsZh(med.shortfallMonths)}，达到法定退休年龄时可以缴费至规定年限。`
        : '，已达到规定年限。'),
  );
  if (!med.payableNow) {
    say('NM43-1.5', `基本医疗保险在您达到法定退休年龄（${monthZh(ret.month)}）时予以补缴，金额届时按当时的缴费基数和费率计算。`);
  } else if (med.shortfallMonths > 0) {
    say(
      'NM43-1.3.b',
      `基本医疗保险补缴金额是测算的：${monthsZh(med.shortfallMonths)}，缴费基数每月${med.baseMonthly}元；单位缴费比例按${percentZh(med.unitRate!)}测算，单位部分${med.unitAmount}元，${UNIT_SHARE_PAYER[med.unitPayer]}；` +
        `个人缴费比例按${percentZh(med.individualRate!)}测算，个人部分${med.individualAmount}元，由您本人负担。以医疗保险经办机构计算的为准。`,
    );
    if (med.unitPayer === 'fiscal') {
      say(
        'NM43-1.2.b',
        med.uncoveredUnitMonths > 0
          ? `医疗保险单位缴费部分由财政资金解决的年限不超过军龄，即${monthsZh(med.fiscalMonths)}；其余${monthsZh(med.uncoveredUnitMonths)}的单位缴费（测算${med.uncoveredUnitAmount}元）通知没有写明由谁承担，由${COUNTY_DEPARTMENT}研究确定。`
          : `医疗保险单位缴费部分${monthsZh(med.fiscalMonths)}经确认后由财政资金解决。`,
      );
    } else if (has('medical-months-exceed-military')) {
      say('NM43-1.2.b', `医疗保险单位缴费由${med.unitPayer === 'unit' ? '原安置单位' : '上级主管部门'}负担；应补缴的月数超过军龄，由${COUNTY_DEPARTMENT}审核。`);
    }
  }
  say('NM43-1.1.e', '工伤、失业、生育保险方面的问题，由当地按规定解决。');

  if (d.provisional.length > 0) {
    say('NM43-1.4.b', `本次测算用到的一些数字还是暂用的，尚待核实（${d.provisional.map(parameterLabelZh).join('、')}）；最终金额以养老、医疗保险经办机构核定为准。`);
  }
  return out;
}

/**
 * The wage behind the base. The notice names the placement place's wage; when the pack has no row
 * for the 盟市 the region's stands in for it (policy-rules.md NM43-1.3.a step 6), and the veteran is
 * told so.
 */
function wageClause(name: string, value: string | number, provisional: boolean, wageYear: unknown): string {
  const m = /^wage\.(region|\d{6})\.(\d{4})$/.exec(name);
  const year = m?.[2] ?? (typeof wageYear === 'number' ? String(wageYear) : '');
  const unsure = provisional ? '（这个工资数字尚待核实）' : '';
  if (!m || m[1] === 'region') {
    return `本系统还没有您安置地盟市的工资数字，暂用${year}年度全区职工月平均工资${value}元代替安置地的工资${unsure}，`;
  }
  const league = leagues().find((l) => l.code === m[1])?.name ?? '安置地盟市';
  return `按${year}年度${league}职工月平均工资${value}元${unsure}，`;
}
