// Policy parameters as data (parameters.md). The default pack is parameters/nm43-default.json; this
// file declares each parameter once (NM43 below), and the published document's schema and type, the
// view in force in a month and the county's rights over each parameter follow from that. A county
// office publishes a new document; devices validate it with `parameterSetSchema` and store it; every
// determination records the version it used.

import { z } from './zod';
import { JiexuError, type Problem } from './errors';
import { leagues } from './regions';
import { tryParseMonth, type MonthIndex } from './months';
import { parseYuanToFen, sharesAddUpToOne, type AmountRounding, type BaseRounding } from './money';
import {
  convention,
  date,
  documentSchema,
  inForceView,
  months,
  ratio,
  readPack,
  republishProblems,
  series,
  type InForceOf,
  type Lazy,
  type PackLeaf,
  type PackReader,
  type PackValue,
  type ParameterDocument,
  type ParameterUse,
  type Resolved,
  type SchemaAtoms,
  type Table,
} from './parameter-declaration';
import nm43Pack from './parameters/nm43-default.json';

export { PARAMETER_SET_FORMAT, type ParameterUse, type Resolved } from './parameter-declaration';

// --- the tables: rules with a shape of their own -------------------------------------------------

interface WageRow {
  year: number;
  value: string;
  unit: 'CNY/month';
  source: string;
  provisional: boolean;
  note?: string;
}

interface Wages {
  /** Average monthly employee wage of the region, by wage year. */
  region: WageRow[];
  /** Rows of a 盟市 (keyed by its code) override the region's row of the same year. */
  leagues: Record<string, WageRow[]>;
}

interface RetirementCategory {
  originalAgeYears: number;
  /** S: the first birth month whose retirement is delayed. */
  firstDelayedBirth: string;
  /** Birth months per extra month of delay. */
  stepBirthMonths: number;
  capMonths: number;
}

/** RA-2024: keyed by birth month, so it applies at every as-of date (`from` is informational). */
interface Retirement {
  from: string;
  source: string;
  provisional: boolean;
  unit: 'months';
  male: RetirementCategory;
  femaleCadre: RetirementCategory;
  femaleWorker: RetirementCategory;
}

/** RA-2024 第二条: by the calendar year of the retirement month. */
interface MinimumPension {
  from: string;
  source: string;
  provisional: boolean;
  unit: 'months';
  baseMonths: number;
  firstRaisedYear: number;
  stepMonthsPerYear: number;
  capMonths: number;
}

function wageRowsSchema(a: SchemaAtoms) {
  const row = z.strictObject({ year: a.year, value: a.yuanText, unit: z.literal('CNY/month'), source: a.source, provisional: z.boolean(), note: z.optional(z.string()) });
  return z.array(row).check(
    z.superRefine((rows: z.output<typeof row>[], ctx) => {
      const seen = new Set<number>();
      rows.forEach((r, i) => {
        if (seen.has(r.year)) ctx.addIssue({ code: 'custom', path: [i, 'year'], message: `wage year ${r.year} appears twice` });
        seen.add(r.year);
      });
    }),
  );
}

function wageRows(values: readonly PackValue[]): WageRow[] {
  return values.map((v) => ({
    year: v.year as number,
    value: v.value as string,
    unit: 'CNY/month',
    source: v.source,
    provisional: v.provisional,
    ...(v.note !== undefined ? { note: v.note } : {}),
  }));
}

const wagesTable: Table<Wages> = {
  leaf: 'table',
  schema: (a) => {
    const rows = wageRowsSchema(a);
    const leagueCode = z.string().check(z.refine((code: string) => leagues().some((l) => l.code === code), 'not a 盟市 code of the region'));
    return z.strictObject({ region: rows, leagues: z.record(leagueCode, rows) });
  },
  publish(leaf: PackLeaf, read: PackReader, path: string): Wages {
    const own = (leaf.raw.leagues ?? {}) as Record<string, unknown>;
    const byLeague: Record<string, WageRow[]> = {};
    for (const [code, rows] of Object.entries(own)) byLeague[code] = wageRows(read.values(rows, `${path}.leagues.${code}`));
    return { region: wageRows(leaf.values), leagues: byLeague };
  },
};

/** A rule table published as one value with its date and source, the table's fields beside them. */
function singleRuleTable<Fields extends object>(fields: (a: SchemaAtoms) => Record<keyof Fields, z.ZodMiniType>): Table<{ from: string; source: string; provisional: boolean; unit: 'months' } & Fields> {
  return {
    leaf: 'table',
    schema: (a) =>
      z.strictObject({ from: a.isoDate, source: a.source, provisional: z.boolean(), unit: z.literal('months'), ...fields(a) }) as unknown as z.ZodMiniType<
        { from: string; source: string; provisional: boolean; unit: 'months' } & Fields
      >,
    publish(leaf, read, path) {
      // The published format holds one value: a new rule is a new pack, not a second dated entry.
      if (leaf.values.length !== 1) read.problem(`${path}.values`, 'exactly one value: the published format holds one rule');
      const v = leaf.values[0]!;
      return { from: v.from!, source: v.source, provisional: v.provisional, unit: 'months', ...(v.value as Fields) };
    },
  };
}

const retirementTable = singleRuleTable<Pick<Retirement, 'male' | 'femaleCadre' | 'femaleWorker'>>((a) => {
  const category = z.strictObject({
    originalAgeYears: z.number().check(z.int(), z.minimum(40), z.maximum(70)),
    firstDelayedBirth: a.yearMonth,
    stepBirthMonths: z.number().check(z.int(), z.minimum(1), z.maximum(24)),
    capMonths: a.months,
  });
  return { male: category, femaleCadre: category, femaleWorker: category };
});

const minimumPensionTable = singleRuleTable<Pick<MinimumPension, 'baseMonths' | 'firstRaisedYear' | 'stepMonthsPerYear' | 'capMonths'>>((a) => ({
  baseMonths: a.months,
  firstRaisedYear: a.year,
  stepMonthsPerYear: a.months,
  capMonths: a.months,
}));

/** Shares of the fiscal part of the unit contribution borne by 自治区本级 / 盟市 / 旗县（市、区） (NM43-1.2.b.s4). */
export interface FiscalSplitRow {
  from: string;
  region: string;
  league: string;
  county: string;
  unit: 'ratio';
  source: string;
  provisional: boolean;
  note?: string;
}

/** The region's rows, and a 盟市's own rows for its counties (they replace the region's there). */
export interface FiscalSplitTable {
  region: FiscalSplitRow[];
  leagues: Record<string, FiscalSplitRow[]>;
}

function fiscalSplitRowsSchema(a: SchemaAtoms) {
  const row = z.strictObject({
    from: a.isoDate,
    region: a.ratioText,
    league: a.ratioText,
    county: a.ratioText,
    unit: z.literal('ratio'),
    source: a.source,
    provisional: z.boolean(),
    note: z.optional(z.string()),
  });
  return z.array(row).check(
    z.superRefine((rows: z.output<typeof row>[], ctx) => {
      rows.forEach((r, i) => {
        if (i > 0 && rows[i - 1]!.from >= r.from) ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'dates must be strictly increasing' });
        if (!sharesAddUpToOne([r.region, r.league, r.county])) ctx.addIssue({ code: 'custom', path: [i], message: 'region, league and county shares must add up to 1' });
      });
    }),
  );
}

function fiscalSplitRows(values: readonly PackValue[], read: PackReader, path: string): FiscalSplitRow[] {
  return values.map((v, i) => {
    const shares = (v.value ?? {}) as Record<string, unknown>;
    for (const key of ['region', 'league', 'county']) if (typeof shares[key] !== 'string') read.problem(`${path}.${i}.value.${key}`, 'a share as a decimal text is required');
    return {
      from: v.from!,
      region: String(shares.region),
      league: String(shares.league),
      county: String(shares.county),
      unit: 'ratio',
      source: v.source,
      provisional: v.provisional,
      ...(v.note !== undefined ? { note: v.note } : {}),
    };
  });
}

// Absent from a document until the region publishes shares: documents published before it stay valid.
const fiscalSplitTable: Table<FiscalSplitTable | undefined> = {
  leaf: 'table',
  mayBeEmpty: true,
  schema: (a) => {
    const rows = fiscalSplitRowsSchema(a);
    const leagueCode = z.string().check(z.refine((code: string) => leagues().some((l) => l.code === code), 'not a 盟市 code of the region'));
    return z.optional(z.strictObject({ region: rows, leagues: z.record(leagueCode, rows) })) as unknown as z.ZodMiniType<FiscalSplitTable | undefined>;
  },
  publish(leaf: PackLeaf, read: PackReader, path: string): FiscalSplitTable | undefined {
    const own = (leaf.raw.leagues ?? {}) as Record<string, unknown>;
    const byLeague: Record<string, FiscalSplitRow[]> = {};
    for (const [code, rows] of Object.entries(own)) byLeague[code] = fiscalSplitRows(read.values(rows, `${path}.leagues.${code}`), read, `${path}.leagues.${code}`);
    if (leaf.values.length === 0 && Object.keys(byLeague).length === 0) return undefined;
    return { region: fiscalSplitRows(leaf.values, read, `${path}.values`), leagues: byLeague };
  },
};

// --- the declaration -----------------------------------------------------------------------------

/**
 * Every parameter of the notice, once, where the published document holds it. A series is read by
 * the engine as `now.<key>()` (or its `accessor`) and cited by its key (or its `name`).
 */
export const NM43 = {
  fixed: {
    militaryInsuranceLawDate: series(date),
    socialInsuranceLawDate: series(date),
    applicationDeadline: series(date),
    noticeDate: series(date),
    extensionCapMonths: series(months),
    baseWageShare: series(ratio),
  },
  conventions: {
    militaryMonthsCounting: series(convention(['month-diff'])),
    baseRounding: series(convention(['fen-half-up', 'yuan-half-up'] satisfies [BaseRounding, ...BaseRounding[]])),
    amountRounding: series(convention(['total', 'monthly'] satisfies [AmountRounding, ...AmountRounding[]])),
    wageYear: series(convention(['as-of-year-minus-1'])),
  },
  rates: {
    pension: {
      unit: series(ratio, { accessor: 'pensionUnitRate', name: 'rate.pension.unit' }),
      individual: series(ratio, { accessor: 'pensionIndividualRate', name: 'rate.pension.individual' }),
    },
    medical: {
      unit: series(ratio, { accessor: 'medicalUnitRate', name: 'rate.medical.unit' }),
      individual: series(ratio, { accessor: 'medicalIndividualRate', name: 'rate.medical.individual' }),
    },
  },
  wages: wagesTable,
  medicalRequiredMonths: {
    male: series(months, { accessor: 'medicalRequiredMale', name: 'medical.requiredMonths.male' }),
    female: series(months, { accessor: 'medicalRequiredFemale', name: 'medical.requiredMonths.female' }),
  },
  retirement: retirementTable,
  minimumPensionMonths: minimumPensionTable,
  fiscalSplit: fiscalSplitTable,
};

/** The schema of a parameter document. */
export const parameterSetSchema = documentSchema(NM43);

export type ParameterSet = ParameterDocument<typeof NM43>;

/** Validates an untrusted parameter document; throws `invalid-parameters` listing every problem. */
export function parseParameterSet(input: unknown): ParameterSet {
  const r = parameterSetSchema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
    throw new JiexuError('invalid-parameters', `invalid parameter set: ${problems.length} problem(s)`, { problems });
  }
  return r.data;
}

/** All series values in force in one month (the as-of month), each with its provenance. */
export type InForce = InForceOf<typeof NM43>;

// --- the form the engine reads -------------------------------------------------------------------

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

export interface CompiledParameters {
  readonly version: string;
  readonly retirement: RetirementRules;
  readonly minimumPension: MinimumPensionRule;
  /** Values in force in a month; each getter throws `not-in-force` when none is. */
  inForce(month: MonthIndex): Lazy<InForce>;
  /** The wage row for a wage year: the 盟市's own, else the region's; `not-in-force` when neither. */
  wage(year: number, leagueCode: string | undefined): Resolved<number>;
}

function compileRetirementCategory(c: RetirementCategory): RetirementCategoryRule {
  return {
    originalAgeMonths: c.originalAgeYears * 12,
    firstDelayedBirth: tryParseMonth(c.firstDelayedBirth)!,
    stepBirthMonths: c.stepBirthMonths,
    capMonths: c.capMonths,
  };
}

function compile(p: ParameterSet): CompiledParameters {
  const wageTable = (prefix: string, rows: readonly WageRow[]) => {
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
  const byLeague = new Map<string, Map<number, Resolved<number>>>();
  for (const [code, rows] of Object.entries(p.wages.leagues)) byLeague.set(code, wageTable(code, rows));

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

  const wage = (year: number, leagueCode: string | undefined): Resolved<number> => {
    const own = leagueCode === undefined ? undefined : byLeague.get(leagueCode)?.get(year);
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

  return { version: p.version, retirement, minimumPension, inForce: inForceView(NM43, p), wage };
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

// --- the default pack ----------------------------------------------------------------------------

const DEFAULT_PACK = readPack(NM43, nm43Pack);

/**
 * The default pack as a county would publish it. Checked against the schema by the tests
 * (tests/domain/parameters.test.ts), so it is not parsed again at every start; frozen so that no
 * caller can change it for the next one.
 */
export const DEFAULT_PARAMETERS: ParameterSet = deepFreeze(DEFAULT_PACK.document);

/** The same document, by the name the tests and the county page publish copies of it under. */
export const DEFAULT_PARAMETERS_DOCUMENT: ParameterSet = DEFAULT_PARAMETERS;

/**
 * What a county's document changes that is fixed by law or by the notice itself (the pack's
 * `countyMayRepublish: false`), one problem per parameter, named by its path in the document.
 */
export function countyRepublishProblems(set: ParameterSet): Problem[] {
  return republishProblems(DEFAULT_PACK, set).filter((p) => !SET_ABOVE_THE_COUNTY.includes(p.path));
}

/**
 * Parameters the notice leaves to the region (or a 盟市 for its own counties) rather than fixing them:
 * a county cannot change them either, but what it must keep is the set in force, not the shipped one,
 * so the publisher checks them against that (fiscalSplitChanges).
 */
const SET_ABOVE_THE_COUNTY: readonly string[] = ['fiscalSplit'];

/** What a candidate document changes in the fiscal split: the region's rows, and which 盟市's own rows. */
export function fiscalSplitChanges(current: ParameterSet, candidate: ParameterSet): { region: boolean; leagues: string[] } {
  const was = current.fiscalSplit ?? { region: [], leagues: {} };
  const now = candidate.fiscalSplit ?? { region: [], leagues: {} };
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)])) : v;
  const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a ?? [])) === JSON.stringify(canonical(b ?? []));
  const codes = [...new Set([...Object.keys(was.leagues), ...Object.keys(now.leagues)])].sort();
  return { region: !same(was.region, now.region), leagues: codes.filter((c) => !same(was.leagues[c], now.leagues[c])) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
