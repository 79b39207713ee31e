// A new parameter set drafted from the one in force: which parameters a county may change (the
// pack's countyMayRepublish flags, named by the labels determinations use), the draft document built
// from the form, and the server's field paths and problems of a document in Chinese.

import { NM43 } from '../../../domain/parameters';
import { parameterLabelZh } from '../../../domain/messages';
import nm43Pack from '../../../domain/parameters/nm43-default.json';

/** A dated parameter a county may publish anew: a rate or a number of months. */
export interface EditableSeries {
  /** Its path in the document (`rates.pension.unit`). */
  path: string;
  label: string;
  unit: 'ratio' | 'months';
}

interface Leaf {
  leaf: string;
  kind?: { unit: string };
  name?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function at(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

/** Every series of the declaration, with the name determinations cite it by. */
function seriesOf(node: Record<string, unknown>, path: string[] = []): { path: string[]; name: string; unit: string }[] {
  const out: { path: string[]; name: string; unit: string }[] = [];
  for (const [key, child] of Object.entries(node)) {
    const leaf = child as Leaf;
    if (typeof leaf.leaf === 'string') {
      if (leaf.leaf === 'series' && leaf.kind) out.push({ path: [...path, key], name: leaf.name ?? key, unit: leaf.kind.unit });
    } else if (isRecord(child)) out.push(...seriesOf(child, [...path, key]));
  }
  return out;
}

const mayRepublish = (path: readonly string[]) => (at(nm43Pack.parameters, path) as { countyMayRepublish?: boolean } | undefined)?.countyMayRepublish === true;

/** The rates and months a county may publish anew; conventions (one choice each in this program) aside. */
export const EDITABLE_SERIES: readonly EditableSeries[] = seriesOf(NM43 as unknown as Record<string, unknown>)
  .filter((s) => (s.unit === 'ratio' || s.unit === 'months') && mayRepublish(s.path))
  .map((s) => ({ path: s.path.join('.'), label: parameterLabelZh(s.name), unit: s.unit as 'ratio' | 'months' }));

/** Whether a county may publish its own wage rows. */
export const WAGES_EDITABLE = mayRepublish(['wages']);

export interface DatedValue {
  from: string;
  value: string | number;
  unit: string;
  source: string;
  provisional: boolean;
  note?: string;
  convention?: boolean;
}

export interface WageRow {
  year: number;
  value: string;
  unit: 'CNY/month';
  source: string;
  provisional: boolean;
  note?: string;
}

/** The parts of a parameter document the draft form reads and writes; the rest is carried as is. */
export interface ParameterDocument {
  version: string;
  title: string;
  issuedBy: string;
  issued: string;
  wages: { region: WageRow[]; leagues: Record<string, WageRow[]> };
  [key: string]: unknown;
}

/** The series' entries in a document. */
export function seriesValues(document: ParameterDocument, path: string): DatedValue[] {
  const v = at(document, path.split('.'));
  return Array.isArray(v) ? (v as DatedValue[]) : [];
}

/** The value in force on a date (YYYY-MM-DD), or undefined before the first. */
export function valueOn(values: readonly DatedValue[], date: string): DatedValue | undefined {
  let found: DatedValue | undefined;
  for (const v of values) if (v.from <= date) found = v;
  return found;
}

export interface DraftForm {
  version: string;
  title: string;
  issuedBy: string;
  issued: string;
  /** The date the new rates and months apply from. */
  effective: string;
  /** The citation of the new values (the document that publishes them). */
  source: string;
  /** New values by series path; '' leaves a series as it is. */
  series: Record<string, string>;
  /** New wage values by wage year; '' leaves a year as it is; a year not in the set adds a row. */
  wages: Record<string, string>;
}

/** A problem of the form, before anything is sent, in the words the form shows. */
export interface FormProblem {
  field: string;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RATIO = /^(0(\.\d{1,8})?|1(\.0{1,8})?)$/;
const YUAN = /^\d{1,11}(\.\d{1,2})?$/;

/** What is wrong with the form, field by field (the server checks the document again). */
export function formProblems(form: DraftForm, current: ParameterDocument): FormProblem[] {
  const out: FormProblem[] = [];
  if (form.version.trim() === '') out.push({ field: 'version', message: '请填写新版本号' });
  else if (form.version.trim() === current.version) out.push({ field: 'version', message: '新版本号不能与当前版本相同' });
  if (form.title.trim() === '') out.push({ field: 'title', message: '请填写标题' });
  if (form.issuedBy.trim() === '') out.push({ field: 'issuedBy', message: '请填写发布机关' });
  if (!DATE.test(form.issued)) out.push({ field: 'issued', message: '请填写发布日期' });
  const changedSeries = Object.entries(form.series).filter(([, v]) => v.trim() !== '');
  const changedWages = Object.entries(form.wages).filter(([, v]) => v.trim() !== '');
  if (changedSeries.length + changedWages.length === 0) out.push({ field: 'changes', message: '没有修改任何参数' });
  if (changedSeries.length + changedWages.length > 0 && form.source.trim() === '') out.push({ field: 'source', message: '请填写新参数的依据（文件名称和文号）' });
  if (changedSeries.length > 0) {
    if (!DATE.test(form.effective)) out.push({ field: 'effective', message: '请填写新参数的生效日期' });
    else {
      for (const [path] of changedSeries) {
        const last = seriesValues(current, path).at(-1);
        if (last && last.from > form.effective) out.push({ field: `series.${path}`, message: `生效日期不能早于现有的最后一个起始日期（${last.from}）` });
      }
    }
  }
  for (const [path, v] of changedSeries) {
    const s = EDITABLE_SERIES.find((e) => e.path === path);
    if (s?.unit === 'ratio' && !RATIO.test(v.trim())) out.push({ field: `series.${path}`, message: '比例应为 0 到 1 之间的小数，如 0.16' });
    if (s?.unit === 'months' && !/^\d{1,4}$/.test(v.trim())) out.push({ field: `series.${path}`, message: '应为整月数' });
  }
  for (const [year, v] of changedWages) {
    if (!YUAN.test(v.trim())) out.push({ field: `wages.${year}`, message: '金额应为元，最多两位小数，如 8430.00' });
  }
  return out;
}

/** The draft document: the current one with the form's values, each new value dated and cited. */
export function buildDraft(current: ParameterDocument, form: DraftForm): ParameterDocument {
  const doc = JSON.parse(JSON.stringify(current)) as ParameterDocument;
  doc.version = form.version.trim();
  doc.title = form.title.trim();
  doc.issuedBy = form.issuedBy.trim();
  doc.issued = form.issued;
  const source = form.source.trim();
  for (const [path, raw] of Object.entries(form.series)) {
    const v = raw.trim();
    if (v === '') continue;
    const s = EDITABLE_SERIES.find((e) => e.path === path);
    if (!s) continue;
    const keys = path.split('.');
    const parent = at(doc, keys.slice(0, -1)) as Record<string, DatedValue[]>;
    const list = parent[keys.at(-1)!]!;
    // A value from the same date replaces that entry: a correction, not a second value of that day.
    const kept = list.filter((e) => e.from !== form.effective);
    const template = list.at(-1);
    const entry: DatedValue = { from: form.effective, value: s.unit === 'months' ? Number(v) : v, unit: s.unit, source, provisional: false, ...(template?.convention ? { convention: true } : {}) };
    parent[keys.at(-1)!] = [...kept, entry].sort((a, b) => a.from.localeCompare(b.from));
  }
  for (const [yearText, raw] of Object.entries(form.wages)) {
    const v = raw.trim();
    if (v === '') continue;
    const year = Number(yearText);
    const row: WageRow = { year, value: v, unit: 'CNY/month', source, provisional: false };
    doc.wages.region = [...doc.wages.region.filter((r) => r.year !== year), row].sort((a, b) => a.year - b.year);
  }
  return doc;
}

// --- the server's words about a document, in Chinese ---------------------------------------------

const DOCUMENT_FIELD_ZH: Readonly<Record<string, string>> = {
  version: '版本号',
  title: '标题',
  issuedBy: '发布机关',
  issued: '发布日期',
  format: '文件格式',
};

const ENTRY_FIELD_ZH: Readonly<Record<string, string>> = { from: '起始日期', value: '数值', source: '依据', year: '年度', unit: '单位', provisional: '是否暂定' };

/** A field path of a parameter document (`document.rates.pension.unit.2.from`) in Chinese, or null when it is not one. */
export function parameterFieldZh(path: string): string | null {
  if (!path.startsWith('document')) return null;
  const rest = path.replace(/^document\.?/, '');
  if (rest === '' || rest === '(root)') return '参数文件';
  if (DOCUMENT_FIELD_ZH[rest]) return DOCUMENT_FIELD_ZH[rest];
  const wage = /^wages\.region(?:\.(\d+)(?:\.(\w+))?)?$/.exec(rest);
  if (wage) return `全区职工平均工资${wage[1] === undefined ? '' : `第${Number(wage[1]) + 1}行`}${wage[2] ? `的${ENTRY_FIELD_ZH[wage[2]] ?? wage[2]}` : ''}`;
  const series = seriesOf(NM43 as unknown as Record<string, unknown>).find((s) => rest === s.path.join('.') || rest.startsWith(`${s.path.join('.')}.`));
  if (series) {
    const tail = rest.slice(series.path.join('.').length + 1).split('.');
    const entry = tail[0] ? `第${Number(tail[0]) + 1}个值` : '';
    const field = tail[1] ? `的${ENTRY_FIELD_ZH[tail[1]] ?? tail[1]}` : '';
    return `${parameterLabelZh(series.name)}${entry ? `（${entry}${field}）` : ''}`;
  }
  return `参数 ${rest}`;
}

const PROBLEM_ZH: Readonly<Record<string, string>> = {
  'not a date (expected YYYY-MM-DD)': '不是有效日期（应为 年-月-日）',
  'not a yuan amount with at most two decimals': '不是有效金额（元，最多两位小数）',
  'not a non-negative decimal number': '不是有效的非负小数',
  'must be between 0 and 1': '应在 0 到 1 之间',
  'a source citation is required': '必须注明依据',
  'dates must be strictly increasing': '起始日期必须逐个递增（新值的生效日期应晚于已有的值）',
  'at least one dated value is required': '至少要有一个带起始日期的值',
  'expected YYYY-MM': '应为 年-月',
};

/** A problem the server found in a document, in Chinese, or null when its words are not known here. */
export function parameterProblemZh(message: string): string | null {
  if (PROBLEM_ZH[message]) return PROBLEM_ZH[message];
  const fixed = /^set by (.+), which a county cannot change/.exec(message);
  if (fixed) return `由${fixed[1]}规定，县局不能修改，请保留原值`;
  const twice = /^wage year (\d{4}) appears twice$/.exec(message);
  if (twice) return `${twice[1]}年度出现了两次`;
  if (/fiscal split/.test(message)) return '财政分担比例只能由自治区（或盟市就本盟市）修改，请保留现行比例';
  return null;
}
