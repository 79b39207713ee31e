// The page's only entry script, kept tiny. index.html already holds the shell as static HTML; its
// first paint must not wait for the app's ~200 KB of modules, so they are requested only after that
// paint: on a slow link the clerk sees the shell at once instead of a blank page.
import './styles.css';

const opening = () => document.querySelector<HTMLElement>('#root .opening');

/**
 * Every step's modules are requested at once, so the browser fetches them in parallel, and each
 * step's graph is evaluated in a task of its own when it has arrived, so that a slow tablet's main
 * thread is never blocked by all of it at once: React, the rules engine with zod, Dexie and storage,
 * the sync service the first screen waits for, and the app (whose imports find the rest evaluated).
 */
async function loadApp(): Promise<void> {
  const steps = [import('react-dom/client'), import('../domain'), import('../storage'), import('../sync/tablet-sync'), import('./boot')];
  await Promise.all(steps);
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
