// A county server's weekly report as a signed file a league server imports: the round trip gives the
// league the county's figures exactly, the same file is stored once, a later version of a week is
// shown and the earlier kept, and a changed file, an unregistered key or a county outside the
// league's area is refused naming why.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../../src/server/county/administration';
import { importedWeeklyRows, withImportedCounties } from '../../src/server/reports/imported-weekly';
import { weeklyReportOfOwnCases } from '../../src/server/reports/weekly';
import { canonicalJson } from '../../src/shared/canonical-json';
import type { CountyKeyItem, ReportSigningKeyInfo, SignedWeeklyFile, WeeklyImportResult } from '../../src/shared/report-exchange';
import type { WeeklyReport } from '../../src/shared/reports';
import { REGION, type Area } from '../../src/shared/roles';
import { TOWNSHIP, OTHER_TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { seedDevice, seedQueueCases } from '../support/queue-seed';
import { describeOnEachDatabase } from './helpers';

const LEAGUE: Area = { level: 'league', code: '150100' };
const PASSWORD = 'exchange password 1';

describeOnEachDatabase('the signed weekly report a county server exports and a league server imports', (kind) => {
  let county: SyncTestServer;
  let league: SyncTestServer;
  let leagueAdmin: string;
  let regionAdmin: string;

  async function signIn(s: SyncTestServer, username: string, area: Area): Promise<string> {
    await createAccount(s.app.county, { username, password: PASSWORD, role: 'admin', area });
    const res = await s.app.inject({ method: 'POST', url: '/api/admin/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }
  const call = (s: SyncTestServer, cookie: string, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    s.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const errorOf = (res: LightMyRequestResponse) => bodyOf<{ error: { code: string; message: string } }>(res).error;

  /** The county server's signed file of the week holding its clock's now (or `week`). */
  async function exportFile(week?: string): Promise<SignedWeeklyFile> {
    const res = await county.admin('GET', `/api/admin/report-exchange/weekly${week ? `?week=${week}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="weekly-150102-\d{4}-\d{2}-\d{2}\.json"/);
    return bodyOf<SignedWeeklyFile>(res);
  }
  const importFile = (file: unknown, cookie = leagueAdmin) => call(league, cookie, 'POST', '/api/admin/report-exchange/imports', file);
  const registerKey = (countyCode: string, publicKey: string, cookie = leagueAdmin) => call(league, cookie, 'POST', '/api/admin/report-exchange/county-keys', { countyCode, publicKey });
  const imported = async () => league.app.county.db.selectFrom('imported_weekly_reports').selectAll().orderBy('generated_at').execute();
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

  beforeAll(async () => {
    county = await startSyncServer(kind, 'exchange-county');
    league = await startSyncServer(kind, 'exchange-league');
    // Cases received on the county server in the week before its clock's (2024-05-01) and in that week.
    await seedDevice(county.app.county.db, 'SEED0001', TOWNSHIP.code);
    await seedQueueCases(county.app.county.db, kind, { from: 1, count: 40, townships: [TOWNSHIP.code, OTHER_TOWNSHIP.code], deviceId: 'SEED0001' });
    await county.app.county.db.updateTable('cases').set({ received_at: '2024-04-29T03:00:00.000Z' }).where('case_number', 'like', '%-1000_1').execute();
    leagueAdmin = await signIn(league, 'league-admin', LEAGUE);
    regionAdmin = await signIn(league, 'region-admin', REGION);
  });
  afterAll(async () => {
    await county?.close();
    await league?.close();
  });

  it('gives the league, once the county’s key is registered, exactly the county’s weekly report', async () => {
    const key = bodyOf<ReportSigningKeyInfo>(await county.admin('GET', '/api/admin/report-exchange/signing-key'));
    expect(key.algorithm).toBe('Ed25519');
    // The fingerprint is the SHA-256 of the key itself: what the two offices read to each other.
    const again = bodyOf<ReportSigningKeyInfo>(await county.admin('GET', '/api/admin/report-exchange/signing-key'));
    expect(again).toEqual(key);

    const before = await importFile(await exportFile());
    expect(before.statusCode).toBe(422);
    expect(errorOf(before).code).toBe('unknown-county-key');

    const registered = await registerKey('150102', key.publicKey);
    expect(registered.statusCode, registered.body).toBe(201);
    expect(bodyOf<CountyKeyItem>(registered)).toMatchObject({ countyCode: '150102', fingerprint: key.fingerprint, registeredBy: 'league-admin' });
    const audit = await league.app.county.db.selectFrom('audit_chain').select(['actor', 'detail']).where('action', '=', 'report-exchange.register-key').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ countyCode: '150102', fingerprint: key.fingerprint });
    // Registering it again changes nothing; for another county it is refused.
    expect((await registerKey('150102', key.publicKey)).statusCode).toBe(200);
    const elsewhere = await registerKey('150103', key.publicKey);
    expect(elsewhere.statusCode).toBe(409);
    expect(errorOf(elsewhere).code).toBe('key-registered-elsewhere');

    const file = await exportFile();
    const res = await importFile(file);
    expect(res.statusCode, res.body).toBe(200);
    const result = bodyOf<WeeklyImportResult>(res);
    expect(result).toMatchObject({ countyCode: '150102', weekStart: file.payload.week.start, duplicate: false, shown: true, supersedes: null });

    const screen = bodyOf<WeeklyReport>(await county.admin('GET', `/api/admin/reports/weekly?week=${file.payload.week.start}`));
    expect(screen.total.progress.registered.toDate).toBe(40);
    expect(screen.total.progress.registered.thisWeek).toBeGreaterThan(0);
    const rows = await importedWeeklyRows(league.app.county.db, LEAGUE, file.payload.week);
    expect(rows.map((r) => r.countyCode)).toEqual(['150102']);
    expect(rows[0]!.report).toEqual(screen);
    // The region sees it too; another league does not.
    expect(await importedWeeklyRows(league.app.county.db, REGION, file.payload.week.start)).toHaveLength(1);
    expect(await importedWeeklyRows(league.app.county.db, { level: 'league', code: '150200' }, file.payload.week.start)).toHaveLength(0);
  });

  it('stores a file imported twice once, and records one import', async () => {
    const stored = await imported();
    // The same figures at the same time make the same payload: the same file as the first test's.
    const file = await exportFile();
    const res = await importFile(file);
    expect(res.statusCode, res.body).toBe(200);
    expect(bodyOf<WeeklyImportResult>(res)).toMatchObject({ id: stored[0]!.id, duplicate: true, shown: true });
    // Its keys in another order and with whitespace are still the same file.
    const reordered = JSON.parse(JSON.stringify({ signature: file.signature, payload: Object.fromEntries(Object.entries(file.payload).reverse()) }, null, 2)) as unknown;
    expect(bodyOf<WeeklyImportResult>(await importFile(reordered)).duplicate).toBe(true);
    expect(await imported()).toHaveLength(stored.length);
    const entries = await league.app.county.db.selectFrom('audit_chain').select('seq').where('action', '=', 'report-exchange.import').execute();
    expect(entries).toHaveLength(1);
  });

  it('adds the imported county to the league’s own weekly report: its row, its townships and the total', async () => {
    const file = await exportFile();
    const screen = bodyOf<WeeklyReport>(await county.admin('GET', `/api/admin/reports/weekly?week=${file.payload.week.start}`));
    // The league's own database holds the county's townships but none of its cases: what its report shows is the file's.
    expect(await league.app.county.db.selectFrom('cases').select('id').execute()).toEqual([]);
    const merged = bodyOf<WeeklyReport>(await call(league, leagueAdmin, 'GET', `/api/admin/reports/weekly?week=${file.payload.week.start}`));
    expect(merged.total.progress).toEqual(screen.total.progress);
    expect(merged.total.payers.map((p) => [p.payer, p.periods])).toEqual(screen.total.payers.map((p) => [p.payer, p.periods]));
    const countyRows = merged.levels.find((l) => l.level === 'county')!.rows;
    expect(countyRows.map((r) => r.area.code)).toEqual(['150102']);
    expect(countyRows[0]!.progress).toEqual(screen.total.progress);
    const townships = merged.levels.find((l) => l.level === 'township')!.rows;
    expect(townships.map((r) => [r.area.code, r.progress])).toEqual(screen.levels.find((l) => l.level === 'township')!.rows.map((r) => [r.area.code, r.progress]));
  });

  it('adds two imported counties’ money to the fen, and leaves out a county the league’s own database counts', async () => {
    const own = await weeklyReportOfOwnCases(league.app.county, LEAGUE, league.app.county.now());
    const [hohhot] = await importedWeeklyRows(league.app.county.db, LEAGUE, own.week);
    /** The imported county with its unit payer's engine pension unit amount this week set to `yuan`. */
    const withMoney = (code: string, yuan: string) => {
      const item = clone(hohhot!);
      item.countyCode = code;
      const unit = item.report.total.payers.find((p) => p.payer === 'unit')!;
      (unit.periods.thisWeek.money.engine.pension as { unit: string }).unit = yuan;
      return item;
    };
    const unitThisWeek = (r: WeeklyReport) => r.total.payers.find((p) => p.payer === 'unit')!.periods.thisWeek.money.engine.pension.unit;
    expect(unitThisWeek(withImportedCounties(own, [withMoney('150102', '0.95'), withMoney('150103', '1000.05')]))).toBe('1001.00');
    // A county with cases of its own in the league's database: its own figures stand.
    const ownCounty = clone(own);
    const row = ownCounty.levels.find((l) => l.level === 'county')!.rows.find((r) => r.area.code === '150102')!;
    (row.progress.registered as { toDate: number }).toDate = 1;
    const merged = withImportedCounties(ownCounty, [withMoney('150102', '0.95')]);
    expect(unitThisWeek(merged)).toBe(unitThisWeek(own));
    // Another league's county never enters this league's report.
    expect(withImportedCounties(own, [withMoney('150202', '5.00')]).total).toEqual(own.total);
  });

  it('shows a later version of the same week instead of the earlier one, keeping both; an older one arriving late is kept but not shown', async () => {
    const first = (await imported())[0]!;
    county.clock.advance(3_600_000);
    await county.app.county.db.updateTable('cases').set({ received_at: '2024-05-01T08:30:00.000Z' }).where('case_number', 'like', '%-1000_2').execute();
    const newer = await exportFile();
    const res = await importFile(newer);
    expect(res.statusCode, res.body).toBe(200);
    const result = bodyOf<WeeklyImportResult>(res);
    expect(result).toMatchObject({ duplicate: false, shown: true, supersedes: first.id });
    const rows = await imported();
    expect(rows.map((r) => [r.id, r.superseded_by])).toEqual([
      [first.id, result.id],
      [result.id, null],
    ]);
    const shown = await importedWeeklyRows(league.app.county.db, LEAGUE, newer.payload.week);
    expect(shown.map((r) => r.generatedAt)).toEqual([newer.payload.generatedAt]);
    expect(shown[0]!.report).toEqual(newer.payload.report);

    // The week before: made now and an hour ago, imported newest first.
    const early = await exportFile('2024-04-20');
    county.clock.advance(3_600_000);
    const late = await exportFile('2024-04-20');
    expect(bodyOf<WeeklyImportResult>(await importFile(late))).toMatchObject({ shown: true, supersedes: null });
    const lateArrival = bodyOf<WeeklyImportResult>(await importFile(early));
    expect(lateArrival).toMatchObject({ duplicate: false, shown: false, supersedes: null });
    const week = await importedWeeklyRows(league.app.county.db, LEAGUE, early.payload.week);
    expect(week.map((r) => r.generatedAt)).toEqual([late.payload.generatedAt]);
  });

  it.each<[string, (f: SignedWeeklyFile) => void]>([
    ['a figure changed', (f) => ((f.payload.report.total.progress.registered as { toDate: number }).toDate += 1)],
    ['its date changed', (f) => (f.payload.generatedAt = '2030-01-01T00:00:00.000Z')],
    ['the signature of another file', (f) => (f.signature.value = Buffer.from(f.signature.value, 'base64').reverse().toString('base64'))],
    ['a field added', (f) => Object.assign(f.payload, { note: 'added after signing' })],
  ])('refuses a file with %s as bad-signature, storing nothing', async (_what, tamper) => {
    const count = (await imported()).length;
    const file = clone(await exportFile());
    tamper(file);
    const res = await importFile(file);
    expect(res.statusCode, res.body).toBe(422);
    expect(errorOf(res).code).toBe('bad-signature');
    expect(errorOf(res).message).toMatch(/^signature: does not verify with county 150102's registered key/);
    expect(await imported()).toHaveLength(count);
  });

  it('refuses a file signed with a key no one registered as unknown-county-key', async () => {
    const file = clone(await exportFile());
    const stranger = generateKeyPairSync('ed25519');
    file.signature.keyFingerprint = createHash('sha256').update(stranger.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    file.signature.value = sign(null, Buffer.from(canonicalJson(file.payload)), stranger.privateKey).toString('base64');
    const res = await importFile(file);
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('unknown-county-key');
    expect(errorOf(res).message).toContain('no county key');
  });

  it('refuses a county outside the league as not-in-area, even with its key registered (by the region) and its signature good', async () => {
    const baotou = generateKeyPairSync('ed25519');
    const publicKey = baotou.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // The league's admin may not register another league's county; the region's may.
    const refused = await registerKey('150202', publicKey);
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('forbidden');
    expect((await registerKey('150202', publicKey, regionAdmin)).statusCode).toBe(201);

    const file = clone(await exportFile());
    file.payload.county.code = '150202';
    file.payload.report.area = { level: 'county', code: '150202' };
    file.signature.keyFingerprint = createHash('sha256').update(baotou.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    file.signature.value = sign(null, Buffer.from(canonicalJson(file.payload)), baotou.privateKey).toString('base64');
    const res = await importFile(file);
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('not-in-area');
    expect(errorOf(res).message).toContain('county 150202 does not lie within your area');
    // The region's admin imports it.
    const byRegion = await importFile(file, regionAdmin);
    expect(byRegion.statusCode, byRegion.body).toBe(200);
    expect(await importedWeeklyRows(league.app.county.db, LEAGUE, file.payload.week)).toHaveLength(1);
    expect((await importedWeeklyRows(league.app.county.db, REGION, file.payload.week)).map((r) => r.countyCode)).toEqual(['150102', '150202']);
  });

  it('records each signed export on the county server by its digest, and refuses a county that is none or not the caller’s', async () => {
    const file = await exportFile();
    const entry = await county.app.county.db.selectFrom('audit_chain').select(['subject', 'detail']).where('action', '=', 'report-exchange.export').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry.subject).toBe('150102');
    expect(JSON.parse(entry.detail!)).toEqual({ weekStart: file.payload.week.start, payloadSha256: createHash('sha256').update(canonicalJson(file.payload)).digest('hex'), keyFingerprint: file.signature.keyFingerprint });
    const none = await county.admin('GET', '/api/admin/report-exchange/weekly?county=159999');
    expect(none.statusCode).toBe(422);
    expect(errorOf(none).message).toMatch(/^county: /);
    const foreign = await county.admin('GET', '/api/admin/report-exchange/weekly?county=150202');
    expect(foreign.statusCode).toBe(403);
    expect(errorOf(foreign).code).toBe('forbidden');
  });

  it('keeps the county server’s key: made once, the same after a restart of the exports', async () => {
    const rows = await county.app.county.db.selectFrom('report_signing_keys').select(['id', 'fingerprint']).execute();
    expect(rows).toHaveLength(1);
    const file = await exportFile();
    expect(file.signature.keyFingerprint).toBe(rows[0]!.fingerprint);
  });
});
