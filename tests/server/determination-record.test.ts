import { createHash } from 'node:crypto';
import { Migrator, type Insertable, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, DEFAULT_PARAMETERS_DOCUMENT, evaluate, paragraphOf, RULES, type CaseFacts, type Determination } from '../../src/domain';
import { determinationSha256, recomputeServerDeterminations } from '../../src/server/county/determination-record';
import { canonicalJson } from '../../src/shared/canonical-json';
import { pgArrayLiteral, writeRows } from '../../src/server/db/batch-write';
import { openDatabase } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { migrations } from '../../src/server/db/migrations/index';
import type { Database, DevicesTable } from '../../src/server/db/schema';
import { appVersion } from '../../src/server/package-info';
import { figuresOf, type PushResponse } from '../../src/shared/sync-protocol';
import { generateCases } from '../domain/support/arbitraries';
import { caseInput, TabletSim } from '../support/sync-fixtures';
import { bodyOf, startSyncServer, startSyncServerWithTablet, type SyncTestServer } from '../support/sync-server';
import { describeOnEachDatabase, freshDatabase } from './helpers';

/** Keys in UTF-16 code-unit order at every level of a parsed JSON value. */
function keysSortedEverywhere(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) return v.every(keysSortedEverywhere);
  const keys = Object.keys(v);
  return keys.every((k, i) => i === 0 || keys[i - 1]! < k) && Object.values(v).every(keysSortedEverywhere);
}

/** The same value with every object's keys inserted in reverse order. */
function reversedKeys(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(reversedKeys);
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
}

describe('the digest of a determination', () => {
  it('is the SHA-256 of the canonical JSON: keys sorted at every level, no whitespace, undefined members left out', () => {
    const value = { b: { d: false, c: '中', skipped: undefined }, a: [1, undefined, 'x"y'] };
    expect(canonicalJson(value)).toBe('{"a":[1,null,"x\\"y"],"b":{"c":"中","d":false}}');
    // printf '%s' '{"a":[1,null,"x\"y"],"b":{"c":"中","d":false}}' | sha256sum
    expect(determinationSha256(value)).toBe('41f36876892378b5d8250491d24cee7884326dc43bbbca09c4d202b75ce76236');
  });

  it('writes strings and numbers as JSON does, and refuses values JSON has no form for', () => {
    const tricky = ['\u0000\u001f', '\\', '\ud800', '\u2028', 'é', '', 'a\nb'];
    expect(canonicalJson(tricky)).toBe(JSON.stringify(tricky));
    expect(canonicalJson([0, -0, 1e21, 0.1, -5, 123456789.125])).toBe(JSON.stringify([0, -0, 1e21, 0.1, -5, 123456789.125]));
    expect(canonicalJson({ é: 1, z: 2, A: 3, ä: 4 })).toBe('{"A":3,"z":2,"ä":4,"é":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Infinity])).toThrow(TypeError);
    expect(() => canonicalJson({ x: 1n })).toThrow(TypeError);
  });

  it('of a small value written after a large one holds nothing of the large one', () => {
    const large = { list: Array.from({ length: 300 }, (_, i) => ({ i, empty: '', text: `第${i}项` })) };
    expect(JSON.parse(canonicalJson(large))).toEqual(large);
    expect(canonicalJson({ b: '', a: [''] })).toBe('{"a":[""],"b":""}');
    expect(() => canonicalJson({ list: [...large.list, Number.NaN] })).toThrow(TypeError);
    expect(canonicalJson([])).toBe('[]');
  });

  it('of a generated determination is the same whatever order its objects were built in, and changes with any value of its trace', () => {
    for (const facts of generateCases(40, 20261129)) {
      const d = evaluate(facts, DEFAULT_PARAMETERS);
      const canonical = canonicalJson(d);
      expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(d)));
      expect(keysSortedEverywhere(JSON.parse(canonical))).toBe(true);
      expect(canonicalJson(reversedKeys(d))).toBe(canonical);
      expect(canonicalJson(JSON.parse(JSON.stringify(d)))).toBe(canonical);
      expect(determinationSha256(d)).toBe(createHash('sha256').update(Buffer.from(canonical, 'utf8')).digest('hex'));
      const changed = JSON.parse(JSON.stringify(d)) as Determination;
      changed.trace.at(-1)!.step += '.';
      expect(determinationSha256(changed)).not.toBe(determinationSha256(d));
    }
  });
});

describe('an array parameter', () => {
  it('is written as PostgreSQL reads array literals: quotes and backslashes escaped, null unquoted, control characters as they are', () => {
    expect(pgArrayLiteral(['a', 'b"c', 'd\\e', null, undefined, 3, 'NULL', '', '中,{}'])).toBe('{"a","b\\"c","d\\\\e",null,null,3,"NULL","","中,{}"}');
    expect(pgArrayLiteral(['x\ny', 'b"c', null])).toBe('{"x\ny","b\\"c",NULL}');
    expect(() => pgArrayLiteral([{}])).toThrow(TypeError);
    expect(() => pgArrayLiteral([Number.NaN])).toThrow(TypeError);
  });
});

describeOnEachDatabase('server determinations', (kind) => {

  let s: SyncTestServer;
  let tablet: TabletSim;
  let credential: string;
  beforeEach(async () => {
    ({ s, tablet, credential } = await startSyncServerWithTablet(kind, 'determination'));
  });
  afterEach(async () => {
    await s.close();
  });

  const push = async (body?: Record<string, unknown>) => {
    const res = await s.push(tablet, credential, body);
    expect(res.statusCode, res.body).toBe(200);
    return bodyOf<PushResponse>(res);
  };
  const stored = (caseId: string) =>
    s.app.county.db.selectFrom('server_determinations').selectAll().where('case_id', '=', caseId).orderBy('purpose', 'desc').execute();
  const versionOf = async (caseId: string) => (await s.app.county.db.selectFrom('case_versions').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).id;

  it('a received version keeps the digest of the whole determination and the program version, not the determination; recomputed, it comes back whole and verifies', async () => {
    const c = tablet.create(1);
    await push();
    const expected = evaluate(c.facts, DEFAULT_PARAMETERS);
    const [row] = await stored(c.id);
    expect(row).toMatchObject({ purpose: 'tablet-set', determination: null, determination_sha256: determinationSha256(expected), program_version: appVersion, error: null, figures_differ: 0 });

    // The county page reads the figures, the error and the flag: all still stored.
    const detail = bodyOf<{ versions: { serverDeterminations: { parametersVersion: string; figures: unknown; error: string | null; figuresDiffer: boolean }[] }[] }>(
      await s.admin('GET', `/api/admin/cases/${c.id}`),
    );
    expect(detail.versions[0]!.serverDeterminations).toEqual([{ parametersVersion: DEFAULT_PARAMETERS.version, purpose: 'tablet-set', figures: figuresOf(expected), error: null, figuresDiffer: false }]);

    const [again] = await recomputeServerDeterminations(s.app.county.db, await versionOf(c.id));
    expect(again).toMatchObject({ parametersVersion: DEFAULT_PARAMETERS.version, purpose: 'tablet-set', check: 'verified', error: null, computedBy: appVersion, recomputedBy: appVersion });
    expect(again!.determination).toEqual(expected);
    expect(again!.determination!.trace.length).toBeGreaterThan(3);
    for (const step of again!.determination!.trace) {
      expect(Object.keys(RULES)).toContain(step.rule);
      expect(step.paragraph).toBe(paragraphOf(step.rule));
      for (const p of step.parameters) expect(p.source).not.toBe('');
    }
  });

  it('a recomputation that no longer gives what was computed at receipt is reported as differing', async () => {
    const a = tablet.create(1);
    const b = tablet.create(2);
    await push();
    // Facts changed behind the server's back: the engine now gives another determination.
    const changed: CaseFacts = { ...a.facts, pension: { ...a.facts.pension, periods: [{ from: '1990-01', to: '2009-06' }] } };
    expect(determinationSha256(evaluate(changed, DEFAULT_PARAMETERS))).not.toBe((await stored(a.id))[0]!.determination_sha256);
    await s.app.county.db.updateTable('case_versions').set({ facts: JSON.stringify(changed) }).where('case_id', '=', a.id).execute();
    // A digest changed behind the server's back.
    await s.app.county.db.updateTable('server_determinations').set({ determination_sha256: '0'.repeat(64) }).where('case_id', '=', b.id).execute();

    expect((await recomputeServerDeterminations(s.app.county.db, await versionOf(a.id))).map((r) => r.check)).toEqual(['differs']);
    expect((await recomputeServerDeterminations(s.app.county.db, await versionOf(b.id))).map((r) => r.check)).toEqual(['differs']);
  });

  it('a determination an earlier program version computed without sentence citations is reported as computed by it when its figures are the same, and as differing when a figure is not', async () => {
    const same = tablet.create(1);
    const changedFigure = tablet.create(2);
    await push();
    // What a version before steps cited sentences computed: the same determination less its sentences.
    const withoutSentences = (facts: CaseFacts) => {
      const d = evaluate(facts, DEFAULT_PARAMETERS);
      return { ...d, trace: d.trace.map(({ sentences: _s, ...step }) => step), warnings: d.warnings.map(({ sentences: _s, ...w }) => w) };
    };
    const earlier = async (caseId: string, facts: CaseFacts) => {
      await s.app.county.db
        .updateTable('server_determinations')
        .set({ determination_sha256: determinationSha256(withoutSentences(facts)), program_version: 'old-0.9.0' })
        .where('case_id', '=', caseId)
        .execute();
    };
    await earlier(same.id, same.facts);
    await earlier(changedFigure.id, changedFigure.facts);
    const figures = JSON.parse((await stored(changedFigure.id))[0]!.figures!) as ReturnType<typeof figuresOf>;
    await s.app.county.db
      .updateTable('server_determinations')
      .set({ figures: JSON.stringify({ ...figures, pensionUnitAmount: '1.00' }) })
      .where('case_id', '=', changedFigure.id)
      .execute();

    const [recomputed] = await recomputeServerDeterminations(s.app.county.db, await versionOf(same.id));
    expect(recomputed).toMatchObject({ check: 'earlier-version', computedBy: 'old-0.9.0', recomputedBy: appVersion });
    expect(recomputed!.determination!.trace.every((step) => step.sentences.length > 0)).toBe(true);
    expect((await recomputeServerDeterminations(s.app.county.db, await versionOf(changedFigure.id))).map((r) => r.check)).toEqual(['differs']);
  });

  it('every determination of a version is kept this way: under the tablet’s set and the newest, and a refusal keeps no digest', async () => {
    const newer = { ...DEFAULT_PARAMETERS_DOCUMENT, version: 'county-2027.1', issued: '2027-01-01' };
    expect((await s.admin('POST', '/api/admin/parameter-sets', { document: newer })).statusCode).toBe(201);
    const c = tablet.create(1);
    const unknown = tablet.create(2);
    const body = tablet.pushBody();
    (body.batch as { figures: { parametersVersion: string } }[])[1]!.figures.parametersVersion = 'made-up-1';
    await push(body);

    const rows = await stored(c.id);
    expect(rows.map((r) => [r.purpose, r.parameters_version, r.program_version])).toEqual([
      ['tablet-set', DEFAULT_PARAMETERS.version, appVersion],
      ['newest-set', 'county-2027.1', appVersion],
    ]);
    const recomputed = await recomputeServerDeterminations(s.app.county.db, await versionOf(c.id));
    expect(recomputed.map((r) => [r.purpose, r.check, r.determination?.parametersVersion])).toEqual([
      ['tablet-set', 'verified', DEFAULT_PARAMETERS.version],
      ['newest-set', 'verified', 'county-2027.1'],
    ]);

    const refused = (await stored(unknown.id)).find((r) => r.purpose === 'tablet-set')!;
    expect(refused).toMatchObject({ determination: null, determination_sha256: null, program_version: null, error: expect.stringMatching(/^unknown-parameter-set: /) });
    const [again] = await recomputeServerDeterminations(s.app.county.db, await versionOf(unknown.id));
    expect(again).toMatchObject({ purpose: 'tablet-set', check: 'no-determination', determination: null, error: refused.error });
  });
});

describeOnEachDatabase('batched writes', (kind) => {

  let s: SyncTestServer;
  beforeEach(async () => {
    s = await startSyncServer(kind, 'batch-write');
  });
  afterEach(async () => {
    await s.close();
  });

  it('rows written many per statement read back exactly as given: inserts, updates of different columns, conflicts kept, defaults where a row leaves a column out', async () => {
    const db = s.app.county.db;
    const awkward = ['引号"与\\反斜杠', '{逗号,括号}', 'NULL', '', ' 两端空格 ', 'a\nb'];
    const at = '2024-05-01T08:00:00.000Z';
    await writeRows(db, kind, [
      { op: 'insert', table: 'townships', rows: awkward.map((name, i) => ({ code: `15010290${i}`, name, county_code: '150102', created_at: at })) },
    ]);
    await writeRows(db, kind, [
      // The first township is already there: kept as it is.
      { op: 'insert', table: 'townships', rows: [{ code: '150102900', name: 'not this', county_code: '150102', created_at: at }, { code: '150102990', name: '新', county_code: '150102', created_at: at }], conflictDoNothing: ['code'] },
      {
        op: 'update',
        table: 'townships',
        key: 'code',
        changes: new Map([
          ['150102901', { name: '改"名\\' }],
          ['150102902', { name: '又改', county_code: '150103' }],
        ]),
      },
    ]);
    const rows = await db.selectFrom('townships').select(['code', 'name', 'county_code']).where('code', 'like', '1501029%').orderBy('code').execute();
    expect(rows).toEqual([
      { code: '150102900', name: awkward[0], county_code: '150102' },
      { code: '150102901', name: '改"名\\', county_code: '150102' },
      { code: '150102902', name: '又改', county_code: '150103' },
      ...awkward.slice(3).map((name, i) => ({ code: `15010290${i + 3}`, name, county_code: '150102' })),
      { code: '150102990', name: '新', county_code: '150102' },
    ]);

    await writeRows(db, kind, [
      {
        op: 'insert',
        table: 'devices',
        rows: [
          { device_id: 'AAAAAAA1', township_code: '150102900', credential_hash: 'a'.repeat(64), enrolled_at: at, revoked_at: null, revoked_by: null, last_seq: 7, last_seen_at: null, app_version: null },
          // last_seq left to the column's default.
          { device_id: 'AAAAAAA2', township_code: '150102900', credential_hash: 'b'.repeat(64), enrolled_at: at, revoked_at: null, revoked_by: null, last_seen_at: null, app_version: null } as unknown as Insertable<DevicesTable>,
        ],
      },
    ]);
    const devices = await db.selectFrom('devices').select(['device_id', 'last_seq']).where('township_code', '=', '150102900').orderBy('device_id').execute();
    expect(devices).toEqual([
      { device_id: 'AAAAAAA1', last_seq: 7 },
      { device_id: 'AAAAAAA2', last_seq: 0 },
    ]);
  });
});

describeOnEachDatabase('migration 0003', (kind) => {

  it('determinations stored whole before it keep their JSON and get its digest and the program version that wrote them', async () => {
    const fresh = await freshDatabase(kind, 'migration-0003');
    const app = await openDatabase(fresh.database);
    try {
      const migrator = new Migrator({ db: app.db, provider: { getMigrations: async () => ({ ...migrations }) } });
      const to2 = await migrator.migrateTo('0002_sync');
      expect(to2.error).toBeUndefined();
      const db = app.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      const at = '2024-05-01T08:00:00.000Z';
      await db.insertInto('server_meta').values({ key: 'app_version', value: 'old-0.9.0', updated_at: at }).execute();
      await db.insertInto('townships').values({ code: '150102001', name: '海拉尔路街道', county_code: '150102', created_at: at }).execute();
      await db.insertInto('devices').values({ device_id: 'AAAAAAA1', township_code: '150102001', credential_hash: 'a'.repeat(64), enrolled_at: at, last_seq: 0 }).execute();

      // More than one page of the migration's reads, and a refusal stored without a determination.
      const count = 503;
      const determinations: Determination[] = [];
      const caseRows = [];
      const versionRows = [];
      const determinationRows = [];
      for (let i = 0; i < count; i++) {
        const { facts, registration } = caseInput(i, i);
        const d = evaluate(facts, DEFAULT_PARAMETERS);
        determinations.push(d);
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const common = { status: 'registered', facts: JSON.stringify(facts), registration: JSON.stringify(registration), revision: 1 };
        caseRows.push({ id, case_number: `150102-AAAAAAA1-${String(i).padStart(5, '0')}`, device_id: 'AAAAAAA1', township_code: '150102001', id_number: facts.person.idNumber, name: registration.name, county_status: 'received', current_version_id: id, parameters_version: d.parametersVersion, received_at: at, updated_at: at, updated_by: '王芳', ...common });
        versionRows.push({ id, case_id: id, source: 'tablet', mutation_id: id, device_id: 'AAAAAAA1', actor: '王芳', at, received_at: at, figures: JSON.stringify(figuresOf(d)), ...common });
        determinationRows.push({ version_id: id, parameters_version: d.parametersVersion, case_id: id, purpose: 'tablet-set', figures: JSON.stringify(figuresOf(d)), determination: JSON.stringify(d), error: null, computed_at: at });
      }
      determinationRows.push({ version_id: caseRows[0]!.id, parameters_version: 'made-up-1', case_id: caseRows[0]!.id, purpose: 'newest-set', figures: null, determination: null, error: 'unknown-parameter-set: no such set', computed_at: at });
      for (const [table, rows] of [['cases', caseRows], ['case_versions', versionRows], ['server_determinations', determinationRows]] as const) {
        for (let i = 0; i < rows.length; i += 100) await db.insertInto(table).values(rows.slice(i, i + 100)).execute();
      }

      await migrateToLatest(app);
      const typed = app.db as Kysely<Database>;
      const after = await typed.selectFrom('server_determinations').selectAll().orderBy('version_id').orderBy('parameters_version').execute();
      expect(after).toHaveLength(count + 1);
      const byVersion = new Map(caseRows.map((c, i) => [c.id, determinations[i]!]));
      for (const row of after) {
        if (row.parameters_version === 'made-up-1') {
          expect(row).toMatchObject({ determination: null, determination_sha256: null, program_version: null });
          continue;
        }
        const d = byVersion.get(row.version_id)!;
        expect(row.determination).toBe(JSON.stringify(d));
        expect(row.determination_sha256).toBe(createHash('sha256').update(canonicalJson(d), 'utf8').digest('hex'));
        expect(row.program_version).toBe('old-0.9.0');
      }

      const recomputed = await recomputeServerDeterminations(typed, caseRows[7]!.id);
      expect(recomputed).toEqual([expect.objectContaining({ purpose: 'tablet-set', check: 'verified', computedBy: 'old-0.9.0', determination: determinations[7] })]);
    } finally {
      await app.destroy();
      await fresh.cleanup();
    }
  });
});
