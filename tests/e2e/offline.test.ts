import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { APP_TITLE, chromiumAvailable, useServerAndBrowser } from './harness';
import { typeField, waitForIntakeForm } from './support/intake';

async function shellText(page: Page) {
  return {
    title: await page.title(),
    heading: await page.locator('h1').innerText(),
    network: await page.getByTestId('network-state').innerText(),
    version: await page.getByTestId('app-version').innerText(),
  };
}

describe.skipIf(!chromiumAvailable)('the app offline', () => {
  const harness = useServerAndBrowser();

  it('starts and works with no network once its service worker controls the page', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      await page.goto(harness.server.url);
      expect(await shellText(page)).toMatchObject({ title: APP_TITLE, heading: APP_TITLE, network: '在线' });

      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });

      await context.setOffline(true);
      // The shell follows the browser's offline event without a reload.
      await page.getByTestId('network-state').getByText('离线').waitFor();

      const response = await page.reload();
      expect(response?.fromServiceWorker()).toBe(true);
      const offline = await shellText(page);
      expect(offline).toMatchObject({ title: APP_TITLE, heading: APP_TITLE, network: '离线' });
      expect(offline.version).toMatch(/^\d+\.\d+\.\d+\+\S+$/);
      await waitForIntakeForm(page);

      // The app still responds to the clerk: the ID number is checked as typed, and the case list
      // (a lazily loaded chunk) opens from the precache.
      await typeField(page, 'facts.person.idNumber', '150102197003150032');
      await expect(page.getByTestId('id-birth').innerText()).resolves.toBe('1970年3月');
      await page.goto(`${harness.server.url}#/cases`);
      await page.getByRole('button', { name: '检查本机存储' }).click();
      await page.getByTestId('storage-report').getByText(/已用 .+，可用约 .+。/).waitFor();
      await expect(page.getByTestId('storage-report').innerText()).resolves.toMatch(/长期保存：/);

      // Back online, the badge says so.
      await context.setOffline(false);
      await page.getByTestId('network-state').getByText('在线').waitFor();
    } finally {
      await context.close();
    }
  });

  it('control: with service workers blocked the same offline reload fails', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      await page.goto(harness.server.url);
      expect(await shellText(page)).toMatchObject({ title: APP_TITLE, heading: APP_TITLE, network: '在线' });
      await expect(page.evaluate(() => navigator.serviceWorker?.controller ?? null)).resolves.toBeNull();

      await context.setOffline(true);
      await expect(page.reload()).rejects.toThrow(/net::ERR_INTERNET_DISCONNECTED/);
    } finally {
      await context.close();
    }
  });
});
