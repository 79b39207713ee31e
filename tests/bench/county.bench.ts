// county.queuePage.p95ms.{sqlite,postgres}: the county reviewer's queue (county/case-queue.ts, what
// GET /api/admin/cases runs: the page and its true total) over 200,000 cases, p95 in ms of a mix of
// requests — the first page, a deep page, each filter, and each kind of search (name, pinyin
// initials, ID suffix, case number, QR text) — all within one county's area. The floor is a plain
// `select township_code, count(*) from cases group by township_code` over the same rows, timed
// interleaved with them. Target: p95 ≤ 200 ms.
//
// The cases are written with one INSERT … SELECT over a generated series (tests/support/queue-seed.ts)
// after the migrations, each row carrying a real case's facts JSON so that rows are as wide as real
// ones. PostgreSQL is a throwaway cluster with its durable defaults (fsync on), VACUUM ANALYZEd after
// the load as autovacuum would; SQLite is a file in a temporary folder, as `npm start` keeps it (no ANALYZE).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type AppDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { caseQueue, type CaseQueueFilter } from '../../src/server/county/case-queue';
import type { CountyContext } from '../../src/server/county/context';
import { caseInput } from '../support/sync-fixtures';
import { SEED_NAMES, seedDevice, seedQueueCases } from '../support/queue-seed';
import { createTestDatabase, postgresUnavailableReason, startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster';
import type { BenchFigure } from './run';
import { weeklyReportPostgresFigure, weeklyReportSqliteFigure } from './county-report';

const CASES = Number(process.env.COUNTY_BENCH_CASES ?? 200_000);
const REQUESTS = Number(process.env.COUNTY_BENCH_REQUESTS ?? 300);
const WARMUP = 30;
const TARGET_P95_MS = 200;
const AREA = { level: 'county', code: '150102' } as const;
const TOWNSHIPS = Array.from({ length: 12 }, (_, i) => `150102${String(i + 1).padStart(3, '0')}`);
const ELSEWHERE = '150202001';
type Kind = 'sqlite' | 'postgres';

/** The mix of requests, in turn: what a reviewer's day asks of the queue. */
function requests(): { label: string; filter: Omit<CaseQueueFilter, 'area'> }[] {
  const id = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  return [
    { label: 'first page', filter: {} },
    { label: 'deep page', filter: { offset: Math.floor(CASES * 0.45), limit: 50 } },
    { label: 'township', filter: { townshipCode: TOWNSHIPS[3]! } },
    { label: 'status', filter: { lifecycleStatus: 'sent-to-agency' } },
    { label: 'payer', filter: { payer: 'superior' } },
    { label: 'flag conflict', filter: { flags: ['conflict'] } },
    { label: 'flag late', filter: { flags: ['late-application'] } },
    { label: 'combined', filter: { townshipCode: TOWNSHIPS[7]!, payer: 'fiscal', flags: ['provisional-parameters'] } },
    { label: 'name', filter: { q: SEED_NAMES[3]! } },
    { label: 'pinyin initials', filter: { q: 'stf' } },
    { label: 'ID suffix', filter: { q: '123457' } },
    { label: 'case number', filter: { q: `150102-SEED0001-${100000 + 4321}` } },
    { label: 'QR text', filter: { q: id(98765) } },
    { label: 'status, page 20', filter: { lifecycleStatus: 'synced', offset: 19 * 50 } },
  ];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(app: AppDatabase, kind: Kind): Promise<BenchFigure> {
  const { db } = app;
  const now = () => new Date('2024-06-01T00:00:00.000Z');
  const ctx: CountyContext = { db, kind, now };
  for (const code of [...TOWNSHIPS, ELSEWHERE]) {
    await db.insertInto('townships').values({ code, name: `乡镇${code}`, county_code: code.slice(0, 6), created_at: now().toISOString() }).execute();
  }
  await seedDevice(db, 'SEED0001', TOWNSHIPS[0]!);
  const factsJson = JSON.stringify(caseInput(1).facts);
  const started = performance.now();
  // Most in the county; one case in twelve in another county, which the area leaves out.
  const inCounty = Math.floor((CASES * 11) / 12);
  await seedQueueCases(db, kind, { from: 1, count: inCounty, townships: TOWNSHIPS, deviceId: 'SEED0001', factsJson });
  await seedQueueCases(db, kind, { from: inCounty + 1, count: CASES - inCounty, townships: [ELSEWHERE], deviceId: 'SEED0001', factsJson });
  // What autovacuum does after a bulk insert: statistics, and the visibility map index-only scans need.
  if (kind === 'postgres') await sql`vacuum analyze cases`.execute(db);
  const seedSeconds = (performance.now() - started) / 1000;

  const mix = requests();
  const times: number[] = [];
  const byLabel = new Map<string, number[]>();
  const floors: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const r = mix[i % mix.length]!;
    const t0 = performance.now();
    const page = await caseQueue(ctx, { area: AREA, ...r.filter });
    const t1 = performance.now();
    if (page.total === 0 && r.label !== 'flag conflict') throw new Error(`the bench's "${r.label}" request found nothing: the seed and the mix disagree`);
    const f0 = performance.now();
    await sql`select township_code, count(*) as n from cases group by township_code`.execute(db);
    const f1 = performance.now();
    if (i < WARMUP) continue;
    times.push(t1 - t0);
    floors.push(f1 - f0);
    byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), t1 - t0]);
  }
  times.sort((a, b) => a - b);
  floors.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  const floor = percentile(floors, 50);
  const slowest = [...byLabel].map(([label, ts]) => [label, percentile([...ts].sort((a, b) => a - b), 95)] as const).sort((a, b) => b[1] - a[1]);
  return {
    name: `county.queuePage.p95ms.${kind}`,
    value: p95,
    unit: 'ms',
    floor,
    ratio: p95 / floor,
    note: `${CASES} cases (seeded in ${seedSeconds.toFixed(0)} s), ${REQUESTS} requests of ${mix.length} kinds after ${WARMUP} untimed; p50 ${percentile(times, 50).toFixed(1)} ms; slowest kinds (p95): ${slowest
      .slice(0, 3)
      .map(([l, v]) => `${l} ${v.toFixed(1)} ms`)
      .join(', ')}; floor = median of a count(*) group by township over the same rows; ${kind === 'postgres' ? 'throwaway cluster, fsync on' : 'file in a temp folder'}; target ≤ ${TARGET_P95_MS} ms`,
  };
}

async function sqliteFigure(): Promise<BenchFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'jiexu-county-bench-'));
  const app = await openDatabase({ kind: 'sqlite', file: join(dir, 'jiexu.sqlite') });
  try {
    await migrateToLatest(app);
    return await measure(app, 'sqlite');
  } finally {
    await app.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresFigure(cluster: PostgresCluster): Promise<BenchFigure> {
  const database = await createTestDatabase(cluster.url, 'county-bench');
  const app = await openDatabase({ kind: 'postgres', url: database.url });
  try {
    await migrateToLatest(app);
    return await measure(app, 'postgres');
  } finally {
    await app.db.destroy();
    await database.drop();
  }
}

export default {
  title: `County queue (a page and its total) and weekly report over ${CASES} cases`,
  async run(wants: (name: string) => boolean = () => true): Promise<BenchFigure[]> {
    const figures: BenchFigure[] = [];
    if (wants('county.queuePage.p95ms.sqlite')) figures.push(await sqliteFigure());
    if (wants('county.weeklyReport.ms.sqlite')) figures.push(await weeklyReportSqliteFigure());
    if (!wants('county.queuePage.p95ms.postgres') && !wants('county.weeklyReport.ms.postgres')) return figures;
    const reason = postgresUnavailableReason();
    if (reason !== null) {
      console.log(`county.queuePage.p95ms.postgres skipped: PostgreSQL unavailable (${reason})`);
      return figures;
    }
    let cluster: PostgresCluster;
    try {
      cluster = await startPostgresCluster({ durable: true });
    } catch (err) {
      console.log(`county.queuePage.p95ms.postgres skipped: the throwaway cluster did not start (${(err as Error).message.split('\n')[0]})`);
      return figures;
    }
    try {
      if (wants('county.queuePage.p95ms.postgres')) figures.push(await postgresFigure(cluster));
      if (wants('county.weeklyReport.ms.postgres')) figures.push(await weeklyReportPostgresFigure(cluster));
    } finally {
      await cluster.stop();
    }
    return figures;
  },
};
