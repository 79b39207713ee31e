// The case facts as untrusted input (command line, tablet form, server API) → the engine's CaseFacts.
// One schema for every entry point; problems come back one per field, `field.path: what is wrong`, in
// English (the UI maps codes and paths to Chinese itself).

import { z } from '../domain/zod';
import { crossFieldProblems, isMonthOrDate, type CaseFacts, type Problem } from '../domain';
import { once } from '../domain/once';
import { findCounty } from '../domain/regions';

const DATE_MESSAGE = 'not a date (expected YYYY-MM-DD or YYYY-MM)';

const dateField = once(() => z.string().check(z.refine(isMonthOrDate, DATE_MESSAGE)));

const period = once(() => z.strictObject({ from: dateField(), to: dateField() }));

const countyCode = once(() =>
  z.string().check(
    z.superRefine((code: string, ctx) => {
      if (!/^\d{6}$/.test(code)) ctx.addIssue({ code: 'custom', message: 'expected a six-digit county code (GB/T 2260)' });
      else if (!findCounty(code)) ctx.addIssue({ code: 'custom', message: `unknown county code "${code}"` });
    }),
  ),
);

/** Splits `pension.periods[0].from` into zod's path form. */
function pathArray(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

// Built on first use (z.lazy), as are the other schemas of src/shared: building a zod schema is far
// slower than parsing with it, and a tablet opening its first screen needs none of them yet.
export const caseFactsSchema = z.lazy(() => {
  const facts = z.strictObject({
    asOf: dateField(),
    applicationDate: dateField(),
    person: z.strictObject({
      idNumber: z.string().check(z.trim(), z.minLength(1, 'required'), z.maxLength(32, 'too long for an ID number')),
      femaleCategory: z._default(z.nullable(z.enum(['cadre', 'worker'])), null),
    }),
    service: z.strictObject({
      enlistment: dateField(),
      discharge: dateField(),
      militarySubsidyReceived: z.boolean(),
    }),
    placement: z.strictObject({
      countyCode: countyCode(),
      unitExists: z.boolean(),
      unitCanPay: z.boolean(),
      superiorExists: z.boolean(),
      superiorCanPay: z.boolean(),
    }),
    pension: z.strictObject({
      insuredAtEnlistment: z.boolean(),
      firstInsured: z._default(z.nullable(dateField()), null),
      periods: z.array(period()).check(z.maxLength(200, 'at most 200 periods')),
      agencyGapMonths: z._default(
        z.nullable(z.number().check(z.int('expected a whole number of months'), z.minimum(0, 'must not be negative'), z.maximum(1200, 'at most 1200 months'))),
        null,
      ),
    }),
    medical: z.strictObject({
      periods: z.array(period()).check(z.maxLength(200, 'at most 200 periods')),
    }),
    assistance: z.strictObject({
      dibao: z.boolean(),
      tekun: z.boolean(),
    }),
  });
  return facts.check(
    z.superRefine((value: z.output<typeof facts>, ctx) => {
      for (const p of crossFieldProblems(value)) ctx.addIssue({ code: 'custom', message: p.message, path: pathArray(p.path) });
    }),
  );
});

/** What a client may send: optional-with-default fields may be left out. */
export type CaseFactsInput = z.input<typeof caseFactsSchema>;

type Assignable<A, B> = [A] extends [B] ? true : false;
// The schema's output and the engine's CaseFacts must stay the same type.
const _schemaMatchesEngine: [Assignable<z.output<typeof caseFactsSchema>, CaseFacts>, Assignable<CaseFacts, z.output<typeof caseFactsSchema>>] = [true, true];
void _schemaMatchesEngine;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** English messages for zod's own issues; the schema's custom messages take precedence. */
const englishErrors: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type') {
    if (iss.input === undefined) return 'required';
    return `expected ${EXPECTED[iss.expected] ?? iss.expected}, received ${describe(iss.input)}`;
  }
  if (iss.code === 'invalid_value') return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}${iss.input === undefined ? '' : `, received ${describe(iss.input)}`}`;
  return undefined;
};

/** `['pension', 'periods', 0, 'from']` → `pension.periods[0].from`; the root is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += s === '' ? String(k) : `.${String(k)}`;
  }
  return s === '' ? '(root)' : s;
}

/** Problems of a zod error, one per field (an unknown key is reported at its own path). */
export function problemsOfZodError(error: z.core.$ZodError): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key]), message: 'unknown field' });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

export type CaseParseResult = { ok: true; facts: CaseFacts } | { ok: false; problems: Problem[] };

/**
 * Validates untrusted case facts. On failure it lists every problem it can: shape problems, plus the
 * cross-field rules whose fields are individually well-formed.
 */
export function parseCaseFacts(input: unknown): CaseParseResult {
  const r = caseFactsSchema.safeParse(input, { error: englishErrors });
  if (r.success) return { ok: true, facts: r.data };
  const problems = problemsOfZodError(r.error);
  const seen = new Set(problems.map((p) => p.path));
  for (const p of crossFieldProblems(input)) {
    if (!seen.has(p.path)) problems.push(p);
  }
  return { ok: false, problems };
}

/** One `field.path: what is wrong` line per problem. */
export function problemLines(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.path}: ${p.message}`);
}
