// hostile.requestsPerSecond: 100,000 generated hostile requests (tests/support/hostile-requests.ts)
// against a county server on SQLite with an enrolled tablet and a signed-in admin; any 5xx or any
// domain row changed fails the bench. Floor: GET /api/health, the cheapest request, per second in
// the same run; ratio = value / floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildServer } from '../../src/server/app';
import { domainRowCounts, hostileRequest, sendHostile } from '../support/hostile-requests';
import { setUpCounty, TabletSim } from '../support/sync-fixtures';
// A type import is erased: run.ts, which runs on import, is not loaded by it.
import type { BenchFigure } from './run';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 100_000);
const SEED = Number(process.env.HOSTILE_SEED ?? 20261207);
const CHUNK = 1000;

export default {
  title: `Hostile input: ${RUNS.toLocaleString('en')} generated requests on SQLite`,
  async run(): Promise<BenchFigure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-bench-hostile-'));
    const app = await buildServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: dir,
      database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') },
      tls: null,
      distDir: join(tmpdir(), 'jiexu-no-dist'),
      logLevel: 'silent',
    });
    try {
      const county = await setUpCounty(app);
      const tablet = new TabletSim();
      const callers = { tabletCredential: await county.enrol(tablet), adminCookie: county.adminCookie };
      const before = await domainRowCounts(app);

      const floorRuns = 5_000;
      const f0 = performance.now();
      for (let i = 0; i < floorRuns; i++) await app.inject({ method: 'GET', url: '/api/health' });
      const floor = floorRuns / ((performance.now() - f0) / 1000);

      const statuses = new Map<number, number>();
      let sent = 0;
      const t0 = performance.now();
      // A thousand at a time: some bodies are megabytes, and 100,000 of them at once exhaust the heap.
      // Generated until RUNS were sent: a few generated requests cannot be sent in-process and are skipped.
      let chunk = 0;
      for (; sent < RUNS; chunk++) {
        for (const r of fc.sample(hostileRequest, { numRuns: CHUNK, seed: SEED + chunk })) {
          if (sent >= RUNS) break;
          const out = await sendHostile(app, r, callers);
          if (out === null) continue;
          sent++;
          statuses.set(out.res.statusCode, (statuses.get(out.res.statusCode) ?? 0) + 1);
          if (out.res.statusCode >= 500) throw new Error(`hostile request ${sent} (seed ${SEED + chunk}) answered ${out.describe()}`);
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const after = await domainRowCounts(app);
      if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`hostile requests changed domain rows: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      const value = sent / seconds;
      const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status} ×${n}`).join(', ');
      return [
        {
          name: 'hostile.requestsPerSecond',
          value,
          unit: 'requests/s',
          floor,
          ratio: value / floor,
          note: `seeds ${SEED}…${SEED + chunk - 1}: ${sent} requests, no 5xx, no domain row changed; statuses ${counts}; floor = GET /api/health`,
        },
      ];
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
