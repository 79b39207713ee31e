// What the county records from the agencies and the government: an agency's findings per track beside
// the engine's re-run with the agency's months (NM43-1.4.b), never overwritten; who confirmed that
// the unit or its superior cannot pay (NM43-1.2.c); an agencies' results file previewed row by row and
// committed as findings under one audit entry; and the fiscal split ratios only the region or a 盟市
// may publish.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT, type ParameterSet } from '../../src/domain';
import { verifyAuditChain } from '../../src/server/audit/verify';
import { createAccount, publishParameterSet } from '../../src/server/county/administration';
import type { AgencyFindingView, AgencyResultsCommit, AgencyResultsPreview, PayerConfirmationView } from '../../src/shared/admin-api';
import { REGION, type Area } from '../../src/shared/roles';
import type { TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

type ErrorBody = { error: { code: string; problems?: { path: string; message: string }[] } };
type Detail = { agencyFindings: AgencyFindingView[]; payerConfirmations: PayerConfirmationView[] };

const FINDING = {
  track: 'pension',
  gapMonths: 30,
  unitAmount: '12000.00',
  individualAmount: '4800.00',
  agencyName: '新城区社会保险事业管理局',
  documentNumber: '新社保核〔2024〕12号',
  documentDate: '2024-04-20',
  computedOn: '2024-04-18',
};

describeOnEachDatabase('agency findings, payer confirmations and the agencies’ results import', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'agency'));
  });
  afterEach(async () => {
    await s.close();
  });

  const newCase = async (i: number) => {
    const c = tablet.create(i);
    const res = await s.push(tablet, credential);
    expect(res.statusCode, res.body).toBe(200);
    return c;
  };
  const detail = async (id: string) => bodyOf<Detail>(await s.admin('GET', `/api/admin/cases/${id}`));
  const record = (id: string, body: Record<string, unknown>) => s.admin('POST', `/api/admin/cases/${id}/agency-findings`, body);
  const signIn = async (username: string, role: 'county-reviewer' | 'admin', area: Area) => {
    await createAccount(s.app.county, { username, password: 'agency password 1', role, area });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username, password: 'agency password 1' } });
    expect(login.statusCode, login.body).toBe(200);
    return String(login.headers['set-cookie']).split(';')[0]!;
  };

  it('a pension finding is stored beside the engine’s re-run with the agency’s months, flagged with the signed difference when they differ', async () => {
    const c = await newCase(1);
    const res = await record(c.id, FINDING);
    expect(res.statusCode, res.body).toBe(201);
    const f = bodyOf<AgencyFindingView>(res);
    expect(f.engine.error).toBeNull();
    expect(f.engine.unitAmount).toMatch(/^\d+\.\d{2}$/);
    expect(f.parameterVersion).toBe(DEFAULT_PARAMETERS_DOCUMENT.version);
    expect(f.differs).toBe(true);
    const engineTotal = Math.round(Number(f.engine.unitAmount) * 100) + Math.round(Number(f.engine.individualAmount) * 100);
    const expected = 1200000 + 480000 - engineTotal;
    expect(Math.round(Number(f.differenceAmount) * 100)).toBe(expected);

    // The agency agreeing with the engine (its own months, and the amounts the engine gives for them): not flagged, a zero difference.
    const estimate = bodyOf<AgencyFindingView>(await record(c.id, { ...FINDING, gapMonths: f.engine.gapMonths }));
    const same = bodyOf<AgencyFindingView>(
      await record(c.id, { ...FINDING, gapMonths: f.engine.gapMonths, unitAmount: estimate.engine.unitAmount, individualAmount: estimate.engine.individualAmount, documentNumber: '新社保核〔2024〕13号' }),
    );
    expect(same.differs).toBe(false);
    expect(same.differenceAmount).toBe('0.00');
  });

  it('the engine re-runs with the agency’s interruption months: other months give other amounts', async () => {
    const c = await newCase(2);
    const few = bodyOf<AgencyFindingView>(await record(c.id, { ...FINDING, gapMonths: 12 }));
    const many = bodyOf<AgencyFindingView>(await record(c.id, { ...FINDING, gapMonths: 36 }));
    expect(Number(many.engine.unitAmount)).toBeGreaterThan(Number(few.engine.unitAmount));
  });

  it('a later finding supersedes the earlier one of the same track, both kept; the other track is untouched; the case view shows them all', async () => {
    const c = await newCase(3);
    const first = bodyOf<AgencyFindingView>(await record(c.id, FINDING));
    const medical = await record(c.id, { ...FINDING, track: 'medical', gapMonths: 10, unitAmount: '900.00', individualAmount: '300.00' });
    expect(medical.statusCode, medical.body).toBe(201);
    const m = bodyOf<AgencyFindingView>(medical);
    // Retirement is years after the computation date: the engine gives no medical amounts yet, which is flagged.
    expect(m.engine.error).toMatch(/^medical-not-payable/);
    expect(m.differs).toBe(true);
    expect(m.differenceAmount).toBe('1200.00');
    const second = bodyOf<AgencyFindingView>(await record(c.id, { ...FINDING, gapMonths: 31 }));

    const d = await detail(c.id);
    expect(d.agencyFindings.map((f) => [f.id, f.track, f.supersededBy])).toEqual([
      [first.id, 'pension', second.id],
      [m.id, 'medical', null],
      [second.id, 'pension', null],
    ]);
    const entries = await s.app.county.db.selectFrom('audit_chain').select(['seq', 'action', 'subject']).where('action', '=', 'case.agency-finding').orderBy('seq').execute();
    expect(entries.map((e) => e.seq)).toEqual([first.auditSeq, m.auditSeq, second.auditSeq]);
    expect(entries.every((e) => e.subject === c.id)).toBe(true);
    expect((await verifyAuditChain(s.app.county.db)).ok).toBe(true);
  });

  it('a finding with a wrong field is refused naming each field, and nothing is stored', async () => {
    const c = await newCase(4);
    const res = await record(c.id, { ...FINDING, track: 'dental', gapMonths: -1, unitAmount: '12.345', documentDate: '2024-05-09', computedOn: 'soon', agencyName: ' ' });
    expect(res.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(res).error.problems!.map((p) => p.path)).toEqual(['track', 'gapMonths', 'unitAmount', 'agencyName', 'documentDate', 'computedOn']);
    expect(await s.app.county.db.selectFrom('agency_findings').select('id').execute()).toEqual([]);
  });

  it('a payer confirmation is recorded in the chain and superseded, never changed', async () => {
    const c = await newCase(5);
    const body = { payer: 'superior', government: '新城区人民政府', confirmedOn: '2024-04-10', documentNumber: '新政函〔2024〕8号' };
    const first = await s.admin('POST', `/api/admin/cases/${c.id}/payer-confirmations`, body);
    expect(first.statusCode, first.body).toBe(201);
    const second = await s.admin('POST', `/api/admin/cases/${c.id}/payer-confirmations`, { ...body, payer: 'fiscal', documentNumber: '新政函〔2024〕9号' });
    expect(second.statusCode, second.body).toBe(201);
    const d = await detail(c.id);
    expect(d.payerConfirmations.map((p) => [p.payer, p.documentNumber, p.supersededBy])).toEqual([
      ['superior', '新政函〔2024〕8号', bodyOf<PayerConfirmationView>(second).id],
      ['fiscal', '新政函〔2024〕9号', null],
    ]);
    const bad = await s.admin('POST', `/api/admin/cases/${c.id}/payer-confirmations`, { payer: 'unit', government: '', confirmedOn: '2024-04-10' });
    expect(bodyOf<ErrorBody>(bad).error.problems!.map((p) => p.path)).toEqual(['payer', 'government', 'documentNumber']);
  });

  it('a county reviewer of another county is refused a case outside his area exactly as a missing one', async () => {
    const c = await newCase(6);
    const cookie = await signIn('af-other', 'county-reviewer', { level: 'county', code: '150103' });
    const foreign = await s.app.inject({ method: 'POST', url: `/api/admin/cases/${c.id}/agency-findings`, headers: { cookie }, payload: FINDING });
    const missing = await s.app.inject({ method: 'POST', url: `/api/admin/cases/00000000-0000-4000-8000-000000000000/agency-findings`, headers: { cookie }, payload: FINDING });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).toBe(missing.body);
  });

  it('the results file: the preview names each bad row’s number, column and reason; the commit records the good rows under one audit entry with counts', async () => {
    const a = await newCase(7);
    const b = await newCase(8);
    const numbers = await s.app.county.db.selectFrom('cases').select(['id', 'case_number', 'id_number']).execute();
    const na = numbers.find((n) => n.id === a.id)!;
    const nb = numbers.find((n) => n.id === b.id)!;
    const csv = [
      '案件编号,身份证号,险种,中断月数,单位缴费金额,个人缴费金额,文号,文件日期',
      `${na.case_number},,养老,30,"12,000.00",4800.00,新社保核〔2024〕21号,2024-04-20`,
      `,${nb.id_number},医疗,10,900.00,300.00,新社保核〔2024〕22号,2024-04-20`,
      `NO-SUCH-CASE,,养老,30,1.00,1.00,X号,2024-04-20`,
      `${na.case_number},,牙科,abc,1.234,1.00,,2024-13-01`,
    ].join('\r\n');
    const request = { fileName: '结果.csv', agencyName: '新城区社会保险事业管理局', content: iconv.encode(csv, 'gb18030').toString('base64') };
    const preview = await s.admin('POST', '/api/admin/agency-results/preview', request);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = bodyOf<AgencyResultsPreview>(preview);
    expect([p.good, p.bad]).toEqual([2, 2]);
    expect(p.rows.map((r) => [r.row, r.caseId])).toEqual([
      [2, a.id],
      [3, b.id],
      [4, null],
      [5, a.id],
    ]);
    expect(p.rows[2]!.problems).toEqual([{ column: '案件编号', message: 'caseNumber: no case of your area has it' }]);
    expect(p.rows[3]!.problems.map((x) => x.column)).toEqual(['险种', '中断月数', '单位缴费金额', '文号', '文件日期']);
    expect(await s.app.county.db.selectFrom('agency_findings').select('id').execute()).toEqual([]);

    const commit = await s.admin('POST', '/api/admin/agency-results/commit', request);
    expect(commit.statusCode, commit.body).toBe(200);
    expect(bodyOf<AgencyResultsCommit>(commit).recorded).toBe(2);
    const findings = await s.app.county.db.selectFrom('agency_findings').selectAll().orderBy('case_id').execute();
    expect(findings.map((f) => [f.case_id, f.track, f.unit_amount]).sort()).toEqual(
      [
        [a.id, 'pension', '12000.00'],
        [b.id, 'medical', '900.00'],
      ].sort(),
    );
    const imports = await s.app.county.db.selectFrom('audit_chain').select(['seq', 'detail']).where('action', '=', 'agency-results.import').execute();
    expect(imports.length).toBe(1);
    expect(JSON.parse(imports[0]!.detail!)).toMatchObject({ rows: 4, recorded: 2, refused: 2 });
    expect(findings.every((f) => f.audit_seq === imports[0]!.seq)).toBe(true);
    expect(await s.app.county.db.selectFrom('audit_chain').select('seq').where('action', '=', 'case.agency-finding').execute()).toEqual([]);
  });

  it('the results file as .xlsx: dates and numbers read from typed cells, a missing column refused by name', async () => {
    const a = await newCase(9);
    const row = await s.app.county.db.selectFrom('cases').select(['case_number']).where('id', '=', a.id).executeTakeFirstOrThrow();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('结果');
    sheet.addRow(['案件编号', '险种', '中断月数', '单位缴费金额', '个人缴费金额', '经办机构', '文号', '文件日期', '测算日期']);
    sheet.addRow([row.case_number, '养老保险', 30, 12000, 4800.5, '新城区社保局', '新社保核〔2024〕31号', new Date(Date.UTC(2024, 3, 20)), new Date(Date.UTC(2024, 3, 18))]);
    const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const preview = bodyOf<AgencyResultsPreview>(await s.admin('POST', '/api/admin/agency-results/preview', { fileName: 'results.xlsx', content }));
    expect(preview.rows[0]!.problems).toEqual([]);
    expect(preview.rows[0]!.input).toEqual({ ...FINDING, unitAmount: '12000.00', individualAmount: '4800.50', agencyName: '新城区社保局', documentNumber: '新社保核〔2024〕31号' });

    const noAgency = new ExcelJS.Workbook();
    noAgency.addWorksheet('x').addRow(['案件编号', '险种', '中断月数', '单位缴费金额', '个人缴费金额', '文件日期']);
    const res = await s.admin('POST', '/api/admin/agency-results/preview', { fileName: 'x.xlsx', content: Buffer.from(await noAgency.xlsx.writeBuffer()).toString('base64') });
    expect(res.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(res).error.problems).toEqual([{ path: 'content', message: 'missing columns: 文号 (documentNumber), 经办机构 (agencyName)' }]);
  });

  it('the fiscal split ratios: a county admin may not publish a set that sets them; a league admin only its own 盟市’s; the region admin may', async () => {
    const doc = (version: string, edit: (d: ParameterSet) => void) => {
      const d = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS_DOCUMENT)) as ParameterSet;
      d.version = version;
      edit(d);
      return d;
    };
    const row = { from: '2024-01-01', region: '0.5', league: '0.3', county: '0.2', unit: 'ratio' as const, source: '内财社〔2024〕1号', provisional: false };
    const byRegion = doc('fs-region', (d) => void ((d.fiscalSplit = { region: [row], leagues: {} }), (d.issued = '2026-01-15')));
    const county = await s.admin('POST', '/api/admin/parameter-sets', { document: byRegion });
    expect(county.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(county).error.problems!.map((p) => p.path)).toEqual(['document.fiscalSplit']);
    // Its preview is refused alike: an admin never previews what he may not publish.
    const preview = await s.admin('POST', '/api/admin/parameter-sets/preview', { document: byRegion });
    expect(preview.statusCode).toBe(422);
    expect(bodyOf<ErrorBody>(preview).error.problems!.map((p) => p.path)).toEqual(['document.fiscalSplit']);

    const league = await signIn('af-league', 'admin', { level: 'league', code: '150100' });
    const leagueTriesRegion = await s.app.inject({ method: 'POST', url: '/api/admin/parameter-sets', headers: { cookie: league }, payload: { document: byRegion } });
    expect(leagueTriesRegion.statusCode).toBe(422);

    const region = await signIn('af-region', 'admin', REGION);
    const ok = await s.app.inject({ method: 'POST', url: '/api/admin/parameter-sets', headers: { cookie: region }, payload: { document: byRegion } });
    expect(ok.statusCode, ok.body).toBe(201);

    // The set in force now holds the region's rows: a county's next set carries them unchanged.
    s.clock.advance(1000);
    const carried = await publishParameterSet(s.app.county, doc('fs-county', (d) => void ((d.fiscalSplit = { region: [row], leagues: {} }), (d.issued = '2026-02-01'))), 'county', {
      actor: 'county-admin',
      role: 'admin',
      area: { level: 'county', code: '150102' },
    });
    expect(carried.version).toBe('fs-county');
    const own = doc('fs-league', (d) => void ((d.fiscalSplit = { region: [row], leagues: { '150100': [{ ...row, league: '0.4', county: '0.1' }] } }), (d.issued = '2026-03-01')));
    const leagueOwn = await s.app.inject({ method: 'POST', url: '/api/admin/parameter-sets', headers: { cookie: league }, payload: { document: own } });
    expect(leagueOwn.statusCode, leagueOwn.body).toBe(201);
  });
});
