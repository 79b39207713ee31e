// The key figures of a stored determination, each with the paragraph of the notice behind it: what
// the case detail and the printed application form show. The citation of a figure is the rule of
// the trace step that produced it, so a figure never appears without its rule.
import { RULES, monthsZh, monthZh, type Determination, type RuleId, type TraceStepName } from '../../domain';
import { GAP_SOURCE_LABELS, REGIME_LABELS, ROUTING_LABELS, SEX_LABELS, UNIT_PAYER_LABELS, YES_NO, parameterLabelZh } from '../labels';

export interface KeyFigure {
  /** The domain name (`militaryMonths`, `pension.backPayMonths` …): stable, for tests and styling. */
  key: string;
  label: string;
  value: string;
  rule: RuleId;
  /** The notice's paragraph, `一（一）第一段`. */
  paragraph: string;
  /** A parameter this figure rests on is provisional (待核实). */
  provisional: boolean;
}

const months = monthsZh;
const yuan = (s: string) => `${s}元`;

/** The rule of the trace step named `step`, or `fallback` when the determination has no such step. */
function ruleOf(d: Determination, step: TraceStepName, fallback: RuleId): RuleId {
  return d.trace.find((s) => s.step === step)?.rule ?? fallback;
}

function provisionalOf(d: Determination, step: TraceStepName): boolean {
  const s = d.trace.find((t) => t.step === step);
  return !!s && s.parameters.some((p) => p.provisional);
}

/** The figures a clerk reads out, in the order of the explanation. Out of scope: identity only. */
export function keyFigures(d: Determination): KeyFigure[] {
  const out: KeyFigure[] = [];
  const add = (key: string, label: string, value: string, step: TraceStepName, fallback: RuleId) => {
    const rule = ruleOf(d, step, fallback);
    out.push({ key, label, value, rule, paragraph: RULES[rule].paragraph, provisional: provisionalOf(d, step) });
  };

  if (d.identity) {
    add('identity', '性别、出生年月', `${SEX_LABELS[d.identity.sex]}，${monthZh(d.identity.birth)}`, 'identity', 'NM43-1.4.a');
  }
  if (!d.inScope || !d.pension || !d.medical || !d.retirement || d.militaryMonths === null || d.regime === null) return out;
  const p = d.pension;
  const med = d.medical;
  const ret = d.retirement;

  add('militaryMonths', '军龄', months(d.militaryMonths), 'regime', 'NM43-1.1.a');
  add('regime', '认定方式', REGIME_LABELS[d.regime], 'regime', 'NM43-1.1.a');
  add('pension.firstInsured', '养老保险首次参保时间', monthZh(p.firstInsured), 'first-insured', 'NM43-1.1.a');
  add('pension.gapMonths', '养老保险断缴月数', `${months(p.gapMonths)}，${GAP_SOURCE_LABELS[p.gapSource]}`, 'gap', 'NM43-1.4.b');
  add('pension.backPayMonths', '可补缴月数（按通知标准测算）', `${months(p.backPayMonths)}，免收滞纳金`, 'back-pay-months', 'NM43-1.1.b');
  add('pension.baseMonthly', '养老保险月缴费基数', yuan(p.baseMonthly), 'pension-amounts', 'NM43-1.3.a');
  add('pension.unitAmount', '单位部分（测算）', yuan(p.unitAmount), 'pension-amounts', 'NM43-1.3.a');
  add('pension.individualAmount', '个人部分（测算，本人负担）', yuan(p.individualAmount), 'pension-amounts', 'NM43-1.3.a');
  add('pension.unitPayer', '单位缴费承担方', UNIT_PAYER_LABELS[p.unitPayer], 'pension-unit-payer', p.unitPayer === 'unit' ? 'NM43-1.2.a' : 'NM43-1.2.b');
  if (p.individualSubsidyEligible) add('pension.individualSubsidyEligible', '个人缴费补助', YES_NO.true, 'individual-subsidy', 'NM43-1.2.d');
  if (d.routing) add('routing', '材料报送', ROUTING_LABELS[d.routing], 'routing', 'NM43-1.4.a');
  add('retirement.month', '达到法定退休年龄', `${monthZh(ret.month)}${ret.reached ? '（已达到）' : ''}`, 'retirement', 'RA-2024');
  add('pension.cumulativeMonths', '补缴后养老保险累计缴费', months(p.cumulativeMonths), 'pension-at-retirement', 'NM43-1.1.c');
  if (p.shortfallMonths > 0) {
    add(
      'pension.shortfallMonths',
      '距最低缴费年限',
      `差${months(p.shortfallMonths)}：允许延长缴费${months(p.extensionMonths)}${p.oneTimeMonths > 0 ? `，允许一次性缴费${months(p.oneTimeMonths)}` : ''}`,
      'pension-at-retirement',
      'NM43-1.1.c',
    );
  }
  add('medical.countedMonths', '医疗保险累计缴费', `${months(med.countedMonths)}，当地规定${months(med.requiredMonths)}`, 'medical-months', 'NM43-1.1.d');
  add('medical.shortfallMonths', '医疗保险尚差', months(med.shortfallMonths), 'medical-months', 'NM43-1.1.d');
  if (med.payableNow && med.unitAmount !== null && med.individualAmount !== null) {
    add('medical.unitAmount', '医疗保险单位部分（测算）', yuan(med.unitAmount), 'medical-amounts', 'NM43-1.3.b');
    add('medical.individualAmount', '医疗保险个人部分（测算，本人负担）', yuan(med.individualAmount), 'medical-amounts', 'NM43-1.3.b');
  } else {
    add('medical.timing', '医疗保险补缴时间', `达到法定退休年龄时（${monthZh(ret.month)}）`, 'medical-timing', 'NM43-1.5');
  }
  return out;
}

/** The provisional parameters of a determination, named in Chinese (待核实). */
export function provisionalLabels(d: Determination): string[] {
  return d.provisional.map(parameterLabelZh);
}
