import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/server-process';
import { APP_TITLE, chromiumAvailable, useServerAndBrowser } from './harness';

const SCREENSHOTS = join(PROJECT_ROOT, 'tests', '.results', 'screenshots');

describe.skipIf(!chromiumAvailable)('the layout on tablet screens', () => {
  const harness = useServerAndBrowser();

  it.each([
    { width: 800, height: 1280, name: 'portrait' },
    { width: 1280, height: 800, name: 'landscape' },
  ])('has no horizontal scrolling at $width×$height ($name)', async ({ width, height }) => {
    const context = await harness.browser.newContext({ viewport: { width, height }, hasTouch: true });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.server.url}#/cases`);
      await page.getByRole('heading', { level: 1, name: APP_TITLE }).waitFor();
      // With the storage report open too: the longest text of the case list screen.
      await page.getByRole('button', { name: '检查本机存储' }).click();
      await page.getByTestId('storage-report').getByText(/已用/).waitFor();
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(clientWidth).toBe(width);
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `cases-storage-${width}x${height}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
