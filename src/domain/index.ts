// Public face of the rules engine: what the tablet, the county server and the command line import.

export { evaluate } from './engine';
export { explain, type ExplanationSentence } from './explain';
export { monthZh, yearsMonthsZh } from './format-zh';
export {
  DEFAULT_PARAMETERS,
  DEFAULT_PARAMETERS_DOCUMENT,
  PARAMETER_SET_FORMAT,
  parameterSetSchema,
  parseParameterSet,
  type ParameterSet,
  type ParameterUse,
} from './parameters';
export {
  checkIdNumber,
  upgradeIdNumber15,
  idCheckCharacter,
  sexOfIdNumber,
  birthMonthOfIdNumber,
  type IdCheck,
  type ValidIdNumber,
  type InvalidIdNumber,
  type IdInvalidReason,
  type Sex,
} from './identity';
export { JiexuError, isJiexuError, type ErrorCode, type ErrorDetails, type Problem } from './errors';
export { messageZh, parameterLabelZh, idProblemZh, type MessageCode } from './messages';
export { RULES, paragraphOf, type RuleId } from './citations';
export { crossFieldProblems, type CaseFacts, type ContributionPeriod, type FemaleCategory } from './case-facts';
export { isMonthOrDate, isIsoDate, tryParseMonth, formatMonth } from './months';
export type { RetirementCategory } from './retirement';
export {
  RULES_VERSION,
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
