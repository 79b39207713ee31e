// Public face of the sync client: what the app shell and screens import. (node-gzip.ts is for Node.)
export { pushOnce, pullAll, enrol, type SyncClientConfig, type PushOutcome, type PullOutcome, type PullTarget, type Refusal, type Retry } from './client';
export { syncNow, createSyncScheduler, type SyncReport, type SyncProgress, type SyncRunOptions, type SyncScheduler } from './loop';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { browserGzip, type Compressor } from './compression';
export { toWireMutation, type OutboxSource } from './outbox';
export { createDexieOutbox } from './dexie-outbox';
