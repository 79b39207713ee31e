import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, OUT_OF_SCOPE_REASONS, TRACE_STEP_NAMES, WARNING_CODES, evaluate, messageZh } from '../../src/domain';
import { FIELD_LABELS, ROUTING_LABELS, TRACE_STEP_LABELS, caseStatusZh, fieldLabelZh, traceKeyZh } from '../../src/features/labels';
import { parseCaseFacts } from '../../src/shared/case';
import { loadExamples } from '../domain/support/examples';

const determinations = loadExamples().map((ex) => {
  const parsed = parseCaseFacts(ex.caseJson);
  if (!parsed.ok) throw new Error(`bad example ${ex.name}`);
  return evaluate(parsed.facts, DEFAULT_PARAMETERS);
});

describe('the label maps', () => {
  it('name the department a veteran with no unit and no superior hands his materials to, as the notice does', () => {
    expect(ROUTING_LABELS.department).toContain('原办理安置手续层级的退役军人事务主管部门');
    expect(ROUTING_LABELS.department).not.toContain('安置地');
  });

  it('title exactly the engine’s trace steps', () => {
    expect(Object.keys(TRACE_STEP_LABELS).sort()).toEqual([...TRACE_STEP_NAMES].sort());
  });

  it('name every key the engine writes into a trace in Chinese', () => {
    for (const d of determinations) {
      for (const step of d.trace) {
        for (const key of [...Object.keys(step.inputs), ...Object.keys(step.result)]) expect(traceKeyZh(key), `${step.step}.${key}`).not.toBe('其他');
      }
    }
  });

  it('give every warning and out-of-scope code a Chinese message', () => {
    for (const code of [...WARNING_CODES, ...OUT_OF_SCOPE_REASONS]) expect(messageZh(code)).toMatch(/^[^a-z]*$/);
  });

  it('never show an English path or status to the clerk', () => {
    expect(fieldLabelZh('facts.somethingNew')).not.toMatch(/[a-z]/);
    expect(caseStatusZh('archived')).not.toMatch(/[a-z]/);
    expect(fieldLabelZh('pension.periods[2].to')).toBe('养老保险缴费记录第3段的截止月份');
    expect(Object.values(FIELD_LABELS).every((l) => /^[^a-z]+$/.test(l))).toBe(true);
  });
});

describe('law values in the texts', () => {
  it('come from the parameters: no law date or extension cap is typed into the veteran’s and clerk’s texts', () => {
    const files = ['src/domain/explain.ts', 'src/domain/messages.ts', 'src/features/labels.ts', 'src/features/intake/sections.tsx', 'src/features/intake/DeterminationView.tsx', 'src/features/print/PrintDocument.tsx'];
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toMatch(/2012年7月1日|2011年7月1日|延长缴费5年|2019年12月31日/);
  });
});
