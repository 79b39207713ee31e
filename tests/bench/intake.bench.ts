// The intake screen in real Chromium under 4× CPU throttling (DevTools protocol), the way a
// mid-range tablet runs it, offline (served by the service worker):
// - intake.offlineInteractiveMs: from an offline navigation to an intake form that is on screen and
//   whose main thread is free to take input; floor: the same navigation to a minimal static page
//   with one input, under the same throttling.
// - intake.inputLatencyMs: the longest keystroke-to-next-frame while typing into the form with the
//   determination updating as the facts change; floor: the same typing into a plain input on a
//   blank page. Event Timing's longest entry (durationThreshold 16 ms) is given in the note.
// Targets a slow tablet must meet: interactive ≤ 1500 ms, input latency ≤ 100 ms.
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { BenchFigure, BenchModule } from './run';
import { CHROMIUM_INSTALL_COMMAND, checkChromium, launchChromium } from '../support/chromium';
import { startServer } from '../support/server-process';
import { exampleFacts, fieldSelector, fillIntake, openAppThenGoOffline, pickClerk, waitForIntakeForm } from '../e2e/support/intake';

const CPU_THROTTLING = 4;
const RUNS = Math.max(1, Number(process.env.INTAKE_BENCH_RUNS ?? 7));
const TYPING_DELAY_MS = 120;
/** The field the marker waits for: the first field of the form. */
const FIRST_FIELD_ID = 'f-facts-person-idNumber';
/** Typed into the address (every keystroke re-runs the determination) and into a period's end month. */
const ADDRESS_TEXT = 'Zhongshan Road No 1 Building 2 Room 301';
const PERIOD_END_TEXT = '2003-12';

declare global {
  interface Window {
    __jiexuInteractive?: number;
    __jiexuLatencies?: number[];
    __jiexuEventTiming?: number[];
  }
}

/**
 * Runs in every new document before its scripts: notes the time (from navigation start) at which
 * the first form field is in the document, a frame has been produced with it, and a task queued
 * after that frame has run, i.e. the main thread is free to handle the clerk's touch.
 */
const INTERACTIVE_MARKER = `(() => {
  const id = ${JSON.stringify(FIRST_FIELD_ID)};
  const done = () => requestAnimationFrame(() => setTimeout(() => { window.__jiexuInteractive = performance.now(); }, 0));
  if (document.getElementById(id)) { done(); return; }
  const observer = new MutationObserver(() => {
    if (document.getElementById(id)) { observer.disconnect(); done(); }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

const FLOOR_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>floor</title></head><body><label for="${FIRST_FIELD_ID}">身份证号码</label><input id="${FIRST_FIELD_ID}" type="text"></body></html>`;

/** Installs the keystroke latency recorder in the page: keydown → the frame after it. */
async function recordLatencies(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__jiexuLatencies = [];
    window.__jiexuEventTiming = [];
    addEventListener(
      'keydown',
      (e) => {
        const start = e.timeStamp;
        requestAnimationFrame(() => setTimeout(() => window.__jiexuLatencies!.push(performance.now() - start), 0));
      },
      true,
    );
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__jiexuEventTiming!.push(entry.duration);
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
    } catch {
      // No Event Timing in this browser: the rAF measure stands alone.
    }
  });
}

async function readLatencies(page: Page): Promise<{ latencies: number[]; eventTiming: number[] }> {
  // Let the last keystroke's frame and the observer's buffer land.
  await page.waitForTimeout(500);
  return page.evaluate(() => ({ latencies: window.__jiexuLatencies ?? [], eventTiming: window.__jiexuEventTiming ?? [] }));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
const round = (n: number) => Math.round(n * 10) / 10;

async function throttle(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });
  return cdp;
}

async function interactive(context: BrowserContext, url: string): Promise<{ app: number[]; floor: number[] }> {
  // The app, offline: its service worker serves every file.
  const page = await openAppThenGoOffline(context, url);
  await waitForIntakeForm(page);
  await pickClerk(page, '王丽');
  await context.addInitScript(INTERACTIVE_MARKER);
  // One document that is not the app: leave it, so each measured run is a full navigation.
  await page.goto(`${url}/#/intake`);
  await page.goto('about:blank');
  await throttle(context, page);
  const app: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto('about:blank');
    await page.goto(`${url}/#/intake`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(() => window.__jiexuInteractive, undefined, { timeout: 60_000, polling: 50 });
    app.push((await handle.jsonValue()) as number);
  }
  await page.close();

  // The floor: a minimal static page with one input, same origin, same throttling, no app.
  const floorContext = await context.browser()!.newContext({ serviceWorkers: 'block' });
  try {
    await floorContext.addInitScript(INTERACTIVE_MARKER);
    await floorContext.route(`${url}/floor.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: FLOOR_PAGE }));
    const floorPage = await floorContext.newPage();
    await throttle(floorContext, floorPage);
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await floorPage.goto('about:blank');
      await floorPage.goto(`${url}/floor.html`, { waitUntil: 'commit' });
      const handle = await floorPage.waitForFunction(() => window.__jiexuInteractive, undefined, { timeout: 60_000, polling: 50 });
      floor.push((await handle.jsonValue()) as number);
    }
    return { app, floor };
  } finally {
    await floorContext.close();
  }
}

async function typing(context: BrowserContext, url: string): Promise<{ app: { latencies: number[]; eventTiming: number[] }; floor: { latencies: number[]; eventTiming: number[] } }> {
  const page = await openAppThenGoOffline(context, url);
  await waitForIntakeForm(page);
  await pickClerk(page, '王丽');
  await fillIntake(page, exampleFacts('01-deemed-basic'));
  await page.getByTestId('figure-backPayMonths').getByText('57个月').waitFor();
  await throttle(context, page);
  await recordLatencies(page);
  await page.locator(fieldSelector('registration.address')).click();
  await page.keyboard.press('End');
  await page.keyboard.type(` ${ADDRESS_TEXT}`, { delay: TYPING_DELAY_MS });
  const periodEnd = page.locator(fieldSelector('facts.pension.periods.0.to'));
  await periodEnd.click();
  await periodEnd.selectText();
  await page.keyboard.type(PERIOD_END_TEXT, { delay: TYPING_DELAY_MS });
  // The determination followed: the later end month leaves fewer months to back-pay.
  await page.getByTestId('figure-gapMonths').getByText('189个月').waitFor({ timeout: 30_000 });
  const app = await readLatencies(page);

  const blank = await context.newPage();
  await throttle(context, blank);
  await blank.setContent('<!doctype html><html lang="zh-CN"><body><input id="a" type="text"><input id="b" type="text"></body></html>');
  await recordLatencies(blank);
  await blank.locator('#a').click();
  await blank.keyboard.type(` ${ADDRESS_TEXT}`, { delay: TYPING_DELAY_MS });
  await blank.locator('#b').click();
  await blank.keyboard.type(PERIOD_END_TEXT, { delay: TYPING_DELAY_MS });
  const floor = await readLatencies(blank);
  return { app, floor };
}

const bench: BenchModule = {
  title: `Intake screen, offline, ${CPU_THROTTLING}× CPU throttling (Chromium, DevTools protocol)`,
  async run(): Promise<BenchFigure[]> {
    const chromium = checkChromium();
    if (!chromium.available) throw new Error(`${chromium.reason} (install with: ${CHROMIUM_INSTALL_COMMAND})`);
    const server = await startServer();
    const browser = await launchChromium();
    try {
      const figures: BenchFigure[] = [];

      const c1 = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } });
      try {
        const { app, floor } = await interactive(c1, server.url);
        const value = median(app);
        const floorValue = median(floor);
        figures.push({
          name: 'intake.offlineInteractiveMs',
          value,
          unit: 'ms',
          floor: floorValue,
          ratio: value / floorValue,
          note: `median of ${RUNS}: app ${app.map(round).join(' ')}; floor (one-input static page) ${floor.map(round).join(' ')}; target ≤ 1500 ms${value > 1500 ? ' — ABOVE TARGET' : ''}`,
        });
      } finally {
        await c1.close();
      }

      const c2 = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } });
      try {
        const { app, floor } = await typing(c2, server.url);
        if (app.latencies.length === 0 || floor.latencies.length === 0) throw new Error('no keystroke was measured');
        const value = max(app.latencies);
        const floorValue = max(floor.latencies);
        figures.push({
          name: 'intake.inputLatencyMs',
          value,
          unit: 'ms',
          floor: floorValue,
          ratio: value / floorValue,
          note:
            `longest keydown→next frame of ${app.latencies.length} keystrokes (p95 ${round(percentile(app.latencies, 95))}, median ${round(median(app.latencies))}); ` +
            `floor: plain input, longest ${round(floorValue)}, median ${round(median(floor.latencies))}; ` +
            `Event Timing ≥16 ms entries: app ${app.eventTiming.length} (longest ${round(max(app.eventTiming))}), floor ${floor.eventTiming.length} (longest ${round(max(floor.eventTiming))}); ` +
            `target ≤ 100 ms${value > 100 ? ' — ABOVE TARGET' : ''}`,
        });
      } finally {
        await c2.close();
      }
      return figures;
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};

export default bench;
