// The page's one sync service, published for components outside the device database's provider
// (the shell header shows the pending count and the last sync on every screen).
import { useSyncExternalStore } from 'react';
import type { TabletSync, TabletSyncState } from '../../sync/tablet-sync';

let current: TabletSync | null = null;
let unsubscribe: (() => void) | null = null;
const listeners = new Set<() => void>();
let snapshot: TabletSyncState | null = null;

function notify() {
  snapshot = current?.getState() ?? null;
  for (const l of [...listeners]) l();
}

/** Makes `service` the page's sync service (null to withdraw it). */
export function publishTabletSync(service: TabletSync | null): void {
  if (service === current) return;
  unsubscribe?.();
  current = service;
  unsubscribe = service ? service.subscribe(notify) : null;
  notify();
}

export function currentTabletSync(): TabletSync | null {
  return current;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The sync state, or null before the device database is open. */
export function useTabletSyncState(): TabletSyncState | null {
  return useSyncExternalStore(subscribe, () => snapshot, () => null);
}
