// The page's only entry script, kept tiny. index.html already holds the shell as static HTML; its
// first paint must not wait for the app's ~200 KB of modules, so they are requested only after that
// paint: on a slow link the clerk sees the shell at once instead of a blank page.
import './styles.css';

const opening = () => document.querySelector<HTMLElement>('#root .opening');

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * All of the app's modules (listed in index.html at build time), fetched in parallel. One request is
 * started per task: starting one costs the main thread a few milliseconds on a slow tablet.
 */
async function preloadAppModules(): Promise<void> {
  const list = document.getElementById('app-modules')?.textContent;
  if (!list) return;
  for (const href of JSON.parse(list) as string[]) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
    await nextTask();
  }
}

/**
 * Evaluated in steps, each in a task of its own, so that a slow tablet's main thread is never
 * blocked by all of it at once: React, then the rules engine with zod, then Dexie and storage, then
 * the app (whose imports of these find them evaluated already).
 */
async function loadApp(): Promise<void> {
  void preloadAppModules();
  await import('react-dom/client');
  await nextTask();
  await import('../domain');
  await nextTask();
  await import('../storage');
  await nextTask();
  await import('./boot');
}

function start(): void {
  loadApp().catch((err: unknown) => {
    // A module that cannot be fetched: first visit with the network gone, or a server mid-update.
    const note = opening();
    if (note) {
      note.textContent = '应用未能载入，请检查网络后刷新页面。';
      note.setAttribute('role', 'alert');
    }
    console.error('the app could not be loaded', err);
  });
}

let started = false;
const once = () => {
  if (!started) {
    started = true;
    start();
  }
};
if (document.visibilityState === 'hidden') once();
else {
  // The frame callback runs just before the paint; the task it queues runs after it.
  requestAnimationFrame(() => setTimeout(once, 0));
  // A page that never paints (hidden before its first frame) still starts.
  setTimeout(once, 200);
}
