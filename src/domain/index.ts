// Public face of the rules engine: what the tablet, the county server and the command line import.

export { evaluate } from './engine';
export { NM43_RULE_SET, RULE_SETS, createRuleSetRegistry, type ParametersByRuleSet, type RuleSet, type RuleSetRegistry } from './rule-sets';
export { COUNTY_DEPARTMENT, UNIT_SHARE_PAYER, explain, type ExplanationSentence } from './explain';
export { dateZh, monthZh, monthsZh, numeralZh, percentZh, yearsMonthsZh } from './format-zh';
export {
  DEFAULT_PARAMETERS,
  DEFAULT_PARAMETERS_DOCUMENT,
  PARAMETER_SET_FORMAT,
  countyRepublishProblems,
  fiscalSplitChanges,
  parameterSetSchema,
  parseParameterSet,
  type ParameterSet,
  type ParameterUse,
} from './parameters';
export { fiscalSplit, fiscalSharesInForce, type FiscalShares, type FiscalSplit, type FiscalSharesInForce } from './fiscal-split';
export {
  checkIdNumber,
  upgradeIdNumber15,
  idCheckCharacter,
  sexOfIdNumber,
  birthMonthOfIdNumber,
  normaliseIdNumber,
  type IdCheck,
  type ValidIdNumber,
  type InvalidIdNumber,
  type IdInvalidReason,
  type Sex,
} from './identity';
export { JiexuError, isJiexuError, type ErrorCode, type ErrorDetails, type Problem } from './errors';
export { messageZh, outOfScopeZh, parameterLabelZh, idProblemZh, usedDateZh, usedParameter, ROUTING_SENTENCES, type MessageCode, type ParameterName } from './messages';
export { RULES, SENTENCE_IDS, paragraphOf, quoteOf, sentence, sentenceIdsOf, type RuleId, type Sentence, type SentenceId } from './citations';
export { crossFieldProblems, type CaseFacts, type ContributionPeriod, type FemaleCategory } from './case-facts';
export { isMonthOrDate, isIsoDate, tryParseMonth, formatMonth } from './months';
export type { RetirementCategory } from './retirement';
export {
  RULES_VERSION,
  WARNING_CODES,
  OUT_OF_SCOPE_REASONS,
  TRACE_STEP_NAMES,
  type TraceStepName,
  type Determination,
  type Identity,
  type RetirementResult,
  type PensionResult,
  type MedicalResult,
  type TraceStep,
  type Warning,
  type WarningCode,
  type OutOfScopeReason,
  type Regime,
  type UnitPayer,
  type Routing,
  type GapSource,
} from './determination';
