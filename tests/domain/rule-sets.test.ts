import { describe, expect, it } from 'vitest';
import { createRuleSetRegistry, DEFAULT_PARAMETERS, evaluate, isJiexuError, NM43_RULE_SET, RULE_SETS, type CaseFacts, type Determination } from '../../src/domain';
import { parseCaseFacts } from '../../src/shared/case';
import { TEST_REVISION_RULE_SET, type RevisionDetermination } from '../fixtures/rule-sets/revision-2031';
import { loadExamples } from './support/examples';

const examples = loadExamples().map((ex) => {
  const parsed = parseCaseFacts(ex.caseJson);
  if (!parsed.ok) throw new Error(`${ex.name} does not parse`);
  return { name: ex.name, facts: parsed.facts };
});
const example01 = examples.find((e) => e.name.startsWith('01-'))!.facts;
const dated = (facts: CaseFacts, applicationDate: string, asOf = applicationDate): CaseFacts => ({ ...facts, applicationDate, asOf });

const withRevision = () => createRuleSetRegistry<Determination | RevisionDetermination>([NM43_RULE_SET, TEST_REVISION_RULE_SET]);

function errorCodeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isJiexuError(e) ? e.code : String(e);
  }
  return undefined;
}

describe('the rule sets the engine chooses from', () => {
  it('decides every worked example under 内政办字〔2019〕43号, exactly as its own engine does', () => {
    for (const { facts } of examples) {
      expect(RULE_SETS.ruleSetFor(facts).id).toBe('nm43');
      expect(RULE_SETS.evaluate(facts)).toEqual(evaluate(facts, DEFAULT_PARAMETERS));
    }
  });

  it('decides a case under the parameter set given for its rule set, and under the one it ships with otherwise', () => {
    const published = { ...DEFAULT_PARAMETERS, version: 'county-2026.2' };
    expect(RULE_SETS.evaluate(example01, { nm43: published }).parametersVersion).toBe('county-2026.2');
    expect(RULE_SETS.evaluate(example01).parametersVersion).toBe(DEFAULT_PARAMETERS.version);
  });

  it('a revision added as its own module decides applications from its effective date, citing its own sentences and reading its own parameter file', () => {
    const registry = withRevision();
    expect(registry.ruleSetFor(dated(example01, '2030-12-31')).id).toBe('nm43');
    expect(registry.ruleSetFor(dated(example01, '2031-01-01')).id).toBe('test-revision-2031');
    expect(registry.ruleSetFor(dated(example01, '2031-01')).id).toBe('test-revision-2031');

    expect(registry.evaluate(example01)).toEqual(evaluate(example01, DEFAULT_PARAMETERS));

    const after = registry.evaluate(dated(example01, '2031-03-02', '2032-02-01')) as RevisionDetermination;
    expect(after.rulesVersion).toBe('test-revision/1');
    expect(after.militaryMonths).toBe(57);
    expect(after.monthlyAmount).toBe('520.50');
    expect(after.trace[0]!.sentences).toEqual(['TEST-1.s2']);
    expect(after.trace[0]!.quote).toBe('退役士兵军龄每满一个月，按月定额补缴');
  });

  it('a revision governs only the area it names: another county keeps the notice', () => {
    const countyOnly = { ...TEST_REVISION_RULE_SET, id: 'test-revision-150102', regions: ['150102'] };
    const registry = createRuleSetRegistry<Determination | RevisionDetermination>([NM43_RULE_SET, countyOnly]);
    expect(registry.ruleSetFor(dated(example01, '2031-06-01')).id).toBe('test-revision-150102');
    const elsewhere = dated({ ...example01, placement: { ...example01.placement, countyCode: '150203' } }, '2031-06-01');
    expect(registry.ruleSetFor(elsewhere).id).toBe('nm43');
  });

  it('refuses a case no rule set governs, and a parameter asked for before its first value', () => {
    const revisionOnly = createRuleSetRegistry([TEST_REVISION_RULE_SET]);
    expect(errorCodeOf(() => revisionOnly.evaluate(dated(example01, '2030-06-01')))).toBe('no-rule-set');
    const outside = { ...example01, placement: { ...example01.placement, countyCode: '110101' } };
    expect(errorCodeOf(() => RULE_SETS.ruleSetFor(outside))).toBe('no-rule-set');
    expect(errorCodeOf(() => revisionOnly.evaluate(dated(example01, '2031-02-01', '2030-12-01')))).toBe('not-in-force');
  });

  it('refuses two rule sets that would govern the same area from the same date, and one registered twice', () => {
    expect(() => createRuleSetRegistry([TEST_REVISION_RULE_SET, { ...TEST_REVISION_RULE_SET, id: 'other' }])).toThrow(/same area from the same date/);
    expect(() => createRuleSetRegistry([NM43_RULE_SET, NM43_RULE_SET])).toThrow(/registered twice/);
  });
});
