// 参数: the parameter sets the server knows (older ones stay readable), and for the admin a new set
// drafted from the one in force, its impact on the open cases previewed before it is published.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { ParametersApi } from '../api';
import type { PanelProps } from '../common/panel';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import { when } from '../common/when';
import { UNIT_PAYER_LABELS } from '../../labels';
import { LIFECYCLE_STATUS_ZH } from '../../../shared/case-lifecycle';
import { ImpactSums, MONEY_FIGURES, PREVIEW_DEFAULT_LIMIT, type FigureChange, type ImpactFigure, type MoneyFigure, type ParameterImpactPage, type ParameterSetItem } from '../../../shared/parameter-publishing';
import { buildDraft, EDITABLE_SERIES, formProblems, seriesValues, valueOn, WAGES_EDITABLE, type DraftForm, type FormProblem, type ParameterDocument } from './draft';
import './parameters.css';

const FIGURE_ZH: Readonly<Record<ImpactFigure, string>> = {
  inScope: '是否属于政策范围',
  militaryMonths: '军龄（月）',
  backPayMonths: '可补缴月数',
  pensionUnitAmount: '养老单位缴费（元）',
  pensionIndividualAmount: '养老个人缴费（元）',
  pensionUnitPayer: '养老单位部分承担方',
  medicalUnitAmount: '医疗单位缴费（元）',
  medicalIndividualAmount: '医疗个人缴费（元）',
  medicalUnitPayer: '医疗单位部分承担方',
};

function valueZh(v: FigureChange['old']): string {
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v === 'unit' || v === 'superior' || v === 'fiscal') return UNIT_PAYER_LABELS[v];
  return String(v);
}

function differenceZh(d: FigureChange['difference']): string {
  if (d === null) return '';
  const text = String(d);
  return text.startsWith('-') ? text : `+${text}`;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function ParametersPanel({ api, parameters, canPublish, onSignedOut }: PanelProps & { parameters: ParametersApi; canPublish: boolean }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const [sets, setSets] = useState<ParameterSetItem[] | null>(null);
  const [shown, setShown] = useState<{ version: string; document: unknown } | null>(null);
  const [base, setBase] = useState<ParameterDocument | null>(null);
  const [published, setPublished] = useState<string | null>(null);

  const reload = useCallback(() => {
    void run(() => parameters.list()).then((list) => list && setSets(list));
  }, [parameters, run]);
  useEffect(reload, [reload]);

  const inForce = sets?.find((s) => s.inForce);
  const startDraft = async () => {
    if (!inForce) return;
    const detail = await run(() => parameters.get(inForce.version));
    if (detail) {
      setPublished(null);
      setBase(detail.document as ParameterDocument);
    }
  };

  return (
    <div className="county-panel county-parameters" data-testid="county-parameters">
      <table className="county-table">
        <caption>参数版本（新登记和重新计算的案件使用“现行”版本）</caption>
        <thead>
          <tr>
            <th scope="col">版本</th>
            <th scope="col">标题</th>
            <th scope="col">发布日期</th>
            <th scope="col">新值生效日期</th>
            <th scope="col">发布人</th>
            <th scope="col">状态</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {(sets ?? []).map((s) => (
            <tr key={s.version} data-version={s.version}>
              <td>{s.version}</td>
              <td>{s.title}</td>
              <td>{s.issued}</td>
              <td>{s.effectiveDates.length > 0 ? s.effectiveDates.join('、') : '—'}</td>
              <td>{s.builtIn ? '程序内置' : `${s.publishedBy ?? ''}（${s.publishedAt ? when(s.publishedAt) : ''}）`}</td>
              <td>{s.inForce ? '现行' : '历史'}</td>
              <td>
                <button
                  type="button"
                  className="button"
                  aria-label={`查看版本 ${s.version}`}
                  onClick={() => void run(() => parameters.get(s.version)).then((d) => d && setShown({ version: d.version, document: d.document }))}
                >
                  查看
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sets === null && <p role="status">正在读取参数版本…</p>}
      {shown && (
        <section aria-labelledby={`${id}-doc`} className="county-parameters-document">
          <h3 id={`${id}-doc`}>版本 {shown.version} 的参数文件</h3>
          <pre tabIndex={0} aria-label={`版本 ${shown.version} 的参数文件内容`}>
            {JSON.stringify(shown.document, null, 2)}
          </pre>
          <button type="button" className="button" onClick={() => setShown(null)}>
            收起
          </button>
        </section>
      )}
      {published && (
        <p className="banner" role="status" data-testid="parameters-published">
          已发布版本 {published}：各平板下次同步时收到，新值从各自的生效日期起使用。
        </p>
      )}
      {!base && <ErrorLine error={error} />}
      {canPublish && !base && inForce && (
        <div className="actions">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => void startDraft()}>
            以当前参数为底稿新建
          </button>
        </div>
      )}
      {base && (
        <Draft
          key={base.version}
          api={api}
          parameters={parameters}
          base={base}
          onSignedOut={onSignedOut}
          onCancel={() => setBase(null)}
          onPublished={(version) => {
            setBase(null);
            setPublished(version);
            reload();
          }}
        />
      )}
    </div>
  );
}

function Draft({ parameters, base, onSignedOut, onCancel, onPublished }: PanelProps & { parameters: ParametersApi; base: ParameterDocument; onCancel(): void; onPublished(version: string): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const lastWageYear = base.wages.region.reduce((y, r) => Math.max(y, r.year), 0);
  const [form, setForm] = useState<DraftForm>(() => ({
    version: '',
    title: base.title,
    issuedBy: base.issuedBy,
    issued: today(),
    effective: today(),
    source: '',
    series: {},
    wages: {},
  }));
  const [problems, setProblems] = useState<FormProblem[]>([]);
  const [pages, setPages] = useState<ParameterImpactPage[]>([]);
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const draft = useMemo(() => buildDraft(base, form), [base, form]);
  const draftText = JSON.stringify(draft);
  const stale = previewed !== draftText;
  const set = (patch: Partial<DraftForm>) => {
    setConfirming(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.message;
  const check = (): boolean => {
    const found = formProblems(form, base);
    setProblems(found);
    return found.length === 0;
  };

  const preview = async (offset: number) => {
    if (!check()) return;
    const page = await run(() => parameters.preview(draft, { offset, limit: PREVIEW_DEFAULT_LIMIT }));
    if (!page) return;
    setPages((before) => (offset === 0 ? [page] : [...before, page]));
    setPreviewed(draftText);
  };
  const publish = async () => {
    const done = await run(() => parameters.publish(draft));
    if (done) onPublished(done.version);
  };

  const input = (field: string, label: string, value: string, onChange: (v: string) => void, extra: { type?: string; inputMode?: 'decimal' | 'numeric' } = {}) => {
    const problem = problemOf(field);
    const inputId = `${id}-${field.replace(/\W/g, '-')}`;
    return (
      <div className="county-parameters-field" key={field}>
        <label htmlFor={inputId} className="field-label">
          {label}
        </label>
        <input
          id={inputId}
          type={extra.type ?? 'text'}
          inputMode={extra.inputMode}
          value={value}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${inputId}-problem` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {problem && (
          <span id={`${inputId}-problem`} className="field-error">
            {problem}
          </span>
        )}
      </div>
    );
  };

  const totals = useMemo(() => {
    const sums = new ImpactSums();
    for (const p of pages) sums.addTotals(p.totals);
    return sums.totals();
  }, [pages]);
  const last = pages.at(-1);
  const examined = pages.reduce((n, p) => n + p.examined, 0);

  return (
    <section aria-labelledby={`${id}-t`} className="county-parameters-draft" data-testid="parameters-draft">
      <h3 id={`${id}-t`}>以版本 {base.version} 为底稿新建参数版本</h3>
      <form
        className="county-form"
        onSubmit={(e) => {
          e.preventDefault();
          void preview(0);
        }}
      >
        {input('version', '新版本号', form.version, (v) => set({ version: v }))}
        {input('title', '标题', form.title, (v) => set({ title: v }))}
        {input('issuedBy', '发布机关', form.issuedBy, (v) => set({ issuedBy: v }))}
        {input('issued', '发布日期', form.issued, (v) => set({ issued: v }), { type: 'date' })}
        {input('effective', '新费率、年限的生效日期', form.effective, (v) => set({ effective: v }), { type: 'date' })}
        {input('source', '新参数的依据（文件名称和文号）', form.source, (v) => set({ source: v }))}
        <fieldset>
          <legend>费率与年限（留空表示不变）</legend>
          {EDITABLE_SERIES.map((s) => {
            const now = valueOn(seriesValues(base, s.path), form.effective) ?? seriesValues(base, s.path).at(-1);
            const current = now ? `现行 ${String(now.value)}${s.unit === 'months' ? ' 个月' : ''}，自 ${now.from}${now.provisional ? '，暂定' : ''}` : '尚无';
            return input(`series.${s.path}`, `${s.label}（${current}）`, form.series[s.path] ?? '', (v) => set({ series: { ...form.series, [s.path]: v } }), {
              inputMode: s.unit === 'ratio' ? 'decimal' : 'numeric',
            });
          })}
        </fieldset>
        {WAGES_EDITABLE && (
          <fieldset>
            <legend>全区职工月平均工资（元/月，留空表示不变）</legend>
            {[...base.wages.region.map((r) => r.year), lastWageYear + 1].map((year) => {
              const row = base.wages.region.find((r) => r.year === year);
              const label = row ? `${year}年度（现行 ${row.value}${row.provisional ? '，暂定' : ''}）` : `${year}年度（新增）`;
              return input(`wages.${year}`, label, form.wages[String(year)] ?? '', (v) => set({ wages: { ...form.wages, [String(year)]: v } }), { inputMode: 'decimal' });
            })}
          </fieldset>
        )}
        {problemOf('changes') && (
          <p className="field-error" role="alert">
            {problemOf('changes')}
          </p>
        )}
        {problems.length > 0 && !problemOf('changes') && (
          <p className="field-error" role="alert">
            请先改正标出的 {problems.length} 处填写问题。
          </p>
        )}
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            预览影响
          </button>
          <button type="button" className="button" onClick={onCancel}>
            放弃草稿
          </button>
        </div>
      </form>

      {last && (
        <section aria-labelledby={`${id}-impact`} data-testid="parameters-impact">
          <h3 id={`${id}-impact`}>对未结案件的影响{stale ? '（草稿已修改，请重新预览）' : ''}</h3>
          <p role="status">
            辖区内未结案件共 {last.openCases} 件，已检查 {examined} 件，其中 {totals.changedCases} 件的金额或月数会变化。
          </p>
          {totals.changedCases > 0 && (
            <table className="county-table">
              <caption>会变化的案件</caption>
              <thead>
                <tr>
                  <th scope="col">案件编号</th>
                  <th scope="col">乡镇（街道）</th>
                  <th scope="col">办理状态</th>
                  <th scope="col">现用参数版本</th>
                  <th scope="col">变化（现 → 新，差额）</th>
                </tr>
              </thead>
              <tbody>
                {pages.flatMap((p) =>
                  p.changed.map((c) => (
                    <tr key={c.caseId} data-case={c.caseNumber}>
                      <td>{c.caseNumber}</td>
                      <td>{c.townshipName || c.townshipCode}</td>
                      <td>{LIFECYCLE_STATUS_ZH[c.lifecycleStatus]}</td>
                      <td>{c.parametersVersion}</td>
                      <td>
                        <ul className="county-parameters-changes">
                          {c.changes.map((ch) => (
                            <li key={ch.figure}>
                              {FIGURE_ZH[ch.figure]}：{valueZh(ch.old)} → {valueZh(ch.new)}
                              {ch.difference !== null ? `（${differenceZh(ch.difference)}）` : ''}
                            </li>
                          ))}
                          {c.error.old !== c.error.new && <li>{c.error.new ? '新参数下无法计算（缺少所需参数）' : '现用参数下无法计算，新参数下可以计算'}</li>}
                        </ul>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )}
          <table className="county-table" data-testid="parameters-impact-totals">
            <caption>已检查案件的金额合计（元）</caption>
            <thead>
              <tr>
                <th scope="col">项目</th>
                <th scope="col">现</th>
                <th scope="col">新</th>
                <th scope="col">差额</th>
              </tr>
            </thead>
            <tbody>
              {MONEY_FIGURES.map((f: MoneyFigure) => (
                <tr key={f} data-figure={f}>
                  <th scope="row">{FIGURE_ZH[f]}</th>
                  <td>{totals.amounts[f].old}</td>
                  <td>{totals.amounts[f].new}</td>
                  <td>{differenceZh(totals.amounts[f].difference)}</td>
                </tr>
              ))}
              <tr data-figure="total">
                <th scope="row">合计</th>
                <td />
                <td />
                <td>{differenceZh(totals.difference)}</td>
              </tr>
            </tbody>
          </table>
          <div className="actions">
            {last.next !== null && !stale && (
              <button type="button" className="button" disabled={busy} onClick={() => void preview(last.next!)}>
                继续检查其余 {last.openCases - examined} 件
              </button>
            )}
            {!stale && !confirming && (
              <button type="button" className="button button-primary" disabled={busy} onClick={() => setConfirming(true)}>
                发布
              </button>
            )}
          </div>
          {confirming && !stale && (
            <div role="alertdialog" aria-labelledby={`${id}-confirm`} className="banner banner-warning county-parameters-confirm">
              <p id={`${id}-confirm`}>
                确认发布版本 {draft.version}？发布后不能修改或撤回；各平板下次同步时收到，新值从各自的生效日期起用于新登记和重新计算的案件。
              </p>
              <div className="actions">
                <button type="button" className="button button-primary" disabled={busy} onClick={() => void publish()}>
                  确认发布
                </button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  取消
                </button>
              </div>
            </div>
          )}
        </section>
      )}
    </section>
  );
}
