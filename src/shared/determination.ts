// A determination as untrusted data (a tablet's copy arriving at the server, a stored record read
// back): the zod schema that checks it against the engine's Determination type.

import { z } from '../domain/zod';
import { OUT_OF_SCOPE_REASONS, RULES, SENTENCE_IDS, TRACE_STEP_NAMES, WARNING_CODES, type Determination, type RuleId, type SentenceId } from '../domain';
import { once } from '../domain/once';

// The pieces the schemas below share, built with the first of them.
const atoms = once(() => ({
  ruleId: z.enum(Object.keys(RULES) as [RuleId, ...RuleId[]]),
  sentenceIds: z.array(z.enum(SENTENCE_IDS as [SentenceId, ...SentenceId[]])),
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM')),
  money: z.string().check(z.regex(/^-?\d+\.\d{2}$/, 'expected yuan with two decimals')),
  rate: z.string().check(z.regex(/^\d+(\.\d+)?$/, 'expected a decimal rate')),
  months: z.number().check(z.int(), z.minimum(0)),
  unitPayer: z.enum(['unit', 'superior', 'fiscal']),
}));

export const parameterUseSchema = z.lazy(() =>
  z.object({
    name: z.string(),
    value: z.union([z.string(), z.number()]),
    unit: z.string(),
    from: z.string(),
    source: z.string(),
    provisional: z.boolean(),
    convention: z.optional(z.boolean()),
  }),
);

export const warningSchema = z.lazy(() =>
  z.object({
    code: z.enum(WARNING_CODES),
    rule: atoms().ruleId,
    sentences: z.optional(atoms().sentenceIds),
    parameter: z.optional(z.string()),
    scheme: z.optional(z.enum(['pension', 'medical'])),
    months: z.optional(z.number().check(z.int())),
    date: z.optional(z.string()),
  }),
);

export const traceStepSchema = z.lazy(() =>
  z.object({
    rule: atoms().ruleId,
    paragraph: z.string(),
    // Absent from determinations of versions before steps cited sentences.
    sentences: z._default(atoms().sentenceIds, () => []),
    step: z.enum(TRACE_STEP_NAMES),
    inputs: z.record(z.string(), z.unknown()),
    result: z.record(z.string(), z.unknown()),
    parameters: z.array(parameterUseSchema),
  }),
);

export const determinationSchema = z.lazy(() => {
  const { month, money, rate, months, unitPayer } = atoms();
  return z.object({
    inScope: z.boolean(),
    outOfScopeReasons: z.array(z.enum(OUT_OF_SCOPE_REASONS)),
    identity: z.nullable(z.object({
      idNumber: z.string().check(z.regex(/^\d{17}[\dX]$/)),
      sex: z.enum(['male', 'female']),
      birth: month,
      upgradedFrom15: z.boolean(),
    })),
    idNumberProblem: z.nullable(z.enum(['length', 'characters', 'birth-date', 'checksum'])),
    regime: z.nullable(z.enum(['deemed', 'combined'])),
    militaryMonths: z.nullable(months),
    applicationLate: z.nullable(z.boolean()),
    routing: z.nullable(z.enum(['unit', 'superior', 'department'])),
    retirement: z.nullable(z.object({
      category: z.enum(['male', 'female-cadre', 'female-worker']),
      delayMonths: months,
      ageMonths: months,
      month,
      reached: z.boolean(),
      minimumPensionMonths: months,
    })),
    pension: z.nullable(z.object({
      firstInsured: month,
      firstInsuredSource: z.enum(['enlistment', 'recorded']),
      paidMonths: months,
      gapMonths: months,
      gapSource: z.enum(['estimate', 'agency']),
      estimatedGapMonths: months,
      backPayMonths: months,
      baseMonthly: money,
      unitRate: rate,
      individualRate: rate,
      unitAmount: money,
      individualAmount: money,
      lateFee: money,
      unitPayer,
      individualSubsidyEligible: z.boolean(),
      timing: z.literal('on-approval'),
      cumulativeMonths: months,
      shortfallMonths: months,
      extensionMonths: months,
      oneTimeMonths: months,
    })),
    medical: z.nullable(z.object({
      paidMonths: months,
      countedMonths: months,
      requiredMonths: months,
      shortfallMonths: months,
      timing: z.literal('at-retirement'),
      payableNow: z.boolean(),
      baseMonthly: z.nullable(money),
      unitRate: z.nullable(rate),
      individualRate: z.nullable(rate),
      unitAmount: z.nullable(money),
      individualAmount: z.nullable(money),
      unitPayer,
      fiscalMonths: months,
      uncoveredUnitMonths: months,
      uncoveredUnitAmount: money,
    })),
    provisional: z.array(z.string()),
    warnings: z.array(warningSchema),
    trace: z.array(traceStepSchema),
    asOf: month,
    parametersVersion: z.string().check(z.minLength(1)),
    rulesVersion: z.string().check(z.minLength(1)),
  });
});

type Assignable<A, B> = [A] extends [B] ? true : false;
// The schema and the engine's Determination must stay the same type.
const _schemaMatchesEngine: [Assignable<z.output<typeof determinationSchema>, Determination>, Assignable<Determination, z.output<typeof determinationSchema>>] = [
  true,
  true,
];
void _schemaMatchesEngine;

export type { Determination };
