// engine.determinationsPerSecond: full determinations (trace, warnings, provenance) per second on one
// core over 10,000 varied generated cases. Floor: the same cases' JSON parse + stringify per second,
// measured in the same run; ratio = value / floor (the target of ≤ 10× the floor's time is ratio ≥ 0.1).

import { DEFAULT_PARAMETERS, evaluate, type CaseFacts } from '../../src/domain';
import { generateCases } from '../domain/support/arbitraries';
// A type import is erased: run.ts, which runs on import, is not loaded by it.
import type { BenchFigure } from './run';

const CASES = 10_000;
const ROUNDS = 7;

function timeEngine(cases: readonly CaseFacts[]): { seconds: number; sink: number } {
  let sink = 0;
  const t0 = performance.now();
  for (const c of cases) {
    const d = evaluate(c, DEFAULT_PARAMETERS);
    sink += d.trace.length + (d.pension ? d.pension.backPayMonths : 0);
  }
  return { seconds: (performance.now() - t0) / 1000, sink };
}

function timeJson(texts: readonly string[]): { seconds: number; sink: number } {
  let sink = 0;
  const t0 = performance.now();
  for (const t of texts) sink += JSON.stringify(JSON.parse(t) as unknown).length;
  return { seconds: (performance.now() - t0) / 1000, sink };
}

export default {
  title: 'Rules engine (src/domain): one core, 10,000 generated cases',
  async run(): Promise<BenchFigure[]> {
    const cases = generateCases(CASES);
    const texts = cases.map((c) => JSON.stringify(c));
    let inScope = 0;
    for (const c of cases) if (evaluate(c, DEFAULT_PARAMETERS).inScope) inScope++;

    // Interleaved rounds, best of each: the least disturbed run on a shared machine.
    let engineBest = Infinity;
    let jsonBest = Infinity;
    let sink = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const e = timeEngine(cases);
      const j = timeJson(texts);
      engineBest = Math.min(engineBest, e.seconds);
      jsonBest = Math.min(jsonBest, j.seconds);
      sink += e.sink + j.sink;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (sink === 0) throw new Error('bench sink is empty: nothing was computed');
    const value = CASES / engineBest;
    const floor = CASES / jsonBest;
    return [
      {
        name: 'engine.determinationsPerSecond',
        value,
        unit: 'determinations/s',
        floor,
        ratio: value / floor,
        note: `best of ${ROUNDS}; ${inScope} of ${CASES} cases in scope; floor = JSON.parse + JSON.stringify of each case; target ≥ 30000/s and ratio ≥ 0.1`,
      },
    ];
  },
};
