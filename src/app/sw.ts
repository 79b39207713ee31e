/// <reference lib="webworker" />
// The service worker: the whole app is precached at install, so the station starts with no network
// at all. A new version installs in the background and waits; it takes over only when the clerk
// presses 更新 (the page sends SKIP_WAITING, see sw-registration.ts), never on its own.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import { BACKGROUND_SYNC_TAG, relaySyncToClients } from '../sync/background-sync';
import { SKIP_WAITING } from './sw-messages';

declare let self: ServiceWorkerGlobalScope;

// 1. The app: every built file, each once, by revision (injected by vite-plugin-pwa at build).
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// 2. Navigations: any in-app address opens the precached shell; the API is never answered here.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/] }));

// 3. Lifecycle. The first install controls open pages at once (so they work offline from their
//    first visit); an update waits for the clerk's consent.
clientsClaim();
self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === SKIP_WAITING) {
    void self.skipWaiting();
  }
});

// 4. Background Sync of the outbox (where the browser has it): the page registers the tag when a
//    sync could not finish; when the network is back the browser fires 'sync' here, and the worker
//    asks the open app to sync — the push logic stays in one place, the page. With no window open
//    the promise rejects and the browser tries again later; the app also syncs at its next start.
//    Later additions go below (runtime caching of county parameters). Keep /api/ out of the precache.
interface SyncEventLike extends ExtendableEvent {
  readonly tag: string;
}
self.addEventListener('sync' as keyof ServiceWorkerGlobalScopeEventMap, (event) => {
  const e = event as unknown as SyncEventLike;
  if (e.tag === BACKGROUND_SYNC_TAG) e.waitUntil(relaySyncToClients(self.clients));
});
