import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { PROJECT_ROOT, startServer, type RunningServer } from '../support/server-process';
import { chromiumAvailable } from './harness';

describe.skipIf(!chromiumAvailable)('a new version of the app', () => {
  // A copy of the build that the test can change, served as its own DIST_DIR (never rebuilt).
  let distDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'jiexu-e2e-dist-'));
    cpSync(join(PROJECT_ROOT, 'dist'), distDir, { recursive: true });
    server = await startServer({ env: { DIST_DIR: distDir } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(distDir, { recursive: true, force: true });
  });

  it('waits behind the 更新 banner and takes over, with a reload, only when 更新 is pressed', async () => {
    const context = await browser!.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      await page.goto(server!.url);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
      expect(await page.getByRole('button', { name: '更新' }).count()).toBe(0);

      // Publish a "new version": a byte-different sw.js (and no stale compressed copies of it).
      appendFileSync(join(distDir, 'sw.js'), '\n// next version\n');
      rmSync(join(distDir, 'sw.js.br'), { force: true });
      rmSync(join(distDir, 'sw.js.gz'), { force: true });

      // A navigation makes the browser look for a new worker; it installs and then waits.
      await page.reload();
      const update = page.getByRole('button', { name: '更新' });
      await update.waitFor({ timeout: 60_000 });
      await expect(page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).resolves.toBe(true);

      // A mark that only survives as long as this document does.
      await page.evaluate(() => Object.assign(window, { beforeUpdate: true }));
      await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), update.click()]);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await expect(page.evaluate(() => 'beforeUpdate' in window)).resolves.toBe(false);
      const after = await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return { controlled: navigator.serviceWorker.controller !== null, waiting: registration?.waiting ?? null };
      });
      expect(after).toEqual({ controlled: true, waiting: null });
      expect(await page.getByRole('button', { name: '更新' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
