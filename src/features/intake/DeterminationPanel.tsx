// The live determination beside the form (below it on a narrow screen). The engine runs on a
// deferred copy of the form's values, so typing stays responsive; the view that renders the result
// loads in its own chunk right after the form.
import { lazy, Suspense, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { Determination, ParameterSet } from '../../domain';
import { DISCLAIMER, panelStateOf, summaryLine, type PanelState } from './determination-model';
import { prepareFactsValidation, type IntakeFormValues } from './form-model';

const DeterminationView = lazy(() => import('./DeterminationView'));

/** The deferred key before the first determination: no JSON of the facts is ever empty. */
const NOT_YET = '';

/** What the panel shows until the first determination is ready: the view's chunk or the first run. */
function Preparing() {
  return (
    <p className="det-incomplete" role="status">
      正在准备测算…（{DISCLAIMER}）
    </p>
  );
}

/**
 * The panel, following the facts part of the form (typing a name or an address does not re-run the
 * engine); reports its one-line summary for the action bar.
 */
export function DeterminationPanel({ params, onSummary }: { params: ParameterSet; onSummary?: (line: string) => void }) {
  const facts = useWatch<IntakeFormValues, 'facts'>({ name: 'facts' });
  // The same facts (a blur that only tidies a month, a re-typed character) give the same state object,
  // so the view does not render again.
  const key = JSON.stringify(facts);
  // The first render shows the placeholder. Building the facts schema, then the engine's first run,
  // each happen in a task of their own right after, not inside the first screen's.
  const [prepared, setPrepared] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => {
      prepareFactsValidation();
      setPrepared(true);
    }, 0);
    return () => clearTimeout(timer);
  }, []);
  const deferredKey = useDeferredValue(prepared ? key : NOT_YET, NOT_YET);
  const computed = useMemo(() => (deferredKey === NOT_YET ? null : panelStateOf(JSON.parse(deferredKey) as IntakeFormValues['facts'], params)), [deferredKey, params]);
  // While a month is half typed, the last complete determination stays, marked as such, instead of
  // the whole panel flickering away and back.
  const [last, setLast] = useState<Determination | null>(null);
  if (computed?.kind === 'determined' && computed.determination !== last) setLast(computed.determination);
  const state: PanelState | null = useMemo(
    () => (computed?.kind === 'incomplete' && last ? { kind: 'stale', determination: last, missing: computed.missing } : computed),
    [computed, last],
  );
  const line = state ? summaryLine(state) : '测算：正在准备…';
  useEffect(() => onSummary?.(line), [onSummary, line]);
  return (
    <aside className="determination" id="determination" aria-labelledby="det-title" data-testid="determination">
      <h2 id="det-title" className="determination-title">
        测算结果
      </h2>
      {state ? (
        <Suspense fallback={<Preparing />}>
          <DeterminationView state={state} params={params} />
        </Suspense>
      ) : (
        <Preparing />
      )}
    </aside>
  );
}
