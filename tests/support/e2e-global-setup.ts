// globalSetup of the `e2e` vitest project: a fresh build in dist/ (the server would otherwise build
// it inside the first test's start-up), and Chromium, or a loud skip (a failure when CI=true).
import type { TestProject } from 'vitest/node';
import { buildIfStale } from '../../src/cli/build-if-stale';
import { checkChromium, warnChromiumMissing } from './chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the e2e global setup: whether Chromium is there, and if not, why. */
    chromium: { available: true; path: string } | { available: false; reason: string };
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const chromium = checkChromium();
  project.provide('chromium', chromium);
  if (!chromium.available) {
    warnChromiumMissing(chromium.reason);
    return;
  }
  // vitest sets NODE_ENV=test, which the vite child process would inherit and turn into a
  // development build (React's dev bundle, workbox's logging) that `npm start` then serves as current.
  const nodeEnv = process.env.NODE_ENV;
  delete process.env.NODE_ENV;
  try {
    const { built, reason } = await buildIfStale({ log: (line) => console.log(`[e2e setup] ${line}`) });
    if (!built) console.log(`[e2e setup] dist/ is current: ${reason}`);
  } finally {
    if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;
  }
}
