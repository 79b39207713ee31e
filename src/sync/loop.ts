// Day-end sync as a loop: push batches until the outbox and the unsent audit entries are empty,
// retrying failures after an exponential backoff with jitter, stopping at a refusal; then pull. Clock,
// randomness and sleep are injected, so the same code runs in the page, a service worker's Background
// Sync and the tests.

import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { pullAll, pushOnce, type PullTarget, type Refusal, type SyncClientConfig } from './client';
import type { OutboxSource } from './outbox';
import type { MutationResult } from '../shared/sync-protocol';

export interface SyncProgress {
  /** Mutations the server has acknowledged in this run. */
  pushed: number;
  /** Mutations still in the outbox. */
  remaining: number;
  /** Failed attempts so far (each followed by a backoff). */
  retries: number;
  lastRetryReason: string | null;
}

export interface SyncRunOptions {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  backoff?: BackoffPolicy;
  /** Give up (to be run again later) after this many consecutive failures. */
  maxConsecutiveFailures?: number;
  onProgress?: (p: SyncProgress) => void;
  /** Per-mutation outcomes as they are acknowledged (conflicts, possible duplicates, differing figures). */
  onResults?: (results: MutationResult[]) => void | Promise<void>;
  /** Pull after pushing, into this target. */
  pull?: PullTarget;
}

export type SyncReport =
  | { status: 'done'; pushed: number; retries: number; pulledCaseUpdates: number; clockSkewMs?: number; lastSuccessAt: string }
  | { status: 'gave-up'; pushed: number; retries: number; reason: string }
  | { status: 'refused'; pushed: number; retries: number; refusal: Refusal };

export async function syncNow(config: SyncClientConfig, outbox: OutboxSource, options: SyncRunOptions): Promise<SyncReport> {
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const maxFailures = options.maxConsecutiveFailures ?? 8;
  let pushed = 0;
  let retries = 0;
  let failures = 0;
  let lastRetryReason: string | null = null;
  let clockSkewMs: number | undefined;

  const progress = async () => options.onProgress?.({ pushed, remaining: await outbox.count(), retries, lastRetryReason });
  const failed = async (reason: string): Promise<SyncReport | null> => {
    retries++;
    failures++;
    lastRetryReason = reason;
    await progress();
    if (failures >= maxFailures) return { status: 'gave-up', pushed, retries, reason };
    await options.sleep(backoffDelay(failures, options.random, policy));
    return null;
  };

  for (;;) {
    const outcome = await pushOnce(config, outbox);
    if (outcome.kind === 'nothing-to-push') break;
    if (outcome.kind === 'refused') return { status: 'refused', pushed, retries, refusal: outcome };
    if (outcome.kind === 'retry') {
      const stop = await failed(outcome.reason);
      if (stop) return stop;
      continue;
    }
    failures = 0;
    pushed += outcome.sent;
    if (outcome.clockSkewMs !== undefined) clockSkewMs = outcome.clockSkewMs;
    await options.onResults?.(outcome.results);
    await progress();
    // An answer that took nothing off the tablet would come back the same to the same push: on to the pull.
    if (outcome.sent === 0 && outcome.auditSent === 0) break;
  }

  let pulledCaseUpdates = 0;
  if (options.pull) {
    for (;;) {
      const outcome = await pullAll(config, options.pull);
      if (outcome.kind === 'refused') return { status: 'refused', pushed, retries, refusal: outcome };
      if (outcome.kind === 'retry') {
        const stop = await failed(outcome.reason);
        if (stop) return stop;
        continue;
      }
      pulledCaseUpdates = outcome.caseUpdates;
      if (outcome.clockSkewMs !== undefined) clockSkewMs = outcome.clockSkewMs;
      break;
    }
  }
  return { status: 'done', pushed, retries, pulledCaseUpdates, ...(clockSkewMs !== undefined ? { clockSkewMs } : {}), lastSuccessAt: config.now().toISOString() };
}

export interface SchedulerTimers {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export interface SyncScheduler {
  /** Run now (reconnect, app start, the 日终同步 button); joins a run already under way. */
  trigger(): Promise<SyncReport>;
  /** Runs every intervalMs from now on (while online), until stop(). */
  start(): void;
  stop(): void;
  readonly running: boolean;
}

/** One run at a time, on demand and every `intervalMs`. */
export function createSyncScheduler(run: () => Promise<SyncReport>, intervalMs: number, timers: SchedulerTimers): SyncScheduler {
  let current: Promise<SyncReport> | null = null;
  let handle: unknown = null;
  let active = false;

  const schedule = () => {
    if (!active) return;
    handle = timers.setTimeout(() => {
      void trigger().finally(schedule);
    }, intervalMs);
  };

  function trigger(): Promise<SyncReport> {
    current ??= run().finally(() => {
      current = null;
    });
    return current;
  }

  return {
    trigger,
    start() {
      if (active) return;
      active = true;
      schedule();
    },
    stop() {
      active = false;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
    get running() {
      return current !== null;
    },
  };
}
