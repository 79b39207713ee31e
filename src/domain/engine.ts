// evaluate(case, parameters) → determination: the rules of policy-rules.md in the order a clerk
// would apply them. Each rule is a function headed by the ids of the sentences it applies, whose
// words are in law/nm43.ts. The engine is pure: the as-of date is an input, nothing is read from a clock.

import { RULES, type RuleId, type SentenceId } from './citations';
import { crossFieldProblems, type CaseFacts, type ContributionPeriod } from './case-facts';
import type {
  Determination,
  GapSource,
  MedicalResult,
  OutOfScopeReason,
  PensionResult,
  Regime,
  RetirementResult,
  Routing,
  TraceStep,
  TraceStepName,
  UnitPayer,
  Warning,
} from './determination';
import { RULES_VERSION } from './determination';
import { JiexuError } from './errors';
import { checkIdNumber, type IdCheck, type ValidIdNumber } from './identity';
import { amountFen, formatFen, monthlyBaseFen, type AmountRounding, type ScaledDecimal } from './money';
import { countMonths, countWithin, formatMonth, mergeIntervals, monthYear, parseMonth, type MonthIndex, type MonthInterval } from './months';
import { compileParameters, type CompiledParameters, type InForce, type ParameterSet, type ParameterUse, type Resolved } from './parameters';
import { findCounty } from './regions';
import { minimumPensionMonths, retirementOf, type RetirementCategory } from './retirement';

type InForceNow = { [K in keyof InForce]: () => InForce[K] };

/** The sentences of one citation id: a step cites only its own paragraph's. */
type SentenceOf<R extends RuleId> = Extract<SentenceId, `${R}.s${number}`>;

/** Collects the trace, warnings and provisional parameters of one evaluation. */
class Recorder {
  readonly trace: TraceStep[] = [];
  readonly warnings: Warning[] = [];
  readonly provisional: string[] = [];

  /** Notes a parameter as used by `rule`; a provisional one is listed once, with its warning. */
  use<T>(r: Resolved<T>, rule: RuleId, into: ParameterUse[]): T {
    into.push(r.use);
    if (r.use.provisional && !this.provisional.includes(r.use.name)) {
      this.provisional.push(r.use.name);
      this.warnings.push({ code: 'provisional-parameter', rule, parameter: r.use.name });
    }
    return r.value;
  }

  useRule(u: ParameterUse, rule: RuleId, into: ParameterUse[]): void {
    this.use({ value: null, use: u }, rule, into);
  }

  step<R extends RuleId>(
    rule: R,
    step: TraceStepName,
    sentences: SentenceOf<R>[],
    inputs: Record<string, unknown>,
    result: Record<string, unknown>,
    parameters: ParameterUse[] = [],
  ): void {
    this.trace.push({ rule, paragraph: RULES[rule].paragraph, sentences, step, inputs, result, parameters });
  }

  warn<R extends RuleId>(w: Warning & { rule: R; sentences?: SentenceOf<R>[] }): void {
    this.warnings.push(w);
  }
}

interface Months {
  asOf: MonthIndex;
  application: MonthIndex;
  enlistment: MonthIndex;
  discharge: MonthIndex;
}

function intervalsOf(periods: readonly ContributionPeriod[], field: string): MonthInterval[] {
  const out: MonthInterval[] = new Array<MonthInterval>(periods.length);
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    out[i] = { from: parseMonth(p.from, `${field}[${i}].from`), to: parseMonth(p.to, `${field}[${i}].to`) + 1 };
  }
  return out;
}

function rawCount(intervals: readonly MonthInterval[]): number {
  let n = 0;
  for (const iv of intervals) n += iv.to - iv.from;
  return n;
}

/**
 * NM43-1.4.a.s2 — the veteran applies with his ID document. Its number (GB 11643) gives birth month
 * and sex; an invalid one puts the case out of scope.
 */
function identityRule(idNumber: string, rec: Recorder): IdCheck {
  const c = checkIdNumber(idNumber);
  rec.step(
    'NM43-1.4.a',
    'identity',
    ['NM43-1.4.a.s2'],
    { idNumber },
    c.valid ? { valid: true, idNumber: c.idNumber, sex: c.sex, birth: c.birth, upgradedFrom15: c.upgradedFrom15 } : { valid: false, problem: c.reason },
  );
  return c;
}

/** NM43-1.1.a.s3, NM43-1.1.a.s4 — discharge before the military insurance law: 军龄 deemed; after it, with the subsidy: combined. */
function regimeRule(m: Months, subsidy: boolean, now: InForceNow, rec: Recorder): { regime: Regime | null; militaryMonths: number } {
  const used: ParameterUse[] = [];
  const lawMonth = rec.use(now.militaryInsuranceLawDate(), 'NM43-1.1.a', used);
  rec.use(now.militaryMonthsCounting(), 'NM43-1.1.a', used);
  const regime: Regime | null = m.discharge < lawMonth ? 'deemed' : subsidy ? 'combined' : null;
  const militaryMonths = m.discharge - m.enlistment;
  rec.step(
    'NM43-1.1.a',
    'regime',
    ['NM43-1.1.a.s3', 'NM43-1.1.a.s4'],
    { enlistment: formatMonth(m.enlistment), discharge: formatMonth(m.discharge), militarySubsidyReceived: subsidy },
    { regime, militaryMonths },
    used,
  );
  return { regime, militaryMonths };
}

/**
 * NM43-1.4.b.s1 — service and discharge are verified before anything is computed: a case is in scope
 * when the ID number is valid, enlistment < discharge ≤ application, and the regime is known.
 */
function scopeRule(idValid: boolean, m: Months, regime: Regime | null, rec: Recorder): OutOfScopeReason[] {
  const reasons: OutOfScopeReason[] = [];
  if (!idValid) reasons.push('invalid-id-number');
  if (!(m.enlistment < m.discharge && m.discharge <= m.application)) reasons.push('bad-service-dates');
  if (regime === null) reasons.push('post-2012-without-subsidy');
  rec.step(
    'NM43-1.4.b',
    'scope',
    ['NM43-1.4.b.s1'],
    { idNumberValid: idValid, enlistment: formatMonth(m.enlistment), discharge: formatMonth(m.discharge), application: formatMonth(m.application), regime },
    { inScope: reasons.length === 0, outOfScopeReasons: reasons },
  );
  return reasons;
}

/** NM43-1.4.a.s7 — the deadline. A later application is still computed and flagged for the county [convention]. */
function applicationDeadlineRule(m: Months, now: InForceNow, rec: Recorder): boolean {
  const used: ParameterUse[] = [];
  const deadline = now.applicationDeadline();
  const deadlineMonth = rec.use(deadline, 'NM43-1.4.a', used);
  const late = m.application > deadlineMonth;
  if (late) rec.warn({ code: 'application-late', rule: 'NM43-1.4.a', sentences: ['NM43-1.4.a.s7'], date: String(deadline.use.value) });
  rec.step('NM43-1.4.a', 'application-deadline', ['NM43-1.4.a.s7'], { application: formatMonth(m.application) }, { applicationLate: late }, used);
  return late;
}

/** NM43-1.6.s2 — cases already handled under the earlier rules stay as handled: the county is told. */
function earlierRulesRule(m: Months, now: InForceNow, rec: Recorder): void {
  const used: ParameterUse[] = [];
  const notice = now.noticeDate();
  const noticeMonth = rec.use(notice, 'NM43-1.6', used);
  const before = m.application < noticeMonth;
  if (before) rec.warn({ code: 'application-before-notice', rule: 'NM43-1.6', sentences: ['NM43-1.6.s2'], date: String(notice.use.value) });
  rec.step('NM43-1.6', 'application-before-notice', ['NM43-1.6.s2'], { application: formatMonth(m.application) }, { beforeNotice: before }, used);
}

/** NM43-1.1.a.s2 — not insured at enlistment: enlistment is the first insured month; else the recorded one. */
function firstInsuredRule(facts: CaseFacts, m: Months, rec: Recorder): { month: MonthIndex; source: 'enlistment' | 'recorded' } {
  const insured = facts.pension.insuredAtEnlistment;
  const month = insured ? parseMonth(facts.pension.firstInsured ?? '', 'pension.firstInsured') : m.enlistment;
  const source = insured ? 'recorded' : 'enlistment';
  rec.step(
    'NM43-1.1.a',
    'first-insured',
    ['NM43-1.1.a.s2'],
    { insuredAtEnlistment: insured, firstInsured: facts.pension.firstInsured, enlistment: formatMonth(m.enlistment) },
    { firstInsured: formatMonth(month), source },
  );
  return { month, source };
}

/** RA-2024.s1, RA-2024.s2 — retirement month by birth month, and the minimum pension years of that year. */
function retirementRule(id: ValidIdNumber, facts: CaseFacts, m: Months, P: CompiledParameters, rec: Recorder): RetirementResult & { monthIndex: MonthIndex } {
  const used: ParameterUse[] = [];
  const category: RetirementCategory = id.sex === 'male' ? 'male' : facts.person.femaleCategory === 'cadre' ? 'female-cadre' : 'female-worker';
  rec.useRule(P.retirement.use, 'RA-2024', used);
  rec.useRule(P.minimumPension.use, 'RA-2024', used);
  const r = retirementOf(id.birthMonth, category, P.retirement);
  const minimum = minimumPensionMonths(monthYear(r.month), P.minimumPension);
  const result: RetirementResult = {
    category,
    delayMonths: r.delayMonths,
    ageMonths: r.ageMonths,
    month: formatMonth(r.month),
    reached: m.asOf >= r.month,
    minimumPensionMonths: minimum,
  };
  rec.step('RA-2024', 'retirement', ['RA-2024.s1', 'RA-2024.s2'], { birth: id.birth, sex: id.sex, femaleCategory: facts.person.femaleCategory, asOf: formatMonth(m.asOf) }, { ...result }, used);
  return { ...result, monthIndex: r.month };
}

interface Covered {
  merged: MonthInterval[];
  /** Months of the periods outside the service window. */
  paid: number;
}

/**
 * NM43-1.1.a.s3 or NM43-1.1.a.s4, by regime — 军龄 counts as contribution time, so recorded months
 * inside the service window are left out of the paid months; overlapping periods count each month once.
 */
function paidMonthsRule(scheme: 'pension' | 'medical', periods: readonly ContributionPeriod[], m: Months, regime: Regime, rec: Recorder): Covered {
  const intervals = intervalsOf(periods, `${scheme}.periods`);
  const merged = mergeIntervals(intervals);
  const total = countMonths(merged);
  const overlapsEachOther = rawCount(intervals) - total;
  const inService = countWithin(merged, m.enlistment, m.discharge);
  const paid = total - inService;
  const militaryCounted = regime === 'deemed' ? 'NM43-1.1.a.s3' : 'NM43-1.1.a.s4';
  if (overlapsEachOther > 0) rec.warn({ code: 'periods-overlap', rule: 'NM43-1.4.b', sentences: ['NM43-1.4.b.s2'], scheme, months: overlapsEachOther });
  if (inService > 0) rec.warn({ code: 'period-overlaps-service', rule: 'NM43-1.1.a', sentences: [militaryCounted], scheme, months: inService });
  rec.step(
    'NM43-1.1.a',
    `${scheme}-paid-months`,
    [militaryCounted],
    { periods: periods.map((p) => ({ from: p.from, to: p.to })), serviceWindow: { from: formatMonth(m.enlistment), toExcluded: formatMonth(m.discharge) } },
    { paidMonths: paid, monthsInServiceWindow: inService, monthsCountedOnce: overlapsEachOther },
  );
  return { merged, paid };
}

/**
 * NM43-1.4.b.s2 — the agency determines the interruption. Until it has, the engine estimates it: months
 * from discharge up to the as-of or retirement month, whichever is earlier, not covered by a period [convention].
 */
function gapRule(covered: Covered, m: Months, retirementMonth: MonthIndex, agencyGapMonths: number | null, rec: Recorder): { gap: number; source: GapSource; estimate: number } {
  const windowEnd = m.asOf < retirementMonth ? m.asOf : retirementMonth;
  const windowMonths = windowEnd > m.discharge ? windowEnd - m.discharge : 0;
  const estimate = windowMonths - countWithin(covered.merged, m.discharge, windowEnd);
  const source: GapSource = agencyGapMonths === null ? 'estimate' : 'agency';
  const gap = agencyGapMonths === null ? estimate : agencyGapMonths;
  if (source === 'estimate') rec.warn({ code: 'gap-estimated', rule: 'NM43-1.4.b', sentences: ['NM43-1.4.b.s2'] });
  rec.step(
    'NM43-1.4.b',
    'gap',
    ['NM43-1.4.b.s2'],
    { window: { from: formatMonth(m.discharge), toExcluded: formatMonth(windowEnd > m.discharge ? windowEnd : m.discharge) }, agencyGapMonths },
    { gapMonths: gap, gapSource: source, estimatedGapMonths: estimate },
  );
  return { gap, source, estimate };
}

/** NM43-1.1.b.s2 — back-pay for at most 军龄, without late fee. */
function backPayRule(gap: number, militaryMonths: number, rec: Recorder): number {
  const backPay = gap < militaryMonths ? gap : militaryMonths;
  rec.step('NM43-1.1.b', 'back-pay-months', ['NM43-1.1.b.s2'], { gapMonths: gap, militaryMonths }, { backPayMonths: backPay, lateFee: '0.00' });
  return backPay;
}

interface Base {
  baseFen: number;
  wageUse: Resolved<number>;
}

/**
 * NM43-1.3.a.s2, NM43-1.3.b.s2 — 60% of the previous year's average wage. "上年度" is the calendar
 * year before the as-of date; a wage not yet published is not-in-force.
 */
function baseRule(rule: 'NM43-1.3.a' | 'NM43-1.3.b', m: Months, leagueCode: string, now: InForceNow, P: CompiledParameters, rec: Recorder, used: ParameterUse[]): Base {
  rec.use(now.wageYear(), rule, used);
  const wageYear = monthYear(m.asOf) - 1;
  const wageUse = P.wage(wageYear, leagueCode);
  const wageFen = rec.use(wageUse, rule, used);
  const share = rec.use(now.baseWageShare(), rule, used);
  const rounding = rec.use(now.baseRounding(), rule, used);
  return { baseFen: monthlyBaseFen(wageFen, share, rounding), wageUse };
}

/** NM43-1.3.a.s2 — the placement place's rates. Amount = base × rate × months, rounded once to the fen, half up [convention: amountRounding]. */
function pensionAmountsRule(backPay: number, m: Months, leagueCode: string, countyCode: string, now: InForceNow, P: CompiledParameters, rec: Recorder) {
  const used: ParameterUse[] = [];
  const { baseFen } = baseRule('NM43-1.3.a', m, leagueCode, now, P, rec, used);
  const unitRate = rec.use(now.pensionUnitRate(), 'NM43-1.3.a', used);
  const indRate = rec.use(now.pensionIndividualRate(), 'NM43-1.3.a', used);
  const rounding = rec.use(now.amountRounding(), 'NM43-1.3.a', used);
  const unitFen = amountFen(baseFen, unitRate, backPay, rounding);
  const indFen = amountFen(baseFen, indRate, backPay, rounding);
  const result = {
    baseFen,
    baseMonthly: formatFen(baseFen),
    unitRate: unitRate.text,
    individualRate: indRate.text,
    unitAmount: formatFen(unitFen),
    individualAmount: formatFen(indFen),
  };
  rec.step(
    'NM43-1.3.a',
    'pension-amounts',
    ['NM43-1.3.a.s2'],
    { asOf: formatMonth(m.asOf), wageYear: monthYear(m.asOf) - 1, placementCounty: countyCode, placementLeague: leagueCode, backPayMonths: backPay },
    { baseMonthly: result.baseMonthly, unitRate: result.unitRate, individualRate: result.individualRate, unitAmount: result.unitAmount, individualAmount: result.individualAmount },
    used,
  );
  return result;
}

/** NM43-1.2.a.s1 — the unit pays; NM43-1.2.b.s1 — else its superior; NM43-1.2.b.s2 — else fiscal funds. */
function unitPayerRule(facts: CaseFacts, scheme: 'pension' | 'medical', rec: Recorder): UnitPayer {
  const p = facts.placement;
  const payer: UnitPayer = p.unitExists && p.unitCanPay ? 'unit' : p.superiorExists && p.superiorCanPay ? 'superior' : 'fiscal';
  const inputs = { unitExists: p.unitExists, unitCanPay: p.unitCanPay, superiorExists: p.superiorExists, superiorCanPay: p.superiorCanPay };
  if (payer === 'unit') rec.step('NM43-1.2.a', `${scheme}-unit-payer`, ['NM43-1.2.a.s1'], inputs, { unitPayer: payer });
  else rec.step('NM43-1.2.b', `${scheme}-unit-payer`, payer === 'superior' ? ['NM43-1.2.b.s1'] : ['NM43-1.2.b.s1', 'NM43-1.2.b.s2'], inputs, { unitPayer: payer });
  return payer;
}

/** NM43-1.2.c.s1 — that the unit or its superior is gone or unable is confirmed by the government at the same level. */
function payerConfirmationRule(payer: UnitPayer, rec: Recorder): void {
  const needed = payer !== 'unit';
  if (needed) rec.warn({ code: 'payer-confirmation-required', rule: 'NM43-1.2.c', sentences: ['NM43-1.2.c.s1'] });
  rec.step('NM43-1.2.c', 'payer-confirmation', ['NM43-1.2.c.s1'], { unitPayer: payer }, { confirmationRequired: needed });
}

/** NM43-1.4.a.s3 — to the unit while it exists; NM43-1.4.a.s4 — else its superior; NM43-1.4.a.s6 — else the department. */
function routingRule(facts: CaseFacts, rec: Recorder): Routing {
  const p = facts.placement;
  const routing: Routing = p.unitExists ? 'unit' : p.superiorExists ? 'superior' : 'department';
  const addressee = routing === 'unit' ? 'NM43-1.4.a.s3' : routing === 'superior' ? 'NM43-1.4.a.s4' : 'NM43-1.4.a.s6';
  rec.step('NM43-1.4.a', 'routing', [addressee], { unitExists: p.unitExists, superiorExists: p.superiorExists }, { routing });
  return routing;
}

/** NM43-1.2.d.s1 — 低保 and 特困 persons get a local subsidy of the individual share. */
function individualSubsidyRule(facts: CaseFacts, rec: Recorder): boolean {
  const eligible = facts.assistance.dibao || facts.assistance.tekun;
  rec.step('NM43-1.2.d', 'individual-subsidy', ['NM43-1.2.d.s1'], { dibao: facts.assistance.dibao, tekun: facts.assistance.tekun }, { individualSubsidyEligible: eligible });
  return eligible;
}

/** NM43-1.1.c.s3 — short at retirement: extend; NM43-1.1.c.s4 — first insured before the social insurance law and still short after 5 years: one-time payment. */
function atRetirementRule(
  cumulative: number,
  firstInsured: MonthIndex,
  retirement: RetirementResult,
  now: InForceNow,
  rec: Recorder,
): { shortfall: number; extension: number; oneTime: number } {
  const used: ParameterUse[] = [];
  let shortfall = 0;
  let extension = 0;
  let oneTime = 0;
  const sentences: SentenceOf<'NM43-1.1.c'>[] = ['NM43-1.1.c.s3'];
  if (retirement.reached) {
    const lawMonth = rec.use(now.socialInsuranceLawDate(), 'NM43-1.1.c', used);
    const cap = rec.use(now.extensionCapMonths(), 'NM43-1.1.c', used);
    shortfall = Math.max(0, retirement.minimumPensionMonths - cumulative);
    if (firstInsured < lawMonth) {
      sentences.push('NM43-1.1.c.s4');
      extension = Math.min(shortfall, cap);
      oneTime = shortfall - extension;
    } else {
      extension = shortfall;
    }
  }
  rec.step(
    'NM43-1.1.c',
    'pension-at-retirement',
    sentences,
    { reached: retirement.reached, cumulativeMonths: cumulative, minimumPensionMonths: retirement.minimumPensionMonths, firstInsured: formatMonth(firstInsured) },
    { shortfallMonths: shortfall, extensionMonths: extension, oneTimeMonths: oneTime },
    used,
  );
  return { shortfall, extension, oneTime };
}

/**
 * NM43-3.3.s2 — still short at retirement after paying: local help. The extension and one-time months
 * are the person's to pay [convention]: the county is told.
 */
function stillShortRule(shortfall: number, rec: Recorder): void {
  if (shortfall > 0) rec.warn({ code: 'still-short-after-payment', rule: 'NM43-3.3', sentences: ['NM43-3.3.s2'], scheme: 'pension', months: shortfall });
}

/** NM43-1.5.s1 — pension back-paid once approved; NM43-1.5.s2 — medical at retirement age. */
function timingRule(scheme: 'pension' | 'medical', reached: boolean, rec: Recorder): boolean {
  const payableNow = scheme === 'pension' ? true : reached;
  rec.step('NM43-1.5', `${scheme}-timing`, [scheme === 'pension' ? 'NM43-1.5.s1' : 'NM43-1.5.s2'], { retirementReached: reached }, { timing: scheme === 'pension' ? 'on-approval' : 'at-retirement', payableNow });
  return payableNow;
}

/** NM43-1.1.d.s5 — medical years (with 军龄) short of the 统筹地区's at retirement: may be paid up to them. */
function medicalMonthsRule(militaryMonths: number, paid: number, sex: 'male' | 'female', now: InForceNow, rec: Recorder): { counted: number; required: number; shortfall: number } {
  const used: ParameterUse[] = [];
  const required = rec.use(sex === 'male' ? now.medicalRequiredMale() : now.medicalRequiredFemale(), 'NM43-1.1.d', used);
  const counted = militaryMonths + paid;
  const shortfall = Math.max(0, required - counted);
  rec.step('NM43-1.1.d', 'medical-months', ['NM43-1.1.d.s5'], { militaryMonths, medicalPaidMonths: paid, sex }, { countedMonths: counted, requiredMonths: required, shortfallMonths: shortfall }, used);
  return { counted, required, shortfall };
}

/**
 * NM43-1.3.b.s2 — the insured place's base and rates. The insured place is taken to be the placement
 * place [convention], so the base is the pension base.
 */
function medicalAmountsRule(shortfall: number, m: Months, leagueCode: string, countyCode: string, now: InForceNow, P: CompiledParameters, rec: Recorder) {
  const used: ParameterUse[] = [];
  const { baseFen } = baseRule('NM43-1.3.b', m, leagueCode, now, P, rec, used);
  const unitRate = rec.use(now.medicalUnitRate(), 'NM43-1.3.b', used);
  const indRate = rec.use(now.medicalIndividualRate(), 'NM43-1.3.b', used);
  const rounding = rec.use(now.amountRounding(), 'NM43-1.3.b', used);
  const out = {
    baseFen,
    unitRate,
    rounding,
    baseMonthly: formatFen(baseFen),
    unitFen: amountFen(baseFen, unitRate, shortfall, rounding),
    indFen: amountFen(baseFen, indRate, shortfall, rounding),
    unitRateText: unitRate.text,
    indRateText: indRate.text,
  };
  rec.step(
    'NM43-1.3.b',
    'medical-amounts',
    ['NM43-1.3.b.s2'],
    { asOf: formatMonth(m.asOf), wageYear: monthYear(m.asOf) - 1, placementCounty: countyCode, placementLeague: leagueCode, months: shortfall },
    { baseMonthly: out.baseMonthly, unitRate: out.unitRateText, individualRate: out.indRateText, unitAmount: formatFen(out.unitFen), individualAmount: formatFen(out.indFen) },
    used,
  );
  return out;
}

/**
 * NM43-1.2.b.s3 — the government pays for at most 军龄. Fiscal months above it have no payer named by
 * the notice: reported as uncovered for county decision.
 */
function fiscalCapRule(
  payer: UnitPayer,
  shortfall: number,
  militaryMonths: number,
  a: { baseFen: number; unitRate: ScaledDecimal; rounding: AmountRounding },
  rec: Recorder,
): { fiscal: number; uncovered: number; uncoveredFen: number } {
  let fiscal = 0;
  let uncovered = 0;
  if (payer === 'fiscal') {
    fiscal = Math.min(shortfall, militaryMonths);
    uncovered = shortfall - fiscal;
    if (uncovered > 0) rec.warn({ code: 'medical-unit-share-uncovered', rule: 'NM43-1.2.b', sentences: ['NM43-1.2.b.s3'], scheme: 'medical', months: uncovered });
  } else if (shortfall > militaryMonths) {
    rec.warn({ code: 'medical-months-exceed-military', rule: 'NM43-1.2.b', sentences: ['NM43-1.2.b.s3'], scheme: 'medical', months: shortfall - militaryMonths });
  }
  const uncoveredFen = amountFen(a.baseFen, a.unitRate, uncovered, a.rounding);
  rec.step(
    'NM43-1.2.b',
    'medical-fiscal-cap',
    ['NM43-1.2.b.s3'],
    { unitPayer: payer, months: shortfall, militaryMonths },
    { fiscalMonths: fiscal, uncoveredUnitMonths: uncovered, uncoveredUnitAmount: formatFen(uncoveredFen) },
  );
  return { fiscal, uncovered, uncoveredFen };
}

function outOfScope(id: ValidIdNumber | null, idProblem: Determination['idNumberProblem'], reasons: OutOfScopeReason[], m: Months, P: CompiledParameters, rec: Recorder): Determination {
  return {
    inScope: false,
    outOfScopeReasons: reasons,
    identity: id ? { idNumber: id.idNumber, sex: id.sex, birth: id.birth, upgradedFrom15: id.upgradedFrom15 } : null,
    idNumberProblem: idProblem,
    regime: null,
    militaryMonths: null,
    applicationLate: null,
    routing: null,
    retirement: null,
    pension: null,
    medical: null,
    provisional: rec.provisional,
    warnings: rec.warnings,
    trace: rec.trace,
    asOf: formatMonth(m.asOf),
    parametersVersion: P.version,
    rulesVersion: RULES_VERSION,
  };
}

function checkInput(facts: CaseFacts): { months: Months; leagueCode: string } {
  const months: Months = {
    asOf: parseMonth(facts.asOf, 'asOf'),
    application: parseMonth(facts.applicationDate, 'applicationDate'),
    enlistment: parseMonth(facts.service.enlistment, 'service.enlistment'),
    discharge: parseMonth(facts.service.discharge, 'service.discharge'),
  };
  const problems = crossFieldProblems(facts);
  if (problems.length > 0) throw new JiexuError('invalid-case', `invalid case: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
  const county = findCounty(facts.placement.countyCode);
  if (!county) {
    throw new JiexuError('unknown-county', `unknown county code ${facts.placement.countyCode}`, {
      path: 'placement.countyCode',
      problems: [{ path: 'placement.countyCode', message: `unknown county code "${facts.placement.countyCode}"` }],
    });
  }
  return { months, leagueCode: county.leagueCode };
}

/**
 * The determination for one case under one parameter set. Well-formed cases that do not qualify
 * give `inScope: false`; malformed ones throw `invalid-case` / `unknown-county`; a parameter that no
 * value covers throws `not-in-force`.
 */
export function evaluate(facts: CaseFacts, params: ParameterSet): Determination {
  const P = compileParameters(params);
  const { months: m, leagueCode } = checkInput(facts);
  const now = P.inForce(m.asOf);
  const rec = new Recorder();

  const idCheck = identityRule(facts.person.idNumber, rec);
  const id = idCheck.valid ? idCheck : null;

  const { regime, militaryMonths } = regimeRule(m, facts.service.militarySubsidyReceived, now, rec);
  const reasons = scopeRule(id !== null, m, regime, rec);
  if (reasons.length > 0 || id === null || regime === null) {
    return outOfScope(id, idCheck.valid ? null : idCheck.reason, reasons, m, P, rec);
  }

  const applicationLate = applicationDeadlineRule(m, now, rec);
  earlierRulesRule(m, now, rec);
  const first = firstInsuredRule(facts, m, rec);
  const retirement = retirementRule(id, facts, m, P, rec);

  // Pension
  const pensionCovered = paidMonthsRule('pension', facts.pension.periods, m, regime, rec);
  const gap = gapRule(pensionCovered, m, retirement.monthIndex, facts.pension.agencyGapMonths, rec);
  const backPay = backPayRule(gap.gap, militaryMonths, rec);
  const countyCode = facts.placement.countyCode;
  const amounts = pensionAmountsRule(backPay, m, leagueCode, countyCode, now, P, rec);
  const unitPayer = unitPayerRule(facts, 'pension', rec);
  payerConfirmationRule(unitPayer, rec);
  const routing = routingRule(facts, rec);
  const subsidy = individualSubsidyRule(facts, rec);
  timingRule('pension', retirement.reached, rec);
  const cumulative = militaryMonths + pensionCovered.paid + backPay;
  const { monthIndex: _retirementMonth, ...retirementResult } = retirement;
  const atRetirement = atRetirementRule(cumulative, first.month, retirementResult, now, rec);
  stillShortRule(atRetirement.shortfall, rec);

  const pension: PensionResult = {
    firstInsured: formatMonth(first.month),
    firstInsuredSource: first.source,
    paidMonths: pensionCovered.paid,
    gapMonths: gap.gap,
    gapSource: gap.source,
    estimatedGapMonths: gap.estimate,
    backPayMonths: backPay,
    baseMonthly: amounts.baseMonthly,
    unitRate: amounts.unitRate,
    individualRate: amounts.individualRate,
    unitAmount: amounts.unitAmount,
    individualAmount: amounts.individualAmount,
    lateFee: '0.00',
    unitPayer,
    individualSubsidyEligible: subsidy,
    timing: 'on-approval',
    cumulativeMonths: cumulative,
    shortfallMonths: atRetirement.shortfall,
    extensionMonths: atRetirement.extension,
    oneTimeMonths: atRetirement.oneTime,
  };

  // Medical
  const medicalCovered = paidMonthsRule('medical', facts.medical.periods, m, regime, rec);
  const med = medicalMonthsRule(militaryMonths, medicalCovered.paid, id.sex, now, rec);
  const payableNow = timingRule('medical', retirement.reached, rec);
  const medicalPayer = unitPayerRule(facts, 'medical', rec);
  let medical: MedicalResult;
  if (payableNow) {
    const a = medicalAmountsRule(med.shortfall, m, leagueCode, countyCode, now, P, rec);
    const cap = fiscalCapRule(medicalPayer, med.shortfall, militaryMonths, a, rec);
    medical = {
      paidMonths: medicalCovered.paid,
      countedMonths: med.counted,
      requiredMonths: med.required,
      shortfallMonths: med.shortfall,
      timing: 'at-retirement',
      payableNow: true,
      baseMonthly: a.baseMonthly,
      unitRate: a.unitRateText,
      individualRate: a.indRateText,
      unitAmount: formatFen(a.unitFen),
      individualAmount: formatFen(a.indFen),
      unitPayer: medicalPayer,
      fiscalMonths: cap.fiscal,
      uncoveredUnitMonths: cap.uncovered,
      uncoveredUnitAmount: formatFen(cap.uncoveredFen),
    };
  } else {
    medical = {
      paidMonths: medicalCovered.paid,
      countedMonths: med.counted,
      requiredMonths: med.required,
      shortfallMonths: med.shortfall,
      timing: 'at-retirement',
      payableNow: false,
      baseMonthly: null,
      unitRate: null,
      individualRate: null,
      unitAmount: null,
      individualAmount: null,
      unitPayer: medicalPayer,
      fiscalMonths: 0,
      uncoveredUnitMonths: 0,
      uncoveredUnitAmount: '0.00',
    };
  }

  return {
    inScope: true,
    outOfScopeReasons: [],
    identity: { idNumber: id.idNumber, sex: id.sex, birth: id.birth, upgradedFrom15: id.upgradedFrom15 },
    idNumberProblem: null,
    regime,
    militaryMonths,
    applicationLate,
    routing,
    retirement: retirementResult,
    pension,
    medical,
    provisional: rec.provisional,
    warnings: rec.warnings,
    trace: rec.trace,
    asOf: formatMonth(m.asOf),
    parametersVersion: P.version,
    rulesVersion: RULES_VERSION,
  };
}
