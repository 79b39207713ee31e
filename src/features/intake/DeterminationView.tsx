// What the determination panel shows: the figures with their citations, why (the trace and the
// parameters with their provenance, provisional ones marked 待核实), the sentences to read to the
// veteran, what he must bring and where the materials go. Its own chunk: it is needed only once the
// facts are complete, so it does not weigh on the first screen.
import { memo, useMemo, useState, type ReactNode } from 'react';
import { SENTENCE_IDS, sentence } from '../../domain';
import { Citation } from '../Citation';
import { ROUTING_SENTENCES, RULES, explain, monthsZh, monthZh, outOfScopeZh, parameterLabelZh, yearsMonthsZh, type Determination, type ParameterSet, type RuleId, type TraceStep, type TraceStepName } from '../../domain';
import { SEX_LABELS, OUT_OF_SCOPE_NEXT_STEP, REGIME_LABELS, ROUTING_LABELS, TRACE_STEP_LABELS, UNIT_PAYER_LABELS, parameterSourceZh, parameterValueZh, traceKeyZh, traceValueZh, warningZh } from '../labels';
import { DISCLAIMER, stepIsProvisional, stepOf, type PanelState } from './determination-model';

function provisionalLabels(step: TraceStep | undefined): string[] {
  return (step?.parameters ?? []).filter((p) => p.provisional).map((p) => parameterLabelZh(p.name));
}

function Figure({ id, label, value, step, rule, note }: { id: string; label: string; value: ReactNode; step?: TraceStep; rule?: RuleId; note?: ReactNode }) {
  const provisional = stepIsProvisional(step);
  const citedRule = step?.rule ?? rule;
  return (
    <div className="figure" data-testid={`figure-${id}`}>
      <dt>{label}</dt>
      <dd>
        <span className="figure-value">{value}</span>
        {provisional && (
          <span className="badge-provisional" title={`暂定参数：${provisionalLabels(step).join('、')}`}>
            待核实
          </span>
        )}
        {note && <span className="figure-note">{note}</span>}
        {citedRule && <Citation rule={citedRule} paragraph={step?.paragraph} sentences={step?.sentences} />}
      </dd>
    </div>
  );
}

const percent = (rate: string | null) => (rate === null ? '' : `${(Number(rate) * 100).toFixed(2).replace(/\.?0+$/, '')}%`);

function Figures({ d }: { d: Determination }) {
  const p = d.pension!;
  const med = d.medical!;
  const ret = d.retirement!;
  const mm = d.militaryMonths!;
  const s = (name: TraceStepName) => stepOf(d, name);
  return (
    <dl className="figures">
      <Figure id="militaryMonths" label="军龄" value={monthsZh(mm)} step={s('regime')} note={d.regime ? REGIME_LABELS[d.regime] : undefined} />
      <Figure id="firstInsured" label="首次参保时间" value={monthZh(p.firstInsured)} step={s('first-insured')} note={p.firstInsuredSource === 'enlistment' ? '入伍时间视为首次参保时间' : '登记的首次参保时间'} />
      <Figure id="gapMonths" label="养老保险断缴" value={monthsZh(p.gapMonths)} step={s('gap')} note={p.gapSource === 'estimate' ? '按登记的缴费记录估算' : '经办机构认定'} />
      <Figure id="backPayMonths" label="养老保险可补缴（按通知标准测算）" value={monthsZh(p.backPayMonths)} step={s('back-pay-months')} note="不超过本人军龄，免收滞纳金" />
      <Figure id="baseMonthly" label="月缴费基数" value={`${p.baseMonthly}元`} step={s('pension-amounts')} />
      <Figure id="unitAmount" label="单位部分（测算）" value={`${p.unitAmount}元`} step={s('pension-amounts')} note={`费率${percent(p.unitRate)}，以经办机构计算为准`} />
      <Figure id="individualAmount" label="个人部分（测算）" value={`${p.individualAmount}元`} step={s('pension-amounts')} note={`费率${percent(p.individualRate)}，由本人负担`} />
      <Figure
        id="unitPayer"
        label="单位部分由谁缴纳"
        value={UNIT_PAYER_LABELS[p.unitPayer]}
        step={s('pension-unit-payer')}
        note={p.unitPayer === 'unit' ? undefined : '须经同级人民政府确认“不存在或缴纳确有困难”'}
      />
      {p.individualSubsidyEligible && <Figure id="individualSubsidy" label="个人缴费补助" value="登记为低保或特困" step={s('individual-subsidy')} note="经民政部门核实后补助，金额由当地确定" />}
      <Figure
        id="retirement"
        label="法定退休"
        value={`${monthZh(ret.month)}${ret.reached ? '（已达到）' : ''}`}
        step={s('retirement')}
        note={`${Math.floor(ret.ageMonths / 12)}周岁${ret.ageMonths % 12 ? `${ret.ageMonths % 12}个月` : ''}；最低缴费年限${yearsMonthsZh(ret.minimumPensionMonths)}`}
      />
      <Figure
        id="pensionCumulative"
        label="养老保险累计缴费（含军龄，补缴后）"
        value={monthsZh(p.cumulativeMonths)}
        step={s('pension-at-retirement')}
        note={
          ret.reached && p.shortfallMonths > 0
            ? `差${monthsZh(p.shortfallMonths)}：允许延长缴费${monthsZh(p.extensionMonths)}${p.oneTimeMonths > 0 ? `，允许一次性缴费${monthsZh(p.oneTimeMonths)}` : ''}`
            : ret.reached
              ? '已达到最低缴费年限'
              : undefined
        }
      />
      <Figure
        id="medical"
        label="医疗保险累计缴费（含军龄）"
        value={monthsZh(med.countedMonths)}
        step={s('medical-months')}
        note={`当地规定${monthsZh(med.requiredMonths)}${med.shortfallMonths > 0 ? `，${med.payableNow ? '' : '按目前测算'}差${monthsZh(med.shortfallMonths)}` : '，已达到'}`}
      />
      {med.payableNow && med.shortfallMonths > 0 ? (
        <Figure
          id="medicalAmounts"
          label="医疗保险现可补缴（测算）"
          value={`单位${med.unitAmount}元，个人${med.individualAmount}元`}
          step={s('medical-amounts')}
          note={`${monthsZh(med.shortfallMonths)}，单位部分由${UNIT_PAYER_LABELS[med.unitPayer]}缴纳${med.uncoveredUnitMonths > 0 ? `；其中${med.uncoveredUnitMonths}个月（${med.uncoveredUnitAmount}元）承担方待县局确定` : ''}`}
        />
      ) : (
        <Figure id="medicalTiming" label="医疗保险补缴时间" value={`达到法定退休年龄时（${monthZh(ret.month)}）`} step={s('medical-timing')} />
      )}
      {d.applicationLate && <Figure id="applicationLate" label="申请日期" value="晚于申请截止日期" step={s('application-deadline')} note="照常登记测算，能否补缴由县局研究决定" />}
    </dl>
  );
}

function Warnings({ d }: { d: Determination }) {
  if (d.warnings.length === 0) return null;
  return (
    <section className="det-block" aria-labelledby="det-warnings">
      <h3 id="det-warnings">提示</h3>
      <ul className="warnings">
        {d.warnings.map((w, i) => (
          <li key={`${w.code}-${w.parameter ?? ''}-${i}`} className={w.code === 'provisional-parameter' ? 'warning warning-provisional' : 'warning'}>
            {w.code === 'provisional-parameter' && <span className="badge-provisional">待核实</span>}
            <span>{warningZh(w)}</span> <Citation rule={w.rule} sentences={w.sentences} />
          </li>
        ))}
      </ul>
    </section>
  );
}


function TraceEntries({ title, entries }: { title: string; entries: Record<string, unknown> }) {
  const list = Object.entries(entries);
  if (list.length === 0) return null;
  return (
    <div className="trace-entries">
      <span className="trace-entries-title">{title}</span>
      <ul>
        {list.map(([k, v]) => (
          <li key={k}>
            {traceKeyZh(k)}：{traceValueZh(v)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Why({ d }: { d: Determination }) {
  // The trace is long: it is built only while the clerk has it open.
  const [open, setOpen] = useState(false);
  return (
    <details className="why" data-testid="why" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>为什么？查看计算过程、参数和政策原文</summary>
      {open && <TraceAndQuotes d={d} />}
    </details>
  );
}

function TraceAndQuotes({ d }: { d: Determination }) {
  // Determinations stored before steps cited sentences have none: their quotes are the ids' one-liners.
  const citedSentences = new Set(d.trace.flatMap((s) => s.sentences ?? []));
  const cited = SENTENCE_IDS.filter((id) => citedSentences.has(id));
  const uncitedRules = [...new Set(d.trace.filter((s) => (s.sentences ?? []).length === 0).map((s) => s.rule))];
  return (
    <>
      <ol className="trace">
        {d.trace.map((step, i) => (
          <li key={`${step.step}-${i}`} className="trace-step">
            <p className="trace-title">
              <strong>{TRACE_STEP_LABELS[step.step]}</strong> <Citation rule={step.rule} paragraph={step.paragraph} sentences={step.sentences} />
            </p>
            <TraceEntries title="依据的情况" entries={step.inputs} />
            <TraceEntries title="结果" entries={step.result} />
            {step.parameters.length > 0 && (
              <div className="trace-entries">
                <span className="trace-entries-title">参数</span>
                <ul>
                  {step.parameters.map((u) => (
                    <li key={u.name} className={u.provisional ? 'param param-provisional' : 'param'}>
                      {parameterLabelZh(u.name)}：{parameterValueZh(u.name, u.value, u.unit)}
                      {u.provisional && <span className="badge-provisional">待核实</span>}
                      {u.convention && <span className="badge-convention">约定</span>}
                      <span className="param-source">
                        （自{u.from}起；来源：{parameterSourceZh(u.source)}）
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </li>
        ))}
      </ol>
      <h4 className="quotes-title">引用的政策原文</h4>
      <ul className="quotes">
        {cited.map((id) => (
          <li key={id}>
            <span className="citation-id">{id}</span> {sentence(id).paragraph}：“{sentence(id).quote}”
          </li>
        ))}
        {uncitedRules.map((rule) => (
          <li key={rule}>
            <span className="citation-id">{rule}</span> {RULES[rule].paragraph}：“{RULES[rule].quote}”
          </li>
        ))}
      </ul>
    </>
  );
}

function Sentences({ d }: { d: Determination }) {
  const sentences = useMemo(() => explain(d), [d]);
  return (
    <section className="det-block" aria-labelledby="det-sentences">
      <h3 id="det-sentences">向本人说明</h3>
      <ol className="sentences">
        {sentences.map((s, i) => (
          <li key={i}>
            <span>{s.text}</span> <Citation rule={s.rule} paragraph={s.paragraph} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function OutOfScope({ d }: { d: Determination }) {
  return (
    <section className="det-block out-of-scope" data-testid="out-of-scope" role="status">
      <h3>不属于本通知明确规定的情形</h3>
      <ul>
        {d.outOfScopeReasons.map((r) => (
          <li key={r}>
            <p>{outOfScopeZh(d, r)}。</p>
            <p className="next-step">
              <strong>下一步：</strong>
              {OUT_OF_SCOPE_NEXT_STEP[r]}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Checklist({ d }: { d: Determination | null }) {
  const routing = d?.routing ?? null;
  const routingStep = d ? stepOf(d, 'routing') : undefined;
  return (
    <section className="det-block checklist" aria-labelledby="det-checklist" data-testid="checklist">
      <h3 id="det-checklist">
        请本人携带的材料 <Citation rule="NM43-1.4.a" />
      </h3>
      <ul className="documents">
        <li>居民身份证（本人有效身份证件）</li>
        <li>退役证件（退伍证、复员证、转业证等退役证明）</li>
        <li>申请表（本机打印，本人核对签字）</li>
      </ul>
      <p className="routing" data-testid="routing">
        <strong>材料报送：</strong>
        {routing ? (
          <>
            {ROUTING_LABELS[routing]} — {ROUTING_SENTENCES[routing]} {routingStep && <Citation rule={routingStep.rule} paragraph={routingStep.paragraph} sentences={routingStep.sentences} />}
          </>
        ) : (
          '填写安置情况并完成测算后显示。'
        )}
      </p>
    </section>
  );
}

function Incomplete({ state }: { state: Extract<PanelState, { kind: 'incomplete' }> }) {
  const shown = state.missing.slice(0, 8);
  return (
    <div className="det-block det-incomplete" data-testid="det-incomplete">
      {state.identity && (
        <p>
          出生 {monthZh(state.identity.birth)} · {SEX_LABELS[state.identity.sex]}
        </p>
      )}
      <p>填写完整后即显示测算结果。还需：</p>
      <ul>
        {shown.map((m) => (
          <li key={m}>{m}</li>
        ))}
        {state.missing.length > shown.length && <li>等共 {state.missing.length} 项</li>}
      </ul>
    </div>
  );
}

function Stale({ missing }: { missing: string[] }) {
  return (
    <div className="det-stale-note" role="status" data-testid="det-stale">
      <p>
        <strong>当前填写不完整</strong>，下面是修改前的测算，仅供对照：
      </p>
      <ul>
        {missing.slice(0, 4).map((m) => (
          <li key={m}>{m}</li>
        ))}
        {missing.length > 4 && <li>等共 {missing.length} 项</li>}
      </ul>
    </div>
  );
}

/**
 * Everything that follows from one determination, rendered again only when the determination does
 * (a half-typed month that makes it stale changes only the frame around it).
 */
const Body = memo(function Body({ d }: { d: Determination }) {
  return (
    <>
      {!d.inScope && <OutOfScope d={d} />}
      {d.inScope && (
        <>
          <Figures d={d} />
          <Warnings d={d} />
        </>
      )}
      <Why d={d} />
      {d.inScope && <Sentences d={d} />}
    </>
  );
});

const MemoChecklist = memo(Checklist);

const DeterminationView = memo(function DeterminationView({ state, params }: { state: PanelState; params: ParameterSet }) {
  const d = state.kind === 'determined' || state.kind === 'stale' ? state.determination : null;
  return (
    <>
      {state.kind === 'incomplete' && <Incomplete state={state} />}
      {state.kind === 'stale' && <Stale missing={state.missing} />}
      {state.kind === 'error' && (
        <p className="det-error" role="alert" data-testid="det-error">
          {state.message}
        </p>
      )}
      {d && (
        <div className={state.kind === 'stale' ? 'det-body det-body-stale' : 'det-body'}>
          <Body d={d} />
        </div>
      )}
      <MemoChecklist d={d} />
      <p className="disclaimer" data-testid="disclaimer">
        {DISCLAIMER}。参数版本 <span data-testid="parameters-version">{d?.parametersVersion ?? params.version}</span>
        {d && <>，规则版本 {d.rulesVersion}</>}。
      </p>
    </>
  );
});

export default DeterminationView;
