// Policy parameters as data (parameters.md): one validated document with a version id, every value
// dated, with its unit, its source and whether it is provisional. A county office can publish a new
// document; devices validate it with `parameterSetSchema` and store it; every determination records
// the version it used. A value asked for a month before its first entry is `not-in-force`.

import { z } from './zod';
import { JiexuError } from './errors';
import { leagues } from './regions';
import { isIsoDate, tryParseMonth, formatMonth, type MonthIndex } from './months';
import { parseScaled, parseYuanToFen, type ScaledDecimal, type BaseRounding, type AmountRounding } from './money';

export const PARAMETER_SET_FORMAT = 'jiexu.parameters/1';

// Built on first use (z.lazy), not at import: building zod schemas is most of the cost of loading
// the engine, and a tablet needs them only when a county publishes a new document.
function buildParameterSetSchema() {
  const isoDate = z.string().check(z.refine(isIsoDate, 'not a date (expected YYYY-MM-DD)'));
  const yearMonth = z.string().check(
    z.regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM'),
    z.refine((s: string) => tryParseMonth(s) !== null, 'not a month'),
  );
  const decimalIsValid = (s: string) => parseScaled(s) !== null;
  const ratioText = z.string().check(
    z.refine(decimalIsValid, 'not a non-negative decimal number'),
    z.refine((s: string) => {
      const d = parseScaled(s);
      return d !== null && d.units <= d.scale;
    }, 'must be between 0 and 1'),
  );
  const yuanText = z.string().check(z.refine((s: string) => parseYuanToFen(s) !== null, 'not a yuan amount with at most two decimals'));
  const months = z.number().check(z.int(), z.minimum(0), z.maximum(1200));
  const source = z.string().check(z.minLength(1, 'a source citation is required'));

  function entry<V extends z.ZodMiniType, U extends string>(value: V, unit: U) {
    return z.strictObject({
      from: isoDate,
      value,
      unit: z.literal(unit),
      source,
      provisional: z.boolean(),
      /** A choice made where the notice is silent (policy-rules.md "[convention]"). */
      convention: z.optional(z.boolean()),
      note: z.optional(z.string()),
    });
  }

  function series<E extends z.ZodMiniType<{ from: string }>>(e: E) {
    return z.array(e).check(
      z.minLength(1, 'at least one dated value is required'),
      z.superRefine((list: z.output<E>[], ctx) => {
        for (let i = 1; i < list.length; i++) {
          if (list[i - 1]!.from >= list[i]!.from) {
            ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'dates must be strictly increasing' });
          }
        }
      }),
    );
  }

  const wageRow = z.strictObject({
    year: z.number().check(z.int(), z.minimum(1950), z.maximum(2199)),
    value: yuanText,
    unit: z.literal('CNY/month'),
    source,
    provisional: z.boolean(),
    note: z.optional(z.string()),
  });

  const wageRows = z.array(wageRow).check(
    z.superRefine((rows: z.output<typeof wageRow>[], ctx) => {
      const seen = new Set<number>();
      rows.forEach((r, i) => {
        if (seen.has(r.year)) ctx.addIssue({ code: 'custom', path: [i, 'year'], message: `wage year ${r.year} appears twice` });
        seen.add(r.year);
      });
    }),
  );

  const retirementCategory = z.strictObject({
    originalAgeYears: z.number().check(z.int(), z.minimum(40), z.maximum(70)),
    /** S: the first birth month whose retirement is delayed. */
    firstDelayedBirth: yearMonth,
    /** Birth months per extra month of delay. */
    stepBirthMonths: z.number().check(z.int(), z.minimum(1), z.maximum(24)),
    capMonths: months,
  });

  return z.strictObject({
    format: z.literal(PARAMETER_SET_FORMAT),
    /** The version id every determination records. */
    version: z.string().check(z.minLength(1), z.maxLength(100)),
    title: z.string().check(z.minLength(1)),
    issuedBy: z.string().check(z.minLength(1)),
    issued: isoDate,
    fixed: z.strictObject({
      militaryInsuranceLawDate: series(entry(isoDate, 'date')),
      socialInsuranceLawDate: series(entry(isoDate, 'date')),
      applicationDeadline: series(entry(isoDate, 'date')),
      noticeDate: series(entry(isoDate, 'date')),
      extensionCapMonths: series(entry(months, 'months')),
      baseWageShare: series(entry(ratioText, 'ratio')),
    }),
    conventions: z.strictObject({
      militaryMonthsCounting: series(entry(z.literal('month-diff'), 'convention')),
      baseRounding: series(entry(z.enum(['fen-half-up', 'yuan-half-up']), 'convention')),
      amountRounding: series(entry(z.enum(['total', 'monthly']), 'convention')),
      wageYear: series(entry(z.literal('as-of-year-minus-1'), 'convention')),
    }),
    rates: z.strictObject({
      pension: z.strictObject({ unit: series(entry(ratioText, 'ratio')), individual: series(entry(ratioText, 'ratio')) }),
      medical: z.strictObject({ unit: series(entry(ratioText, 'ratio')), individual: series(entry(ratioText, 'ratio')) }),
    }),
    wages: z.strictObject({
      /** Average monthly employee wage of the region, by wage year. */
      region: wageRows,
      /** Rows of a 盟市 (keyed by its code) override the region's row of the same year. */
      leagues: z.record(
        z.string().check(z.refine((code: string) => leagues().some((l) => l.code === code), 'not a 盟市 code of the region')),
        wageRows,
      ),
    }),
    medicalRequiredMonths: z.strictObject({
      male: series(entry(months, 'months')),
      female: series(entry(months, 'months')),
    }),
    /** RA-2024: keyed by birth month, so it applies at every as-of date (`from` is informational). */
    retirement: z.strictObject({
      from: isoDate,
      source,
      provisional: z.boolean(),
      unit: z.literal('months'),
      male: retirementCategory,
      femaleCadre: retirementCategory,
      femaleWorker: retirementCategory,
    }),
    /** RA-2024 第二条: by the calendar year of the retirement month. */
    minimumPensionMonths: z.strictObject({
      from: isoDate,
      source,
      provisional: z.boolean(),
      unit: z.literal('months'),
      baseMonths: months,
      firstRaisedYear: z.number().check(z.int(), z.minimum(1950), z.maximum(2199)),
      stepMonthsPerYear: months,
      capMonths: months,
    }),
  });
}

/** The schema of a parameter document. */
export const parameterSetSchema = z.lazy(buildParameterSetSchema);

export type ParameterSet = z.output<typeof parameterSetSchema>;

/** Validates an untrusted parameter document; throws `invalid-parameters` listing every problem. */
export function parseParameterSet(input: unknown): ParameterSet {
  const r = parameterSetSchema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new JiexuError('invalid-parameters', `invalid parameter set: ${problems.length} problem(s)`, { problems });
  }
  return r.data;
}

/** One parameter value as a determination cites it. */
export interface ParameterUse {
  /** Stable name, also the key in `provisional` (`rate.pension.unit`, `wage.region.2018`). */
  readonly name: string;
  readonly value: string | number;
  readonly unit: string;
  /** Date in force from (`YYYY-MM-DD`), or the wage year for wages. */
  readonly from: string;
  readonly source: string;
  readonly provisional: boolean;
  readonly convention?: boolean;
}

interface SeriesEntry<T> {
  fromMonth: MonthIndex;
  value: T;
  use: ParameterUse;
}

export interface Resolved<T> {
  readonly value: T;
  readonly use: ParameterUse;
}

interface Entry {
  from: string;
  value: string | number;
  unit: string;
  source: string;
  provisional: boolean;
  convention?: boolean | undefined;
}

function compileSeries<T>(name: string, list: readonly Entry[], parse: (v: Entry['value']) => T): SeriesEntry<T>[] {
  return list.map((e) => ({
    fromMonth: tryParseMonth(e.from)!,
    value: parse(e.value),
    use: Object.freeze({
      name,
      value: e.value,
      unit: e.unit,
      from: e.from,
      source: e.source,
      provisional: e.provisional,
      ...(e.convention ? { convention: true } : {}),
    }),
  }));
}

function at<T>(s: readonly SeriesEntry<T>[], name: string, month: MonthIndex): Resolved<T> {
  for (let i = s.length - 1; i >= 0; i--) {
    const e = s[i]!;
    if (e.fromMonth <= month) return e;
  }
  const first = s[0];
  throw new JiexuError(
    'not-in-force',
    `parameter ${name} has no value in force in ${formatMonth(month)}${first ? ` (its first value is from ${first.use.from})` : ''}; sync or ask the county office`,
    { parameter: name, month: formatMonth(month), firstFrom: first?.use.from, path: 'asOf' },
  );
}

function scaled(v: Entry['value']): ScaledDecimal {
  const d = typeof v === 'string' ? parseScaled(v) : null;
  if (!d) throw new JiexuError('invalid-parameters', `not a decimal: ${String(v)}`);
  return d;
}

export interface RetirementCategoryRule {
  originalAgeMonths: number;
  firstDelayedBirth: MonthIndex;
  stepBirthMonths: number;
  capMonths: number;
}

export interface RetirementRules {
  male: RetirementCategoryRule;
  femaleCadre: RetirementCategoryRule;
  femaleWorker: RetirementCategoryRule;
  use: ParameterUse;
}

export interface MinimumPensionRule {
  baseMonths: number;
  firstRaisedYear: number;
  stepMonthsPerYear: number;
  capMonths: number;
  use: ParameterUse;
}

/** All values in force in one month (the as-of month), each with its provenance. */
export interface InForce {
  militaryInsuranceLawDate: Resolved<MonthIndex>;
  socialInsuranceLawDate: Resolved<MonthIndex>;
  applicationDeadline: Resolved<MonthIndex>;
  noticeDate: Resolved<MonthIndex>;
  extensionCapMonths: Resolved<number>;
  baseWageShare: Resolved<ScaledDecimal>;
  militaryMonthsCounting: Resolved<'month-diff'>;
  baseRounding: Resolved<BaseRounding>;
  amountRounding: Resolved<AmountRounding>;
  wageYear: Resolved<'as-of-year-minus-1'>;
  pensionUnitRate: Resolved<ScaledDecimal>;
  pensionIndividualRate: Resolved<ScaledDecimal>;
  medicalUnitRate: Resolved<ScaledDecimal>;
  medicalIndividualRate: Resolved<ScaledDecimal>;
  medicalRequiredMale: Resolved<number>;
  medicalRequiredFemale: Resolved<number>;
}

type Lazy<T> = { [K in keyof T]: () => T[K] };

export interface CompiledParameters {
  readonly version: string;
  readonly retirement: RetirementRules;
  readonly minimumPension: MinimumPensionRule;
  /** Values in force in a month; each getter throws `not-in-force` when none is. */
  inForce(month: MonthIndex): Lazy<InForce>;
  /** The wage row for a wage year: the 盟市's own, else the region's; `not-in-force` when neither. */
  wage(year: number, leagueCode: string | undefined): Resolved<number>;
}

function compileRetirementCategory(c: ParameterSet['retirement']['male']): RetirementCategoryRule {
  return {
    originalAgeMonths: c.originalAgeYears * 12,
    firstDelayedBirth: tryParseMonth(c.firstDelayedBirth)!,
    stepBirthMonths: c.stepBirthMonths,
    capMonths: c.capMonths,
  };
}

function compile(p: ParameterSet): CompiledParameters {
  const month = (v: Entry['value']) => tryParseMonth(String(v))!;
  const num = (v: Entry['value']) => Number(v);
  const f = p.fixed;
  const c = p.conventions;
  const s = {
    militaryInsuranceLawDate: compileSeries('militaryInsuranceLawDate', f.militaryInsuranceLawDate, month),
    socialInsuranceLawDate: compileSeries('socialInsuranceLawDate', f.socialInsuranceLawDate, month),
    applicationDeadline: compileSeries('applicationDeadline', f.applicationDeadline, month),
    noticeDate: compileSeries('noticeDate', f.noticeDate, month),
    extensionCapMonths: compileSeries('extensionCapMonths', f.extensionCapMonths, num),
    baseWageShare: compileSeries('baseWageShare', f.baseWageShare, scaled),
    militaryMonthsCounting: compileSeries('militaryMonthsCounting', c.militaryMonthsCounting, () => 'month-diff' as const),
    baseRounding: compileSeries('baseRounding', c.baseRounding, (v) => v as BaseRounding),
    amountRounding: compileSeries('amountRounding', c.amountRounding, (v) => v as AmountRounding),
    wageYear: compileSeries('wageYear', c.wageYear, () => 'as-of-year-minus-1' as const),
    pensionUnitRate: compileSeries('rate.pension.unit', p.rates.pension.unit, scaled),
    pensionIndividualRate: compileSeries('rate.pension.individual', p.rates.pension.individual, scaled),
    medicalUnitRate: compileSeries('rate.medical.unit', p.rates.medical.unit, scaled),
    medicalIndividualRate: compileSeries('rate.medical.individual', p.rates.medical.individual, scaled),
    medicalRequiredMale: compileSeries('medical.requiredMonths.male', p.medicalRequiredMonths.male, num),
    medicalRequiredFemale: compileSeries('medical.requiredMonths.female', p.medicalRequiredMonths.female, num),
  };

  const wageTable = (prefix: string, rows: ParameterSet['wages']['region']) => {
    const m = new Map<number, Resolved<number>>();
    for (const r of rows) {
      m.set(r.year, {
        value: parseYuanToFen(r.value)!,
        use: Object.freeze({ name: `wage.${prefix}.${r.year}`, value: r.value, unit: r.unit, from: String(r.year), source: r.source, provisional: r.provisional }),
      });
    }
    return m;
  };
  const region = wageTable('region', p.wages.region);
  const leagues = new Map<string, Map<number, Resolved<number>>>();
  for (const [code, rows] of Object.entries(p.wages.leagues)) leagues.set(code, wageTable(code, rows));

  const r = p.retirement;
  const retirement: RetirementRules = {
    male: compileRetirementCategory(r.male),
    femaleCadre: compileRetirementCategory(r.femaleCadre),
    femaleWorker: compileRetirementCategory(r.femaleWorker),
    use: Object.freeze({ name: 'retirement', value: 'RA-2024', unit: r.unit, from: r.from, source: r.source, provisional: r.provisional }),
  };
  const mp = p.minimumPensionMonths;
  const minimumPension: MinimumPensionRule = {
    baseMonths: mp.baseMonths,
    firstRaisedYear: mp.firstRaisedYear,
    stepMonthsPerYear: mp.stepMonthsPerYear,
    capMonths: mp.capMonths,
    use: Object.freeze({
      name: 'minimumPensionMonths',
      value: `${mp.baseMonths} + ${mp.stepMonthsPerYear}×(Y−${mp.firstRaisedYear - 1}) from ${mp.firstRaisedYear}, at most ${mp.capMonths}`,
      unit: mp.unit,
      from: mp.from,
      source: mp.source,
      provisional: mp.provisional,
    }),
  };

  // Cases cluster on few as-of months, so each month's lookups are resolved once.
  const byMonth = new Map<MonthIndex, Lazy<InForce>>();
  const inForce = (mo: MonthIndex): Lazy<InForce> => {
    let v = byMonth.get(mo);
    if (!v) {
      const lazy = {} as Record<keyof InForce, () => unknown>;
      for (const key of Object.keys(s) as (keyof typeof s)[]) {
        const list = s[key] as SeriesEntry<unknown>[];
        const name = list[0]?.use.name ?? key;
        let cached: Resolved<unknown> | undefined;
        lazy[key] = () => (cached ??= at(list, name, mo));
      }
      v = lazy as Lazy<InForce>;
      byMonth.set(mo, v);
    }
    return v;
  };

  const wage = (year: number, leagueCode: string | undefined): Resolved<number> => {
    const own = leagueCode === undefined ? undefined : leagues.get(leagueCode)?.get(year);
    const row = own ?? region.get(year);
    if (!row) {
      throw new JiexuError(
        'not-in-force',
        `the wage for year ${year} has not been published in this device's parameters; sync or ask the county office`,
        { parameter: `wage.region.${year}`, year, path: 'asOf' },
      );
    }
    return row;
  };

  return { version: p.version, retirement, minimumPension, inForce, wage };
}

const compiled = new WeakMap<ParameterSet, CompiledParameters>();

/** The parameter set in the form the engine reads, built once per set. */
export function compileParameters(p: ParameterSet): CompiledParameters {
  let c = compiled.get(p);
  if (!c) {
    c = compile(p);
    compiled.set(p, c);
  }
  return c;
}

const NOTICE = '内政办字〔2019〕43号';
const CONVENTION = 'policy-rules.md / parameters.md convention where the notice is silent';
// The notice's own values and the conventions hold for the whole span this pack covers, which starts
// with as-of 2019-01 (the first wage year is 2018, the medical years are dated 2019-01-01): the notice
// of 2019-07-11 has no earlier version, and earlier applications are warned (NM43-1.6).
const PACK_START = '2019-01-01';
const WAGE_SOURCE = '内蒙古自治区全口径城镇单位就业人员平均工资 ÷ 12 (parameters.md; not confirmed from an official text)';

/** The default pack of parameters.md, as a county would publish it. */
export const DEFAULT_PARAMETERS_DOCUMENT = {
  format: PARAMETER_SET_FORMAT,
  version: 'nm43-default-2026.1',
  title: '内政办字〔2019〕43号 默认参数（parameters.md）',
  issuedBy: 'Jiexu project (default pack; a county office may publish its own)',
  issued: '2026-01-01',
  fixed: {
    militaryInsuranceLawDate: [
      { from: '2012-07-01', value: '2012-07-01', unit: 'date', source: '中华人民共和国军人保险法 第五十二条（2012年7月1日起施行）', provisional: false },
    ],
    socialInsuranceLawDate: [
      { from: '2011-07-01', value: '2011-07-01', unit: 'date', source: '中华人民共和国社会保险法（2011年7月1日起施行）', provisional: false },
    ],
    applicationDeadline: [
      { from: PACK_START, value: '2019-12-31', unit: 'date', source: `${NOTICE} 一（四）`, provisional: false, note: 'the county may publish a new deadline if the window is reopened' },
    ],
    noticeDate: [{ from: PACK_START, value: '2019-07-11', unit: 'date', source: `${NOTICE}（2019年7月11日）`, provisional: false }],
    extensionCapMonths: [{ from: PACK_START, value: 60, unit: 'months', source: `${NOTICE} 一（一）（“延长缴费5年”）`, provisional: false }],
    baseWageShare: [{ from: PACK_START, value: '0.60', unit: 'ratio', source: `${NOTICE} 一（三）`, provisional: false }],
  },
  conventions: {
    militaryMonthsCounting: [
      { from: PACK_START, value: 'month-diff', unit: 'convention', source: CONVENTION, provisional: false, convention: true, note: '军龄 = month index of discharge − month index of enlistment' },
    ],
    baseRounding: [
      { from: PACK_START, value: 'fen-half-up', unit: 'convention', source: CONVENTION, provisional: false, convention: true, note: 'the monthly base is rounded to 0.01 yuan, half up' },
    ],
    amountRounding: [
      { from: PACK_START, value: 'total', unit: 'convention', source: CONVENTION, provisional: false, convention: true, note: 'base × rate × months, rounded once to 0.01 yuan, half up' },
    ],
    wageYear: [
      { from: PACK_START, value: 'as-of-year-minus-1', unit: 'convention', source: CONVENTION, provisional: false, convention: true, note: '“上年度”: the calendar year before the as-of date' },
    ],
  },
  rates: {
    pension: {
      unit: [
        { from: '2016-05-01', value: '0.20', unit: 'ratio', source: 'unit pension rate before the 2019 reduction (parameters.md; not confirmed from an official text)', provisional: true },
        { from: '2019-05-01', value: '0.16', unit: 'ratio', source: '国办发〔2019〕13号《降低社会保险费率综合方案》', provisional: false },
      ],
      individual: [{ from: '2006-01-01', value: '0.08', unit: 'ratio', source: '国发〔2005〕38号', provisional: false }],
    },
    medical: {
      unit: [{ from: '2019-01-01', value: '0.08', unit: 'ratio', source: 'urban employee medical insurance, unit rate (parameters.md; not confirmed from an official text)', provisional: true }],
      individual: [{ from: '2019-01-01', value: '0.02', unit: 'ratio', source: 'urban employee medical insurance, individual rate (parameters.md; not confirmed from an official text)', provisional: true }],
    },
  },
  wages: {
    region: [
      { year: 2018, value: '6131.25', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
      { year: 2019, value: '6508.67', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
      { year: 2020, value: '6344.00', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
      { year: 2021, value: '6751.42', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
      { year: 2022, value: '7469.17', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
      { year: 2023, value: '8105.00', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true, note: '60% = 4863, matches two independent published base floors' },
      { year: 2024, value: '8179.00', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
      { year: 2025, value: '8430.00', unit: 'CNY/month', source: WAGE_SOURCE, provisional: true },
    ],
    leagues: {},
  },
  medicalRequiredMonths: {
    male: [
      { from: '2019-01-01', value: 300, unit: 'months', source: '统筹地区规定年限 (parameters.md; no official Inner Mongolia figure found; other regions use 25–30 years for men)', provisional: true },
    ],
    female: [{ from: '2019-01-01', value: 240, unit: 'months', source: '统筹地区规定年限 (parameters.md; no official Inner Mongolia figure found)', provisional: true }],
  },
  retirement: {
    from: '2025-01-01',
    source: '全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）及《国务院关于渐进式延迟法定退休年龄的办法》',
    provisional: false,
    unit: 'months',
    male: { originalAgeYears: 60, firstDelayedBirth: '1965-01', stepBirthMonths: 4, capMonths: 36 },
    femaleCadre: { originalAgeYears: 55, firstDelayedBirth: '1970-01', stepBirthMonths: 4, capMonths: 36 },
    femaleWorker: { originalAgeYears: 50, firstDelayedBirth: '1975-01', stepBirthMonths: 2, capMonths: 60 },
  },
  minimumPensionMonths: {
    from: '2025-01-01',
    source: '《国务院关于渐进式延迟法定退休年龄的办法》第二条',
    provisional: false,
    unit: 'months',
    baseMonths: 180,
    firstRaisedYear: 2030,
    stepMonthsPerYear: 6,
    capMonths: 240,
  },
} satisfies ParameterSet;

/**
 * The default pack. The program's own document is typed as a parameter set and checked against the
 * schema by the tests (tests/domain/parameters.test.ts), so it is not parsed again at every start;
 * frozen so that no caller can change it for the next one.
 */
export const DEFAULT_PARAMETERS: ParameterSet = deepFreeze(DEFAULT_PARAMETERS_DOCUMENT);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
