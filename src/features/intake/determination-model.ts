// What the determination panel shows for the form as it stands: the engine's determination when the
// facts are complete, the engine's refusal (not-in-force …) in Chinese, or what is still missing.
import { checkIdNumber, evaluate, explain, isJiexuError, messageZh, type Determination, type ExplanationSentence, type ParameterSet, type TraceStep, type ValidIdNumber } from '../../domain';
import { parseCaseFacts } from '../../shared/case';
import { validateIntake, toFactsInput, type IntakeFormValues } from './form-model';

export type PanelState =
  | { kind: 'incomplete'; missing: string[]; identity: ValidIdNumber | null }
  | { kind: 'error'; message: string }
  | { kind: 'determined'; determination: Determination; sentences: ExplanationSentence[] };

/** The panel's content for these form values, with this parameter set. */
export function panelStateOf(values: IntakeFormValues, params: ParameterSet): PanelState {
  const factsInput = toFactsInput(values);
  const parsed = parseCaseFacts(factsInput);
  if (!parsed.ok) {
    const check = checkIdNumber(factsInput.person.idNumber);
    const validation = validateIntake(values);
    const missing = validation.ok ? [] : validation.problems.filter((p) => p.path.startsWith('facts.')).map((p) => p.message);
    return { kind: 'incomplete', missing, identity: check.valid ? check : null };
  }
  try {
    const determination = evaluate(parsed.facts, params);
    return { kind: 'determined', determination, sentences: explain(determination) };
  } catch (e) {
    if (isJiexuError(e)) return { kind: 'error', message: messageZh(e.code, e.details) };
    throw e;
  }
}

/** The trace step behind a figure, for its citation and its provisional parameters. */
export function stepOf(d: Determination, step: string): TraceStep | undefined {
  return d.trace.find((s) => s.step === step);
}

/** Whether a step used a parameter that is still provisional (待核实). */
export function stepIsProvisional(step: TraceStep | undefined): boolean {
  return step?.parameters.some((p) => p.provisional) ?? false;
}
