// Fault injection: tablets push through a proxy that drops, delays, truncates, duplicates and
// reorders requests and responses, and, for the last rounds, the server runs as its own process and
// is killed (SIGKILL) while a batch is inside it, then started again. Whatever happens, every case
// must end on the server exactly once with the tablet's latest content, every mutation applied
// exactly once, and nothing lost on the tablets.

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app';
import { openDatabase } from '../../src/server/db/database';
import type { SyncClientConfig } from '../../src/sync/client';
import { syncNow, type SyncReport } from '../../src/sync/loop';
import { nodeGzip } from '../../src/sync/node-gzip';
import { FaultProxy, mulberry32, type FaultRates } from '../support/fault-proxy';
import { setUpCounty, TabletSim, TOWNSHIP, OTHER_TOWNSHIP } from '../support/sync-fixtures';
import { startServerProcess, type ServerProcess } from '../support/sync-server-process';
import { describeOnEachDatabase, freshDatabase, testConfig, type FreshDatabase } from './helpers';

const SEED = 20240501;
const ROUNDS = 500;
/** The last rounds run against a server process that is killed mid-batch. */
const KILL_ROUNDS = 6;

const RATES: FaultRates = {
  'drop-request': 0.05,
  'delay-request': 0.05,
  'truncate-request': 0.04,
  'duplicate-request': 0.05,
  'hold-and-reorder': 0.01,
  'replay-later': 0.04,
  'drop-response': 0.06,
  'delay-response': 0.05,
  'truncate-response': 0.04,
};

describeOnEachDatabase('sync under injected faults', (kind) => {

  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it(`${ROUNDS} randomised rounds (seed ${SEED}, ${KILL_ROUNDS} with the server killed mid-batch): every case on the server exactly once, nothing lost on the tablets`, async () => {
    // The workload and the timing-dependent choices (backoff jitter, kill moments) draw from separate
    // generators, so the same seed always makes the same cases and changes.
    const random = mulberry32(SEED);
    const jitter = mulberry32(SEED + 1);
    const fresh: FreshDatabase = await freshDatabase(kind, 'faults');
    cleanups.push(() => fresh.cleanup());

    let app: FastifyInstance | null = await buildServer(testConfig(fresh.database));
    cleanups.push(async () => {
      await app?.close();
    });
    const county = await setUpCounty(app);
    const tablets = [new TabletSim(), new TabletSim(), new TabletSim()];
    const credentials = new Map<TabletSim, string>();
    for (const [i, t] of tablets.entries()) credentials.set(t, await county.enrol(t, i === 2 ? OTHER_TOWNSHIP.code : TOWNSHIP.code));
    await app.listen({ host: '127.0.0.1', port: 0 });
    let targetPort = (app.server.address() as AddressInfo).port;

    let proc: ServerProcess | null = null;
    let killArmed = false;
    let kills = 0;
    let restarting: Promise<void> | null = null;
    const proxy = new FaultProxy({
      seed: SEED,
      targetPort: () => targetPort,
      rates: RATES,
      maxDelayMs: 25,
      holdMs: 600,
      onForwarded(path) {
        if (!killArmed || proc === null || !path.startsWith('/api/sync/push')) return;
        killArmed = false;
        kills++;
        const p = proc;
        // Somewhere inside the batch: before, during or after its transaction.
        restarting = (async () => {
          await new Promise((r) => setTimeout(r, Math.floor(jitter() * 15)));
          await p.kill();
          await p.restart();
          targetPort = p.port;
        })();
      },
    });
    await proxy.start();
    cleanups.push(() => proxy.close());

    const config = (t: TabletSim): SyncClientConfig => ({
      baseUrl: proxy.url,
      deviceId: t.deviceId,
      credential: credentials.get(t)!,
      appVersion: 'test',
      fetch,
      now: () => new Date(),
      compress: nodeGzip,
      timeoutMs: 400,
      batchSize: 3,
    });
    const sync = async (t: TabletSim): Promise<SyncReport> => {
      for (;;) {
        const report = await syncNow(config(t), t, {
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          random: jitter,
          backoff: { baseMs: 2, maxMs: 40 },
          maxConsecutiveFailures: 40,
        });
        if (report.status !== 'gave-up') return report;
        // The server is being restarted: wait for it, as a tablet would retry later.
        if (restarting) await restarting;
      }
    };

    const started = performance.now();
    let inProcessMs = 0;
    let caseCounter = 0;
    let syncs = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      if (round === ROUNDS - KILL_ROUNDS + 1) {
        // Hand the same database to a server process that can be killed.
        await app?.close();
        app = null;
        inProcessMs = performance.now() - started;
        proc = await startServerProcess(fresh.env);
        cleanups.push(() => proc!.stop());
        targetPort = proc.port;
      }
      const t = tablets[Math.floor(random() * tablets.length)]!;
      const changes = 1 + Math.floor(random() * 3);
      for (let c = 0; c < changes; c++) {
        const live = [...t.cases.values()].filter((x) => x.status === 'registered');
        const r = random();
        if (live.length === 0 || r < 0.55) t.create(caseCounter++);
        else if (r < 0.95) t.update(live[Math.floor(random() * live.length)]!.id, Math.floor(random() * 10));
        else t.withdraw(live[Math.floor(random() * live.length)]!.id);
      }
      // Some rounds end offline: the outbox grows and goes in several batches later.
      if (random() < 0.3 && round <= ROUNDS - KILL_ROUNDS) continue;
      if (proc !== null) killArmed = true;
      const report = await sync(t);
      syncs++;
      expect(report.status, JSON.stringify(report)).toBe('done');
      if (restarting) {
        await restarting;
        restarting = null;
      }
    }

    // Day end: the network recovers and every tablet empties its outbox.
    proxy.setRates({});
    for (const t of tablets) expect((await sync(t)).status).toBe('done');
    await proc?.stop();

    const made = tablets.flatMap((t) => t.made);
    const db = await openDatabase(fresh.database);
    cleanups.push(() => db.destroy());
    const cases = await db.db.selectFrom('cases').selectAll().execute();
    const versions = await db.db.selectFrom('case_versions').select(['mutation_id', 'conflicting']).execute();
    const applied = await db.db.selectFrom('applied_mutations').select(['mutation_id', 'device_id', 'seq', 'outcome']).execute();
    const devices = await db.db.selectFrom('devices').select(['device_id', 'last_seq']).execute();

    const tabletCases = tablets.flatMap((t) => [...t.cases.values()]);
    console.log(
      `[sync-faults ${kind}] seed ${SEED}: ${ROUNDS} rounds (${syncs} syncs, ${KILL_ROUNDS} rounds against a killable process, ${kills} kills), ` +
        `${tabletCases.length} cases, ${made.length} mutations, ${proxy.requests} requests through the proxy (${proxy.forwarded} reached the server), ` +
        `in-process rounds ${(inProcessMs / 1000).toFixed(1)} s, process rounds ${((performance.now() - started - inProcessMs) / 1000).toFixed(1)} s, ` +
        `${proxy.totalFaults} faults: ${Object.entries(proxy.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
    );

    // Nothing lost on the tablets: every outbox is empty only because the server holds it all.
    for (const t of tablets) expect(t.outbox).toEqual([]);
    // Every mutation applied exactly once, none twice, none as a conflict.
    expect(applied.length).toBe(made.length);
    expect(new Set(applied.map((a) => a.mutation_id))).toEqual(new Set(made.map((m) => m.mutationId)));
    expect(applied.every((a) => a.outcome === 'applied')).toBe(true);
    expect(versions.length).toBe(made.length);
    expect(versions.every((v) => v.conflicting === 0)).toBe(true);
    for (const t of tablets) expect(devices.find((d) => d.device_id === t.deviceId)?.last_seq).toBe(t.made.length);
    // Every case exactly once, with the tablet's latest content.
    expect(cases.length).toBe(tabletCases.length);
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const c of tabletCases) {
      const row = byId.get(c.id);
      expect(row, c.caseNumber).toBeDefined();
      expect(row!.revision).toBe(c.revision);
      expect(row!.status).toBe(c.status);
      expect(JSON.parse(row!.facts)).toEqual(c.facts);
      expect(JSON.parse(row!.registration)).toEqual(c.registration);
      expect(row!.conflict).toBe(0);
      expect(row!.figures_differ).toBe(0);
    }
    expect(kills).toBeGreaterThanOrEqual(KILL_ROUNDS - 1);
    expect(proxy.totalFaults).toBeGreaterThan(100);
  }, 240_000);
});
