// The policy table (src/server/auth/policy-table.ts) as the routes apply it: every county-page route
// called as every role, on a target inside its area, outside it and one that does not exist, on
// each database. The expected answer of each cell is read from the table; allowed cells answer 2xx,
// the others 403 with one of two messages that name nothing (a missing id answers exactly as a
// foreign one). Also: every route the server registers is in the table or named as a device or
// session route, and the hostile-input list of routes is the same list.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS_DOCUMENT, type ParameterSet } from '../../src/domain';
import { NOT_IN_AREA_MESSAGE } from '../../src/server/auth/policy';
import { COUNTY_ACTIONS, grantOf, POLICY, STEP_ACTIONS } from '../../src/server/auth/policy-table';
import { createAccount, createTownship } from '../../src/server/county/administration';
import { ADMIN_ROUTES, SESSION_ROUTES, type AdminRoute } from '../../src/server/routes/admin';
import { areaContains, REGION, ROLES, type Area, type Role } from '../../src/shared/roles';
import { canonicalJson } from '../../src/shared/canonical-json';
import { withPolicyTable } from '../../src/cli/policy-table';
import { ROUTES as HOSTILE_ROUTES } from '../support/hostile-requests';
import { ADMIN, TOWNSHIP } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase } from './helpers';

/** Townships the targets lie in: the admin's county, another county of his 盟市, and another 盟市. */
const PLACES = [TOWNSHIP.code, '150103001', '150202001'] as const;
type Place = (typeof PLACES)[number];

/** Who calls: one account of each role, and an admin of the region beside the county's. */
const CALLERS: { name: string; role: Role; area: Area }[] = [
  { name: 'm-window-clerk', role: 'window-clerk', area: { level: 'township', code: TOWNSHIP.code } },
  { name: 'm-outreach', role: 'outreach-worker', area: { level: 'township', code: TOWNSHIP.code } },
  { name: 'm-reviewer', role: 'county-reviewer', area: { level: 'county', code: '150102' } },
  { name: ADMIN.username, role: 'admin', area: { level: 'county', code: '150102' } },
  { name: 'm-region-admin', role: 'admin', area: REGION },
  { name: 'm-league-tf', role: 'league-task-force', area: { level: 'league', code: '150100' } },
  { name: 'm-region-tf', role: 'region-task-force', area: REGION },
  { name: 'm-auditor', role: 'auditor', area: { level: 'county', code: '150102' } },
];
const PASSWORD = 'matrix password 1';

/** What each place holds, with the words a refusal must never show. */
interface Fixture {
  deviceId: string;
  caseId: string;
  versionId: string;
  clerk: string;
  secrets: string[];
}

/** One cell's target: a place, one that does not exist, the server as a whole, or none (self and lists). */
type Target = { kind: 'place'; place: Place } | { kind: 'missing' } | { kind: 'server' } | { kind: 'none' };

interface Request {
  url: string;
  body?: unknown;
  /** The area the policy should judge by; null: nothing there. */
  area: Area | null | 'none';
}

const township = (code: string): Area => ({ level: 'township', code });

/** What belongs to no township (an address, a name of no account): the places lie in two 盟市, so the region. */
const SERVER_AREA = REGION;
const NO_ACCOUNT = 'm-no-such-name';

/** A county server's report-signing key, registered on the matrix's server for the admin's county. */
const COUNTY_KEY = generateKeyPairSync('ed25519');
const COUNTY_KEY_FINGERPRINT = createHash('sha256').update(COUNTY_KEY.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

/** A signed weekly report file of the admin's county: every cell that may import it succeeds. */
function signedWeeklyFile(n: number): unknown {
  const week = { start: '2024-04-25T04:00:00.000Z', end: '2024-05-02T04:00:00.000Z', dueDate: '2024-05-02' };
  const payload = {
    format: 'jiexu.signed-weekly-report',
    formatVersion: 1,
    county: { code: '150102', name: '' },
    week,
    generatedAt: new Date(Date.UTC(2024, 4, 1, 0, 0, n)).toISOString(),
    report: { kind: 'weekly', week, area: { level: 'county', code: '150102' }, total: {}, levels: [] },
  };
  return { payload, signature: { algorithm: 'Ed25519', keyFingerprint: COUNTY_KEY_FINGERPRINT, value: sign(null, Buffer.from(canonicalJson(payload)), COUNTY_KEY.privateKey).toString('base64') } };
}

describeOnEachDatabase('the policy matrix: every county route as every role', (kind) => {
  let s: SyncTestServer;
  let app: FastifyInstance;
  const cookies = new Map<string, string>();
  const fixtures = new Map<Place, Fixture>();
  /** The area of each account the fixtures made, by user name: what a lock of that name belongs to. */
  const accountAreas = new Map<string, Area>();
  let counter = 0;
  /** Where each place's mover is now: every allowed move takes him to the other township of his county. */
  const moverAt = new Map<Place, string>(PLACES.map((place) => [place, place]));

  /** One wrong password for each place's clerk and for a name of no account: counted, listed, audited. */
  async function wrongPasswords(): Promise<void> {
    for (const name of [...[...fixtures.values()].map((f) => f.clerk), NO_ACCOUNT]) {
      const res = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: name, password: 'not the password' } });
      expect(res.statusCode).toBe(401);
    }
  }

  beforeAll(async () => {
    s = await startSyncServer(kind, 'policy-matrix');
    app = s.app;
    const ctx = app.county;
    await createTownship(ctx, { code: '150103001', name: '矩阵测试乡' });
    await createTownship(ctx, { code: '150202001', name: '矩阵外盟乡' });
    // A second township in each place's county, so that a clerk moved within his county stays in every area that held him.
    await createTownship(ctx, { code: '150103002', name: '矩阵测试二乡' });
    await createTownship(ctx, { code: '150202002', name: '矩阵外盟二乡' });
    const now = ctx.now().toISOString();
    for (const [i, place] of PLACES.entries()) {
      const deviceId = `MTRX000${i}`;
      await ctx.db
        .insertInto('devices')
        .values({ device_id: deviceId, township_code: place, credential_hash: randomUUID().replaceAll('-', ''), enrolled_at: now, revoked_at: null, revoked_by: null, last_seq: 0, last_seen_at: null, app_version: null })
        .execute();
      const caseId = randomUUID();
      const versionId = randomUUID();
      const idNumber = `15010219700101${String(100 + i)}X`;
      const name = `保密姓名${i}`;
      const facts = JSON.stringify({ person: { idNumber } });
      const registration = JSON.stringify({ name });
      await ctx.db
        .insertInto('cases')
        .values({
          id: caseId,
          case_number: `MTRX-${i}`,
          device_id: deviceId,
          township_code: place,
          id_number: idNumber,
          name,
          status: 'registered',
          county_status: 'received',
          correction_request: null,
          facts,
          registration,
          revision: 1,
          current_version_id: versionId,
          parameters_version: DEFAULT_PARAMETERS_DOCUMENT.version,
          conflict: 1,
          possible_duplicate: 0,
          figures_differ: 0,
          received_at: now,
          updated_at: now,
          updated_by: 'matrix',
        })
        .execute();
      await ctx.db
        .insertInto('case_versions')
        .values({ id: versionId, case_id: caseId, revision: 1, base_revision: null, source: 'tablet', mutation_id: null, device_id: deviceId, actor: name, at: now, received_at: now, status: 'registered', facts, registration, figures: null, conflicting: 0 })
        .execute();
      const clerk = `clerk-${place}`;
      await createAccount(ctx, { username: clerk, displayName: `经办人${i}`, password: PASSWORD, role: 'window-clerk', townshipCode: place });
      fixtures.set(place, { deviceId, caseId, versionId, clerk, secrets: [name, idNumber, clerk, `经办人${i}`, deviceId, `MTRX-${i}`] });
      accountAreas.set(clerk, township(place));
      // Moved by POST …/move, apart from the clerk the other routes find in his place.
      await createAccount(ctx, { username: `mover-${place}`, password: PASSWORD, role: 'window-clerk', townshipCode: place });
      // A submitted weekly report of the place's county under the case's id, so that GET …/reports/submissions/:id finds one.
      await ctx.db
        .insertInto('report_submissions')
        .values({ id: caseId, kind: 'weekly', week_start: now, area_level: 'county', area_code: place.slice(0, 6), version: 1, report: '{}', sha256: '0'.repeat(64), submitted_by: 'matrix', submitted_at: now, comment: '', audit_seq: 0, audit_hash: '0'.repeat(64) })
        .execute();
    }
    for (const c of CALLERS) {
      accountAreas.set(c.name, c.area);
      if (c.name === ADMIN.username) {
        cookies.set(c.name, s.county.adminCookie);
        continue;
      }
      await createAccount(ctx, { username: c.name, password: PASSWORD, role: c.role, area: c.area });
      const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { username: c.name, password: PASSWORD } });
      expect(login.statusCode, login.body).toBe(200);
      cookies.set(c.name, String(login.headers['set-cookie']).split(';')[0]!);
    }
    await ctx.db
      .insertInto('county_report_keys')
      .values({ fingerprint: COUNTY_KEY_FINGERPRINT, county_code: '150102', algorithm: 'Ed25519', public_key: COUNTY_KEY.publicKey.export({ type: 'spki', format: 'pem' }).toString(), registered_by: 'matrix', registered_at: now, audit_seq: 0 })
      .execute();
    await wrongPasswords();
  });
  afterAll(async () => {
    await s.close();
  });

  /** The targets a route is called with. */
  function targetsOf(route: AdminRoute): Target[] {
    const places = PLACES.map((place): Target => ({ kind: 'place', place }));
    if (route.includes('/:deviceId') || route.includes('/:id') || route.includes('/:username')) return [...places, { kind: 'missing' }];
    // Every area has every parameter set: one that exists is judged by the role alone.
    if (route === 'GET /api/admin/parameter-sets/:version') return [{ kind: 'none' }, { kind: 'missing' }];
    if (route === 'POST /api/admin/townships' || route === 'POST /api/admin/enrolment-codes' || route === 'POST /api/admin/accounts') return places;
    if (route === 'GET /api/admin/report-exchange/weekly' || route === 'POST /api/admin/report-exchange/county-keys') return places;
    if (route === 'GET /api/admin/report-exchange/signing-key') return [{ kind: 'server' }];
    if (route === 'POST /api/admin/addresses/:address/unlock' || route === 'POST /api/admin/parameter-sets') return [{ kind: 'server' }];
    return [{ kind: 'none' }];
  }

  /** The request of a cell, and the area the table judges it by. */
  function requestOf(route: AdminRoute, target: Target, caller: (typeof CALLERS)[number]): Request {
    const path = route.slice(route.indexOf(' ') + 1);
    const f = target.kind === 'place' ? fixtures.get(target.place)! : null;
    const n = ++counter;
    const area = target.kind === 'place' ? township(target.place) : target.kind === 'missing' ? null : target.kind === 'server' ? REGION : 'none';
    switch (route) {
      case 'POST /api/admin/password':
        return { url: path, body: { currentPassword: caller.name === ADMIN.username ? ADMIN.password : PASSWORD, newPassword: `${PASSWORD} changed` }, area };
      case 'POST /api/admin/townships': {
        const code = `${(target as { place: string }).place.slice(0, 6)}${String(500 + n).slice(-3)}`;
        return { url: path, body: { code, name: `新建乡${n}` }, area: township(code) };
      }
      case 'POST /api/admin/enrolment-codes':
        return { url: path, body: { townshipCode: (target as { place: string }).place }, area };
      case 'POST /api/admin/accounts':
        return { url: path, body: { username: `new-${n}`, password: PASSWORD, role: 'window-clerk', townshipCode: (target as { place: string }).place }, area };
      case 'POST /api/admin/parameter-sets': {
        const document = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS_DOCUMENT)) as ParameterSet;
        document.version = `matrix-${kind}-${n}`;
        return { url: path, body: { document }, area };
      }
      case 'POST /api/admin/parameter-sets/preview': {
        const document = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS_DOCUMENT)) as ParameterSet;
        document.version = `matrix-draft-${kind}-${n}`;
        return { url: path, body: { document }, area };
      }
      case 'GET /api/admin/parameter-sets/:version':
        return { url: path.replace(':version', target.kind === 'missing' ? 'no-such-set' : DEFAULT_PARAMETERS_DOCUMENT.version), area };
      case 'POST /api/admin/addresses/:address/unlock':
        return { url: path.replace(':address', '10.9.8.7'), area };
      // A county's report is signed and a county's key registered: the place's county.
      case 'GET /api/admin/report-exchange/weekly':
        return { url: `${path}?county=${(target as { place: string }).place.slice(0, 6)}`, area };
      case 'POST /api/admin/report-exchange/county-keys':
        return { url: path, body: { countyCode: (target as { place: string }).place.slice(0, 6), publicKey: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString() }, area };
      // The county the file names is judged after the role (refused as not-in-area): here one every caller who may import covers.
      case 'POST /api/admin/report-exchange/imports':
        return { url: path, body: signedWeeklyFile(n), area };
      // A results file whose one row matches no case: judged row by row, nothing recorded.
      case 'POST /api/admin/agency-results/preview':
      case 'POST /api/admin/agency-results/commit': {
        const csv = '案件编号,险种,中断月数,单位缴费金额,个人缴费金额,经办机构,文号,文件日期\r\nNO-SUCH-CASE,养老,30,1.00,1.00,社保局,X号,2024-04-20';
        return { url: path, body: { fileName: 'results.csv', content: Buffer.from(csv).toString('base64') }, area };
      }
      // Every entry of the set-up on one page, so that a foreign one cannot hide on a later page.
      case 'GET /api/admin/audit':
        return { url: `${path}?limit=500`, area };
      // A user name of no account is locked like any other: its lock belongs to the whole server.
      // The mover goes to the other township of his county; the table judges by where he is now.
      case 'POST /api/admin/accounts/:username/move': {
        if (target.kind !== 'place') return { url: path.replace(':username', 'no-such-clerk'), body: { townshipCode: TOWNSHIP.code }, area };
        const at = moverAt.get(target.place)!;
        const to = `${at.slice(0, 6)}${at.endsWith('001') ? '002' : '001'}`;
        if (allowed(caller.role, caller.area, route, township(at))) moverAt.set(target.place, to);
        return { url: path.replace(':username', `mover-${target.place}`), body: { townshipCode: to }, area: township(at) };
      }
      case 'POST /api/admin/accounts/:username/unlock':
        return { url: path.replace(':username', f?.clerk ?? 'no-such-clerk'), area: area ?? REGION };
      // Every place's case and a missing one: each is judged by area and status inside, a refusal reported by id.
      case 'POST /api/admin/cases/batch-steps':
        return { url: path, body: { step: 'sent-to-agency', caseIds: [...[...fixtures.values()].map((x) => x.caseId), randomUUID()], comment: '移交', agencyName: '社保局' }, area };
      default:
        break;
    }
    let url = path
      .replace(':deviceId', f?.deviceId ?? 'NOSUCHD1')
      .replace(':username', f?.clerk ?? 'no-such-clerk')
      .replace(':id', f?.caseId ?? randomUUID());
    if (route === 'GET /api/admin/cases/:id' && f === null) url = `/api/admin/cases/${randomUUID()}`;
    // 退回补正 may be asked again while the window has not answered: each cell that may finds it allowed.
    const body =
      route === 'POST /api/admin/cases/:id/resolve'
        ? { versionId: f?.versionId ?? randomUUID() }
        : route === 'POST /api/admin/cases/:id/correction-request'
          ? { message: '请补充退役证' }
          : route === 'POST /api/admin/cases/:id/steps'
            ? { step: 'correction-requested', comment: '请补充退役证' }
            : route === 'POST /api/admin/cases/:id/agency-findings'
              ? { track: 'pension', gapMonths: 30, unitAmount: '1200.00', individualAmount: '480.00', agencyName: '社保局', documentNumber: '社保核〔2024〕1号', documentDate: '2024-04-20', computedOn: '2024-04-18' }
              : route === 'POST /api/admin/cases/:id/payer-confirmations'
                ? { payer: 'superior', government: '新城区人民政府', confirmedOn: '2024-04-10', documentNumber: '新政函〔2024〕8号' }
                : undefined;
    return { url, ...(body === undefined ? {} : { body }), area };
  }

  /** The table's answer: may this caller take the route's action on that area? */
  function allowed(role: Role, callerArea: Area, route: AdminRoute, area: Area | null | 'none'): boolean {
    const grant = grantOf(role, ADMIN_ROUTES[route]);
    if (grant === null) return false;
    if (grant === 'self' || area === 'none') return true;
    return area !== null && areaContains(callerArea, area);
  }

  /** What a list answers, by kind: the areas of its items, to check that none lies outside. */
  function listedAreas(route: AdminRoute, res: LightMyRequestResponse): Area[] {
    // A spreadsheet (an .xlsx export) is checked by its own tests.
    if (!String(res.headers['content-type']).startsWith('application/json')) return [];
    const b = bodyOf<Record<string, { code?: string; townshipCode?: string | null; area?: Area | null; kind?: string; subject?: string | null }[]>>(res);
    switch (route) {
      case 'GET /api/admin/townships':
        return b.townships!.map((t) => township(t.code!));
      case 'GET /api/admin/devices':
        return b.devices!.map((d) => township(d.townshipCode!));
      case 'GET /api/admin/cases':
        return b.cases!.map((c) => township(c.townshipCode!));
      case 'POST /api/admin/parameter-sets/preview':
        return b.changed!.map((c) => township(c.townshipCode!));
      case 'GET /api/admin/accounts':
        return b.accounts!.map((a) => a.area!);
      // A user name's lock has its account's area; an address's or a name of no account's, the server's.
      case 'GET /api/admin/sign-in-locks':
        return b.locks!.map((k) => (k.kind === 'account' ? accountAreas.get(k.subject!) : undefined) ?? SERVER_AREA);
      // An entry of no area concerns the whole server.
      case 'GET /api/admin/audit':
        return b.entries!.map((e) => e.area ?? SERVER_AREA);
      case 'GET /api/admin/reports/submissions':
        return b.submissions!.map((x) => x.area!);
      default:
        return [];
    }
  }

  // Hundreds of requests, each signed in and checked: minutes on a loaded two-core machine, never a hang.
  it('allowed cells succeed and the others answer 403 naming nothing, a missing target exactly as a foreign one', async () => {
    let cells = 0;
    const failures: string[] = [];
    const refusalMessages = new Set<string>();
    for (const route of Object.keys(ADMIN_ROUTES) as AdminRoute[]) {
      const [method] = route.split(' ') as ['GET' | 'POST'];
      for (const caller of CALLERS) {
        const refusals = new Map<string, string>();
        for (const target of targetsOf(route)) {
          const req = requestOf(route, target, caller);
          // A conflict is resolved once; each cell that may resolve it finds it open.
          if (route === 'POST /api/admin/cases/:id/resolve') await app.county.db.updateTable('cases').set({ conflict: 1 }).execute();
          const res = await app.inject({ method, url: req.url, headers: { cookie: cookies.get(caller.name)! }, ...(req.body === undefined ? {} : { payload: req.body as Record<string, unknown> }) });
          cells++;
          const cell = `${route} as ${caller.name} (${caller.role} of ${caller.area.level} ${caller.area.code}) on ${target.kind === 'place' ? target.place : target.kind}`;
          const expectAllowed = allowed(caller.role, caller.area, route, req.area);
          if (expectAllowed) {
            if (res.statusCode < 200 || res.statusCode >= 300) failures.push(`${cell}: expected 2xx, got ${res.statusCode} ${res.body.slice(0, 200)}`);
            for (const area of listedAreas(route, res)) {
              if (!areaContains(caller.area, area)) failures.push(`${cell}: lists ${area.level} ${area.code}, outside the caller's area`);
            }
            continue;
          }
          const error = res.statusCode === 403 ? bodyOf<{ error: { code: string; message: string } }>(res).error : null;
          if (error === null || error.code !== 'forbidden') {
            failures.push(`${cell}: expected 403 forbidden, got ${res.statusCode} ${res.body.slice(0, 200)}`);
            continue;
          }
          refusalMessages.add(error.message);
          const leaked = [...fixtures.values()].flatMap((f) => f.secrets).filter((secret) => res.body.includes(secret));
          if (leaked.length > 0) failures.push(`${cell}: the refusal names ${leaked.join(', ')}`);
          if (target.kind === 'place' || target.kind === 'missing') refusals.set(target.kind === 'place' ? target.place : 'missing', res.body);
        }
        // A missing target answers byte for byte as a foreign one, whichever refusal it is.
        const missing = refusals.get('missing');
        for (const [place, body] of refusals) {
          if (missing !== undefined && place !== 'missing' && body !== missing) failures.push(`${route} as ${caller.name}: a missing target answers ${missing}, one in ${place} ${body}`);
        }
      }
    }
    console.log(`policy matrix: ${cells} cells on ${kind}`);
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThan(Object.keys(ADMIN_ROUTES).length * CALLERS.length);
    // Two refusals only: the role may not, or the target is not within its area (or not there).
    expect([...refusalMessages].filter((m) => m !== NOT_IN_AREA_MESSAGE && !/^The role [a-z-]+ may not [a-z.-]+$/.test(m))).toEqual([]);
  }, 180_000);

  it('sign-in locks and audit entries: a caller who may list them sees those of his area and none of another', async () => {
    // The matrix above lifts locks as it goes: count the wrong passwords again.
    await wrongPasswords();
    const get = async <T>(caller: string, url: string): Promise<T> => bodyOf<T>(await app.inject({ method: 'GET', url, headers: { cookie: cookies.get(caller)! } }));
    const locks = async (caller: string) => (await get<{ locks: { kind: string; subject: string }[] }>(caller, '/api/admin/sign-in-locks')).locks.map((k) => `${k.kind} ${k.subject}`);
    const failures = async (caller: string) =>
      (await get<{ entries: { action: string; subject: string | null }[] }>(caller, '/api/admin/audit?limit=500')).entries.filter((e) => e.action === 'sign-in.failure').map((e) => e.subject);
    const [here, county, league] = PLACES.map((p) => fixtures.get(p)!.clerk) as [string, string, string];
    for (const caller of [ADMIN.username, 'm-auditor']) {
      const listed = await locks(caller);
      expect(listed).toContain(`account ${here}`);
      expect(listed.filter((k) => k !== `account ${here}` && !k.startsWith('account m-'))).toEqual([]);
      const failed = await failures(caller);
      expect(failed).toContain(here);
      expect(failed).not.toContain(county);
      expect(failed).not.toContain(league);
      expect(failed).not.toContain(NO_ACCOUNT);
    }
    const all = await locks('m-region-admin');
    expect(all).toEqual(expect.arrayContaining([`account ${here}`, `account ${county}`, `account ${league}`, `account ${NO_ACCOUNT}`, 'address 127.0.0.1']));
    // A name no account has is never a subject of the chain: it may be a password typed in the wrong field.
    expect(await failures('m-region-admin')).toEqual(expect.arrayContaining([here, county, league, 'unknown-account']));
    expect(await failures('m-region-admin')).not.toContain(NO_ACCOUNT);
  });

  it('every route the server registers is a county route of the table, a session route, or a tablet’s or the health route; the hostile-input list has them all', async () => {
    const registered = registeredRoutes(app).filter(([, url]) => url.startsWith('/api/'));
    const tablet = ['POST /api/enrol', 'POST /api/sync/push', 'POST /api/sync/pull', 'GET /api/sync/pull', 'POST /api/sync/clerk-sign-in', 'GET /api/health'];
    const known = new Set<string>([...Object.keys(ADMIN_ROUTES), ...SESSION_ROUTES, ...tablet]);
    const keys = registered.map(([method, url]) => `${method} ${url}`);
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
    expect(Object.keys(ADMIN_ROUTES).filter((k) => !keys.includes(k))).toEqual([]);
    // Every action of the table has a route: none is granted that nothing takes. The steps route takes
    // the action of the step it is asked for.
    expect(ADMIN_ROUTES['POST /api/admin/cases/:id/steps']).toBe('case.step');
    const routed = new Set<string>([...Object.values(ADMIN_ROUTES), ...Object.values(STEP_ACTIONS)]);
    expect(COUNTY_ACTIONS.filter((a) => !routed.has(a))).toEqual([]);
    const hostile = new Set(HOSTILE_ROUTES.map(([m, u]) => `${m} ${u}`));
    const asHostile = (k: string) => k.replace(/:[a-zA-Z]+/g, ':param');
    expect(keys.map(asHostile).filter((k) => !hostile.has(k))).toEqual([]);
  });
});

describe('the policy table', () => {
  it('gives the read-only roles (task forces, auditors) nothing that changes data but their own password', () => {
    const readOnly: Role[] = ['league-task-force', 'region-task-force', 'auditor'];
    const writes = POLICY.filter((r) => r.writes).flatMap((r) => readOnly.filter((role) => r.grants[role] === 'area').map((role) => `${role} ${r.action}`));
    expect(writes).toEqual([]);
  });

  it('lets tablet roles do nothing on the county page but read their session and change their password', () => {
    for (const role of ['window-clerk', 'outreach-worker'] as const) {
      expect(COUNTY_ACTIONS.filter((a) => grantOf(role, a) !== null)).toEqual(['session.read', 'password.change']);
    }
  });

  it('is what the README shows (npx tsx src/cli/policy-table.ts rewrites the README’s copy)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(withPolicyTable(readme)).toBe(readme);
  });

  it('names each action once and grants only known roles', () => {
    expect(POLICY.map((r) => r.action)).toEqual([...COUNTY_ACTIONS]);
    for (const r of POLICY) expect(Object.keys(r.grants).filter((role) => !(ROLES as readonly string[]).includes(role))).toEqual([]);
  });
});

/** Every method and full path the app answers, read from its route tree (HEAD and OPTIONS aside). */
function registeredRoutes(app: FastifyInstance): [string, string][] {
  const out: [string, string][] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(path);
    for (const method of (m[3] ?? '').split(', ').filter((x) => x !== '' && x !== 'HEAD' && x !== 'OPTIONS')) out.push([method, path]);
  }
  return out;
}
