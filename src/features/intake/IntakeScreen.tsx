// 受理: the first screen. A new registration (#/intake) or the edit of a saved case
// (#/intake/:caseId), with the draft restored if one was left, and after a save the case number
// with the links to print the receipt and the application form.
import { Component, startTransition, useCallback, useEffect, useState, type ErrorInfo, type ReactNode } from 'react';
import { useRepositories } from '../../app/providers';
import { navigate, paths } from '../../app/router';
import type { CaseRecord } from '../../storage';
import { CASE_STATUS_LABELS, SYNC_STATE_LABELS } from '../labels';
import { draftKeyOf, DRAFT_FORMAT, type IntakeDraft } from './draft-autosave';
import { blankIntakeValues, localToday, restoreValues, valuesOfCase, type IntakeFormValues } from './form-model';
import { IntakeForm } from './IntakeForm';
import './intake.css';

type Loaded =
  | { kind: 'ready'; record: CaseRecord | null; baseline: IntakeFormValues; draft: { values: IntakeFormValues; savedAt: string } | null }
  | { kind: 'not-found'; caseId: string }
  | { kind: 'failed'; message: string };

/** The case just saved on this page, to greet it after the route changes to its own address. */
let justSaved: { id: string; kind: 'created' | 'updated' | 'withdrawn' } | null = null;

function isIntakeDraft(v: unknown): v is IntakeDraft {
  return typeof v === 'object' && v !== null && (v as IntakeDraft).format === DRAFT_FORMAT && typeof (v as IntakeDraft).values === 'object';
}

function whenZh(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false });
}

function CaseHeader({ record, greeting }: { record: CaseRecord; greeting: 'created' | 'updated' | 'withdrawn' | null }) {
  return (
    <section className={`case-header${greeting ? ' case-header-saved' : ''}`} aria-labelledby="case-header-title" data-testid="case-header">
      {greeting && (
        <p className="saved-note" role="status" data-testid="saved-note">
          {greeting === 'created' ? '已保存登记。' : greeting === 'updated' ? '修改已保存，已记入历史。' : '已撤回。'}
        </p>
      )}
      <h2 id="case-header-title" className="case-number-line">
        受理编号 <span className="case-number" data-testid="case-number">{record.caseNumber}</span>
      </h2>
      <p className="case-meta">
        {record.registration.name} · {CASE_STATUS_LABELS[record.status]} · {SYNC_STATE_LABELS[record.syncState]} · 第 {record.revision} 版 · 登记：
        {record.createdBy} {whenZh(record.createdAt)}
        {record.revision > 1 && (
          <>
            {' '}
            · 最近修改：{record.updatedBy} {whenZh(record.updatedAt)}
          </>
        )}
      </p>
      <nav className="case-links" aria-label="本案操作">
        <a className="button" href={paths.print(record.id, 'receipt')}>
          打印回执
        </a>
        <a className="button" href={paths.print(record.id, 'form')}>
          打印申请表
        </a>
        <a className="button" href={paths.case(record.id)}>
          查看记录和历史
        </a>
        <a className="button button-primary" href={paths.intake()}>
          登记下一位
        </a>
      </nav>
      {record.status === 'withdrawn' && <p className="withdrawn-note">本案已撤回，不能再修改。撤回原因见“查看记录和历史”。</p>}
    </section>
  );
}

/** A crash inside the form shows this instead of a blank page; the draft already holds the input. */
class IntakeErrorBoundary extends Component<{ children: ReactNode; onReset(): void }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('intake screen crashed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <section className="panel" role="alert">
          <h2>页面出错了</h2>
          <p>已填写的内容已自动保存为草稿，重新打开后会恢复。</p>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                this.setState({ error: null });
                this.props.onReset();
              }}
            >
              重新打开
            </button>
          </div>
          <details className="banner-detail">
            <summary>技术信息</summary>
            <code>{this.state.error.message}</code>
          </details>
        </section>
      );
    }
    return this.props.children;
  }
}

export interface IntakeScreenProps {
  caseId: string | null;
  /** The date new registrations default to (`YYYY-MM-DD`); the tablet's today by default. */
  today?: string;
  /** How long after the last keystroke the draft is written. */
  draftDelayMs?: number;
}

export function IntakeScreen({ caseId, today, draftDelayMs }: IntakeScreenProps) {
  const repos = useRepositories();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [generation, setGeneration] = useState(0);
  const [greeting, setGreeting] = useState<'created' | 'updated' | 'withdrawn' | null>(null);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    const blank = blankIntakeValues(today ?? localToday());
    (async (): Promise<Loaded> => {
      const record = caseId === null ? null : await repos.cases.get(caseId);
      if (caseId !== null && !record) return { kind: 'not-found', caseId };
      const baseline = record ? valuesOfCase(record.facts, record.registration) : blank;
      const stored = record?.status === 'withdrawn' ? undefined : await repos.drafts.load(draftKeyOf(caseId));
      const draft = stored && isIntakeDraft(stored.value) ? { values: restoreValues(baseline, stored.value.values), savedAt: stored.savedAt } : null;
      return { kind: 'ready', record: record ?? null, baseline, draft };
    })().then(
      (l) => {
        if (!live) return;
        const saved = justSaved;
        justSaved = null;
        // Mounting the whole form is the first screen's biggest render: as a transition React
        // renders it in slices and the page stays responsive meanwhile.
        startTransition(() => {
          if (saved && l.kind === 'ready' && l.record && saved.id === l.record.id) setGreeting(saved.kind);
          else setGreeting(null);
          setLoaded(l);
        });
      },
      (e: unknown) => live && setLoaded({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [repos, caseId, today, generation]);

  const onSaved = useCallback(
    (record: CaseRecord, kind: 'created' | 'updated' | 'withdrawn') => {
      justSaved = { id: record.id, kind };
      if (caseId === record.id) setGeneration((g) => g + 1);
      else navigate(paths.intake(record.id));
    },
    [caseId],
  );

  const onDiscardDraft = useCallback(() => {
    void repos.drafts.discard(draftKeyOf(caseId)).then(() => setGeneration((g) => g + 1));
  }, [repos, caseId]);

  if (!loaded) {
    return (
      <p className="opening opening-screen" role="status">
        正在读取…
      </p>
    );
  }
  if (loaded.kind === 'not-found') {
    return (
      <section className="panel" role="alert">
        <h2>本机没有这条受理记录</h2>
        <p>可能已在其他设备登记，或地址有误。</p>
        <div className="actions">
          <a className="button button-primary" href={paths.intake()}>
            新登记
          </a>
          <a className="button" href={paths.cases()}>
            查看受理记录
          </a>
        </div>
      </section>
    );
  }
  if (loaded.kind === 'failed') {
    return (
      <section className="panel" role="alert">
        <h2>读取本机记录失败</h2>
        <p>{loaded.message}</p>
      </section>
    );
  }
  return (
    <div className="intake" data-testid="intake-screen">
      {loaded.record ? (
        <CaseHeader record={loaded.record} greeting={greeting} />
      ) : (
        <h2 className="intake-title">受理登记</h2>
      )}
      <IntakeErrorBoundary onReset={() => setGeneration((g) => g + 1)}>
        <IntakeForm
          key={`${caseId ?? 'new'}:${generation}`}
          record={loaded.record}
          baseline={loaded.baseline}
          draft={loaded.draft}
          onSaved={onSaved}
          onDiscardDraft={onDiscardDraft}
          draftDelayMs={draftDelayMs}
        />
      </IntakeErrorBoundary>
    </div>
  );
}
