// Shared set-up of the browser tests: the real server on a free port with a throwaway data folder,
// and Debian's Chromium. Each test file gets its own server and browser.
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startServer, type RunningServer } from '../support/server-process';

/** False when Chromium is missing outside CI: the global setup has already said so loudly. */
export const chromiumAvailable = inject('chromium').available;

export const APP_TITLE = '退役士兵社保接续 · 窗口受理';

export interface Harness {
  readonly server: RunningServer;
  readonly browser: Browser;
}

/** Starts the server and the browser before the file's tests and stops both after them. */
export function useServerAndBrowser(): Harness {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the server is not running (beforeAll failed?)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running (beforeAll failed?)');
      return browser;
    },
  };
}
