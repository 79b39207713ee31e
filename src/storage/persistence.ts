// Whether the browser keeps the tablet's records: until a case is synced, this device holds the only
// copy, and storage that is not persistent may be evicted when the device runs short of space.

export type StorageWarning =
  /** The browser may evict the records under storage pressure. */
  | 'not-persistent'
  /** More than QUOTA_WARNING_RATIO of the quota is used. */
  | 'quota-nearly-full'
  /** This browser cannot tell (no StorageManager). */
  | 'storage-unknown';

export const QUOTA_WARNING_RATIO = 0.8;

export interface StorageReport {
  supported: boolean;
  /** null when the browser cannot tell. */
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
  /** usage / quota, 0–1. */
  usageRatio: number | null;
  warnings: StorageWarning[];
}

function storageManager(storage?: StorageManager): StorageManager | undefined {
  if (storage) return storage;
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

/**
 * Asks the browser to keep this origin's storage (navigator.storage.persist()). Chromium grants it
 * to installed apps and sites used often; Safari to home-screen apps. Resolves to whether storage is
 * now persistent.
 */
export async function requestPersistence(storage?: StorageManager): Promise<{ supported: boolean; persisted: boolean }> {
  const s = storageManager(storage);
  if (!s?.persist) return { supported: false, persisted: false };
  if (s.persisted && (await s.persisted())) return { supported: true, persisted: true };
  return { supported: true, persisted: await s.persist() };
}

/** Usage, quota and persistence, with the warnings a clerk should see. */
export async function readStorageEstimate(storage?: StorageManager): Promise<StorageReport> {
  const s = storageManager(storage);
  if (!s?.estimate) return { supported: false, persisted: null, usage: null, quota: null, usageRatio: null, warnings: ['storage-unknown'] };
  const [estimate, persisted] = await Promise.all([s.estimate(), s.persisted ? s.persisted() : Promise.resolve(null)]);
  const usage = estimate.usage ?? null;
  const quota = estimate.quota ?? null;
  const usageRatio = usage !== null && quota ? Math.min(1, usage / quota) : null;
  const warnings: StorageWarning[] = [];
  if (persisted === false) warnings.push('not-persistent');
  if (persisted === null) warnings.push('storage-unknown');
  if (usageRatio !== null && usageRatio >= QUOTA_WARNING_RATIO) warnings.push('quota-nearly-full');
  return { supported: true, persisted, usage, quota, usageRatio, warnings };
}
