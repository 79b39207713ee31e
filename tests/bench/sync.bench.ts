// Day-end sync. Four figures, each against a floor measured in the same run:
// - sync.slowLink.seconds1000: 1,000 cases from one tablet (the client engine, syncNow, with an
//   in-memory outbox) to the real server in this process, through a TCP proxy pacing ≈ 400 kbit/s
//   with a 300 ms round trip; the cases are generated and varied (facts, names, phones, addresses).
//   Floor: the bytes that crossed the link at that rate plus one round trip per request and per
//   TCP handshake. Target ≤ 15 s.
// - sync.bytesPerCase: bytes on the wire per case, both directions, HTTP headers included.
//   Floor: gzip of the bare facts JSON, per batch as sent, per case. Target ≤ 500 bytes.
// - sync.ingest.casesPerSecond.{sqlite,postgres}: the push route (gunzip, parse, validate,
//   re-evaluate, one transaction per batch) on one Node thread. Floor: a raw batched insert of the
//   very rows the ingest wrote into the same tables of a fresh database, one transaction per push,
//   written the way the ingest writes them (db/batch-write.ts: on PostgreSQL unnest arrays, all
//   tables in one statement; on SQLite multi-row VALUES per table). PostgreSQL runs with its
//   default durability (fsync, synchronous commit, full-page writes), as at a county; SQLite as the
//   server opens it (WAL, synchronous FULL). Target ≥ 2,000 cases/s.
// - sync.ingest.engineShare.{sqlite,postgres}: the engine's time (server re-evaluation of the same
//   mutations: evaluate, figures digest, SHA-256 of the canonical determination) as a share of the
//   ingest time.

import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { DEFAULT_PARAMETERS, evaluate } from '../../src/domain';
import { buildServer } from '../../src/server/app';
import { createAccount } from '../../src/server/county/administration';
import type { DatabaseConfig } from '../../src/server/config';
import { writeRows } from '../../src/server/db/batch-write';
import type { Database } from '../../src/server/db/schema';
import { determinationSha256, evaluateOnServer } from '../../src/server/county/determination-record';
import { serverDeterminations, validateBatch } from '../../src/server/county/ingest';
import { knownParameterSets } from '../../src/server/county/parameter-sets';
import { parsePushRequest, type PushRequest, type PushResponse } from '../../src/shared/sync-protocol';
import { syncNow, type SyncClientConfig } from '../../src/sync';
import { nodeGzip } from '../../src/sync/node-gzip';
import { SYNC_BATCH_SIZE, SYNC_TIMEOUT_MS } from '../../src/sync/tablet-sync';
import { generateCases } from '../domain/support/arbitraries';
import { registration } from '../storage/support';
import { mulberry32 } from '../support/fault-proxy';
import { createTestDatabase, postgresUnavailableReason, startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster';
import { SlowLink } from '../support/slow-link';
import { setUpCounty, TabletSim, TOWNSHIP } from '../support/sync-fixtures';
// A type import is erased: run.ts, which runs on import, is not loaded by it.
import type { BenchFigure } from './run';

const LINK = { bitsPerSecond: 400_000, roundTripMs: 300 };
const LINK_CASES = 1_000;
const INGEST_CASES = 2_000;
const WARM_UP_CASES = 500;
const ROUNDS = 3;
const BATCH = SYNC_BATCH_SIZE;

interface Server {
  app: FastifyInstance;
  cleanup(): Promise<void>;
}

async function startServer(database: DatabaseConfig, cleanup: () => Promise<void>): Promise<Server> {
  const app = await buildServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: tmpdir(),
    database,
    tls: null,
    distDir: join(tmpdir(), 'jiexu-no-dist'),
    logLevel: 'silent',
  });
  return {
    app,
    async cleanup() {
      await app.close();
      await cleanup();
    },
  };
}

type Kind = 'sqlite' | 'postgres';

async function freshServer(kind: Kind, cluster: PostgresCluster | null, label: string): Promise<Server> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-bench-'));
    return startServer({ kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, async () => rmSync(dir, { recursive: true, force: true }));
  }
  const db = await createTestDatabase(cluster!.url, label);
  return startServer({ kind: 'postgres', url: db.url }, () => db.drop());
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏锺汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'.split('');
const GIVEN = '建国军伟强磊洋勇杰涛明超秀英华文斌刚平辉鹏飞宇浩志红金海林峰波春胜德福'.split('');
/** The township's clerks: the name a tablet shows, and the county user name it sends with each change. */
const CLERKS = [
  { name: '王芳', account: 'wangfang' },
  { name: '李娜', account: 'lina' },
  { name: '张伟', account: 'zhangwei' },
  { name: '其其格', account: 'qiqige' },
] as const;

/** The clerks' county accounts, so that the server verifies each case's account as at a county. */
async function createClerks(app: FastifyInstance): Promise<void> {
  for (const c of CLERKS) {
    await createAccount(app.county, { username: c.account, displayName: c.name, password: 'bench clerk password', role: 'window-clerk', townshipCode: TOWNSHIP.code });
  }
}

const STREETS = ['中山路', '新华大街', '锡林南路', '呼伦南路', '昭乌达路', '成吉思汗大街', '海拉尔东街', '通道街', '大学西街', '鄂尔多斯大街'];

/**
 * A tablet whose outbox holds `count` varied cases, as clerks would make them: generated facts
 * (both regimes, every payer, gaps and overlaps), each with its own veteran's name, phone and
 * address, evaluated on the tablet, and the county account of the signed-in clerk who made it.
 */
function tabletWith(count: number, seed = 20261129): TabletSim {
  const tablet = new TabletSim();
  const facts = generateCases(count, seed);
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let i = 0; i < count; i++) {
    const clerk = pick(CLERKS);
    const created = tablet.create(i, clerk.name, clerk.account);
    const f = facts[i]!;
    const negative = !f.placement.unitExists || !f.placement.unitCanPay || !f.placement.superiorExists || !f.placement.superiorCanPay;
    const record = {
      ...created,
      facts: f,
      registration: registration({
        name: pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : ''),
        phone: `1${pick(['3', '5', '8'])}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
        address: `呼和浩特市新城区${pick(STREETS)}${1 + Math.floor(random() * 300)}号`,
        confirmedBy: negative ? `${pick(STREETS).slice(0, 2)}苏木人民政府` : '',
      }),
      determination: evaluate(f, DEFAULT_PARAMETERS),
    };
    tablet.cases.set(record.id, record);
    const m = tablet.outbox.at(-1)!;
    m.payload = record;
  }
  return tablet;
}

async function slowLinkFigures(): Promise<BenchFigure[]> {
  const server = await freshServer('sqlite', null, 'link');
  let link: SlowLink | null = null;
  try {
    const county = await setUpCounty(server.app);
    await createClerks(server.app);
    const tablet = tabletWith(LINK_CASES);
    const credential = await county.enrol(tablet);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    link = new SlowLink({ targetPort: address.port, ...LINK });
    await link.start();

    let requests = 0;
    const counted: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const config: SyncClientConfig = {
      baseUrl: link.url,
      deviceId: tablet.deviceId,
      credential,
      appVersion: 'bench',
      fetch: counted,
      now: () => new Date(),
      compress: nodeGzip,
      timeoutMs: SYNC_TIMEOUT_MS,
      batchSize: BATCH,
    };
    const facts = tablet.outbox.map((m) => m.payload.facts);
    const t0 = performance.now();
    const report = await syncNow(config, tablet, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random });
    const seconds = (performance.now() - t0) / 1000;
    if (report.status !== 'done' || report.pushed !== LINK_CASES || report.retries !== 0) throw new Error(`the sync did not go through cleanly: ${JSON.stringify(report)}`);
    const stored = await server.app.county.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) !== LINK_CASES) throw new Error(`the server holds ${String(stored.n)} cases, not ${LINK_CASES}`);

    const bytes = link.bytesUp + link.bytesDown;
    const roundTrips = requests + link.connections;
    const floorSeconds = (bytes * 8) / LINK.bitsPerSecond + (roundTrips * LINK.roundTripMs) / 1000;
    let bareFacts = 0;
    for (let i = 0; i < facts.length; i += BATCH) bareFacts += gzipSync(JSON.stringify(facts.slice(i, i + BATCH))).length;
    const perCase = bytes / LINK_CASES;
    const floorPerCase = bareFacts / LINK_CASES;
    return [
      {
        name: 'sync.slowLink.seconds1000',
        value: seconds,
        unit: 's',
        floor: floorSeconds,
        ratio: seconds / floorSeconds,
        note: `${LINK.bitsPerSecond / 1000} kbit/s, ${LINK.roundTripMs} ms RTT; ${requests} requests of ${BATCH}, ${link.connections} connection(s); ${link.bytesUp} B up, ${link.bytesDown} B down; floor = bytes at link rate + (requests + handshakes) × RTT; target ≤ 15 s`,
      },
      {
        name: 'sync.bytesPerCase',
        value: perCase,
        unit: 'B/case',
        floor: floorPerCase,
        ratio: perCase / floorPerCase,
        note: `request + response incl. HTTP headers, gzip both ways, each change with its clerk's county account; floor = gzip of the bare facts JSON per batch of ${BATCH}; target ≤ 500 B`,
      },
    ];
  } finally {
    await link?.close();
    await server.cleanup();
  }
}

/**
 * The ingest's rows, read back, inserted again into a fresh database in batches: the floor. Every
 * table the ingest writes; a possible-duplicate link goes with the batch of its later case.
 */
async function rawInsertSeconds(kind: Kind, source: Kysely<Database>, target: Kysely<Database>, caseIdsByBatch: string[][]): Promise<number> {
  const tables = ['cases', 'case_versions', 'server_determinations', 'case_links', 'applied_mutations'] as const;
  const batchOf = new Map(caseIdsByBatch.flatMap((ids, b) => ids.map((id) => [id, b] as const)));
  const rows = new Map<string, Record<string, unknown>[][]>();
  for (const table of tables) {
    let all = (await source.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    if (table === 'case_links') {
      // Links to the warm-up day's cases cannot go in: the floor's database does not hold those.
      all = all
        .filter((r) => batchOf.has(r.case_a as string) && batchOf.has(r.case_b as string))
        .map((r) => ({ ...r, case_id: batchOf.get(r.case_a as string)! > batchOf.get(r.case_b as string)! ? r.case_a : r.case_b }));
    }
    const key = table === 'cases' ? 'id' : 'case_id';
    const byCase = new Map<string, Record<string, unknown>[]>();
    for (const r of all) {
      const id = r[key] as string;
      let list = byCase.get(id);
      if (!list) byCase.set(id, (list = []));
      list.push(r);
    }
    rows.set(
      table,
      caseIdsByBatch.map((ids) => ids.flatMap((id) => byCase.get(id) ?? [])),
    );
  }
  const t0 = performance.now();
  for (let b = 0; b < caseIdsByBatch.length; b++) {
    await target.transaction().execute(async (trx) => {
      await writeRows(
        trx,
        kind,
        tables.map((table) => {
          const batch = rows.get(table)![b]!;
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows copied verbatim between identical tables
          return { op: 'insert', table, rows: (table === 'case_links' ? batch.map(({ case_id: _, ...link }) => link) : batch) as any[] };
        }),
      );
    });
  }
  return (performance.now() - t0) / 1000;
}

interface Round {
  ingestSeconds: number;
  floorSeconds: number;
  engineSeconds: number;
  /** The digests alone (canonical JSON and SHA-256 of the same determinations): part of engineSeconds. */
  digestSeconds: number;
  nodeCpuSeconds: number;
}

/** One round on fresh databases: an untimed warm-up day, the timed ingest, the engine alone, the floor. */
async function ingestRound(kind: Kind, cluster: PostgresCluster | null, tablet: TabletSim, warmTablet: TabletSim): Promise<Round> {
  const server = await freshServer(kind, cluster, 'ingest');
  const floorServer = await freshServer(kind, cluster, 'ingest-floor');
  try {
    const county = await setUpCounty(server.app);
    await createClerks(server.app);
    const credential = await county.enrol(tablet);
    await (await setUpCounty(floorServer.app)).enrol(tablet);
    const batches = (t: TabletSim) => {
      const out: { gz: Buffer; caseIds: string[]; request: PushRequest }[] = [];
      for (let i = 0; i < t.outbox.length; i += BATCH) {
        const slice = t.outbox.slice(i, i + BATCH);
        const body = t.pushBody(slice);
        const parsed = parsePushRequest(body);
        if (!parsed.ok) throw new Error('the bench built an invalid push');
        out.push({ gz: gzipSync(JSON.stringify(body)), caseIds: slice.map((m) => m.caseId), request: parsed.value });
      }
      return out;
    };
    const push = async (gz: Buffer, bearer: string) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${bearer}` },
        payload: gz,
      });
      if (res.statusCode !== 200) throw new Error(`push refused: ${res.body}`);
      const r = res.json<PushResponse>();
      if (r.results.some((x) => x.outcome !== 'applied')) throw new Error('a mutation was not applied');
    };

    // A day from another tablet of the township (other veterans), untimed: the figure is a running
    // server's, not that of the first requests after start.
    const warmCredential = await county.enrol(warmTablet);
    for (const b of batches(warmTablet)) await push(b.gz, warmCredential);

    const bodies = batches(tablet);
    const sets = await knownParameterSets(server.app.county.db);
    const validated = bodies.map((b) => validateBatch(b.request));
    const e0 = performance.now();
    let determinations = 0;
    for (const batch of validated) for (const m of batch) determinations += serverDeterminations(m, sets).length;
    if (determinations < INGEST_CASES) throw new Error('the engine produced no determinations');
    const engineSeconds = (performance.now() - e0) / 1000;
    // The digests alone, each taken as the ingest takes it: right after its evaluation.
    let digestMs = 0;
    for (const batch of validated) {
      for (const m of batch) {
        const r = evaluateOnServer(m.facts, sets.byVersion.get(m.figures.parametersVersion) ?? sets.newest);
        if (!('determination' in r)) continue;
        const d0 = performance.now();
        determinationSha256(r.determination);
        digestMs += performance.now() - d0;
      }
    }
    const digestSeconds = digestMs / 1000;

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const b of bodies) await push(b.gz, credential);
    const ingestSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const unverified = await server.app.county.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => eb.or([eb('clerk_unverified', '=', 1), eb('registered_by_account', 'is', null)]))
      .executeTakeFirstOrThrow();
    if (Number(unverified.n) !== 0) throw new Error(`${String(unverified.n)} cases have no verified clerk account`);
    const floorSeconds = await rawInsertSeconds(
      kind,
      server.app.county.db,
      floorServer.app.county.db,
      bodies.map((b) => b.caseIds),
    );
    return { ingestSeconds, floorSeconds, engineSeconds, digestSeconds, nodeCpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await server.cleanup();
    await floorServer.cleanup();
  }
}

async function ingestFigures(kind: Kind, cluster: PostgresCluster | null): Promise<BenchFigure[]> {
  const tablet = tabletWith(INGEST_CASES);
  const warmTablet = tabletWith(WARM_UP_CASES, 1);
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await ingestRound(kind, cluster, tablet, warmTablet));
  // Best of the rounds, each measure on its own: the least disturbed run on a shared machine.
  const best = (k: keyof Round) => Math.min(...rounds.map((r) => r[k]));
  const ingestSeconds = best('ingestSeconds');
  const fastest = rounds.find((r) => r.ingestSeconds === ingestSeconds)!;
  const value = INGEST_CASES / ingestSeconds;
  const floor = INGEST_CASES / best('floorSeconds');
  return [
    {
      name: `sync.ingest.casesPerSecond.${kind}`,
      value,
      unit: 'cases/s',
      floor,
      ratio: value / floor,
      note: `best of ${ROUNDS} fresh databases; ${INGEST_CASES} new cases after ${WARM_UP_CASES} untimed, in pushes of ${BATCH} (gunzip, parse, validate, re-evaluate, one transaction each); floor = the same rows inserted into the same tables, one transaction per push, ${kind === 'postgres' ? 'one statement (unnest) for all tables' : 'one multi-row INSERT per table'}; this Node thread busy ${Math.round((100 * fastest.nodeCpuSeconds) / ingestSeconds)}% of the time; target ≥ 2000/s`,
    },
    {
      name: `sync.ingest.engineShare.${kind}`,
      value: best('engineSeconds') / ingestSeconds,
      unit: 'share',
      floor: null,
      ratio: null,
      note: `engine ${(best('engineSeconds') * 1000).toFixed(0)} ms (server re-evaluation of the same mutations, best of ${ROUNDS}; of which ${(best('digestSeconds') * 1000).toFixed(0)} ms the SHA-256 of the canonical determination) of ingest ${(ingestSeconds * 1000).toFixed(0)} ms`,
    },
  ];
}

export default {
  title: `Day-end sync: ${LINK_CASES} cases over ${LINK.bitsPerSecond / 1000} kbit/s + ${LINK.roundTripMs} ms RTT; ingest of ${INGEST_CASES} cases`,
  async run(wants: (name: string) => boolean = () => true): Promise<BenchFigure[]> {
    const ingestWanted = (kind: Kind) => wants(`sync.ingest.casesPerSecond.${kind}`) || wants(`sync.ingest.engineShare.${kind}`);
    const figures = wants('sync.slowLink') || wants('sync.bytesPerCase') ? await slowLinkFigures() : [];
    if (ingestWanted('sqlite')) figures.push(...(await ingestFigures('sqlite', null)));
    if (!ingestWanted('postgres')) return figures;
    const reason = postgresUnavailableReason();
    if (reason !== null) {
      console.log(`sync.ingest.*.postgres skipped: PostgreSQL unavailable (${reason})`);
      return figures;
    }
    let cluster: PostgresCluster;
    try {
      cluster = await startPostgresCluster({ durable: true });
    } catch (err) {
      console.log(`sync.ingest.*.postgres skipped: the throwaway cluster did not start (${(err as Error).message.split('\n')[0]})`);
      return figures;
    }
    try {
      figures.push(...(await ingestFigures('postgres', cluster)));
    } finally {
      await cluster.stop();
    }
    return figures;
  },
};
