// A citation the clerk taps to read the law's words, wherever a figure, step or warning names one.
import { useState } from 'react';
import { RULES, sentence, type RuleId, type SentenceId } from '../domain';

/**
 * A citation the clerk can tap to read the law's words: the sentences a trace step cites when it
 * names them, else the one-line quote of the whole id. A tablet has no hover, so no tooltip.
 */
export function Citation({ rule, paragraph, sentences }: { rule: RuleId; paragraph?: string; sentences?: readonly SentenceId[] }) {
  const [open, setOpen] = useState(false);
  const cited = sentences !== undefined && sentences.length > 0 ? sentences : null;
  return (
    <span className="citation">
      <button type="button" className="citation-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="citation-id">{cited ? cited.join(' ') : rule}</span> {paragraph ?? RULES[rule].paragraph}
      </button>
      {open && (
        <span className="citation-quote" data-testid="citation-quote">
          {cited ? cited.map((id) => <q key={id}>{sentence(id).quote}</q>) : <q>{RULES[rule].quote}</q>}
        </span>
      )}
    </span>
  );
}
