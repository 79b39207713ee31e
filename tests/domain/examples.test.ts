import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, evaluate } from '../../src/domain';
import { parseCaseFacts } from '../../src/shared/case';
import { at, FIXTURE_DIR, flatten, loadExamples, SPEC_DIR } from './support/examples';

const examples = loadExamples();

describe('the worked examples of shared/spec/examples', () => {
  it('are all present in the fixtures (13 or more, each with its expected figures)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(13);
  });

  for (const ex of examples) {
    describe(ex.name, () => {
      const parsed = parseCaseFacts(ex.caseJson);
      if (!parsed.ok) throw new Error(`${ex.name}: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      const determination = evaluate(parsed.facts, DEFAULT_PARAMETERS);

      it.each(flatten(ex.expected).filter(([path]) => path !== 'outOfScopeReasons'))('gives %s = %j', (path, expected) => {
        expect(at(determination, path)).toEqual(expected);
      });

      it('gives exactly the expected out-of-scope reasons', () => {
        expect([...determination.outOfScopeReasons].sort()).toEqual([...((ex.expected.outOfScopeReasons as string[] | undefined) ?? [])].sort());
      });

      it('records the parameter-set version, a trace citing paragraphs, and every provisional parameter it used', () => {
        expect(determination.parametersVersion).toBe(DEFAULT_PARAMETERS.version);
        expect(determination.trace.length).toBeGreaterThan(0);
        for (const step of determination.trace) expect(step.paragraph).not.toBe('');
        const provisionalUsed = new Set(determination.trace.flatMap((s) => s.parameters.filter((p) => p.provisional).map((p) => p.name)));
        expect(new Set(determination.provisional)).toEqual(provisionalUsed);
      });
    });
  }
});

describe('the fixture copy of the examples', () => {
  it.runIf(existsSync(SPEC_DIR))('is byte for byte the same as ../shared/spec/examples', () => {
    const ours = readdirSync(FIXTURE_DIR).sort();
    const theirs = readdirSync(SPEC_DIR).sort();
    expect(ours).toEqual(theirs);
    for (const f of theirs) {
      expect(readFileSync(join(FIXTURE_DIR, f), 'utf8'), f).toBe(readFileSync(join(SPEC_DIR, f), 'utf8'));
    }
  });
});
