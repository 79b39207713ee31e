// The county reviewer's queue (GET /api/admin/cases): true totals beyond any page, paging that visits
// every case once, each filter and the search box's kinds of text, always within the caller's area.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount, createTownship } from '../../src/server/county/administration';
import type { CaseListItem, CaseQueuePage } from '../../src/shared/admin-api';
import { LIFECYCLE_STATUSES } from '../../src/shared/case-lifecycle';
import { OTHER_TOWNSHIP, TOWNSHIP, TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { seedDevice, seedQueueCases } from '../support/queue-seed';
import { describeOnEachDatabase } from './helpers';

const ELSEWHERE = { code: '150202001', name: '东河区测试街道' };
const IN_AREA = 250;
const OUTSIDE = 30;

type Row = { id: string; case_number: string; id_number: string; name: string; township_code: string; lifecycle_status: string; unit_payer: string | null; conflict: number; possible_duplicate: number; figures_differ: number; application_late: number | null; provisional_parameters: number | null; clerk_unverified: number; received_at: string };

describeOnEachDatabase('the county reviewer’s case queue', (kind) => {
  let s: SyncTestServer;
  let rows: Row[];
  let elsewhereCookie: string;

  beforeAll(async () => {
    s = await startSyncServer(kind, 'case-queue');
    const { db } = s.app.county;
    await createTownship(s.app.county, ELSEWHERE);
    await seedDevice(db, 'SEED0001', TOWNSHIP.code);
    await seedDevice(db, 'SEED0002', ELSEWHERE.code);
    await seedQueueCases(db, kind, { from: 1, count: IN_AREA, townships: [TOWNSHIP.code, OTHER_TOWNSHIP.code], deviceId: 'SEED0001' });
    await seedQueueCases(db, kind, { from: IN_AREA + 1, count: OUTSIDE, townships: [ELSEWHERE.code], deviceId: 'SEED0002' });
    rows = (await db.selectFrom('cases').selectAll().where('township_code', 'like', '150102%').execute()) as Row[];
    await createAccount(s.app.county, { username: 'baotou-reviewer', password: 'reviewer password', role: 'county-reviewer', area: { level: 'county', code: '150202' } });
    const login = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: 'baotou-reviewer', password: 'reviewer password' } });
    expect(login.statusCode, login.body).toBe(200);
    elsewhereCookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await s?.close();
  });

  const queue = async (query: string): Promise<CaseQueuePage> => {
    const res = await s.admin('GET', `/api/admin/cases${query ? `?${query}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<CaseQueuePage>(res);
  };
  /** Every case of the query, page by page. */
  const all = async (query: string, limit = 97): Promise<CaseListItem[]> => {
    const out: CaseListItem[] = [];
    for (let offset = 0; ; offset += limit) {
      const page = await queue(`${query}${query ? '&' : ''}limit=${limit}&offset=${offset}`);
      out.push(...page.cases);
      if (page.cases.length < limit) return out;
    }
  };
  const ids = (list: { id: string }[]) => list.map((c) => c.id).sort();

  it('counts every case of the area, also beyond 200, while a page holds only its own', async () => {
    expect(rows).toHaveLength(IN_AREA);
    const page = await queue('');
    expect(page.total).toBe(IN_AREA);
    expect(page.cases).toHaveLength(50);
    const big = await queue('limit=500');
    expect(big.cases).toHaveLength(IN_AREA);
  });

  it('pages visit every case of the area exactly once, newest received first and ties by id', async () => {
    const seen = await all('', 37);
    expect(seen).toHaveLength(IN_AREA);
    expect(new Set(seen.map((c) => c.id)).size).toBe(IN_AREA);
    expect(ids(seen)).toEqual(ids(rows));
    const order = seen.map((c) => `${c.receivedAt}|${c.id}`);
    expect(order).toEqual([...order].sort().reverse());
    // The seed gives three cases each received time: the order above had ties to break.
    expect(new Set(seen.map((c) => c.receivedAt)).size).toBeLessThan(IN_AREA);
  });

  it('shows another county’s reviewer only his county’s cases, and filters by township within the area', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/admin/cases?limit=500', headers: { cookie: elsewhereCookie } });
    expect(res.statusCode, res.body).toBe(200);
    const page = bodyOf<CaseQueuePage>(res);
    expect(page.total).toBe(OUTSIDE);
    expect(page.cases.every((c) => c.townshipCode === ELSEWHERE.code)).toBe(true);

    const township = await all(`township=${OTHER_TOWNSHIP.code}`);
    expect(ids(township)).toEqual(ids(rows.filter((r) => r.township_code === OTHER_TOWNSHIP.code)));
    // A township outside the caller's area is no way around it.
    expect((await queue(`township=${ELSEWHERE.code}`)).total).toBe(0);
  });

  const filters: [string, (r: Row) => boolean][] = [
    ...LIFECYCLE_STATUSES.map((st): [string, (r: Row) => boolean] => [`status=${st}`, (r) => r.lifecycle_status === st]),
    ...['unit', 'superior', 'fiscal'].map((p): [string, (r: Row) => boolean] => [`payer=${p}`, (r) => r.unit_payer === p]),
    ['flag=conflict', (r) => r.conflict === 1],
    ['flag=possible-duplicate', (r) => r.possible_duplicate === 1],
    ['flag=figures-differ', (r) => r.figures_differ === 1],
    ['flag=late-application', (r) => r.application_late === 1],
    ['flag=provisional-parameters', (r) => r.provisional_parameters === 1],
    ['flag=clerk-unverified', (r) => r.clerk_unverified === 1],
    ['flag=late-application,provisional-parameters', (r) => r.application_late === 1 && r.provisional_parameters === 1],
    [`payer=fiscal&status=synced&township=${OTHER_TOWNSHIP.code}`, (r) => r.unit_payer === 'fiscal' && r.lifecycle_status === 'synced' && r.township_code === OTHER_TOWNSHIP.code],
  ];
  it.each(filters)('filters by %s with its true total', async (query, matches) => {
    const expected = rows.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    const page = await queue(`${query}&limit=3`);
    expect(page.total).toBe(expected.length);
    expect(ids(await all(query, 7))).toEqual(ids(expected));
  });

  it('finds a case by the last digits of its ID number, and by the whole number', async () => {
    const r = rows[41]!;
    const suffix = r.id_number.slice(-6);
    const found = await all(`q=${suffix}`);
    expect(ids(found)).toEqual(ids(rows.filter((x) => x.id_number.endsWith(suffix) || x.case_number.endsWith(suffix))));
    expect(ids(found)).toContain(r.id);
    expect(ids((await queue(`q=${r.id_number}`)).cases)).toEqual([r.id]);
  });

  it.each([
    ['the name', '单田芳', '单田芳'],
    ['part of a Mongolian name', '其其格', '巴特尔·其其格'],
    ['pinyin initials', 'stf', '单田芳'],
    ['pinyin initials in capitals', 'ZS', '张三'],
    ['the whole pinyin', 'zhangsan', '张三'],
    ['the start of the pinyin', 'ouyang', '欧阳修'],
  ])('finds cases by %s', async (_kind, q, name) => {
    const found = await all(`q=${encodeURIComponent(q)}`);
    expect(found.length).toBeGreaterThan(0);
    expect(ids(found)).toEqual(ids(rows.filter((r) => r.name === name)));
  });

  it('finds a case by its whole case number and by a part of it', async () => {
    const r = rows[7]!;
    expect(ids((await queue(`q=${r.case_number}`)).cases)).toEqual([r.id]);
    expect(ids((await queue(`q=${r.case_number.toLowerCase()}`)).cases)).toEqual([r.id]);
    const part = r.case_number.slice(7); // device id and serial
    expect(ids(await all(`q=${part}`))).toEqual(ids(rows.filter((x) => x.case_number.includes(part))));
  });

  it('finds the one case a printed form’s QR code names, and nothing for a case outside the area', async () => {
    const r = rows[99]!;
    const page = await queue(`q=${encodeURIComponent(` ${r.id.toUpperCase()} `)}`);
    expect(page.total).toBe(1);
    expect(page.cases[0]!.id).toBe(r.id);
    const outside = await s.app.county.db.selectFrom('cases').select('id').where('township_code', '=', ELSEWHERE.code).executeTakeFirstOrThrow();
    expect((await queue(`q=${outside.id}`)).total).toBe(0);
  });

  it.each([
    ['limit', 'limit=0'],
    ['limit', 'limit=501'],
    ['limit', 'limit=ten'],
    ['offset', 'offset=-1'],
    ['offset', 'offset=1.5'],
    ['flag', 'flag=urgent'],
    ['flag', 'flag=conflict,urgent'],
    ['flag', 'flag=conflict&flag=figures-differ'],
    ['status', 'status=done'],
    ['payer', 'payer=county'],
    ['township', 'township=1501'],
    ['q', `q=${'a'.repeat(101)}`],
    ['sort', 'sort=name'],
  ])('refuses a bad %s (%s) with 422 naming it', async (parameter, query) => {
    const res: LightMyRequestResponse = await s.admin('GET', `/api/admin/cases?${query}`);
    expect(res.statusCode, res.body).toBe(422);
    const body = bodyOf<{ error: { code: string; problems: { path: string }[] } }>(res);
    expect(body.error.code).toBe('invalid-request');
    expect(body.error.problems.map((p) => p.path)).toEqual([parameter]);
  });
});

describeOnEachDatabase('the queue’s columns of a pushed case', (kind) => {
  it('a synced case is found by its pinyin initials and its QR text, with the payer of the server’s determination', async () => {
    const s = await startSyncServer(kind, 'case-queue-push');
    try {
      const tablet = new TabletSim(undefined, undefined, () => s.clock.now);
      const credential = await s.county.enrol(tablet);
      const c = tablet.create(3);
      const res = await s.push(tablet, credential);
      expect(res.statusCode, res.body).toBe(200);

      const detail = bodyOf<CaseListItem & { versions: { serverDeterminations: { purpose: string; figures: { pensionUnitPayer: string | null } | null }[] }[] }>(await s.admin('GET', `/api/admin/cases/${c.id}`));
      const own = detail.versions[0]!.serverDeterminations.find((d) => d.purpose === 'tablet-set')!;
      expect(detail.unitPayer).toBe(own.figures!.pensionUnitPayer);

      // 退役士兵3: tui yi shi bing 3.
      const byInitials = bodyOf<CaseQueuePage>(await s.admin('GET', '/api/admin/cases?q=tysb'));
      expect(byInitials.cases.map((x) => x.id)).toEqual([c.id]);
      const byQr = bodyOf<CaseQueuePage>(await s.admin('GET', `/api/admin/cases?q=${c.id}`));
      expect(byQr.cases.map((x) => x.caseNumber)).toEqual([c.caseNumber]);
      const row = await s.app.county.db.selectFrom('cases').select(['application_late', 'provisional_parameters']).where('id', '=', c.id).executeTakeFirstOrThrow();
      expect(row.application_late).not.toBeNull();
      expect(row.provisional_parameters).not.toBeNull();
    } finally {
      await s.close();
    }
  });
});
