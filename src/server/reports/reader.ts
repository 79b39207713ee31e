// Where report queries run. On SQLite one connection serves the whole server, and a report's scan of
// every case would hold the event loop while tablets wait to sync; so the queries run in a worker
// thread on a read-only connection of their own (WAL lets it read beside the writer). The query is
// built and compiled here with Kysely; the worker only runs the compiled SQL. On PostgreSQL the pool
// already runs queries beside each other, so they run directly.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { CountyContext } from '../county/context';

export interface ReportReader {
  rows<R>(query: CompiledQuery<R>): Promise<R[]>;
  close(): Promise<void>;
}

/** For tests: the next query the worker takes waits, once it has said so, until released. */
export interface HeldQuery {
  /** Resolves when the worker has taken the query and is waiting. */
  held: Promise<void>;
  release(): void;
}

export interface SqliteReportReader extends ReportReader {
  holdNext(): HeldQuery;
}

// CommonJS run by the worker with eval: no file of its own to find at run time, whether the server
// runs from TypeScript (tsx, vitest) or otherwise. It runs whatever compiled SELECT it is sent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const hold = new Int32Array(workerData.hold);
parentPort.on('message', (m) => {
  if (Atomics.compareExchange(hold, 0, 1, 2) === 1) {
    parentPort.postMessage({ held: m.id });
    Atomics.wait(hold, 0, 2);
  }
  try {
    const rows = db.prepare(m.sql).all(...m.parameters);
    parentPort.postMessage({ id: m.id, rows });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message) });
  }
});
`;

interface Pending {
  resolve(rows: unknown[]): void;
  reject(err: Error): void;
}

type WorkerAnswer = { held: number } | { id: number; rows: unknown[] } | { id: number; error: string };

function sqliteReader(file: string): SqliteReportReader {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const holdBuffer = new SharedArrayBuffer(4);
  const hold = new Int32Array(holdBuffer);
  const pending = new Map<number, Pending>();
  let heldWaiters: (() => void)[] = [];
  let nextId = 1;
  let worker: Worker | null = null;

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const start = (): Worker => {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, hold: holdBuffer } });
    // A report in flight must not keep the process alive on its own.
    w.unref();
    w.on('message', (m: WorkerAnswer) => {
      if ('held' in m) {
        for (const waiter of heldWaiters) waiter();
        heldWaiters = [];
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ('error' in m) p.reject(new Error(`report query: ${m.error}`));
      else p.resolve(m.rows);
    });
    w.on('error', (err) => {
      worker = null;
      failAll(err);
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('report query: the report worker stopped'));
    });
    return w;
  };

  return {
    rows<R>(query: CompiledQuery<R>): Promise<R[]> {
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise<R[]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        w.postMessage({ id, sql: query.sql, parameters: query.parameters });
      });
    },
    holdNext(): HeldQuery {
      Atomics.store(hold, 0, 1);
      const held = new Promise<void>((resolve) => heldWaiters.push(resolve));
      return {
        held,
        release() {
          Atomics.store(hold, 0, 0);
          Atomics.notify(hold, 0);
        },
      };
    },
    async close() {
      const w = worker;
      worker = null;
      Atomics.store(hold, 0, 0);
      Atomics.notify(hold, 0);
      if (w) await w.terminate();
    },
  };
}

function directReader(db: Kysely<Database>, kind: CountyContext['kind']): ReportReader {
  return {
    async rows<R>(query: CompiledQuery<R>): Promise<R[]> {
      if (kind !== 'postgres') return (await db.executeQuery(query)).rows;
      // A report groups a county's cases by township, payer and week: with the default 4 MB PostgreSQL
      // sorted them on disk; this much lets it hash them in memory, for this transaction only.
      return db.transaction().execute(async (trx) => {
        await sql`set local work_mem = '64MB'`.execute(trx);
        return (await trx.executeQuery(query)).rows;
      });
    },
    async close() {},
  };
}

// One reader per database handle, made at the first report and closed with the server.
const readers = new WeakMap<Kysely<Database>, Promise<ReportReader>>();

async function open(ctx: CountyContext): Promise<ReportReader> {
  if (ctx.kind === 'postgres') return directReader(ctx.db, ctx.kind);
  const list = await sql<{ name: string; file: string }>`pragma database_list`.execute(ctx.db);
  const file = list.rows.find((r) => r.name === 'main')?.file ?? '';
  // An in-memory database has no file another connection could open: its reports run directly.
  return file === '' ? directReader(ctx.db, ctx.kind) : sqliteReader(file);
}

export function reportReader(ctx: CountyContext): Promise<ReportReader> {
  let r = readers.get(ctx.db);
  if (!r) {
    r = open(ctx);
    readers.set(ctx.db, r);
  }
  return r;
}

export async function closeReportReader(ctx: CountyContext): Promise<void> {
  const r = readers.get(ctx.db);
  readers.delete(ctx.db);
  if (r) await (await r).close();
}

export function isHoldable(reader: ReportReader): reader is SqliteReportReader {
  return 'holdNext' in reader;
}
