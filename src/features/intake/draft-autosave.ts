// Saves what the clerk types as a draft: 300 ms after the last change, and at once when the page is
// hidden or closed (pagehide, visibilitychange), so a reload, a crash or a closed tab loses nothing.
// Writes are serialised; a save of the case first waits for them (settle), so a late draft write
// never brings back a draft the case's own transaction removed.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { DraftsRepository } from '../../storage';
import type { IntakeFormValues, IntakeSubmission } from './form-model';

export const DRAFT_DELAY_MS = 300;
export const DRAFT_FORMAT = 1;

/** What is stored under the draft key. */
export interface IntakeDraft {
  format: typeof DRAFT_FORMAT;
  /** The case being edited, or null for a new registration. */
  caseId: string | null;
  /** The revision the edit started from. */
  baseRevision: number | null;
  values: IntakeFormValues;
}

export function draftKeyOf(caseId: string | null): string {
  return caseId === null ? 'intake:new' : `intake:${caseId}`;
}

export type DraftStatus = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string } | { kind: 'discarded' } | { kind: 'failed'; message: string };

export interface DraftAutosave {
  status: DraftStatus;
  /** Cancels a scheduled write and waits for writes in flight. */
  settle(): Promise<void>;
  /** The values that need no draft (the saved case, or the blank form). */
  setBaseline(values: IntakeFormValues): void;
  /** Writes now if anything changed since the last write. */
  flush(): Promise<void>;
}

interface Options {
  form: UseFormReturn<IntakeFormValues, unknown, IntakeSubmission>;
  drafts: DraftsRepository;
  caseId: string | null;
  baseRevision: number | null;
  baseline: IntakeFormValues;
  /** A draft is already stored (restored into the form). */
  hasStoredDraft: boolean;
  disabled?: boolean;
  delayMs?: number;
}

export function useDraftAutosave({ form, drafts, caseId, baseRevision, baseline, hasStoredDraft, disabled = false, delayMs = DRAFT_DELAY_MS }: Options): DraftAutosave {
  const [status, setStatus] = useState<DraftStatus>({ kind: 'idle' });
  const key = draftKeyOf(caseId);
  // Mutable state of the writer: survives renders, read by the event handlers.
  const ref = useRef({
    baselineJson: JSON.stringify(baseline),
    lastJson: hasStoredDraft ? null : JSON.stringify(baseline),
    timer: undefined as ReturnType<typeof setTimeout> | undefined,
    chain: Promise.resolve(),
  });

  const api = useMemo(() => {
    const state = ref.current;
    const write = (): Promise<void> => {
      const values = form.getValues();
      const json = JSON.stringify(values);
      if (json === state.lastJson) return state.chain;
      state.lastJson = json;
      const backToBaseline = json === state.baselineJson;
      state.chain = state.chain.then(async () => {
        setStatus({ kind: 'saving' });
        try {
          if (backToBaseline) {
            await drafts.discard(key);
            setStatus({ kind: 'discarded' });
          } else {
            const draft: IntakeDraft = { format: DRAFT_FORMAT, caseId, baseRevision, values: JSON.parse(json) as IntakeFormValues };
            const record = await drafts.save(key, draft);
            setStatus({ kind: 'saved', at: record.savedAt });
          }
        } catch (e) {
          // Let the next change try again.
          state.lastJson = null;
          setStatus({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
        }
      });
      return state.chain;
    };
    return {
      flush: write,
      async settle() {
        clearTimeout(state.timer);
        state.timer = undefined;
        await state.chain;
      },
      setBaseline(values: IntakeFormValues) {
        const json = JSON.stringify(values);
        state.baselineJson = json;
        state.lastJson = json;
      },
      schedule() {
        clearTimeout(state.timer);
        state.timer = setTimeout(() => {
          state.timer = undefined;
          void write();
        }, delayMs);
      },
      /** Writes at once what a scheduled write would have written (the page is going away). */
      flushNow() {
        if (state.timer === undefined) return;
        clearTimeout(state.timer);
        state.timer = undefined;
        void write();
      },
    };
  }, [form, drafts, key, caseId, baseRevision, delayMs]);

  useEffect(() => {
    if (disabled) return;
    const sub = form.watch(() => api.schedule());
    const flushNow = () => api.flushNow();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') api.flushNow();
    };
    window.addEventListener('pagehide', flushNow);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      sub.unsubscribe();
      window.removeEventListener('pagehide', flushNow);
      document.removeEventListener('visibilitychange', onVisibility);
      // Leaving the screen: what was typed in the last 300 ms is written too.
      api.flushNow();
    };
  }, [form, api, disabled]);

  return { status, settle: api.settle, setBaseline: api.setBaseline, flush: api.flush };
}
