import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate } from '../../src/domain';
import { determinationSchema } from '../../src/shared/determination';
import { caseFactsArb } from '../domain/support/arbitraries';
import { baseCase } from '../domain/support/cases';

describe('the determination schema', () => {
  it('accepts what the engine produces, in and out of scope, after a trip through JSON', () => {
    for (const c of fc.sample(caseFactsArb, { numRuns: 200, seed: 3 })) {
      const d = JSON.parse(JSON.stringify(evaluate(c, DEFAULT_PARAMETERS))) as unknown;
      const r = determinationSchema.safeParse(d);
      expect(r.success, JSON.stringify(r.error?.issues.slice(0, 3))).toBe(true);
    }
  });

  it('refuses a copy whose money is not two-decimal yuan or whose rule id is unknown', () => {
    const d = JSON.parse(JSON.stringify(evaluate(baseCase(), DEFAULT_PARAMETERS))) as { pension: { unitAmount: unknown }; trace: { rule: string }[] };
    d.pension.unitAmount = 33550.2;
    d.trace[0]!.rule = 'NM99';
    const r = determinationSchema.safeParse(d);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['pension.unitAmount', 'trace.0.rule']);
  });
});
