// Day-end sync (issue 5). Four figures, each against a floor measured in the same run:
// - sync.slowLink.seconds1000: 1,000 cases from one tablet (the client engine, syncNow, with an
//   in-memory outbox) to the real server in this process, through a TCP proxy pacing ≈ 400 kbit/s
//   with a 300 ms round trip. Floor: the bytes that crossed the link at that rate plus one round
//   trip per request and per TCP handshake. Target ≤ 15 s.
// - sync.bytesPerCase: bytes on the wire per case, both directions, HTTP headers included.
//   Floor: gzip of the bare facts JSON, per batch as sent, per case. Target ≤ 500 bytes.
// - sync.ingest.casesPerSecond.{sqlite,postgres}: the push route (gunzip, parse, validate,
//   re-evaluate, one transaction per batch) on one Node thread. Floor: a raw batched insert of the
//   very rows the ingest wrote into the same tables of a fresh database. Target ≥ 2,000 cases/s.
// - sync.ingest.engineShare.{sqlite,postgres}: the engine's time (server re-evaluation of the same
//   mutations) as a share of the ingest time.

import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { buildServer } from '../../src/server/app';
import type { DatabaseConfig } from '../../src/server/config';
import type { Database } from '../../src/server/db/schema';
import { serverDeterminations, validateBatch } from '../../src/server/county/ingest';
import { knownParameterSets } from '../../src/server/county/parameter-sets';
import { parsePushRequest, type PushRequest, type PushResponse } from '../../src/shared/sync-protocol';
import { syncNow, type SyncClientConfig } from '../../src/sync';
import { nodeGzip } from '../../src/sync/node-gzip';
import { SYNC_BATCH_SIZE, SYNC_TIMEOUT_MS } from '../../src/sync/tablet-sync';
import { createTestDatabase, postgresUnavailableReason, startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster';
import { SlowLink } from '../support/slow-link';
import { setUpCounty, TabletSim } from '../support/sync-fixtures';

// Same shape as BenchFigure in run.ts (which cannot be imported: it runs on import).
interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  floor: number | null;
  ratio: number | null;
  note?: string;
}

const LINK = { bitsPerSecond: 400_000, roundTripMs: 300 };
const LINK_CASES = 1_000;
const INGEST_CASES = 2_000;
const BATCH = SYNC_BATCH_SIZE;
/** Rows per INSERT in the floor, below SQLite's 32,766 bound parameters for the widest table. */
const FLOOR_ROWS_PER_INSERT = 500;

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

function tabletWith(cases: number): TabletSim {
  const tablet = new TabletSim();
  for (let i = 0; i < cases; i++) tablet.create(i, ['王芳', '李娜', '张伟'][i % 3]);
  return tablet;
}

async function slowLinkFigures(): Promise<BenchFigure[]> {
  const server = await freshServer('sqlite', null, 'link');
  let link: SlowLink | null = null;
  try {
    const county = await setUpCounty(server.app);
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
        note: `request + response incl. HTTP headers, gzip both ways; floor = gzip of the bare facts JSON per batch of ${BATCH}; target ≤ 500 B`,
      },
    ];
  } finally {
    await link?.close();
    await server.cleanup();
  }
}

/** The ingest's rows, read back, inserted again into a fresh database in batches: the floor. */
async function rawInsertSeconds(source: Kysely<Database>, target: Kysely<Database>, caseIdsByBatch: string[][]): Promise<number> {
  const tables = ['cases', 'case_versions', 'server_determinations', 'applied_mutations'] as const;
  const rows = new Map<string, Record<string, unknown>[][]>();
  for (const table of tables) {
    const all = (await source.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
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
      for (const table of tables) {
        const batch = rows.get(table)![b]!;
        for (let i = 0; i < batch.length; i += FLOOR_ROWS_PER_INSERT) {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows copied verbatim between identical tables
          await trx.insertInto(table).values(batch.slice(i, i + FLOOR_ROWS_PER_INSERT) as any).execute();
        }
      }
    });
  }
  return (performance.now() - t0) / 1000;
}

async function ingestFigures(kind: Kind, cluster: PostgresCluster | null): Promise<BenchFigure[]> {
  const server = await freshServer(kind, cluster, 'ingest');
  const floorServer = await freshServer(kind, cluster, 'ingest-floor');
  try {
    const county = await setUpCounty(server.app);
    const tablet = tabletWith(INGEST_CASES);
    const credential = await county.enrol(tablet);
    await (await setUpCounty(floorServer.app)).enrol(tablet);
    const bodies: { gz: Buffer; caseIds: string[]; request: PushRequest }[] = [];
    for (let i = 0; i < tablet.outbox.length; i += BATCH) {
      const slice = tablet.outbox.slice(i, i + BATCH);
      const body = tablet.pushBody(slice);
      const parsed = parsePushRequest(body);
      if (!parsed.ok) throw new Error('the bench built an invalid push');
      bodies.push({ gz: gzipSync(JSON.stringify(body)), caseIds: slice.map((m) => m.caseId), request: parsed.value });
    }

    // The engine alone on the same mutations (warms it up, too): best of three.
    const sets = await knownParameterSets(server.app.county.db);
    const validated = bodies.map((b) => validateBatch(b.request));
    let engineSeconds = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      let n = 0;
      for (const batch of validated) for (const m of batch) n += serverDeterminations(m, sets).length;
      if (n < INGEST_CASES) throw new Error('the engine produced no determinations');
      engineSeconds = Math.min(engineSeconds, (performance.now() - t) / 1000);
    }

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const b of bodies) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${credential}` },
        payload: b.gz,
      });
      if (res.statusCode !== 200) throw new Error(`push refused: ${res.body}`);
      const r = res.json<PushResponse>();
      if (r.results.some((x) => x.outcome !== 'applied')) throw new Error('a mutation was not applied');
    }
    const ingestSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const floorSeconds = await rawInsertSeconds(
      server.app.county.db,
      floorServer.app.county.db,
      bodies.map((b) => b.caseIds),
    );

    const value = INGEST_CASES / ingestSeconds;
    const floor = INGEST_CASES / floorSeconds;
    const share = engineSeconds / ingestSeconds;
    return [
      {
        name: `sync.ingest.casesPerSecond.${kind}`,
        value,
        unit: 'cases/s',
        floor,
        ratio: value / floor,
        note: `${INGEST_CASES} new cases in pushes of ${BATCH} (gunzip, parse, validate, re-evaluate, one transaction each); floor = batched INSERT of the same rows into the same tables; this Node thread busy ${Math.round((100 * nodeCpuSeconds) / ingestSeconds)}% of the time; target ≥ 2000/s`,
      },
      {
        name: `sync.ingest.engineShare.${kind}`,
        value: share,
        unit: 'share',
        floor: null,
        ratio: null,
        note: `engine ${(engineSeconds * 1000).toFixed(0)} ms (best of 3, same mutations) of ingest ${(ingestSeconds * 1000).toFixed(0)} ms`,
      },
    ];
  } finally {
    await server.cleanup();
    await floorServer.cleanup();
  }
}

export default {
  title: `Day-end sync: ${LINK_CASES} cases over ${LINK.bitsPerSecond / 1000} kbit/s + ${LINK.roundTripMs} ms RTT; ingest of ${INGEST_CASES} cases`,
  async run(): Promise<BenchFigure[]> {
    const figures = await slowLinkFigures();
    figures.push(...(await ingestFigures('sqlite', null)));
    const reason = postgresUnavailableReason();
    if (reason !== null) {
      console.log(`sync.ingest.*.postgres skipped: PostgreSQL unavailable (${reason})`);
      return figures;
    }
    let cluster: PostgresCluster;
    try {
      cluster = await startPostgresCluster();
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
