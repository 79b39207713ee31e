// The live determination beside the form (below it on a narrow screen). The engine runs on a
// deferred copy of the form's values, so typing stays responsive; the view that renders the result
// loads in its own chunk right after the form.
import { lazy, Suspense, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { Determination, ParameterSet } from '../../domain';
import { DISCLAIMER, panelStateOf, summaryLine, type PanelState } from './determination-model';
import type { IntakeFormValues } from './form-model';

const DeterminationView = lazy(() => import('./DeterminationView'));

/**
 * The panel, following the facts part of the form (typing a name or an address does not re-run the
 * engine); reports its one-line summary for the action bar.
 */
export function DeterminationPanel({ params, onSummary }: { params: ParameterSet; onSummary?: (line: string) => void }) {
  const facts = useWatch<IntakeFormValues, 'facts'>({ name: 'facts' });
  // The same facts (a blur that only tidies a month, a re-typed character) give the same state object,
  // so the view does not render again.
  const key = JSON.stringify(facts);
  const deferredKey = useDeferredValue(key);
  const computed = useMemo(() => panelStateOf(JSON.parse(deferredKey) as IntakeFormValues['facts'], params), [deferredKey, params]);
  // While a month is half typed, the last complete determination stays, marked as such, instead of
  // the whole panel flickering away and back.
  const [last, setLast] = useState<Determination | null>(null);
  if (computed.kind === 'determined' && computed.determination !== last) setLast(computed.determination);
  const state: PanelState = useMemo(
    () => (computed.kind === 'incomplete' && last ? { kind: 'stale', determination: last, missing: computed.missing } : computed),
    [computed, last],
  );
  const line = summaryLine(state);
  useEffect(() => onSummary?.(line), [onSummary, line]);
  return (
    <aside className="determination" id="determination" aria-labelledby="det-title" data-testid="determination">
      <h2 id="det-title" className="determination-title">
        测算结果
      </h2>
      <Suspense
        fallback={
          <p className="det-incomplete" role="status">
            正在准备测算…（{DISCLAIMER}）
          </p>
        }
      >
        <DeterminationView state={state} params={params} />
      </Suspense>
    </aside>
  );
}
