// The intake form: sections on the left (or on top), the live determination beside (or below), an
// action bar that saves the case. Validation never clears anything: errors are shown on their
// fields, in Chinese, and listed above the save button; the draft keeps every keystroke.
import { lazy, memo, Suspense, useCallback, useEffect, useLayoutEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { FormProvider, useForm, type FieldErrors, type UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useClerk, useRepositories } from '../../app/providers';
import { useUnsavedInput } from '../../app/unsaved-input';
import type { ParameterSet } from '../../domain';
import type { CaseRecord } from '../../storage';
import { saveErrorZh } from '../labels';
import { DeterminationPanel } from './DeterminationPanel';
import { draftKeyOf, useDraftAutosave, type DraftStatus } from './draft-autosave';
import { fieldId } from './fields';
import { intakeFormSchema, valuesOfCase, type IntakeFormValues, type IntakeSubmission } from './form-model';
import { AssistanceSection, DatesSection, IdentitySection, InsuranceSection, PlacementSection, ServiceSection } from './sections';

// Only for a saved case: not part of the first screen.
const WithdrawPanel = lazy(() => import('./WithdrawPanel').then((m) => ({ default: m.WithdrawPanel })));

export interface IntakeFormProps {
  /** The case being edited, or null for a new registration. */
  record: CaseRecord | null;
  /** The values that need no draft: the saved case's, or the blank form's. */
  baseline: IntakeFormValues;
  /** A restored draft, laid over the baseline. */
  draft: { values: IntakeFormValues; savedAt: string } | null;
  onSaved(record: CaseRecord, kind: 'created' | 'updated' | 'withdrawn'): void;
  onDiscardDraft(): void;
  draftDelayMs?: number;
}

interface ErrorItem {
  path: string;
  message: string;
}

/** RHF's nested errors as a flat list, in the order of the form. */
function flattenErrors(errors: FieldErrors, prefix = ''): ErrorItem[] {
  const out: ErrorItem[] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (!v || k === 'ref' || k === 'root') continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const message = (v as { message?: unknown }).message;
    if (typeof message === 'string' && (v as { type?: unknown }).type !== undefined) out.push({ path, message });
    else if (typeof v === 'object') out.push(...flattenErrors(v as FieldErrors, path));
  }
  return out;
}

const ORDER = [
  'facts.person',
  'registration.name',
  'registration.phone',
  'registration.address',
  'facts.service',
  'registration.dischargeMode',
  'facts.placement',
  'registration.unitName',
  'registration.superiorName',
  'registration.confirmedBy',
  'facts.pension',
  'registration.medical',
  'facts.medical',
  'registration.otherInsuranceNote',
  'facts.assistance',
  'facts.applicationDate',
  'facts.asOf',
];

function orderOf(path: string): number {
  const i = ORDER.findIndex((p) => path.startsWith(p));
  return i === -1 ? ORDER.length : i;
}

function timeZh(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

function DraftStatusLine({ status }: { status: DraftStatus }) {
  let text = '填写内容会自动保存为草稿';
  if (status.kind === 'saving') text = '正在保存草稿…';
  if (status.kind === 'saved') text = `草稿已自动保存 ${timeZh(status.at)}`;
  if (status.kind === 'discarded') text = '内容与已保存的一致，无需草稿';
  if (status.kind === 'failed') text = `草稿保存失败：${status.message}`;
  return (
    <p className={`draft-status${status.kind === 'failed' ? ' draft-status-failed' : ''}`} data-testid="draft-status" data-state={status.kind} aria-live="polite">
      {text}
    </p>
  );
}

/** The one-line determination summary for the action bar (narrow screens). */
function createSummaryStore() {
  let line = '';
  const listeners = new Set<() => void>();
  return {
    set(next: string) {
      if (next === line) return;
      line = next;
      for (const l of [...listeners]) l();
    },
    get: () => line,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

function SummaryButton({ store }: { store: ReturnType<typeof createSummaryStore> }) {
  const line = useSyncExternalStore(store.subscribe, store.get, store.get);
  if (!line) return null;
  return (
    <button type="button" className="det-summary" data-testid="det-summary" onClick={() => document.getElementById('determination')?.scrollIntoView?.({ block: 'start' })}>
      {line} ↓
    </button>
  );
}

type IntakeFormMethods = UseFormReturn<IntakeFormValues, unknown, IntakeSubmission>;

/**
 * Why the fields and the panel sit behind `memo`: IntakeForm renders again whenever RHF's form state
 * changes (the first time synchronously, in a layout effect, right after the first mount). `form` is
 * one object for the form's life, so these skip those renders, and the fields update themselves
 * through their own subscriptions (useFormState, useWatch). The context they get is taken at their
 * first render: its methods never change, and nothing below reads `formState` from it.
 */
const FormFields = memo(function FormFields({ form, currentCaseId, withdrawn }: { form: IntakeFormMethods; currentCaseId: string | null; withdrawn: boolean }) {
  return (
    <FormProvider {...form}>
      <fieldset className="form-body" disabled={withdrawn}>
        <IdentitySection currentCaseId={currentCaseId} />
        <ServiceSection />
        <PlacementSection />
        <InsuranceSection />
        <AssistanceSection />
        <DatesSection />
      </fieldset>
    </FormProvider>
  );
});

const FormDetermination = memo(function FormDetermination({ form, params, onSummary }: { form: IntakeFormMethods; params: ParameterSet; onSummary: (line: string) => void }) {
  return (
    <FormProvider {...form}>
      <DeterminationPanel params={params} onSummary={onSummary} />
    </FormProvider>
  );
});

export function IntakeForm({ record, baseline, draft, onSaved, onDiscardDraft, draftDelayMs }: IntakeFormProps) {
  const repos = useRepositories();
  const { clerk } = useClerk();
  const form = useForm<IntakeFormValues, unknown, IntakeSubmission>({
    defaultValues: baseline,
    resolver: zodResolver(intakeFormSchema),
    mode: 'onTouched',
    reValidateMode: 'onChange',
  });
  const { formState } = form;
  const withdrawn = record?.status === 'withdrawn';
  useUnsavedInput(formState.isDirty);

  // A restored draft goes over the baseline, which stays the "clean" state: the form is dirty.
  useLayoutEffect(() => {
    if (draft) form.reset(draft.values, { keepDefaultValues: true });
  }, [form, draft]);

  const autosave = useDraftAutosave({
    form,
    drafts: repos.drafts,
    caseId: record?.id ?? null,
    baseRevision: record?.revision ?? null,
    baseline,
    hasStoredDraft: draft !== null,
    disabled: withdrawn,
    delayMs: draftDelayMs,
  });

  const [submitError, setSubmitError] = useState<string | null>(null);
  const [errorList, setErrorList] = useState<ErrorItem[]>([]);
  const [summary] = useState(createSummaryStore);
  const onSummary = useCallback((line: string) => summary.set(line), [summary]);

  // The list above the button follows the fields' own errors once it is shown.
  useEffect(() => {
    if (errorList.length === 0) return;
    const now = flattenErrors(formState.errors as FieldErrors).sort((a, b) => orderOf(a.path) - orderOf(b.path));
    if (JSON.stringify(now) !== JSON.stringify(errorList)) setErrorList(now);
  }, [formState, errorList]);

  const onValid = async (submission: IntakeSubmission) => {
    setErrorList([]);
    if (!clerk) {
      setSubmitError('当班经办人尚未登录，不能保存。已填写的内容已保存为草稿：请在页面上方登录后再保存。');
      const bar = document.getElementById('shift-bar');
      bar?.scrollIntoView?.({ block: 'center' });
      bar?.querySelector<HTMLElement>('button, input')?.focus();
      return;
    }
    setSubmitError(null);
    await autosave.settle();
    const draftKey = draftKeyOf(record?.id ?? null);
    try {
      const saved = record
        ? await repos.cases.update(record.id, { ...submission, clerk, expectedRevision: record.revision, draftKey })
        : await repos.cases.create({ ...submission, clerk, draftKey });
      const values = valuesOfCase(saved.facts, saved.registration);
      autosave.setBaseline(values);
      form.reset(values);
      onSaved(saved, record ? 'updated' : 'created');
    } catch (e) {
      setSubmitError(saveErrorZh(e));
      void autosave.flush();
    }
  };

  const onInvalid = (errors: FieldErrors<IntakeFormValues>) => {
    setSubmitError(null);
    setErrorList(flattenErrors(errors as FieldErrors).sort((a, b) => orderOf(a.path) - orderOf(b.path)));
  };

  const submit = (e: FormEvent) => {
    void form.handleSubmit(onValid, onInvalid)(e);
  };

  const focusField = (path: string) => {
    const el = document.getElementById(fieldId(path));
    if (el) {
      el.focus();
      el.scrollIntoView?.({ block: 'center' });
    } else {
      form.setFocus(path as never);
    }
  };

  return (
    <div className="intake-layout">
      <form className="intake-form" onSubmit={submit} noValidate aria-label={record ? `修改受理记录 ${record.caseNumber}` : '受理登记'}>
        {draft && (
          <div className="draft-restored" role="status" data-testid="draft-restored">
            <p>已恢复上次未保存的填写（草稿保存于 {new Date(draft.savedAt).toLocaleString('zh-CN', { hour12: false })}）。</p>
            <button type="button" className="button button-quiet" onClick={onDiscardDraft}>
              放弃草稿，{record ? '恢复已保存的内容' : '重新填写'}
            </button>
          </div>
        )}
        <FormFields form={form} currentCaseId={record?.id ?? null} withdrawn={withdrawn} />

        {!withdrawn && (
          <div className="action-bar">
            {errorList.length > 0 && (
              <div className="error-summary" role="alert" data-testid="error-summary">
                <p>
                  <strong>还有 {errorList.length} 处需要修改</strong>（已填写的内容都已保留）：
                </p>
                <ul>
                  {errorList.map((e) => (
                    <li key={e.path}>
                      <button type="button" className="link-button" onClick={() => focusField(e.path)}>
                        {e.message}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {submitError && (
              <p className="submit-error" role="alert" data-testid="submit-error">
                {submitError}
              </p>
            )}
            <div className="action-row">
              <button type="submit" className="button button-primary button-save" disabled={formState.isSubmitting}>
                {formState.isSubmitting ? '正在保存…' : record ? '保存修改' : '保存登记'}
              </button>
              <DraftStatusLine status={autosave.status} />
            </div>
            <SummaryButton store={summary} />
          </div>
        )}
        {record && !withdrawn && (
          <Suspense fallback={null}>
            <WithdrawPanel record={record} onWithdrawn={(r) => onSaved(r, 'withdrawn')} beforeWithdraw={autosave.settle} />
          </Suspense>
        )}
      </form>
      <FormDetermination form={form} params={repos.parameters} onSummary={onSummary} />
    </div>
  );
}
