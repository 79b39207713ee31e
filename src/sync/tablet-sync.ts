// The tablet's sync service: the push/pull loop (loop.ts) wired to the device database. It syncs at
// app start, when the network comes back, every few minutes while online, when the service worker's
// Background Sync fires, and on demand (日终同步); one run at a time. Its state is what the shell and
// the sync screen show: pending count, progress, last success, last error, clock skew.
//
// Nothing here deletes a case: a mutation leaves the outbox only on the server's acknowledgement,
// and a refusal (revoked device, version mismatch) stops syncing with everything kept on the tablet.

import { liveQuery, type Subscription } from 'dexie';
import type { CasesRepository, DeviceEnrolment, DeviceRepository, JiexuDb, SyncRepository, SyncStatusRecord } from '../storage';
import { normaliseServerUrl, serverUrlProblem } from '../storage/device-repository';
import { enrol, type SyncClientConfig } from './client';
import { browserGzip, type Compressor } from './compression';
import { createDexieAuditOutbox, createDexieOutbox } from './dexie-outbox';
import { deviceKey } from '../storage/device-key';
import { createSyncScheduler, syncNow, type SyncReport, type SchedulerTimers } from './loop';
import type { BackoffPolicy } from './backoff';

/** How often to sync while online. */
export const SYNC_INTERVAL_MS = 5 * 60_000;
export const SYNC_BATCH_SIZE = 100;
/** Generous: a batch of 100 cases over 2G takes tens of seconds. */
export const SYNC_TIMEOUT_MS = 90_000;

export interface TabletSyncState {
  /** False until the device database state has been read. */
  loaded: boolean;
  enrolment: DeviceEnrolment | null;
  revoked: boolean;
  running: boolean;
  /** Mutations not yet acknowledged by the server. */
  pending: number;
  /** The run under way: sent of total (total grows if cases are saved meanwhile). */
  progress: { sent: number; total: number; retries: number } | null;
  lastSuccessAt: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  updateRequired: boolean;
  clockSkewMs: number | null;
}

export type RunReport = SyncReport | { status: 'not-enrolled' } | { status: 'revoked' } | { status: 'offline' };

export type EnrolResult = { ok: true; enrolment: DeviceEnrolment } | { ok: false; code: string; message: string; retryAfterSeconds?: number };

/** The browser's view of the network (navigator.onLine and its events), injectable for tests. */
export interface NetworkWatcher {
  online(): boolean;
  /** Calls back on each change; returns the unsubscribe. */
  subscribe(onChange: (online: boolean) => void): () => void;
}

export interface TabletSyncDeps {
  db: JiexuDb;
  cases: CasesRepository;
  device: DeviceRepository;
  sync: SyncRepository;
  appVersion: string;
  fetch?: typeof fetch;
  now?: () => Date;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  timers?: SchedulerTimers;
  network?: NetworkWatcher;
  compress?: Compressor | null;
  backoff?: BackoffPolicy;
  maxConsecutiveFailures?: number;
  intervalMs?: number;
  batchSize?: number;
  timeoutMs?: number;
  /** Asks the browser for a Background Sync when a run could not finish (see background-sync.ts). */
  requestBackgroundSync?: () => Promise<boolean>;
  /** Where the service worker's relayed Background Sync arrives (background-sync.ts onSyncRequested). */
  onSyncRequested?: (onRequest: () => void) => () => void;
}

export interface TabletSync {
  getState(): TabletSyncState;
  subscribe(listener: () => void): () => void;
  /** Reads the stored state, watches the network and the outbox, syncs now if online and enrolled. */
  start(): Promise<void>;
  stop(): void;
  /** 日终同步 (and the other triggers): joins a run under way. */
  syncNow(): Promise<RunReport>;
  /** Redeems an enrolment code and syncs at once. */
  enrol(serverUrl: string, code: string): Promise<EnrolResult>;
}

export function browserNetwork(): NetworkWatcher {
  return {
    online: () => navigator.onLine,
    subscribe(onChange) {
      const on = () => onChange(true);
      const off = () => onChange(false);
      window.addEventListener('online', on);
      window.addEventListener('offline', off);
      return () => {
        window.removeEventListener('online', on);
        window.removeEventListener('offline', off);
      };
    },
  };
}

const defaultTimers: SchedulerTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

function fromStatus(s: SyncStatusRecord): Pick<TabletSyncState, 'lastSuccessAt' | 'lastErrorCode' | 'lastErrorMessage' | 'updateRequired' | 'clockSkewMs'> {
  return { lastSuccessAt: s.lastSuccessAt, lastErrorCode: s.lastErrorCode, lastErrorMessage: s.lastErrorMessage, updateRequired: s.updateRequired, clockSkewMs: s.clockSkewMs };
}

export function createTabletSync(deps: TabletSyncDeps): TabletSync {
  const now = deps.now ?? (() => new Date());
  const network = deps.network ?? browserNetwork();
  const outbox = createDexieOutbox(deps.db);
  const auditOutbox = createDexieAuditOutbox(deps.db, now);
  const listeners = new Set<() => void>();
  let state: TabletSyncState = {
    loaded: false,
    enrolment: null,
    revoked: false,
    running: false,
    pending: 0,
    progress: null,
    lastSuccessAt: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    updateRequired: false,
    clockSkewMs: null,
  };
  const set = (patch: Partial<TabletSyncState>) => {
    state = { ...state, ...patch };
    for (const l of [...listeners]) l();
  };

  /** Never rejects: a failure of the device database is reported like a network failure, to retry later. */
  async function run(): Promise<RunReport> {
    try {
      return await runOnce();
    } catch (err) {
      const reason = `local: ${(err as Error).message}`;
      set({ running: false, progress: null, lastErrorCode: 'local', lastErrorMessage: reason });
      return { status: 'gave-up', pushed: 0, retries: 0, reason };
    }
  }

  async function runOnce(): Promise<RunReport> {
    const enrolment = await deps.device.enrolment();
    set({ enrolment, revoked: enrolment?.revokedAt != null });
    if (!enrolment) return { status: 'not-enrolled' };
    // A revoked tablet asks no more; enrolled again (a new code) it syncs what it kept.
    if (enrolment.revokedAt !== null) return { status: 'revoked' };

    if (!network.online()) {
      // No network at all: nothing to try; the online event (or Background Sync) starts the next run.
      const status = await deps.sync.recordStatus({ lastAttemptAt: now().toISOString(), lastErrorCode: 'offline', lastErrorMessage: 'the browser reports no network' });
      if ((await outbox.count()) > 0) await deps.requestBackgroundSync?.().catch(() => false);
      set({ pending: await outbox.count(), ...fromStatus(status) });
      return { status: 'offline' };
    }

    const config: SyncClientConfig = {
      baseUrl: enrolment.serverUrl,
      deviceId: (await deps.device.getOrCreateDevice()).deviceId,
      credential: enrolment.credential,
      appVersion: deps.appVersion,
      fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      now,
      compress: deps.compress === undefined ? browserGzip() : deps.compress,
      timeoutMs: deps.timeoutMs ?? SYNC_TIMEOUT_MS,
      batchSize: deps.batchSize ?? SYNC_BATCH_SIZE,
      clerkTokens: await deps.device.clerkTokens(),
      audit: auditOutbox,
    };
    const startedAt = now().toISOString();
    let sawUpdateApp = false;
    set({ running: true, progress: { sent: 0, total: await outbox.count(), retries: 0 } });
    let report: SyncReport;
    try {
      report = await syncNow(config, outbox, {
        sleep: deps.sleep ?? ((ms) => new Promise((r) => globalThis.setTimeout(r, ms))),
        random: deps.random ?? Math.random,
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
        ...(deps.maxConsecutiveFailures !== undefined ? { maxConsecutiveFailures: deps.maxConsecutiveFailures } : {}),
        onProgress: (p) => set({ pending: p.remaining, progress: { sent: p.pushed, total: p.pushed + p.remaining, retries: p.retries } }),
        onResults: (results) => deps.cases.applyPushResults(results),
        pull: {
          cursor: () => deps.sync.cursor(),
          apply: async (page) => {
            const r = await deps.sync.applyPullPage(page);
            if (r.countyList === 'update-app' || r.parameterSetsRefused.some((x) => x.reason === 'unreadable')) sawUpdateApp = true;
          },
        },
      });
    } catch (err) {
      // The device database failed under the run (quota, a closed connection): nothing was lost,
      // the outbox keeps what was not acknowledged; say so and try again later.
      report = { status: 'gave-up', pushed: 0, retries: 0, reason: `local: ${(err as Error).message}` };
    }

    let status: SyncStatusRecord;
    if (report.status === 'done') {
      status = await deps.sync.recordStatus({
        lastSuccessAt: report.lastSuccessAt,
        lastAttemptAt: startedAt,
        lastErrorCode: null,
        lastErrorMessage: null,
        clockSkewMs: report.clockSkewMs ?? null,
        updateRequired: sawUpdateApp,
      });
    } else if (report.status === 'refused') {
      const r = report.refusal;
      status = await deps.sync.recordStatus({ lastAttemptAt: startedAt, lastErrorCode: r.code, lastErrorMessage: r.message, ...(r.updateRequired ? { updateRequired: true } : {}) });
      if (r.code === 'device-revoked') set({ enrolment: await deps.device.markRevoked(), revoked: true });
    } else {
      status = await deps.sync.recordStatus({ lastAttemptAt: startedAt, lastErrorCode: report.reason.startsWith('timeout') ? 'timeout' : 'network', lastErrorMessage: report.reason });
      // Let the browser wake us when the network is back, even if the tab is in the background.
      if ((await outbox.count()) > 0) await deps.requestBackgroundSync?.().catch(() => false);
    }
    set({ running: false, progress: null, pending: await outbox.count(), ...fromStatus(status) });
    return report;
  }

  const scheduler = createSyncScheduler(run as () => Promise<SyncReport>, deps.intervalMs ?? SYNC_INTERVAL_MS, deps.timers ?? defaultTimers);
  let unwatchNetwork: (() => void) | null = null;
  let outboxWatch: Subscription | null = null;
  let unwatchWorker: (() => void) | null = null;

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async start() {
      if (unwatchNetwork) return;
      const [enrolment, status, pending] = await Promise.all([deps.device.enrolment(), deps.sync.status(), outbox.count()]);
      set({ loaded: true, enrolment, revoked: enrolment?.revokedAt != null, pending, ...fromStatus(status) });
      // The pending count follows saves in this tab and in others.
      outboxWatch = liveQuery(() => outbox.count()).subscribe({ next: (n) => set({ pending: n }), error: () => undefined });
      unwatchNetwork = network.subscribe((online) => {
        if (online) {
          scheduler.start();
          void scheduler.trigger();
        } else {
          scheduler.stop();
        }
      });
      unwatchWorker = deps.onSyncRequested?.(() => void scheduler.trigger()) ?? null;
      if (network.online()) {
        scheduler.start();
        void scheduler.trigger();
      }
    },

    stop() {
      scheduler.stop();
      unwatchNetwork?.();
      unwatchNetwork = null;
      outboxWatch?.unsubscribe();
      outboxWatch = null;
      unwatchWorker?.();
      unwatchWorker = null;
    },

    syncNow: () => scheduler.trigger() as Promise<RunReport>,

    async enrol(serverUrl, code) {
      const device = await deps.device.getOrCreateDevice();
      const problem = serverUrlProblem(serverUrl);
      if (problem) return { ok: false, code: 'invalid-server-url', message: `serverUrl: ${problem}` };
      // The key the code is bound to: the same key asks again if this answer is lost on the way.
      const key = await deviceKey(deps.db, now);
      const outcome = await enrol(
        { baseUrl: normaliseServerUrl(serverUrl), appVersion: deps.appVersion, fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)), timeoutMs: deps.timeoutMs ?? SYNC_TIMEOUT_MS, now },
        { localDeviceId: device.deviceId, key },
        code.trim(),
      );
      if (outcome.kind === 'retry') return { ok: false, code: 'network', message: outcome.reason };
      if (outcome.kind === 'refused') {
        return { ok: false, code: outcome.code, message: outcome.message, ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}) };
      }
      const enrolment = await deps.device.saveEnrolment({ serverUrl, credential: outcome.enrolment.credential, deviceId: outcome.enrolment.deviceId, township: outcome.enrolment.township });
      // A new enrolment is a fresh start: an old refusal no longer applies.
      const status = await deps.sync.recordStatus({ lastErrorCode: null, lastErrorMessage: null, updateRequired: false });
      set({ enrolment, revoked: false, ...fromStatus(status) });
      if (network.online()) void scheduler.trigger();
      return { ok: true, enrolment };
    },
  };
}
