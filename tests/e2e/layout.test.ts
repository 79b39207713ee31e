import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/server-process';
import { APP_TITLE, chromiumAvailable, useServerAndBrowser } from './harness';
import { exampleFacts, fillIntake, pickClerk, unlockFor, waitForIntakeForm } from './support/intake';
import { numberedLists } from './support/layout';

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
      await unlockFor(page, 'button:has-text("检查本机存储")');
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

  it('keeps the intake screen to the type scale: four sizes, three weights, two families', async () => {
    // Each font the first screen shows is resolved on its first layout (on Linux a synchronous
    // lookup in the browser process per face); in thirteen sizes that was most of the layout's time.
    const context = await harness.browser.newContext({ viewport: { width: 800, height: 1280 } });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.server.url}#/intake`);
      await waitForIntakeForm(page);
      await page.getByRole('heading', { name: '受理登记' }).waitFor();
      const { scale, parts } = await page.evaluate(() => {
        const probe = document.createElement('span');
        document.body.append(probe);
        const px = (size: string) => {
          probe.style.fontSize = size;
          return getComputedStyle(probe).fontSize;
        };
        const scale = ['1rem', 'var(--text-small)', 'var(--text-title)', 'var(--text-page-title)'].map(px);
        probe.remove();
        // One entry per font, named by the first element that shows it.
        const fonts = new Map<string, { family: string; size: string; weight: string; style: string; where: string }>();
        for (const el of document.querySelectorAll<HTMLElement>('body *')) {
          const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
          const isTextControl = el.matches('select, textarea, button, input:not([type=checkbox]):not([type=radio])');
          if ((!hasText && !isTextControl) || el.getClientRects().length === 0) continue;
          const s = getComputedStyle(el);
          const key = `${s.fontFamily}|${s.fontSize}|${s.fontWeight}|${s.fontStyle}`;
          if (!fonts.has(key)) fonts.set(key, { family: s.fontFamily, size: s.fontSize, weight: s.fontWeight, style: s.fontStyle, where: el.className || el.tagName });
        }
        return { scale, parts: [...fonts.values()] };
      });
      expect(parts.length).toBeGreaterThan(3);
      for (const f of parts) {
        expect(scale, `${f.where}: font-size ${f.size} is not on the type scale`).toContain(f.size);
        expect(['400', '600', '700'], `${f.where}: font-weight ${f.weight}`).toContain(f.weight);
        expect(f.style).toBe('normal');
      }
      expect(new Set(parts.map((f) => f.family)).size).toBeLessThanOrEqual(2);
      expect(parts.length).toBeLessThanOrEqual(10);
    } finally {
      await context.close();
    }
  });

  it('shows a filled determination whole at 800×1280: two-digit list numbers are not clipped, no empty band above the footer', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 800, height: 1280 }, hasTouch: true });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.server.url}#/intake`);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      // Example 07 explains itself in more than ten numbered sentences.
      await fillIntake(page, exampleFacts('07-retired-short-extension-and-one-time'));
      const panel = page.getByTestId('determination');
      await panel.getByTestId('disclaimer').waitFor();
      await expect(panel.locator('.sentences > li').count()).resolves.toBeGreaterThanOrEqual(10);

      // Each numbered list keeps its widest number ("10.") inside its own padding, where nothing clips it.
      const lists = await numberedLists(panel);
      expect(lists.filter((l) => l.items >= 10)).not.toHaveLength(0);
      for (const l of lists) expect(l.padding, `${l.list}: "${l.items}." needs ${l.marker.toFixed(1)} px`).toBeGreaterThanOrEqual(l.marker);

      // The footer scrolled into view: in that same frame, everything above it in the panel is drawn.
      const band = await panel.getByTestId('disclaimer').evaluate((footer) => {
        footer.scrollIntoView({ block: 'end' });
        const top = footer.getBoundingClientRect().top;
        let bottom = -Infinity;
        for (const el of footer.parentElement!.querySelectorAll<HTMLElement>('*')) {
          if (el === footer || footer.contains(el) || !el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) continue;
          const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
          if (!hasText) continue;
          for (const r of el.getClientRects()) if (r.bottom <= top) bottom = Math.max(bottom, r.bottom);
        }
        return { gap: top - bottom, line: parseFloat(getComputedStyle(footer).lineHeight) };
      });
      expect(band.gap, 'empty band above the panel\'s footer').toBeLessThanOrEqual(band.line);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'intake-determination-800x1280.png') });
    } finally {
      await context.close();
    }
  });
});
