import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { idCheckCharacter, type CaseFacts } from '../../src/domain';
import { PROJECT_ROOT } from '../support/server-process';
import { chromiumAvailable, useServerAndBrowser } from './harness';
import { exampleFacts, horizontalOverflow, openAppThenGoOffline, pickClerk, registerCase, testRegistration, waitForIntakeForm } from './support/intake';

const SCREENSHOTS = join(PROJECT_ROOT, 'tests', '.results', 'screenshots');
const example01 = exampleFacts('01-deemed-basic');

/** Example 01's facts for another veteran, born on `birth` (YYYYMMDD), with a valid ID number. */
function factsFor(birth: string, sequence: string): CaseFacts {
  const first17 = `150102${birth}${sequence}`;
  return { ...example01, person: { ...example01.person, idNumber: first17 + idCheckCharacter(first17) } };
}

const VETERANS = [
  { name: '张三', facts: factsFor('19700315', '003') },
  { name: '李四', facts: factsFor('19680720', '013') },
  { name: '张顺', facts: factsFor('19690101', '021') },
];

const rowNames = (page: Page) => page.getByTestId('case-row').locator('.case-row-name').allInnerTexts();

async function search(page: Page, query: string, expected: string[]): Promise<void> {
  await page.getByRole('searchbox', { name: '查找' }).fill(query);
  await expect.poll(() => rowNames(page), { timeout: 10_000 }).toEqual(expected);
}

async function registerAll(page: Page): Promise<void> {
  for (const v of VETERANS) {
    await page.goto(`${new URL(page.url()).origin}/#/intake`);
    await waitForIntakeForm(page);
    await registerCase(page, v.facts, testRegistration({ name: v.name }));
  }
}

describe.skipIf(!chromiumAvailable)('the case list, offline', () => {
  const harness = useServerAndBrowser();

  it('lists the cases newest first and finds them by name, pinyin initials and the last digits of the ID number', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      await registerAll(page);

      await page.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '记录' }).click();
      await expect.poll(() => rowNames(page)).toEqual(['张顺', '李四', '张三']);
      await expect(page.getByTestId('cases-status').innerText()).resolves.toBe('本机共 3 件，最新的在前');

      await search(page, '李四', ['李四']);
      await search(page, 'zs', ['张顺', '张三']);
      await search(page, 'ZS', ['张顺', '张三']);
      await search(page, VETERANS[0]!.facts.person.idNumber.slice(-6), ['张三']);
      await search(page, VETERANS[1]!.facts.person.idNumber, ['李四']);
      await page.getByRole('searchbox', { name: '查找' }).fill('王');
      await page.getByTestId('cases-status').getByText('没有找到“王”').waitFor();
      await search(page, '', ['张顺', '李四', '张三']);

      // A row opens the case: its facts, figures with citations and history.
      await page.getByTestId('case-row').filter({ hasText: '李四' }).click();
      const detail = page.getByTestId('case-detail');
      await detail.waitFor();
      await expect(detail.locator('[data-field="person.idNumber"] dd').innerText()).resolves.toBe(VETERANS[1]!.facts.person.idNumber);
      await expect(detail.locator('[data-figure="pension.backPayMonths"]').innerText()).resolves.toContain('NM43-1.1.b');
      await expect(page.getByTestId('case-history').innerText()).resolves.toContain('登记');
    } finally {
      await context.close();
    }
  });

  it.each([
    { width: 800, height: 1280, name: 'portrait' },
    { width: 1280, height: 800, name: 'landscape' },
  ])('has no horizontal scrolling on the list, detail and print screens at $width×$height ($name)', async ({ width, height, name }) => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow', viewport: { width, height }, hasTouch: true });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      const { caseId } = await registerCase(page, VETERANS[0]!.facts, testRegistration({ name: '乌力吉·巴雅尔', address: '锡林郭勒盟阿巴嘎旗别力古台镇额尔敦街道宝格都乌拉嘎查第三牧业小组' }));
      mkdirSync(SCREENSHOTS, { recursive: true });

      const screens = [
        { hash: '#/cases', ready: page.getByTestId('case-row').first(), file: 'list' },
        { hash: `#/cases/${caseId}`, ready: page.getByTestId('case-history'), file: 'detail' },
        { hash: `#/cases/${caseId}/print/form`, ready: page.getByTestId('print-form'), file: 'print-form' },
        { hash: `#/cases/${caseId}/print/receipt`, ready: page.getByTestId('print-receipt'), file: 'print-receipt' },
      ];
      for (const s of screens) {
        await page.goto(`${harness.server.url}/${s.hash}`);
        await s.ready.waitFor();
        const overflow = await horizontalOverflow(page);
        expect(overflow.clientWidth, s.file).toBe(width);
        expect(overflow.widest, s.file).toBeNull();
        expect(overflow.scrollWidth, s.file).toBeLessThanOrEqual(overflow.clientWidth);
        await page.screenshot({ path: join(SCREENSHOTS, `${s.file}-${name}-${width}x${height}.png`), fullPage: true });
      }
    } finally {
      await context.close();
    }
  });
});
