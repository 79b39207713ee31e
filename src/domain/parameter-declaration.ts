// Parameters declared once. A declaration is a tree shaped like the published document
// (`jiexu.parameters/1`): each leaf says what kind of value a parameter takes and, for a dated series,
// how the engine asks for it. The document's schema and type, the reading of a pack file and the view
// of the values in force in a month all follow from it, so that a new parameter is one leaf here, one
// entry in the pack file (law as data, in the shape of OpenFisca's parameter files) and its use in a
// rule. A value asked for a month before its first entry is `not-in-force`, never a silent zero.

import { z } from './zod';
import { JiexuError, type Problem } from './errors';
import { formatMonth, isIsoDate, tryParseMonth, type MonthIndex } from './months';
import { parseScaled, parseYuanToFen, type ScaledDecimal } from './money';

export const PARAMETER_SET_FORMAT = 'jiexu.parameters/1';

// Built on first use, not at import: building zod schemas is most of the cost of loading the engine,
// and a tablet needs them only when a county publishes a new document.
function buildAtoms() {
  const isoDate = z.string().check(z.refine(isIsoDate, 'not a date (expected YYYY-MM-DD)'));
  const yearMonth = z.string().check(
    z.regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM'),
    z.refine((s: string) => tryParseMonth(s) !== null, 'not a month'),
  );
  const ratioText = z.string().check(
    z.refine((s: string) => parseScaled(s) !== null, 'not a non-negative decimal number'),
    z.refine((s: string) => {
      const d = parseScaled(s);
      return d !== null && d.units <= d.scale;
    }, 'must be between 0 and 1'),
  );
  const yuanText = z.string().check(z.refine((s: string) => parseYuanToFen(s) !== null, 'not a yuan amount with at most two decimals'));
  const months = z.number().check(z.int(), z.minimum(0), z.maximum(1200));
  const year = z.number().check(z.int(), z.minimum(1950), z.maximum(2199));
  const source = z.string().check(z.minLength(1, 'a source citation is required'));
  return { isoDate, yearMonth, ratioText, yuanText, months, year, source };
}

export type SchemaAtoms = ReturnType<typeof buildAtoms>;

let atoms: SchemaAtoms | undefined;
function schemaAtoms(): SchemaAtoms {
  return (atoms ??= buildAtoms());
}

// --- kinds of value ------------------------------------------------------------------------------

/** What a parameter's values are: as published (`raw`), and as the engine reads them. */
export interface ValueKind<Raw extends string | number, Value, Unit extends string> {
  readonly unit: Unit;
  schema(a: SchemaAtoms): z.ZodMiniType<Raw>;
  parse(raw: Raw): Value;
}

export const date: ValueKind<string, MonthIndex, 'date'> = { unit: 'date', schema: (a) => a.isoDate, parse: (v) => tryParseMonth(v)! };

export const months: ValueKind<number, number, 'months'> = { unit: 'months', schema: (a) => a.months, parse: (v) => v };

export const ratio: ValueKind<string, ScaledDecimal, 'ratio'> = {
  unit: 'ratio',
  schema: (a) => a.ratioText,
  parse: (v) => {
    const d = parseScaled(v);
    if (!d) throw new JiexuError('invalid-parameters', `not a decimal: ${v}`);
    return d;
  },
};

/** A choice where the notice is silent (policy-rules.md "[convention]"), among the ones this engine implements. */
export function convention<const V extends readonly [string, ...string[]]>(choices: V): ValueKind<V[number], V[number], 'convention'> {
  return { unit: 'convention', schema: () => z.enum(choices) as unknown as z.ZodMiniType<V[number]>, parse: (v) => v };
}

// --- leaves and trees ----------------------------------------------------------------------------

/** A parameter with dated values; the engine reads the one in force in a month. */
export interface Series<Raw extends string | number, Value, Unit extends string, Accessor extends string> {
  readonly leaf: 'series';
  readonly kind: ValueKind<Raw, Value, Unit>;
  /** The in-force view's accessor (`now.pensionUnitRate()`); the key when absent. */
  readonly accessor: Accessor | undefined;
  /** The name determinations cite it by (`rate.pension.unit`); the key when absent. */
  readonly name: string | undefined;
}

export function series<Raw extends string | number, Value, Unit extends string, const Accessor extends string = never>(
  kind: ValueKind<Raw, Value, Unit>,
  options: { accessor?: Accessor; name?: string } = {},
): Series<Raw, Value, Unit, Accessor> {
  return { leaf: 'series', kind, accessor: options.accessor, name: options.name };
}

/** One value of a pack file, its citation already written out as the published `source`. */
export interface PackValue {
  readonly from?: string;
  readonly year?: number;
  readonly value: unknown;
  readonly provisional: boolean;
  readonly source: string;
  readonly note?: string;
}

/** One parameter of a pack file, checked for the fields every parameter has. */
export interface PackLeaf {
  readonly unit: string;
  readonly values: readonly PackValue[];
  /** The leaf as written, for the fields of its own (a table's 盟市 rows). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PackReader {
  /** Reads a list of values (with their citations); problems are collected, not thrown. */
  values(raw: unknown, path: string): PackValue[];
  problem(path: string, message: string): void;
}

/** A parameter that is a rule table rather than one dated value (wages by year, retirement ages). */
export interface Table<Published> {
  readonly leaf: 'table';
  /** The notice leaves its values to others (the region): the pack may ship none, and asking for one is `not-in-force`. */
  readonly mayBeEmpty?: boolean;
  schema(a: SchemaAtoms): z.ZodMiniType<Published>;
  /** Its published form, from its entry in a pack file. */
  publish(leaf: PackLeaf, read: PackReader, path: string): Published;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any kind of value or table fits a tree
type AnyLeaf = Series<any, any, any, any> | Table<any>;

export interface Declaration {
  readonly [key: string]: Declaration | AnyLeaf;
}

export interface PublishedEntry<Raw, Unit extends string> {
  from: string;
  value: Raw;
  unit: Unit;
  source: string;
  provisional: boolean;
  /** A choice made where the notice is silent (policy-rules.md "[convention]"). */
  convention?: boolean;
  note?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matched by shape, whatever its types
type Published<T> = T extends Series<infer R, any, infer U, any> ? PublishedEntry<R, U>[] : T extends Table<infer P> ? P : { -readonly [K in keyof T]: Published<T[K]> };

/** A published parameter document of a declaration. */
export type ParameterDocument<T extends Declaration> = {
  format: typeof PARAMETER_SET_FORMAT;
  /** The version id every determination records. */
  version: string;
  title: string;
  issuedBy: string;
  issued: string;
} & Published<T>;

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

export interface Resolved<T> {
  readonly value: T;
  readonly use: ParameterUse;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matched by shape, whatever its types
type SeriesLeaves<T, K extends string> = T extends { leaf: 'series'; kind: ValueKind<any, infer V, any>; accessor: infer A }
  ? { accessor: [Exclude<A, undefined>] extends [never] ? K : Exclude<A, undefined>; value: V }
  : T extends Table<unknown>
    ? never
    : { [P in keyof T & string]: SeriesLeaves<T[P], P> }[keyof T & string];

/** The values of a declaration's series in force in one month, each with its provenance. */
export type InForceOf<T extends Declaration> = {
  [L in SeriesLeaves<T, never> as L extends { accessor: infer A extends string } ? A : never]: L extends { value: infer V } ? Resolved<V> : never;
};

/** Each value read only when asked for: a rule that is not reached asks for none. */
export type Lazy<T> = { [K in keyof T]: () => T[K] };

// --- walking a declaration -----------------------------------------------------------------------

function isLeaf(node: Declaration | AnyLeaf): node is AnyLeaf {
  return typeof (node as { leaf?: unknown }).leaf === 'string';
}

interface LeafAt {
  path: readonly string[];
  key: string;
  node: AnyLeaf;
}

const leavesOf = new WeakMap<Declaration, LeafAt[]>();

function leaves(declaration: Declaration): LeafAt[] {
  let out = leavesOf.get(declaration);
  if (!out) {
    const found: LeafAt[] = [];
    const walk = (node: Declaration, path: string[]) => {
      for (const [key, child] of Object.entries(node)) {
        if (isLeaf(child)) found.push({ path: [...path, key], key, node: child });
        else walk(child, [...path, key]);
      }
    };
    walk(declaration, []);
    const accessors = new Set<string>();
    for (const l of found) {
      if (l.node.leaf !== 'series') continue;
      const accessor = l.node.accessor ?? l.key;
      if (accessors.has(accessor)) throw new Error(`parameter declaration: two series are read as ${accessor}`);
      accessors.add(accessor);
    }
    out = found;
    leavesOf.set(declaration, out);
  }
  return out;
}

function at(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

// --- the published document's schema ------------------------------------------------------------

function seriesSchema<E extends z.ZodMiniType<{ from: string }>>(entry: E) {
  return z.array(entry).check(
    z.minLength(1, 'at least one dated value is required'),
    z.superRefine((list: z.output<E>[], ctx) => {
      for (let i = 1; i < list.length; i++) {
        if (list[i - 1]!.from >= list[i]!.from) ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'dates must be strictly increasing' });
      }
    }),
  );
}

function leafSchema(node: AnyLeaf, a: SchemaAtoms): z.ZodMiniType {
  if (node.leaf === 'table') return node.schema(a);
  return seriesSchema(
    z.strictObject({
      from: a.isoDate,
      value: node.kind.schema(a),
      unit: z.literal(node.kind.unit),
      source: a.source,
      provisional: z.boolean(),
      convention: z.optional(z.boolean()),
      note: z.optional(z.string()),
    }),
  );
}

function shapeOf(node: Declaration, a: SchemaAtoms): Record<string, z.ZodMiniType> {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [key, child] of Object.entries(node)) shape[key] = isLeaf(child) ? leafSchema(child, a) : z.strictObject(shapeOf(child, a));
  return shape;
}

/** The schema of a declaration's published documents; built when first used. */
export function documentSchema<T extends Declaration>(declaration: T): z.ZodMiniType<ParameterDocument<T>> {
  return z.lazy(() => {
    const a = schemaAtoms();
    return z.strictObject({
      format: z.literal(PARAMETER_SET_FORMAT),
      version: z.string().check(z.minLength(1), z.maxLength(100)),
      title: z.string().check(z.minLength(1)),
      issuedBy: z.string().check(z.minLength(1)),
      issued: a.isoDate,
      ...shapeOf(declaration, a),
    });
  }) as unknown as z.ZodMiniType<ParameterDocument<T>>;
}

// --- pack files ----------------------------------------------------------------------------------

/**
 * A pack file's citation as the published `source`: document and article joined by a space, except
 * after a closing 》, which Chinese typography follows with nothing.
 */
function sourceOf(document: string, article: string | undefined): string {
  if (article === undefined) return document;
  return document.endsWith('》') ? `${document}${article}` : `${document} ${article}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function packReader(problems: Problem[]): PackReader {
  const problem = (path: string, message: string) => void problems.push({ path, message });
  return {
    problem,
    values(raw, path) {
      if (!Array.isArray(raw) || raw.length === 0) {
        problem(path, 'a list of at least one value is required');
        return [];
      }
      const out: PackValue[] = [];
      raw.forEach((v: unknown, i) => {
        const p = `${path}.${i}`;
        if (!isRecord(v)) return problem(p, 'a value must be an object');
        const c = v.citation;
        if (!isRecord(c) || !nonEmpty(c.document)) return problem(`${p}.citation`, 'a citation with its document is required');
        if (c.article !== undefined && !nonEmpty(c.article)) problem(`${p}.citation.article`, 'an article must be a non-empty text');
        if (c.link !== undefined && !(typeof c.link === 'string' && /^https:\/\//.test(c.link))) problem(`${p}.citation.link`, 'a link must be an https address');
        if (v.from === undefined && v.year === undefined) problem(p, 'a value needs the date it is in force from (from) or its year');
        if (v.from !== undefined && !(typeof v.from === 'string' && isIsoDate(v.from))) problem(`${p}.from`, 'not a date (expected YYYY-MM-DD)');
        if (typeof v.provisional !== 'boolean') problem(`${p}.provisional`, 'whether the value is provisional is required');
        if (!('value' in v)) problem(`${p}.value`, 'a value is required');
        if (v.note !== undefined && typeof v.note !== 'string') problem(`${p}.note`, 'a note must be text');
        out.push({
          ...(v.from !== undefined ? { from: v.from as string } : {}),
          ...(v.year !== undefined ? { year: v.year as number } : {}),
          value: v.value,
          provisional: v.provisional === true,
          source: sourceOf(c.document, c.article as string | undefined),
          ...(v.note !== undefined ? { note: v.note as string } : {}),
        });
      });
      return out;
    },
  };
}

/** A pack file read: the document it publishes and which of its parameters a county may republish. */
export interface ParameterPack<T extends Declaration> {
  readonly document: ParameterDocument<T>;
  /** Published paths (`fixed.noticeDate`) of the parameters fixed by law or by the notice itself. */
  readonly fixed: readonly string[];
}

/**
 * Reads a pack file into the document it publishes. The file's shape is checked here (it is data the
 * program ships); its values are checked by the document schema, in the tests, not at every start.
 */
export function readPack<T extends Declaration>(declaration: T, pack: unknown): ParameterPack<T> {
  const problems: Problem[] = [];
  const read = packReader(problems);
  const p = isRecord(pack) ? pack : {};
  for (const key of ['version', 'title', 'issuedBy', 'issued'] as const) if (!nonEmpty(p[key])) problems.push({ path: key, message: 'required' });
  const document: Record<string, unknown> = { format: PARAMETER_SET_FORMAT, version: p.version, title: p.title, issuedBy: p.issuedBy, issued: p.issued };
  const fixed: string[] = [];
  const declared = new Set<string>();

  for (const { path, node } of leaves(declaration)) {
    const where = ['parameters', ...path].join('.');
    declared.add(path.join('.'));
    const raw = at(p.parameters, path);
    if (!isRecord(raw)) {
      problems.push({ path: where, message: 'this declared parameter is missing from the pack' });
      continue;
    }
    const problemsBefore = problems.length;
    if (typeof raw.countyMayRepublish !== 'boolean') problems.push({ path: `${where}.countyMayRepublish`, message: 'say whether a county may publish its own values (true or false)' });
    if (raw.countyMayRepublish === false) fixed.push(path.join('.'));
    if (!nonEmpty(raw.unit)) problems.push({ path: `${where}.unit`, message: 'a unit is required' });
    if (node.leaf === 'series' && raw.unit !== node.kind.unit) problems.push({ path: `${where}.unit`, message: `expected ${node.kind.unit}` });
    const none = node.leaf === 'table' && node.mayBeEmpty === true && Array.isArray(raw.values) && raw.values.length === 0;
    const leaf: PackLeaf = { unit: String(raw.unit), values: none ? [] : read.values(raw.values, `${where}.values`), raw };
    if (node.leaf === 'series' && leaf.values.some((v) => v.from === undefined)) problems.push({ path: `${where}.values`, message: 'every value needs the date it is in force from' });

    if (problems.length > problemsBefore) continue;

    let published: unknown;
    if (node.leaf === 'table') {
      published = node.publish(leaf, read, where);
    } else {
      const convention = raw.convention === true;
      published = leaf.values.map((v) => ({
        from: v.from,
        value: v.value,
        unit: leaf.unit,
        source: v.source,
        provisional: v.provisional,
        ...(convention ? { convention: true } : {}),
        ...(v.note !== undefined ? { note: v.note } : {}),
      }));
    }
    // A table with nothing to publish leaves its key out, so documents published before it stay the same.
    if (published === undefined) continue;
    let parent = document;
    for (const key of path.slice(0, -1)) parent = (parent[key] ??= {}) as Record<string, unknown>;
    parent[path[path.length - 1]!] = published;
  }

  const walk = (node: unknown, path: string[]) => {
    if (!isRecord(node)) return;
    for (const [key, child] of Object.entries(node)) {
      const here = [...path, key];
      if (declared.has(here.join('.'))) continue;
      if ([...declared].some((d) => d.startsWith(`${here.join('.')}.`))) walk(child, here);
      else problems.push({ path: ['parameters', ...here].join('.'), message: 'not a declared parameter: declare it before publishing it' });
    }
  };
  walk(p.parameters, []);

  if (problems.length > 0) throw new JiexuError('invalid-parameters', `invalid parameter pack: ${problems.length} problem(s)`, { problems });
  return { document: document as ParameterDocument<T>, fixed };
}

// --- republishing ----------------------------------------------------------------------------------

function withoutCitations(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutCitations);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v).sort()) if (key !== 'source' && key !== 'note') out[key] = withoutCitations(v[key]);
  return out;
}

function describeFixed(v: unknown): string {
  if (Array.isArray(v) && v.every((e) => isRecord(e) && 'from' in e && 'value' in e)) {
    return v.map((e: Record<string, unknown>) => `${String(e.value)} from ${String(e.from)}`).join(', ');
  }
  return 'the values the program ships';
}

function sourcesOf(v: unknown): string {
  const list = Array.isArray(v) ? v : [v];
  const sources = new Set(list.map((e) => (isRecord(e) && typeof e.source === 'string' ? e.source : '')).filter(Boolean));
  return [...sources].join('; ');
}

/**
 * What a county's document changes that only the law or the notice itself can: one problem per such
 * parameter, named by its path. Citations and notes may be reworded; values and dates may not.
 */
export function republishProblems<T extends Declaration>(pack: ParameterPack<T>, candidate: ParameterDocument<T>): Problem[] {
  const problems: Problem[] = [];
  for (const path of pack.fixed) {
    const keys = path.split('.');
    const own = at(pack.document, keys);
    if (JSON.stringify(withoutCitations(at(candidate, keys))) === JSON.stringify(withoutCitations(own))) continue;
    problems.push({
      path,
      message: `set by ${sourcesOf(own)}, which a county cannot change: keep ${describeFixed(own)}`,
    });
  }
  return problems;
}

// --- the view in force in a month ----------------------------------------------------------------

interface Entry {
  from: string;
  value: string | number;
  unit: string;
  source: string;
  provisional: boolean;
  convention?: boolean | undefined;
}

interface SeriesEntry<V> {
  fromMonth: MonthIndex;
  value: V;
  use: ParameterUse;
}

function compileSeries<V>(name: string, list: readonly Entry[], parse: (raw: never) => V): SeriesEntry<V>[] {
  return list.map((e) => ({
    fromMonth: tryParseMonth(e.from)!,
    value: parse(e.value as never),
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

function inForceAt<V>(s: readonly SeriesEntry<V>[], name: string, month: MonthIndex): Resolved<V> {
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

/** The values of a document's series in force in a month; each getter throws `not-in-force` when none is. */
export function inForceView<T extends Declaration>(declaration: T, document: ParameterDocument<T>): (month: MonthIndex) => Lazy<InForceOf<T>> {
  const compiled: { accessor: string; name: string; entries: SeriesEntry<unknown>[] }[] = [];
  for (const { path, key, node } of leaves(declaration)) {
    if (node.leaf !== 'series') continue;
    const name = node.name ?? key;
    compiled.push({ accessor: node.accessor ?? key, name, entries: compileSeries(name, at(document, path) as Entry[], node.kind.parse) });
  }
  // Cases cluster on few as-of months, so each month's lookups are resolved once.
  const byMonth = new Map<MonthIndex, Lazy<InForceOf<T>>>();
  return (month) => {
    let view = byMonth.get(month);
    if (!view) {
      const lazy: Record<string, () => Resolved<unknown>> = {};
      for (const { accessor, name, entries } of compiled) {
        let cached: Resolved<unknown> | undefined;
        lazy[accessor] = () => (cached ??= inForceAt(entries, name, month));
      }
      view = lazy as Lazy<InForceOf<T>>;
      byMonth.set(month, view);
    }
    return view;
  };
}
