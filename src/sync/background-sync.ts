// Background Sync, where the browser has it (Chromium): when a run cannot finish, the page asks the
// browser to fire a `sync` event once the network is back. The service worker then only asks the
// open app to sync (SYNC_REQUESTED); the push logic runs in one place, the page, whose outbox,
// backoff and repositories are the same ones every other trigger uses. Where the browser has no
// Background Sync the online event, the timer and app start do the same job.

/** The Background Sync tag of the outbox. */
export const BACKGROUND_SYNC_TAG = 'jiexu-outbox';

/** Service worker → page: the browser says the network is back; sync now. */
export const SYNC_REQUESTED = 'JIEXU_SYNC_REQUESTED';

interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

/** Registers the outbox tag; false where the browser has no Background Sync or no service worker. */
export async function requestBackgroundSync(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  const sync = (registration as (ServiceWorkerRegistration & { sync?: SyncManagerLike }) | undefined)?.sync;
  if (!sync) return false;
  await sync.register(BACKGROUND_SYNC_TAG);
  return true;
}

/** Calls `onRequest` when the service worker relays a Background Sync; returns the unsubscribe. */
export function onSyncRequested(onRequest: () => void): () => void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return () => undefined;
  const listener = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SYNC_REQUESTED) onRequest();
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}

/**
 * The service worker's side: relays the sync to every open window of the app. With none open the
 * promise rejects, so the browser keeps the registration and fires it again later.
 */
export async function relaySyncToClients(clients: { matchAll(options: { type: 'window' }): Promise<readonly { postMessage(message: unknown): void }[]> }): Promise<void> {
  const windows = await clients.matchAll({ type: 'window' });
  if (windows.length === 0) throw new Error('no open window of the app to sync; the browser will try again');
  for (const w of windows) w.postMessage({ type: SYNC_REQUESTED });
}
