// Citation ids of policy-rules.md with the paragraph of the notice each stands for and a one-line
// quote of it (内政办字〔2019〕43号, or the 2024 retirement-age decision for RA-2024). A
// determination's trace, warnings and explanations name these ids; the UI shows the paragraph. The
// words themselves live in law/nm43.ts, sentence by sentence.

import { headlineOf, LAW, type LawId } from './law/nm43';

export { ELISION, SENTENCE_IDS, quoteOf, sentence, sentenceIdsOf, type Sentence, type SentenceId } from './law/nm43';

export type RuleId = LawId;

export const RULES = Object.fromEntries(
  (Object.keys(LAW) as RuleId[]).map((rule) => [rule, { paragraph: LAW[rule].paragraph, quote: headlineOf(rule) }]),
) as { readonly [R in RuleId]: { readonly paragraph: string; readonly quote: string } };

export function paragraphOf(rule: RuleId): string {
  return RULES[rule].paragraph;
}
