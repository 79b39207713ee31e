// A county server for sync tests: buildServer on a fresh database of the given kind, a movable
// clock, and helpers to push as a tablet and read what the server stored.

import { gzipSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/server/app';
import type { ServerConfig } from '../../src/server/config';
import { freshDatabase, testConfig, type DatabaseTarget, type FreshDatabase } from '../server/helpers';
import { setUpCounty, TabletSim, type County } from './sync-fixtures';

export interface SyncTestServer {
  app: FastifyInstance;
  county: County;
  clock: { now: Date; advance(ms: number): void };
  push(tablet: TabletSim, credential: string, body?: Record<string, unknown>, options?: { gzip?: boolean }): Promise<LightMyRequestResponse>;
  pull(credential: string, body: Record<string, unknown>): Promise<LightMyRequestResponse>;
  admin(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  count(table: 'cases' | 'case_versions' | 'applied_mutations' | 'server_determinations' | 'case_links'): Promise<number>;
  close(): Promise<void>;
}

export async function startSyncServer(kind: DatabaseTarget['kind'], label: string, config: Partial<ServerConfig> = {}): Promise<SyncTestServer> {
  const fresh: FreshDatabase = await freshDatabase(kind, label);
  const clock = {
    now: new Date('2024-05-01T08:00:00.000Z'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const app = await buildServer(testConfig(fresh.database, config), { now: () => clock.now });
  const county = await setUpCounty(app);
  return {
    app,
    county,
    clock,
    push(tablet, credential, body = tablet.pushBody(), options = {}) {
      const json = JSON.stringify(body);
      return app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${credential}`,
          ...(options.gzip ? { 'content-encoding': 'gzip' } : {}),
        },
        payload: options.gzip ? gzipSync(json) : json,
      });
    },
    pull(credential, body) {
      return app.inject({ method: 'POST', url: '/api/sync/pull', headers: { authorization: `Bearer ${credential}` }, payload: body });
    },
    admin(method, url, payload) {
      return app.inject({ method, url, headers: { cookie: county.adminCookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    },
    async count(table) {
      const r = await app.county.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async close() {
      await app.close();
      await fresh.cleanup();
    },
  };
}

/** A sync server with one tablet enrolled in TOWNSHIP, the tablet keeping the server's clock. */
export async function startSyncServerWithTablet(kind: DatabaseTarget['kind'], label: string): Promise<{ s: SyncTestServer; tablet: TabletSim; credential: string }> {
  const s = await startSyncServer(kind, label);
  try {
    const tablet = new TabletSim(undefined, undefined, () => s.clock.now);
    return { s, tablet, credential: await s.county.enrol(tablet) };
  } catch (err) {
    await s.close();
    throw err;
  }
}

/** A response body, gunzipped when the server compressed it. */
export function bodyOf<T>(res: LightMyRequestResponse): T {
  const raw = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.rawPayload).toString('utf8') : res.body;
  return JSON.parse(raw) as T;
}
