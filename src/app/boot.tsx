// The app proper, imported by main.tsx once the static shell of index.html has been painted.
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startServiceWorker } from './sw-registration';
import { guardPageCloseWhileDirty } from './unsaved-input';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const updater = startServiceWorker();
guardPageCloseWhileDirty();

// A transition lets React yield to the browser while it renders the first screen, instead of one
// long task that a slow tablet cannot interrupt (touches wait until it ends).
startTransition(() => {
  createRoot(root).render(
    <StrictMode>
      <App updater={updater} />
    </StrictMode>,
  );
});
