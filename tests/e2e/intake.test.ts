import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idProblemZh } from '../../src/domain';
import { PROJECT_ROOT } from '../support/server-process';
import { chromiumAvailable, useServerAndBrowser } from './harness';
import {
  exampleFacts,
  fieldError,
  fieldSelector,
  fillIntake,
  horizontalOverflow,
  openAppThenGoOffline,
  pickClerk,
  storedCaseCount,
  typeField,
  waitForIntakeForm,
} from './support/intake';

const SCREENSHOTS = join(PROJECT_ROOT, 'tests', '.results', 'screenshots');
const example01 = exampleFacts('01-deemed-basic');

describe.skipIf(!chromiumAvailable)('intake at the window, offline', () => {
  const harness = useServerAndBrowser();

  it('registers example 01 through the real form offline, shows its determination, and still has both after a reload', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      await expect(page.getByTestId('device-id').innerText()).resolves.toMatch(/^[0-9A-Z]{8}$/);

      await fillIntake(page, example01);
      const panel = page.getByTestId('determination');
      await panel.getByTestId('figure-backPayMonths').getByText('57个月').waitFor();
      await expect(panel.getByTestId('figure-unitAmount').innerText()).resolves.toContain('33550.20元');
      await expect(panel.getByTestId('figure-individualAmount').innerText()).resolves.toContain('16775.10元');
      await expect(panel.getByTestId('figure-backPayMonths').innerText()).resolves.toContain('NM43-1.1.b');
      await expect(panel.getByTestId('routing').textContent()).resolves.toContain('原安置单位');
      await expect(panel.getByTestId('disclaimer').textContent()).resolves.toContain('测算结果仅供参考，以经办机构核定为准');

      const { caseNumber, caseId } = await (async () => {
        await page.getByRole('button', { name: '保存登记' }).click();
        await page.getByTestId('saved-note').waitFor({ timeout: 30_000 });
        return { caseNumber: await page.getByTestId('case-number').innerText(), caseId: new URL(page.url()).hash.replace('#/intake/', '') };
      })();
      expect(caseNumber).toMatch(/^150102-[0-9A-Z]{8}-00001$/);
      expect(caseNumber).toContain(await page.getByTestId('device-id').innerText());
      await expect(page.getByRole('link', { name: '打印回执' }).getAttribute('href')).resolves.toBe(`#/cases/${caseId}/print/receipt`);

      // Still offline: the reload comes from the service worker, the case from IndexedDB.
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await waitForIntakeForm(page);
      await expect(page.getByTestId('case-number').innerText()).resolves.toBe(caseNumber);
      await expect(page.locator(fieldSelector('registration.name')).inputValue()).resolves.toBe('张三');
      await page.getByTestId('figure-unitAmount').getByText('33550.20元').waitFor();

      // The stored determination, on the case's own page (a lazily loaded screen, offline too).
      await page.goto(`${harness.server.url}/#/cases/${caseId}`);
      await page.getByText(caseNumber).first().waitFor();
      await page.getByText(/33550\.20/).first().waitFor();
      expect(await storedCaseCount(page)).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('keeps a half-filled form as a draft when the page is closed, and restores it in a new page', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await typeField(page, 'facts.person.idNumber', example01.person.idNumber);
      await typeField(page, 'registration.name', '李四');
      await typeField(page, 'facts.service.enlistment', '1988-03');
      await page.getByTestId('draft-status').and(page.locator('[data-state="saved"]')).waitFor();
      await page.close();

      const again = await context.newPage();
      await again.goto(`${harness.server.url}/#/intake`);
      // The new page starts locked; the same clerk gets his draft back.
      await waitForIntakeForm(again);
      await again.getByTestId('draft-restored').waitFor();
      await expect(again.locator(fieldSelector('facts.person.idNumber')).inputValue()).resolves.toBe(example01.person.idNumber);
      await expect(again.locator(fieldSelector('registration.name')).inputValue()).resolves.toBe('李四');
      await expect(again.locator(fieldSelector('facts.service.enlistment')).inputValue()).resolves.toBe('1988-03');
      await expect(again.getByTestId('id-status').innerText()).resolves.toContain('1970年3月');
      expect(await storedCaseCount(again)).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('shows the Chinese error on the ID number field for a wrong check digit, and saves nothing', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      const badId = '150102197003150033';
      await fillIntake(page, { ...example01, person: { ...example01.person, idNumber: badId } });
      // Checked when the clerk leaves the field, before any save.
      await expect(fieldError(page, 'facts.person.idNumber')).resolves.toBe(idProblemZh('checksum'));
      await page.getByRole('button', { name: '保存登记' }).click();
      await page.getByTestId('error-summary').getByText(idProblemZh('checksum')).waitFor();
      await expect(fieldError(page, 'facts.person.idNumber')).resolves.toBe(idProblemZh('checksum'));
      await expect(page.locator(fieldSelector('facts.person.idNumber')).getAttribute('aria-invalid')).resolves.toBe('true');
      // The panel explains it too, and nothing typed is lost.
      await expect(page.getByTestId('out-of-scope').innerText()).resolves.toContain('身份证号码无效');
      await expect(page.locator(fieldSelector('registration.name')).inputValue()).resolves.toBe('张三');
      expect(await storedCaseCount(page)).toBe(0);
      expect(new URL(page.url()).hash).toBe('#/intake');
      await expect(page.getByTestId('case-number').count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });

  it.each([
    { width: 800, height: 1280, name: 'portrait' },
    { width: 1280, height: 800, name: 'landscape' },
  ])('has no horizontal scrolling on the intake and list screens at $width×$height ($name)', async ({ width, height, name }) => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow', viewport: { width, height }, hasTouch: true });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `intake-empty-${width}x${height}.png`) });
      await fillIntake(page, example01);
      await page.getByTestId('figure-backPayMonths').getByText('57个月').waitFor();
      await page.getByTestId('why').locator('summary').click();
      const intake = await horizontalOverflow(page);
      expect(intake.clientWidth).toBe(width);
      expect(intake.widest).toBeNull();
      expect(intake.scrollWidth).toBeLessThanOrEqual(intake.clientWidth);
      await page.screenshot({ path: join(SCREENSHOTS, `intake-${name}-${width}x${height}.png`), fullPage: true });

      await page.getByRole('button', { name: '保存登记' }).click();
      await page.getByTestId('saved-note').waitFor({ timeout: 30_000 });
      await page.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '记录' }).click();
      await page.getByText('张三').first().waitFor();
      const list = await horizontalOverflow(page);
      expect(list.widest).toBeNull();
      expect(list.scrollWidth).toBeLessThanOrEqual(list.clientWidth);
      await page.screenshot({ path: join(SCREENSHOTS, `cases-${name}-${width}x${height}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
