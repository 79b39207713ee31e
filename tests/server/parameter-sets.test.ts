import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT, type ParameterSet } from '../../src/domain';
import type { SyncErrorBody } from '../../src/shared/sync-protocol';
import { describeOnEachDatabase } from './helpers';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';

describeOnEachDatabase('a county publishing a parameter set', (kind) => {
  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'parameter-sets');
  });
  afterEach(async () => {
    await s.close();
  });

  const countySet = (version: string, change: (p: ParameterSet) => void): ParameterSet => {
    const p = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS_DOCUMENT)) as ParameterSet;
    p.version = version;
    p.issued = '2027-01-01';
    change(p);
    return p;
  };
  const publish = (document: ParameterSet) => s.admin('POST', '/api/admin/parameter-sets', { document });
  const stored = async () => (await s.app.county.db.selectFrom('parameter_sets').select('version').execute()).map((r) => r.version);

  it('is refused when it changes a date fixed by law, with an English error naming the field, and nothing is stored', async () => {
    const res = await publish(countySet('county-2027.1', (p) => void (p.fixed.militaryInsuranceLawDate[0]!.value = '2013-07-01')));
    expect(res.statusCode).toBe(422);
    const error = bodyOf<SyncErrorBody>(res).error;
    expect(error.code).toBe('invalid-request');
    expect(error.problems).toEqual([
      {
        path: 'document.fixed.militaryInsuranceLawDate',
        message: 'set by 中华人民共和国军人保险法 第五十二条（2012年7月1日起施行）, which a county cannot change: keep 2012-07-01 from 2012-07-01',
      },
    ]);
    expect(error.message).toContain('document.fixed.militaryInsuranceLawDate: set by');
    expect(await stored()).toEqual([]);
  });

  it('is accepted when it changes only what a county may: a new wage year, a rate', async () => {
    const res = await publish(
      countySet('county-2027.2', (p) => {
        p.wages.region.push({ year: 2026, value: '8700.00', unit: 'CNY/month', source: '县局 2027', provisional: false });
        p.rates.medical.unit.push({ from: '2027-01-01', value: '0.075', unit: 'ratio', source: '县局 2027', provisional: false });
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(await stored()).toEqual(['county-2027.2']);
  });
});
