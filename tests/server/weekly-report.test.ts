// The weekly report (NM43-3.4), the end-of-August statistics (NM43-2) and the completion summary over a
// hand-built set of cases whose figures are worked out by hand below; 报送 freezing; and, on SQLite,
// a report held in its worker while a tablet's sync push is answered.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createTownship } from '../../src/server/county/administration';
import type { Database } from '../../src/server/db/schema';
import { isHoldable, reportReader } from '../../src/server/reports/reader';
import { canonicalJson } from '../../src/shared/canonical-json';
import type { AugustStatistics, CompletionSummary, ReportSubmission, ReportSubmissionWithReport, WeeklyAreaRow, WeeklyReport } from '../../src/shared/reports';
import { DEFAULT_PARAMETERS } from '../../src/domain';
import type { Kysely } from 'kysely';
import type { PushResponse } from '../../src/shared/sync-protocol';
import { seedDevice } from '../support/queue-seed';
import { TOWNSHIP, OTHER_TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

// The test server's clock stands at 2024-05-01T08:00Z (Wednesday 16:00 Shanghai), so the current
// reporting week runs 2024-04-25T04:00Z → 2024-05-02T04:00Z (Thursday 12:00 → Thursday 12:00 Shanghai)
// and the previous one 2024-04-18T04:00Z → 2024-04-25T04:00Z.
const T1 = TOWNSHIP.code; // 150102001
const T2 = OTHER_TOWNSHIP.code; // 150102002
const SAIHAN = { code: '150105001', name: '赛罕区测试街道' }; // another county of the same 盟市 (150100)
const BAOTOU = { code: '150202001', name: '东河区测试街道' }; // another 盟市 (150200)

interface Amounts {
  pu: string | null;
  pi: string | null;
  mu: string | null;
  mi: string | null;
}
interface FixtureCase {
  key: string;
  township: string;
  receivedAt: string;
  payer: 'unit' | 'superior' | 'fiscal' | null;
  status?: 'registered' | 'withdrawn';
  lifecycle: string;
  /** The engine's figures; 'error': the determination failed; null: no determination kept. */
  engine: Amounts | 'error' | null;
  steps?: { to: string; at: string; void?: boolean }[];
  findings?: { track: 'pension' | 'medical'; unit: string; individual: string; superseded?: boolean }[];
}

// c1 T1 this week, unit: engine pension 1000.00 + 400.00, medical 300.50 + 100.25; verified and sent this week.
// c2 T1 previous week (its last millisecond), fiscal: engine pension 2000.00 + 800.00, no medical;
//    verified this week (its first millisecond); a void 退回补正 in the previous week; agency pension
//    2100.00 + 810.00 in force (an older finding of 9999.99 superseded).
// c3 T2 earlier (04-10), superior: engine pension 500.00 + 200.00; 退回补正 04-15 (earlier), verified
//    04-20 and sent 04-22 (previous week), agency-reported 04-30 and paying 05-01 07:00 (this week),
//    completed 05-02 05:00 (next week: not in this report; its status is completed now).
// c4 T2 this week, fiscal, its determination failed; not-eligible this week.
// c5 T2 this week, withdrawn: counted nowhere.
// c6 赛罕区 this week, unit (another county of the 盟市). c11 包头 this week, unit (another 盟市).
// c7 T1 05-02 04:00:00.000 (next week's first millisecond), unit, no determination.
// c8 T1 this week, no payer (out of scope), engine figures all null.
// c9 T1 2024-08-31T16:00Z (09-01 00:00 Shanghai), unit; c10 T1 2024-08-31T15:59:59.999Z, unit.
const CASES: FixtureCase[] = [
  {
    key: 'c1', township: T1, receivedAt: '2024-04-26T01:00:00.000Z', payer: 'unit', lifecycle: 'sent-to-agency',
    engine: { pu: '1000.00', pi: '400.00', mu: '300.50', mi: '100.25' },
    steps: [{ to: 'verified', at: '2024-04-27T02:00:00.000Z' }, { to: 'sent-to-agency', at: '2024-04-28T02:00:00.000Z' }],
  },
  {
    key: 'c2', township: T1, receivedAt: '2024-04-25T03:59:59.999Z', payer: 'fiscal', lifecycle: 'verified',
    engine: { pu: '2000.00', pi: '800.00', mu: null, mi: null },
    steps: [{ to: 'correction-requested', at: '2024-04-25T03:59:59.999Z', void: true }, { to: 'verified', at: '2024-04-25T04:00:00.000Z' }],
    findings: [{ track: 'pension', unit: '9999.99', individual: '1.00', superseded: true }, { track: 'pension', unit: '2100.00', individual: '810.00' }],
  },
  {
    key: 'c3', township: T2, receivedAt: '2024-04-10T00:00:00.000Z', payer: 'superior', lifecycle: 'completed',
    engine: { pu: '500.00', pi: '200.00', mu: null, mi: null },
    steps: [
      { to: 'correction-requested', at: '2024-04-15T00:00:00.000Z' },
      { to: 'verified', at: '2024-04-20T00:00:00.000Z' },
      { to: 'sent-to-agency', at: '2024-04-22T00:00:00.000Z' },
      { to: 'agency-reported', at: '2024-04-30T00:00:00.000Z' },
      { to: 'paying', at: '2024-05-01T07:00:00.000Z' },
      { to: 'completed', at: '2024-05-02T05:00:00.000Z' },
    ],
  },
  { key: 'c4', township: T2, receivedAt: '2024-04-30T09:00:00.000Z', payer: 'fiscal', lifecycle: 'not-eligible', engine: 'error', steps: [{ to: 'not-eligible', at: '2024-04-30T10:00:00.000Z' }] },
  { key: 'c5', township: T2, receivedAt: '2024-04-29T00:00:00.000Z', payer: 'unit', status: 'withdrawn', lifecycle: 'synced', engine: { pu: '1.00', pi: '1.00', mu: null, mi: null } },
  { key: 'c6', township: SAIHAN.code, receivedAt: '2024-04-29T00:00:00.000Z', payer: 'unit', lifecycle: 'synced', engine: { pu: '10.00', pi: '20.00', mu: null, mi: null } },
  { key: 'c11', township: BAOTOU.code, receivedAt: '2024-04-29T00:00:00.000Z', payer: 'unit', lifecycle: 'synced', engine: { pu: '30.00', pi: '40.00', mu: null, mi: null } },
  { key: 'c7', township: T1, receivedAt: '2024-05-02T04:00:00.000Z', payer: 'unit', lifecycle: 'synced', engine: null },
  { key: 'c8', township: T1, receivedAt: '2024-04-27T00:00:00.000Z', payer: null, lifecycle: 'synced', engine: { pu: null, pi: null, mu: null, mi: null } },
  { key: 'c9', township: T1, receivedAt: '2024-08-31T16:00:00.000Z', payer: 'unit', lifecycle: 'synced', engine: null },
  { key: 'c10', township: T1, receivedAt: '2024-08-31T15:59:59.999Z', payer: 'unit', lifecycle: 'synced', engine: null },
];

const DEVICES: Record<string, string> = { [T1]: 'RPT00001', [T2]: 'RPT00002', [SAIHAN.code]: 'RPT00003', [BAOTOU.code]: 'RPT00004' };

async function insertFixture(db: Kysely<Database>, list: FixtureCase[]): Promise<void> {
  let n = 0;
  for (const c of list) {
    n += 1;
    const id = randomUUID();
    const versionId = randomUUID();
    await db
      .insertInto('cases')
      .values({
        id, case_number: `${c.township.slice(0, 6)}-${DEVICES[c.township]}-${String(90000 + n)}`, device_id: DEVICES[c.township]!, township_code: c.township,
        id_number: `15010219700101${String(1000 + n).slice(-4)}`, name: '测试', status: c.status ?? 'registered', county_status: 'received', correction_request: null,
        facts: '{}', registration: '{}', revision: 1, current_version_id: versionId, parameters_version: 'nm43-2019', conflict: 0, possible_duplicate: 0,
        figures_differ: 0, received_at: c.receivedAt, updated_at: c.receivedAt, updated_by: 'test', lifecycle_status: c.lifecycle as never, unit_payer: c.payer,
      })
      .execute();
    await db
      .insertInto('case_versions')
      .values({ id: versionId, case_id: id, revision: 1, base_revision: null, source: 'tablet', mutation_id: randomUUID(), device_id: DEVICES[c.township]!, actor: 'test', at: c.receivedAt, received_at: c.receivedAt, status: c.status ?? 'registered', facts: '{}', registration: '{}', figures: '{}', conflicting: 0 })
      .execute();
    if (c.engine !== null) {
      const figures =
        c.engine === 'error'
          ? null
          : JSON.stringify({ pensionUnitAmount: c.engine.pu, pensionIndividualAmount: c.engine.pi, medicalUnitAmount: c.engine.mu, medicalIndividualAmount: c.engine.mi, pensionUnitPayer: c.payer });
      await db
        .insertInto('server_determinations')
        .values({ version_id: versionId, parameters_version: 'nm43-2019', case_id: id, purpose: 'tablet-set', figures, determination_sha256: null, program_version: null, error: figures === null ? 'not-in-force: test' : null, figures_differ: 0, computed_at: c.receivedAt })
        .execute();
    }
    let from = 'synced';
    for (const [k, s] of (c.steps ?? []).entries()) {
      await db
        .insertInto('case_steps')
        .values({ id: randomUUID(), case_id: id, step: s.to as never, from_status: from as never, to_status: s.to as never, actor: 'reviewer', role: 'county-reviewer', area_level: 'county', area_code: '150102', at: s.at, comment: '', checks: null, reason_for_veteran: null, void: s.void ? 1 : 0, voided_by_step: null, audit_seq: 1000 + k, audit_hash: '0'.repeat(64) })
        .execute();
      if (!s.void) from = s.to;
    }
    for (const f of c.findings ?? []) {
      await db
        .insertInto('agency_findings')
        .values({
          id: randomUUID(), case_id: id, track: f.track, gap_months: 12, unit_amount: f.unit, individual_amount: f.individual, computed_on: '2024-04-29', agency_name: '测试社保中心',
          document_number: '测字1号', document_date: '2024-04-29', recorded_by: 'reviewer', recorded_at: '2024-04-29T00:00:00.000Z', engine_gap_months: 12, engine_unit_amount: null,
          engine_individual_amount: null, parameter_version: 'nm43-2019', differs: 1, difference_amount: '0.00', engine_error: null, audit_seq: 1, superseded_by: f.superseded ? 'later' : null,
        })
        .execute();
    }
  }
}

const ZERO_TRACK = { unit: '0.00', individual: '0.00', total: '0.00' };
const noMoney = { engine: { pension: ZERO_TRACK, medical: ZERO_TRACK }, engineCases: 0, agency: { pension: ZERO_TRACK, medical: ZERO_TRACK }, agencyCases: 0 };

function progress(row: WeeklyAreaRow): Record<string, [number, number, number]> {
  return Object.fromEntries(Object.entries(row.progress).map(([k, v]) => [k, [v.thisWeek, v.previousWeek, v.toDate]]));
}

describeOnEachDatabase('the weekly report, the August statistics and the completion summary', (kind) => {
  let s: SyncTestServer;
  let leagueCookie: string;

  const get = async <T>(url: string, cookie?: string): Promise<T> => {
    const res = cookie ? await s.app.inject({ method: 'GET', url, headers: { cookie } }) : await s.admin('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<T>(res);
  };

  beforeAll(async () => {
    s = await startSyncServer(kind, 'weekly-report');
    const ctx = s.app.county;
    await createTownship(ctx, SAIHAN);
    await createTownship(ctx, BAOTOU);
    for (const [township, device] of Object.entries(DEVICES)) await seedDevice(ctx.db, device, township);
    await insertFixture(ctx.db, CASES);
    await createAccount(ctx, { username: 'hohhot-task-force', password: 'task force password', role: 'league-task-force', area: { level: 'league', code: '150100' } });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'hohhot-task-force', password: 'task force password' } });
    expect(login.statusCode, login.body).toBe(200);
    leagueCookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('counts registrations by receipt time and steps by their time, this week, the previous week and to date, by township and for the county', async () => {
    const r = await get<WeeklyReport>('/api/admin/reports/weekly');
    expect(r.week).toEqual({ start: '2024-04-25T04:00:00.000Z', end: '2024-05-02T04:00:00.000Z', dueDate: '2024-05-02' });
    expect(r.previousWeek).toEqual({ start: '2024-04-18T04:00:00.000Z', end: '2024-04-25T04:00:00.000Z', dueDate: '2024-04-25' });
    expect(r.area).toEqual({ level: 'county', code: '150102' });
    // [this week, previous week, to date]
    // registered: this c1 c4 c8; previous c2 (its last ms); to date + c3. Not c5 (withdrawn), c6/c11 (elsewhere), c7 (next week), c9/c10 (later).
    // verified: this c1, c2 (12:00 exactly); previous c3. sent: this c1; previous c3. agency-reported, paying: this c3.
    // completed: none (c3's is next week). not-eligible: this c4. 退回补正: c3's of 04-15 to date only; c2's is void.
    expect(progress(r.total)).toEqual({
      registered: [3, 1, 5],
      verified: [2, 1, 3],
      'sent-to-agency': [1, 1, 2],
      'agency-reported': [1, 0, 1],
      paying: [1, 0, 1],
      completed: [0, 0, 0],
      transferred: [0, 0, 0],
      'not-eligible': [1, 0, 1],
      'correction-requested': [0, 0, 1],
    });
    expect(r.levels.map((l) => l.level)).toEqual(['township']);
    const [t1, t2] = r.levels[0]!.rows;
    expect([t1!.area.code, t1!.name, t2!.area.code, t2!.name]).toEqual([T1, TOWNSHIP.name, T2, OTHER_TOWNSHIP.name]);
    // T1: c1, c2, c8. T2: c3, c4.
    expect(progress(t1!)).toMatchObject({ registered: [2, 1, 3], verified: [2, 0, 2], 'sent-to-agency': [1, 0, 1], paying: [0, 0, 0], 'correction-requested': [0, 0, 0] });
    expect(progress(t2!)).toMatchObject({ registered: [1, 0, 2], verified: [0, 1, 1], 'sent-to-agency': [0, 1, 1], paying: [1, 0, 1], 'not-eligible': [1, 0, 1], 'correction-requested': [0, 0, 1] });
  });

  it('gives people and money by payer, the engine’s estimate and the agencies’ figure apart', async () => {
    const r = await get<WeeklyReport>('/api/admin/reports/weekly');
    const payer = (p: string) => r.total.payers.find((x) => x.payer === p)!;
    // unit: c1 (this week): pension 1000.00 + 400.00 = 1400.00, medical 300.50 + 100.25 = 400.75; no agency figure.
    const c1 = { engine: { pension: { unit: '1000.00', individual: '400.00', total: '1400.00' }, medical: { unit: '300.50', individual: '100.25', total: '400.75' } }, engineCases: 1, agency: noMoney.agency, agencyCases: 0 };
    expect(payer('unit').periods).toEqual({ thisWeek: { people: 1, money: c1 }, previousWeek: { people: 0, money: noMoney }, toDate: { people: 1, money: c1 } });
    // fiscal: c4 this week (no engine figure: its determination failed); c2 the previous week: engine
    // pension 2000.00 + 800.00 = 2800.00, agency (the finding in force) 2100.00 + 810.00 = 2910.00.
    const c2 = {
      engine: { pension: { unit: '2000.00', individual: '800.00', total: '2800.00' }, medical: ZERO_TRACK },
      engineCases: 1,
      agency: { pension: { unit: '2100.00', individual: '810.00', total: '2910.00' }, medical: ZERO_TRACK },
      agencyCases: 1,
    };
    expect(payer('fiscal').periods).toEqual({ thisWeek: { people: 1, money: noMoney }, previousWeek: { people: 1, money: c2 }, toDate: { people: 2, money: c2 } });
    // superior: c3, registered before the previous week: to date only, 500.00 + 200.00.
    expect(payer('superior').periods.toDate).toEqual({ people: 1, money: { ...noMoney, engine: { pension: { unit: '500.00', individual: '200.00', total: '700.00' }, medical: ZERO_TRACK }, engineCases: 1 } });
    expect(payer('superior').periods.thisWeek.people + payer('superior').periods.previousWeek.people).toBe(0);
    expect(payer('unit').fiscalSplit).toBeNull();
  });

  it('marks the fiscal split not published while no ratios are in force, and splits each row to the fen once they are', async () => {
    const before = await get<WeeklyReport>('/api/admin/reports/weekly');
    const cells = before.total.payers.find((p) => p.payer === 'fiscal')!.fiscalSplit!;
    expect(cells.toDate.published).toBe(false);
    expect(cells.toDate.published === false && cells.toDate.reason).toMatch(/fiscalSplit/);

    // A set with the region's ratios 0.5 / 0.3 / 0.2 from 2019-01-01, issued later than the default.
    const doc = {
      ...structuredClone(DEFAULT_PARAMETERS),
      version: 'report-test-fiscal',
      issued: '2026-06-01',
      fiscalSplit: { region: [{ from: '2019-01-01', region: '0.5', league: '0.3', county: '0.2', unit: 'ratio', source: '测试比例', provisional: false }], leagues: {} },
    };
    await s.app.county.db.insertInto('parameter_sets').values({ version: 'report-test-fiscal', document: JSON.stringify(doc), issued: '2026-06-01', published_at: '2024-05-01T00:00:00.000Z', published_by: 'test' }).execute();

    const after = await get<WeeklyReport>('/api/admin/reports/weekly');
    const split = after.total.payers.find((p) => p.payer === 'fiscal')!.fiscalSplit!;
    // To date the fiscal unit amounts are c2's: engine 2000.00 → 1000.00 / 600.00 / 400.00; agency 2100.00 → 1050.00 / 630.00 / 420.00.
    expect(split.toDate).toEqual({ published: true, parametersVersion: 'report-test-fiscal', engine: { region: '1000.00', league: '600.00', county: '400.00' }, agency: { region: '1050.00', league: '630.00', county: '420.00' } });
    // This week's only fiscal case (c4) has no figures: zeros, published.
    expect(split.thisWeek).toMatchObject({ published: true, engine: { region: '0.00', league: '0.00', county: '0.00' } });
  });

  it('shows a 盟市 task force its counties and their townships, and nothing of another 盟市', async () => {
    const r = await get<WeeklyReport>('/api/admin/reports/weekly', leagueCookie);
    expect(r.area).toEqual({ level: 'league', code: '150100' });
    expect(r.levels.map((l) => [l.level, l.rows.map((x) => x.area.code)])).toEqual([
      ['county', ['150102', '150105']],
      ['township', [T1, T2, SAIHAN.code]],
    ]);
    // 150102 as above; 150105: c6 this week. Not c11 (包头).
    expect(r.levels[0]!.rows.map((x) => x.progress.registered)).toEqual([
      { thisWeek: 3, previousWeek: 1, toDate: 5 },
      { thisWeek: 1, previousWeek: 0, toDate: 1 },
    ]);
    expect(r.total.progress.registered).toEqual({ thisWeek: 4, previousWeek: 1, toDate: 6 });
    expect(r.levels[0]!.rows[0]!.name).not.toBe('');
  });

  it('counts for the August statistics every case received by the end of 08-31 Shanghai, with its money', async () => {
    const a = await get<AugustStatistics>('/api/admin/reports/august-statistics?year=2024');
    expect([a.asOf, a.asOfEnd]).toEqual(['2024-08-31', '2024-08-31T16:00:00.000Z']);
    // c1 c2 c3 c4 c7 c8 c10 (c10 at 23:59:59.999 Shanghai; c9 at 09-01 00:00 is out).
    // By payer: unit c1 c7 c10, superior c3, fiscal c2 c4 (c8 has none).
    // Engine: pension unit 1000 + 2000 + 500 = 3500.00, individual 400 + 800 + 200 = 1400.00; medical c1 only;
    // engine cases c1 c2 c3 c8 (c4 failed, c7 c10 none). Agency: c2's finding in force.
    expect(a.total).toMatchObject({
      people: 7,
      peopleByPayer: { unit: 3, superior: 1, fiscal: 2 },
      money: {
        engine: { pension: { unit: '3500.00', individual: '1400.00', total: '4900.00' }, medical: { unit: '300.50', individual: '100.25', total: '400.75' } },
        engineCases: 4,
        agency: { pension: { unit: '2100.00', individual: '810.00', total: '2910.00' }, medical: ZERO_TRACK },
        agencyCases: 1,
      },
    });
    const earlier = await get<AugustStatistics>('/api/admin/reports/august-statistics?year=2023');
    expect(earlier.total.people).toBe(0);
    const bad = await s.admin('GET', '/api/admin/reports/august-statistics?year=19');
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ error: { code: 'invalid-request' } });
  });

  it('sums up where every case is now in the completion summary', async () => {
    const c = await get<CompletionSummary>('/api/admin/reports/completion');
    // c1 c2 c7 c8 c9 c10 open, c3 completed, c4 not eligible: 8 cases, 2 closed = 0.2500.
    expect(c.total).toMatchObject({ cases: 8, byState: { open: 6, completed: 1, transferred: 0, 'not-eligible': 1 }, closedShare: '0.2500' });
    expect(c.total.completedMoney.engine.pension).toEqual({ unit: '500.00', individual: '200.00', total: '700.00' });
  });

  it('refuses a week that is no date', async () => {
    const res = await s.admin('GET', '/api/admin/reports/weekly?week=last-thursday');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'invalid-request' } });
  });

  it('freezes a submitted report: a later case changes the live report, not the submitted one, and a second submission is a new version beside it', async () => {
    const first = await s.admin('POST', '/api/admin/reports/weekly/submit', { comment: '第一次报送' });
    expect(first.statusCode, first.body).toBe(201);
    const v1 = bodyOf<ReportSubmission>(first);
    expect([v1.version, v1.weekStart, v1.submittedBy, v1.area]).toEqual([1, '2024-04-25T04:00:00.000Z', 'county-admin', { level: 'county', code: '150102' }]);

    await insertFixture(s.app.county.db, [{ key: 'late', township: T2, receivedAt: '2024-05-01T07:30:00.000Z', payer: 'unit', lifecycle: 'synced', engine: null }]);
    const live = await get<WeeklyReport>('/api/admin/reports/weekly?week=2024-04-30');
    expect(live.total.progress.registered.thisWeek).toBe(4);

    const frozen = await get<ReportSubmissionWithReport>(`/api/admin/reports/submissions/${v1.id}`);
    expect(frozen.report.total.progress.registered.thisWeek).toBe(3);
    expect(createHash('sha256').update(canonicalJson(frozen.report), 'utf8').digest('hex')).toBe(v1.sha256);

    const second = await s.admin('POST', '/api/admin/reports/weekly/submit', { week: '2024-05-01' });
    expect(second.statusCode, second.body).toBe(201);
    const v2 = bodyOf<ReportSubmission>(second);
    expect(v2.version).toBe(2);
    const list = await get<{ submissions: ReportSubmission[] }>('/api/admin/reports/submissions?week=2024-04-26');
    expect(list.submissions.map((x) => x.version)).toEqual([2, 1]);
    expect((await get<ReportSubmissionWithReport>(`/api/admin/reports/submissions/${v1.id}`)).report).toEqual(frozen.report);

    // Each submission is signed in the audit chain by its submitter, with the hash of what was frozen.
    const entries = await s.app.county.db.selectFrom('audit_chain').select(['seq', 'action', 'actor', 'subject', 'detail', 'hash']).where('action', '=', 'report.submit').orderBy('seq').execute();
    expect(entries.map((e) => [e.seq, e.hash, e.actor, e.subject])).toEqual([
      [v1.auditSeq, v1.auditHash, 'county-admin', v1.id],
      [v2.auditSeq, v2.auditHash, 'county-admin', v2.id],
    ]);
    expect(JSON.parse(entries[0]!.detail!)).toMatchObject({ sha256: v1.sha256, version: 1 });

    // The 盟市 task force may read the county's submissions, but not submit (a reader, not a signer).
    const leagueList = await get<{ submissions: ReportSubmission[] }>('/api/admin/reports/submissions', leagueCookie);
    expect(leagueList.submissions.map((x) => x.id).sort()).toEqual([v1.id, v2.id].sort());
    const refused = await s.app.inject({ method: 'POST', url: '/api/admin/reports/weekly/submit', headers: { cookie: leagueCookie }, payload: {} });
    expect(refused.statusCode).toBe(403);
  });
});

describe('a report on SQLite runs beside sync', () => {
  it('answers a tablet’s push while a report is held in its worker, and the report resolves after', async () => {
    const { s, tablet, credential } = await startSyncServerWithTablet('sqlite', 'report-beside-sync');
    try {
      const reader = await reportReader(s.app.county);
      expect(isHoldable(reader)).toBe(true);
      if (!isHoldable(reader)) return;
      const hold = reader.holdNext();
      const order: string[] = [];
      const report = s.admin('GET', '/api/admin/reports/weekly').then((res) => {
        order.push('report');
        return res;
      });
      await hold.held;
      tablet.create(1);
      const push = await s.push(tablet, credential);
      order.push('push');
      expect(push.statusCode, push.body).toBe(200);
      expect(bodyOf<PushResponse>(push).ackedThroughSeq).toBe(1);
      expect(order).toEqual(['push']);
      hold.release();
      const res = await report;
      expect(res.statusCode, res.body).toBe(200);
      expect(order).toEqual(['push', 'report']);
      // The report's worker reads through its own connection what the push committed.
      const after = bodyOf<WeeklyReport>(await s.admin('GET', '/api/admin/reports/weekly'));
      expect(after.total.progress.registered.thisWeek).toBe(1);
    } finally {
      await s.close();
    }
  });
});
