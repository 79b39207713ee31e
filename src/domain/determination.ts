// The determination the engine returns (determination-format.md, "Determination (output)"), with
// the extra fields it allows: trace, warnings, provisional list and the parameter-set version.
// src/shared/determination.ts holds the zod schema that checks untrusted copies against this type.

import type { RuleId, SentenceId } from './citations';
import type { ParameterUse } from './parameters';
import type { RetirementCategory } from './retirement';
import type { Sex, IdInvalidReason } from './identity';

/** Version of these rules; changes when a rule changes the figures for the same inputs. */
export const RULES_VERSION = 'nm43-rules/1';

export const OUT_OF_SCOPE_REASONS = ['invalid-id-number', 'bad-service-dates', 'post-2012-without-subsidy'] as const;
export type OutOfScopeReason = (typeof OUT_OF_SCOPE_REASONS)[number];
export type Regime = 'deemed' | 'combined';
export type UnitPayer = 'unit' | 'superior' | 'fiscal';
export type Routing = 'unit' | 'superior' | 'department';
export type GapSource = 'estimate' | 'agency';

export const WARNING_CODES = [
  'period-overlaps-service',
  'periods-overlap',
  'gap-estimated',
  'provisional-parameter',
  'application-late',
  'application-before-notice',
  'still-short-after-payment',
  'medical-months-exceed-military',
  'medical-unit-share-uncovered',
  'payer-confirmation-required',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** The engine's steps, in the order it takes them; each names one trace entry. */
export const TRACE_STEP_NAMES = [
  'identity',
  'regime',
  'scope',
  'application-deadline',
  'application-before-notice',
  'first-insured',
  'retirement',
  'pension-paid-months',
  'gap',
  'back-pay-months',
  'pension-amounts',
  'pension-unit-payer',
  'payer-confirmation',
  'routing',
  'individual-subsidy',
  'pension-timing',
  'pension-at-retirement',
  'medical-paid-months',
  'medical-months',
  'medical-timing',
  'medical-unit-payer',
  'medical-amounts',
  'medical-fiscal-cap',
] as const;
export type TraceStepName = (typeof TRACE_STEP_NAMES)[number];

export interface Warning {
  code: WarningCode;
  rule: RuleId;
  /** The sentences of `rule` the warning is about. */
  sentences?: SentenceId[];
  /** For `provisional-parameter`: the parameter's name as in `provisional`. */
  parameter?: string;
  scheme?: 'pension' | 'medical';
  months?: number;
  /** A date the warning compares with (`YYYY-MM-DD`). */
  date?: string;
}

export interface TraceStep {
  rule: RuleId;
  paragraph: string;
  /** The sentences of `rule`'s paragraph this step applies, in the notice's order. */
  sentences: SentenceId[];
  step: TraceStepName;
  inputs: Record<string, unknown>;
  result: Record<string, unknown>;
  parameters: ParameterUse[];
}

export interface Identity {
  idNumber: string;
  sex: Sex;
  /** `YYYY-MM`. */
  birth: string;
  upgradedFrom15: boolean;
}

export interface RetirementResult {
  category: RetirementCategory;
  delayMonths: number;
  ageMonths: number;
  /** `YYYY-MM`. */
  month: string;
  reached: boolean;
  minimumPensionMonths: number;
}

export interface PensionResult {
  /** `YYYY-MM`. */
  firstInsured: string;
  firstInsuredSource: 'enlistment' | 'recorded';
  paidMonths: number;
  gapMonths: number;
  gapSource: GapSource;
  /** The engine's own estimate, kept beside an agency figure for review. */
  estimatedGapMonths: number;
  backPayMonths: number;
  baseMonthly: string;
  unitRate: string;
  individualRate: string;
  unitAmount: string;
  individualAmount: string;
  lateFee: string;
  unitPayer: UnitPayer;
  individualSubsidyEligible: boolean;
  timing: 'on-approval';
  cumulativeMonths: number;
  shortfallMonths: number;
  extensionMonths: number;
  oneTimeMonths: number;
}

export interface MedicalResult {
  /** Months of the recorded medical periods outside the service window. */
  paidMonths: number;
  countedMonths: number;
  requiredMonths: number;
  shortfallMonths: number;
  timing: 'at-retirement';
  payableNow: boolean;
  baseMonthly: string | null;
  unitRate: string | null;
  individualRate: string | null;
  unitAmount: string | null;
  individualAmount: string | null;
  unitPayer: UnitPayer;
  fiscalMonths: number;
  uncoveredUnitMonths: number;
  uncoveredUnitAmount: string;
}

export interface Determination {
  inScope: boolean;
  outOfScopeReasons: OutOfScopeReason[];
  identity: Identity | null;
  /** Why the ID number is not valid, when it is not. */
  idNumberProblem: IdInvalidReason | null;
  regime: Regime | null;
  militaryMonths: number | null;
  applicationLate: boolean | null;
  routing: Routing | null;
  retirement: RetirementResult | null;
  pension: PensionResult | null;
  medical: MedicalResult | null;
  provisional: string[];
  warnings: Warning[];
  trace: TraceStep[];
  /** The as-of month the figures are computed for (`YYYY-MM`). */
  asOf: string;
  parametersVersion: string;
  rulesVersion: string;
}
