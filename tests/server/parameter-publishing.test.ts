// Parameter publishing from the county page: the list of sets, a draft's impact on the open cases
// (exact differences, checked by hand below), the impact recorded with the publication, and a
// tablet that pulls the set and uses it from the date its values apply.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT, evaluate, parseParameterSet, type CaseFacts, type ParameterSet } from '../../src/domain';
import { CASE_SCHEMA_VERSION, figuresOf, parsePullResponse, PROTOCOL_VERSION, type PushResponse, type SyncErrorBody } from '../../src/shared/sync-protocol';
import type { ParameterImpactPage, ParameterSetDetail, ParameterSetItem } from '../../src/shared/parameter-publishing';
import { createAccount, createTownship } from '../../src/server/county/administration';
import { describeOnEachDatabase } from './helpers';
import { caseInput, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';

/** The default set with the region's 2018 wage confirmed at 6200.00 (the pack's is 6131.25, provisional). */
function confirmedWage(version: string): ParameterSet {
  const p = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS_DOCUMENT)) as ParameterSet;
  p.version = version;
  p.issued = '2026-06-01';
  const row = p.wages.region.find((r) => r.year === 2018)!;
  row.value = '6200.00';
  row.provisional = false;
  row.source = '内蒙古自治区统计局 2018 年全口径城镇单位就业人员平均工资';
  return p;
}

describeOnEachDatabase('parameter publishing from the county page', (kind) => {
  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'parameter-publishing'));
  });
  afterEach(async () => {
    await s.close();
  });

  const db = () => s.app.county.db;

  /** Five cases pushed from the tablet; returns their ids in order. */
  async function fiveCases(): Promise<string[]> {
    const made = [0, 1, 2, 3, 4].map((i) => tablet.create(i));
    const res = await s.push(tablet, credential);
    expect(res.statusCode, res.body).toBe(200);
    await tablet.acknowledge(bodyOf<PushResponse>(res).ackedThroughSeq);
    return made.map((c) => c.id);
  }

  const setFacts = async (id: string, change: (f: CaseFacts) => CaseFacts) => {
    const row = await db().selectFrom('cases').select('facts').where('id', '=', id).executeTakeFirstOrThrow();
    await db().updateTable('cases').set({ facts: JSON.stringify(change(JSON.parse(row.facts) as CaseFacts)) }).where('id', '=', id).execute();
  };
  const caseNumber = async (id: string) => (await db().selectFrom('cases').select('case_number').where('id', '=', id).executeTakeFirstOrThrow()).case_number;
  const preview = (document: unknown, paging: Record<string, unknown> = {}) => s.admin('POST', '/api/admin/parameter-sets/preview', { document, ...paging });

  it('a preview lists exactly the open cases the draft changes, old → new and the difference to the fen, with totals, and writes nothing', async () => {
    const [a, shortService, completed, laterAsOf, notEligible] = await fiveCases();
    // Enlisted 1988-03, discharged 1992-12: 57 months. This one served 1990-03 to 1992-12: 33.
    await setFacts(shortService!, (f) => ({ ...f, service: { ...f.service, enlistment: '1990-03' } }));
    // As of 2022 the wage of 2021 applies, which the draft leaves alone.
    await setFacts(laterAsOf!, (f) => ({ ...f, asOf: '2022-09-15' }));
    await db().updateTable('cases').set({ lifecycle_status: 'completed' }).where('id', '=', completed!).execute();
    await db().updateTable('cases').set({ lifecycle_status: 'not-eligible' }).where('id', '=', notEligible!).execute();
    const auditBefore = (await db().selectFrom('audit_chain').select('seq').execute()).length;

    const res = await preview(confirmedWage('county-2024.2'));
    expect(res.statusCode, res.body).toBe(200);
    const page = bodyOf<ParameterImpactPage>(res);
    expect(page).toMatchObject({ draftVersion: 'county-2024.2', openCases: 3, offset: 0, examined: 3, next: null });
    // Base: 60% of the wage: 3678.75 now, 3720.00 under the draft, 41.25 more a month. Unit share
    // 16%: 588.60 → 595.20 a month; individual 8%: 294.30 → 297.60. Times 57 and 33 months.
    expect(page.changed.map((c) => c.caseId).sort()).toEqual([a!, shortService!].sort());
    const byId = new Map(page.changed.map((c) => [c.caseId, c]));
    expect(byId.get(a!)).toEqual({
      caseId: a,
      caseNumber: await caseNumber(a!),
      townshipCode: TOWNSHIP.code,
      townshipName: TOWNSHIP.name,
      lifecycleStatus: 'synced',
      parametersVersion: DEFAULT_PARAMETERS_DOCUMENT.version,
      changes: [
        { figure: 'pensionUnitAmount', old: '33550.20', new: '33926.40', difference: '376.20' },
        { figure: 'pensionIndividualAmount', old: '16775.10', new: '16963.20', difference: '188.10' },
      ],
      error: { old: null, new: null },
    });
    expect(byId.get(shortService!)!.changes).toEqual([
      { figure: 'pensionUnitAmount', old: '19423.80', new: '19641.60', difference: '217.80' },
      { figure: 'pensionIndividualAmount', old: '9711.90', new: '9820.80', difference: '108.90' },
    ]);
    expect(page.totals).toEqual({
      changedCases: 2,
      amounts: {
        pensionUnitAmount: { old: '52974.00', new: '53568.00', difference: '594.00' },
        pensionIndividualAmount: { old: '26487.00', new: '26784.00', difference: '297.00' },
        medicalUnitAmount: { old: '0.00', new: '0.00', difference: '0.00' },
        medicalIndividualAmount: { old: '0.00', new: '0.00', difference: '0.00' },
      },
      difference: '891.00',
    });
    // Nothing written: no set, no audit entry.
    expect(await db().selectFrom('parameter_sets').select('version').execute()).toEqual([]);
    expect((await db().selectFrom('audit_chain').select('seq').execute()).length).toBe(auditBefore);
  });

  it('a preview covers the open cases of the caller’s area only: a county admin’s not another county’s, a region admin’s both', async () => {
    const [mine] = await fiveCases();
    await createTownship(s.app.county, { code: '150103001', name: '另一旗县的街道' });
    const elsewhere = new TabletSim(undefined, undefined, () => s.clock.now);
    const elsewhereCredential = await s.county.enrol(elsewhere, '150103001');
    const theirs = elsewhere.create(7);
    expect((await s.push(elsewhere, elsewhereCredential)).statusCode).toBe(200);

    const county = bodyOf<ParameterImpactPage>(await preview(confirmedWage('county-2024.2')));
    expect(county.openCases).toBe(5);
    expect(county.changed.map((c) => c.caseId)).toContain(mine);
    expect(county.changed.map((c) => c.caseId)).not.toContain(theirs.id);

    await createAccount(s.app.county, { username: 'region-admin', password: 'region admin password', role: 'admin', area: { level: 'region', code: '150000' } });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'region-admin', password: 'region admin password' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const res = await s.app.inject({ method: 'POST', url: '/api/admin/parameter-sets/preview', headers: { cookie }, payload: { document: confirmedWage('county-2024.2') } });
    const region = bodyOf<ParameterImpactPage>(res);
    expect(region.openCases).toBe(6);
    expect(region.changed.find((c) => c.caseId === theirs.id)).toMatchObject({ townshipCode: '150103001', townshipName: '另一旗县的街道' });
  });

  it('pages through the open cases with the true count, and the pages together are the whole preview', async () => {
    await fiveCases();
    const first = bodyOf<ParameterImpactPage>(await preview(confirmedWage('county-2024.2'), { limit: 2 }));
    expect(first).toMatchObject({ openCases: 5, offset: 0, examined: 2, next: 2 });
    const second = bodyOf<ParameterImpactPage>(await preview(confirmedWage('county-2024.2'), { offset: 2, limit: 2 }));
    expect(second).toMatchObject({ openCases: 5, offset: 2, examined: 2, next: 4 });
    const third = bodyOf<ParameterImpactPage>(await preview(confirmedWage('county-2024.2'), { offset: 4, limit: 2 }));
    expect(third).toMatchObject({ openCases: 5, offset: 4, examined: 1, next: null });
    const numbers = [first, second, third].flatMap((p) => p.changed.map((c) => c.caseNumber));
    expect(numbers).toEqual([...numbers].sort());
    expect(new Set(numbers).size).toBe(5);
    const whole = bodyOf<ParameterImpactPage>(await preview(confirmedWage('county-2024.2')));
    expect(whole.changed.map((c) => c.caseNumber)).toEqual(numbers);
    // Five cases of 57 months, each 376.20 + 188.10 more.
    expect(whole.totals.difference).toBe('2821.50');
  });

  it('a draft that breaks the schema or changes what the law fixes is refused naming each field; so is bad paging', async () => {
    const bad = confirmedWage('county-2024.3');
    bad.wages.region[0]!.value = 'about 6000';
    bad.fixed.militaryInsuranceLawDate[0]!.value = '2013-07-01';
    let res = await preview(bad);
    expect(res.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(res).error.problems).toEqual([{ path: 'document.wages.region.0.value', message: 'not a yuan amount with at most two decimals' }]);
    bad.wages.region[0]!.value = '6000.00';
    res = await preview(bad);
    expect(res.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(res).error.problems!.map((p) => p.path)).toEqual(['document.fixed.militaryInsuranceLawDate']);
    res = await preview(confirmedWage('county-2024.3'), { limit: 10_000, offset: -1 });
    expect(res.statusCode).toBe(422);
    expect(bodyOf<SyncErrorBody>(res).error.problems!.map((p) => p.path)).toEqual(['offset', 'limit']);
  });

  it('publishing records the impact on the open cases in the audit chain entry; the list marks the set in force and the old one stays readable', async () => {
    const [, , completed] = await fiveCases();
    await db().updateTable('cases').set({ lifecycle_status: 'completed' }).where('id', '=', completed!).execute();
    const res = await s.admin('POST', '/api/admin/parameter-sets', { document: confirmedWage('county-2024.2') });
    expect(res.statusCode, res.body).toBe(201);
    const entry = await db().selectFrom('audit_chain').select(['actor', 'subject', 'detail']).where('action', '=', 'parameter-set.publish').executeTakeFirstOrThrow();
    expect(entry.subject).toBe('county-2024.2');
    expect(entry.actor).toBe('county-admin');
    // Four open cases of 57 months each: 376.20 + 188.10 more each.
    expect(JSON.parse(entry.detail!).impact).toEqual({
      openCases: 4,
      examined: 4,
      totals: {
        changedCases: 4,
        amounts: {
          pensionUnitAmount: { old: '134200.80', new: '135705.60', difference: '1504.80' },
          pensionIndividualAmount: { old: '67100.40', new: '67852.80', difference: '752.40' },
          medicalUnitAmount: { old: '0.00', new: '0.00', difference: '0.00' },
          medicalIndividualAmount: { old: '0.00', new: '0.00', difference: '0.00' },
        },
        difference: '2257.20',
      },
    });

    const list = bodyOf<{ parameterSets: ParameterSetItem[] }>(await s.admin('GET', '/api/admin/parameter-sets')).parameterSets;
    expect(list.map((p) => [p.version, p.inForce, p.builtIn, p.publishedBy, p.effectiveDates])).toEqual([
      ['county-2024.2', true, false, 'county-admin', ['2019-01-01']],
      [DEFAULT_PARAMETERS_DOCUMENT.version, false, true, null, []],
    ]);
    const old = await s.admin('GET', `/api/admin/parameter-sets/${DEFAULT_PARAMETERS_DOCUMENT.version}`);
    expect(old.statusCode).toBe(200);
    expect(parseParameterSet(bodyOf<ParameterSetDetail>(old).document)).toEqual(parseParameterSet(DEFAULT_PARAMETERS_DOCUMENT));
    const published = bodyOf<ParameterSetDetail>(await s.admin('GET', '/api/admin/parameter-sets/county-2024.2'));
    expect(published.document).toEqual(confirmedWage('county-2024.2'));
    // A version the server never had answers as one outside the caller's area.
    expect((await s.admin('GET', '/api/admin/parameter-sets/no-such-set')).statusCode).toBe(403);
  });

  it('a tablet receives the published set at its next sync, uses it from the date its values apply, and its determinations record it', async () => {
    const next = confirmedWage('county-2027.1');
    next.issued = '2026-12-01';
    next.wages.region.push({ year: 2026, value: '8700.00', unit: 'CNY/month', source: '县局 2027', provisional: false });
    expect((await s.admin('POST', '/api/admin/parameter-sets', { document: next })).statusCode).toBe(201);

    const res = await s.pull(credential, { protocol: PROTOCOL_VERSION, appVersion: 'test', schemaVersion: CASE_SCHEMA_VERSION, deviceId: tablet.deviceId, cursor: null });
    const pulled = parsePullResponse(bodyOf(res));
    if (!pulled.ok) throw new Error(JSON.stringify(pulled.problems));
    expect(pulled.value.parameterSets.map((p) => p.version)).toEqual(['county-2027.1']);
    const set = parseParameterSet(pulled.value.parameterSets[0]!.document);

    // The 2026 wage applies from 2027 (the wage of the year before): as of 2027-03 the base is
    // 60% of 8700.00 = 5220.00, the unit share 16% of it for 57 months = 47606.40; the set the
    // tablet had before has no 2026 wage at all.
    const facts = caseInput(9).facts;
    const in2027: CaseFacts = { ...facts, asOf: '2027-03-15' };
    expect(figuresOf(evaluate(in2027, set)).pensionUnitAmount).toBe('47606.40');
    expect(() => evaluate(in2027, DEFAULT_PARAMETERS_DOCUMENT)).toThrow(/wage for year 2026/);
    // Before that date the values in force are those of before, as corrected: the 2018 wage of 6200.00.
    expect(figuresOf(evaluate(facts, set)).pensionUnitAmount).toBe('33926.40');

    tablet.useParameterSet(set);
    const made = tablet.create(10);
    expect(made.determination.parametersVersion).toBe('county-2027.1');
    expect(made.parameterSetVersion).toBe('county-2027.1');
    const pushed = await s.push(tablet, credential);
    expect(pushed.statusCode, pushed.body).toBe(200);
    const stored = await db().selectFrom('cases').select(['parameters_version', 'figures_differ']).where('id', '=', made.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ parameters_version: 'county-2027.1', figures_differ: 0 });
    const determinations = await db().selectFrom('server_determinations').select(['parameters_version', 'purpose', 'figures_differ']).where('case_id', '=', made.id).execute();
    expect(determinations).toEqual([{ parameters_version: 'county-2027.1', purpose: 'tablet-set', figures_differ: 0 }]);
  });
});
