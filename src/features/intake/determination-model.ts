// What the determination panel shows for the form as it stands: the engine's determination when the
// facts are complete, the engine's refusal (not-in-force …) in Chinese, or what is still missing.
import { RULE_SETS, checkIdNumber, isJiexuError, messageZh, type Determination, type ParameterSet, type TraceStep, type TraceStepName, type ValidIdNumber } from '../../domain';
import { parseCaseFacts } from '../../shared/case';
import { blankIntakeValues, factsProblems, toFactsInput, type IntakeFormValues } from './form-model';

export type PanelState =
  | { kind: 'incomplete'; missing: string[]; identity: ValidIdNumber | null }
  | { kind: 'error'; message: string }
  | { kind: 'determined'; determination: Determination }
  /** Momentarily incomplete (a month half typed): the last determination, marked as such. */
  | { kind: 'stale'; determination: Determination; missing: string[] };

export const DISCLAIMER = '测算结果仅供参考，以经办机构核定为准';

const NO_REGISTRATION = blankIntakeValues('2000-01-01').registration;

/** The panel's content for the facts part of the form, with this parameter set. */
export function panelStateOf(facts: IntakeFormValues['facts'], params: ParameterSet): PanelState {
  const values: IntakeFormValues = { facts, registration: NO_REGISTRATION };
  const factsInput = toFactsInput(values);
  const parsed = parseCaseFacts(factsInput);
  if (!parsed.ok) {
    const check = checkIdNumber(factsInput.person.idNumber);
    const missing = factsProblems(values, factsInput, parsed).map((p) => p.message);
    return { kind: 'incomplete', missing, identity: check.valid ? check : null };
  }
  try {
    const determination = RULE_SETS.evaluate(parsed.facts, { nm43: params });
    return { kind: 'determined', determination };
  } catch (e) {
    if (isJiexuError(e)) return { kind: 'error', message: messageZh(e.code, e.details) };
    throw e;
  }
}

/** The trace step behind a figure, for its citation and its provisional parameters. */
export function stepOf(d: Determination, step: TraceStepName): TraceStep | undefined {
  return d.trace.find((s) => s.step === step);
}

/** Whether a step used a parameter that is still provisional (待核实). */
export function stepIsProvisional(step: TraceStep | undefined): boolean {
  return step?.parameters.some((p) => p.provisional) ?? false;
}

/** A one-line summary for narrow screens, where the panel is below the form. */
export function summaryLine(state: PanelState): string {
  if (state.kind === 'incomplete' || state.kind === 'stale') return `测算：还需填写 ${state.missing.length} 项`;
  if (state.kind === 'error') return '测算：无法计算，见下方说明';
  const d = state.determination;
  if (!d.inScope) return '测算：不属于本通知明确规定的情形';
  return `可补缴 ${d.pension!.backPayMonths} 个月 · 单位 ${d.pension!.unitAmount} 元 · 个人 ${d.pension!.individualAmount} 元`;
}

