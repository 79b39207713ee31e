// county.weeklyReport.ms.{sqlite,postgres}: the weekly report (server/reports/weekly.ts, what GET
// /api/admin/reports/weekly runs) of one county over 200,000 cases, median ms of several runs. On
// SQLite it runs as the server runs it, in the report worker on its own read-only connection. The
// floor is a plain `select township_code, count(*) from cases group by township_code` over the same
// rows, timed interleaved with it. Target: ≤ 2 s.
//
// The rows are written with bulk INSERT … SELECT: the cases by tests/support/queue-seed.ts (with a
// real case's facts JSON), their receipt spread one a minute over 20 weeks; then for each case a tablet
// version, the server's determination with its figures, the signed steps that lead to its status (one
// per step, a day apart), an audit chain entry for its receipt and each step, and for cases the agency
// has reported on, a pension finding (one in ten with an older, superseded one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type AppDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import type { CountyContext } from '../../src/server/county/context';
import type { Database } from '../../src/server/db/schema';
import { closeReportReader } from '../../src/server/reports/reader';
import { weeklyReport } from '../../src/server/reports/weekly';
import { caseInput } from '../support/sync-fixtures';
import { seedDevice, seedQueueCases } from '../support/queue-seed';
import { createTestDatabase, type PostgresCluster } from '../support/postgres-cluster';
import type { BenchFigure } from './run';

const CASES = Number(process.env.COUNTY_BENCH_CASES ?? 200_000);
const RUNS = Number(process.env.COUNTY_REPORT_RUNS ?? 7);
const TARGET_MS = 2000;
const AREA = { level: 'county', code: '150102' } as const;
const TOWNSHIPS = Array.from({ length: 12 }, (_, i) => `150102${String(i + 1).padStart(3, '0')}`);
const ELSEWHERE = '150202001';
/** A Monday 13 weeks into the 20 the cases are spread over. */
const REPORT_AT = new Date('2024-04-01T02:00:00.000Z');
type Kind = 'sqlite' | 'postgres';

/** The steps that lead from 已同步 to each status, in order. */
const PATHS: Record<string, string[]> = {
  synced: [],
  verified: ['verified'],
  'sent-to-agency': ['verified', 'sent-to-agency'],
  'agency-reported': ['verified', 'sent-to-agency', 'agency-reported'],
  paying: ['verified', 'sent-to-agency', 'agency-reported', 'paying'],
  completed: ['verified', 'sent-to-agency', 'agency-reported', 'paying', 'completed'],
  transferred: ['verified', 'sent-to-agency', 'agency-reported', 'transferred'],
  'not-eligible': ['verified', 'not-eligible'],
  'correction-requested': ['correction-requested'],
};

async function seed(pool: Kysely<Database>, kind: Kind): Promise<void> {
  const pg = kind === 'postgres';
  const now = '2024-01-01T00:00:00.000Z';
  for (const code of [...TOWNSHIPS, ELSEWHERE]) await pool.insertInto('townships').values({ code, name: `乡镇${code}`, county_code: code.slice(0, 6), created_at: now }).execute();
  await seedDevice(pool, 'SEED0001', TOWNSHIPS[0]!);
  const factsJson = JSON.stringify(caseInput(1).facts);
  const inCounty = Math.floor((CASES * 11) / 12);
  await seedQueueCases(pool, kind, { from: 1, count: inCounty, townships: TOWNSHIPS, deviceId: 'SEED0001', factsJson });
  await seedQueueCases(pool, kind, { from: inCounty + 1, count: CASES - inCounty, townships: [ELSEWHERE], deviceId: 'SEED0001', factsJson });

  await pool.connection().execute(async (db) => {
    // The case's row number, from its case number ('150102-SEED0001-' || i + 100000).
    const iOf = pg ? sql.raw(`(substr(c.case_number, 17)::int - 100000)`) : sql.raw(`(cast(substr(c.case_number, 17) as integer) - 100000)`);
    const minutes = pg
      ? sql`to_char(timestamp '2024-01-01' + ${iOf} * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || ${iOf} || ' minutes')`;
    await sql`update cases as c set received_at = ${minutes}, current_version_id = replace(c.id, '-0000-4000-', '-0001-4000-')`.execute(db);

    // Amounts vary by case: pension unit fen = i * 37 mod 5,000,000, the others fractions of it; a
    // third of the cases have no medical figures, one in fifty no determination (an engine error).
    const yuan = (fen: string) => (pg ? sql.raw(`((${fen}) / 100)::text || '.' || lpad(((${fen}) % 100)::text, 2, '0')`) : sql.raw(`printf('%d.%02d', (${fen}) / 100, (${fen}) % 100)`));
    const f = `((${iOf.compile(db).sql}) * 37 % 5000000)`;
    const medical = (share: string) => sql`case when ${iOf} % 3 = 0 then 'null' else '"' || ${yuan(`${f} / ${share}`)} || '"' end`;
    const figures = sql`'{"parametersVersion":"nm43-2019","pensionUnitAmount":"' || ${yuan(f)} || '","pensionIndividualAmount":"' || ${yuan(`${f} / 2`)}
      || '","pensionUnitPayer":' || coalesce('"' || c.unit_payer || '"', 'null') || ',"medicalUnitAmount":' || ${medical('3')} || ',"medicalIndividualAmount":' || ${medical('5')} || '}'`;
    await sql`
      insert into case_versions (id, case_id, revision, base_revision, source, mutation_id, device_id, actor, at, received_at, status, facts, registration, figures, conflicting)
      select c.current_version_id, c.id, 1, null, 'tablet', c.id, c.device_id, 'seed', c.received_at, c.received_at, c.status, c.facts, c.registration, ${figures}, 0
      from cases c`.execute(db);
    await sql`
      insert into server_determinations (version_id, parameters_version, case_id, purpose, figures, determination_sha256, program_version, error, figures_differ, computed_at)
      select c.current_version_id, 'nm43-2019', c.id, 'tablet-set', case when ${iOf} % 50 = 0 then null else ${figures} end,
        case when ${iOf} % 50 = 0 then null else ${'a'.repeat(64)} end, 'bench', case when ${iOf} % 50 = 0 then 'not-in-force: bench' else null end, 0, c.received_at
      from cases c`.execute(db);

    await sql`create temporary table if not exists seed_paths (status varchar(32) not null, n integer not null, step varchar(32) not null, from_status varchar(32) not null)`.execute(db);
    await sql`delete from seed_paths`.execute(db);
    for (const [status, steps] of Object.entries(PATHS)) {
      for (const [k, step] of steps.entries()) await sql`insert into seed_paths (status, n, step, from_status) values (${status}, ${k + 1}, ${step}, ${k === 0 ? 'synced' : steps[k - 1]!})`.execute(db);
    }
    const stepAt = pg
      ? sql`to_char(c.received_at::timestamp + p.n * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', c.received_at, '+' || p.n || ' days')`;
    // Audit seqs: 8 a case, the first for its receipt, the next for its steps.
    const seqOf = (n: string) => sql.raw(`(${iOf.compile(db).sql}) * 8 + ${n}`);
    const hash = sql.raw(pg ? `md5(c.id) || md5(c.case_number)` : `'${'b'.repeat(64)}'`);
    await sql`
      insert into case_steps (id, case_id, step, from_status, to_status, actor, role, area_level, area_code, at, comment, checks, reason_for_veteran, void, voided_by_step, audit_seq, audit_hash)
      select replace(c.id, '-0000-4000-', '-000' || p.n || '-4000-'), c.id, p.step, p.from_status, p.step, 'reviewer', 'county-reviewer', 'county', '150102', ${stepAt}, '已核实', null, null, 0, null, ${seqOf('p.n')}, ${hash}
      from cases c join seed_paths p on p.status = c.lifecycle_status`.execute(db);
    await sql`
      insert into audit_chain (seq, at, occurred_at, action, actor, role, area_level, area_code, subject, detail, personal_sha256, prev_hash, hash)
      select ${seqOf('0')}, c.received_at, c.received_at, 'tablet.case-registered', 'device:SEED0001', null, 'township', c.township_code, c.id, '{"revision":1}', null, ${hash}, ${hash}
      from cases c`.execute(db);
    await sql`
      insert into audit_chain (seq, at, occurred_at, action, actor, role, area_level, area_code, subject, detail, personal_sha256, prev_hash, hash)
      select ${seqOf('p.n')}, ${stepAt}, null, 'case.step', 'reviewer', 'county-reviewer', 'county', '150102', c.id, '{"step":"' || p.step || '"}', null, ${hash}, ${hash}
      from cases c join seed_paths p on p.status = c.lifecycle_status`.execute(db);

    type RawId = ReturnType<typeof sql.raw>;
    const finding = (id: RawId, amount: string, superseded: string) => sql`
      insert into agency_findings (id, case_id, track, gap_months, unit_amount, individual_amount, computed_on, agency_name, document_number, document_date, recorded_by, recorded_at,
        engine_gap_months, engine_unit_amount, engine_individual_amount, parameter_version, differs, difference_amount, engine_error, audit_seq, superseded_by)
      select ${id}, c.id, 'pension', 120, ${yuan(amount)}, ${yuan(`${amount} / 2`)}, '2024-03-01', '社保中心', '社保字1号', '2024-03-01', 'reviewer', c.received_at,
        120, ${yuan(f)}, ${yuan(`${f} / 2`)}, 'nm43-2019', 1, '0.00', null, ${seqOf('7')}, ${sql.raw(superseded)}
      from cases c where c.lifecycle_status in ('agency-reported', 'paying', 'completed', 'transferred')`;
    await finding(sql.raw(`replace(c.id, '-0000-4000-', '-0009-4000-')`), `${f} + 1234`, 'null').execute(db);
    await sql`${finding(sql.raw(`replace(c.id, '-0000-4000-', '-0008-4000-')`), `${f} + 99`, `replace(c.id, '-0000-4000-', '-0009-4000-')`)} and ${iOf} % 10 = 0`.execute(db);
    const last = await sql<{ seq: number | string }>`select max(seq) as seq from audit_chain`.execute(db);
    await sql`update audit_head set seq = ${Number(last.rows[0]!.seq)}, hash = ${'b'.repeat(64)} where id = 1`.execute(db);
  });
  // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
  if (pg) for (const t of ['cases', 'case_versions', 'server_determinations', 'case_steps', 'audit_chain', 'agency_findings']) await sql`vacuum analyze ${sql.table(t)}`.execute(pool);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(app: AppDatabase, kind: Kind): Promise<BenchFigure> {
  const started = performance.now();
  await seed(app.db, kind);
  const seedSeconds = (performance.now() - started) / 1000;
  const rows = async (table: 'case_steps' | 'audit_chain' | 'agency_findings') => Number((await app.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const counts = { steps: await rows('case_steps'), audit: await rows('audit_chain'), findings: await rows('agency_findings') };
  const ctx: CountyContext = { db: app.db, kind, now: () => REPORT_AT };
  try {
    const times: number[] = [];
    const floors: number[] = [];
    let registered = 0;
    // One untimed run first: the worker's start and the first reads of a cold file.
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      const report = await weeklyReport(ctx, AREA, REPORT_AT);
      const t1 = performance.now();
      await sql`select township_code, count(*) as n from cases group by township_code`.execute(app.db);
      const t2 = performance.now();
      registered = report.total.progress.registered.toDate;
      if (registered === 0) throw new Error('the bench’s weekly report counted nothing: the seed and the report disagree');
      if (i === 0) continue;
      times.push(t1 - t0);
      floors.push(t2 - t1);
    }
    const value = median(times);
    const floor = median(floors);
    return {
      name: `county.weeklyReport.ms.${kind}`,
      value,
      unit: 'ms',
      floor,
      ratio: value / floor,
      note: `${CASES} cases, ${counts.steps} steps, ${counts.audit} audit entries, ${counts.findings} agency findings (seeded in ${seedSeconds.toFixed(0)} s); median of ${RUNS} runs after one untimed (max ${Math.max(...times).toFixed(0)} ms); ${registered} registered to date in the county; ${kind === 'postgres' ? 'throwaway cluster, fsync on (durable)' : 'in the report worker, file in a temp folder'}; floor = median of a count(*) group by township over the same rows; target ≤ ${TARGET_MS} ms`,
    };
  } finally {
    await closeReportReader(ctx);
  }
}

export async function weeklyReportSqliteFigure(): Promise<BenchFigure> {
  const dir = mkdtempSync(join(tmpdir(), 'jiexu-report-bench-'));
  const app = await openDatabase({ kind: 'sqlite', file: join(dir, 'jiexu.sqlite') });
  try {
    await migrateToLatest(app);
    return await measure(app, 'sqlite');
  } finally {
    await app.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function weeklyReportPostgresFigure(cluster: PostgresCluster): Promise<BenchFigure> {
  const database = await createTestDatabase(cluster.url, 'report-bench');
  const app = await openDatabase({ kind: 'postgres', url: database.url });
  try {
    await migrateToLatest(app);
    return await measure(app, 'postgres');
  } finally {
    await app.db.destroy();
    await database.drop();
  }
}
