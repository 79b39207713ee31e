import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandLigatures, pdfPageTexts } from '../support/pdf-text';
import { PROJECT_ROOT } from '../support/server-process';
import { APP_TITLE, chromiumAvailable, useServerAndBrowser } from './harness';
import { exampleFacts, openAppThenGoOffline, pickClerk, registerCase, testRegistration, waitForIntakeForm } from './support/intake';

const RESULTS = join(PROJECT_ROOT, 'tests', '.results');
const SCREENSHOTS = join(RESULTS, 'screenshots');
const DISCLAIMER = '测算结果仅供参考，以经办机构核定为准';
const example01 = exampleFacts('01-deemed-basic');

/** The PDF's text with all whitespace removed: Chromium places CJK glyphs one by one. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('the PDF text reader', () => {
  it('gives a font\'s Latin ligatures as their letters (a case id with "ff") and leaves full-width punctuation alone', () => {
    expect(expandLigatures('案件识别码01a22665-4925-74\uFB00-bac3（签字）\uFB01')).toBe('案件识别码01a22665-4925-74ff-bac3（签字）fi');
  });
});

describe.skipIf(!chromiumAvailable)('printing, offline', () => {
  const harness = useServerAndBrowser();

  it('prints the application form and the receipt of a case registered through the real form to PDF, with its number and name; after a reload the case is in the list', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1280, height: 800 } });
    try {
      const page = await openAppThenGoOffline(context, harness.server.url);
      await waitForIntakeForm(page);
      await pickClerk(page, '王丽');
      const name = '巴特尔张';
      const { caseNumber, caseId } = await registerCase(page, example01, testRegistration({ name }));
      expect(caseNumber).toMatch(/^150102-[0-9A-Z]{8}-\d{5}$/);

      // From the saved case to its application form (the print screens load lazily, offline).
      await page.getByRole('link', { name: '打印申请表' }).first().click();
      const form = page.getByTestId('print-form');
      await form.waitFor();
      expect(new URL(page.url()).hash).toBe(`#/cases/${caseId}/print/form`);
      await expect(form.getByTestId('print-case-number').innerText()).resolves.toBe(caseNumber);

      mkdirSync(SCREENSHOTS, { recursive: true });
      const formPdf = await page.pdf({ format: 'A4', printBackground: true });
      writeFileSync(join(RESULTS, 'application-form.pdf'), formPdf);
      const formPages = pdfPageTexts(formPdf);
      const formText = squeeze(formPages.join(''));
      expect(formText).toContain(caseNumber);
      expect(formText).toContain(name);
      expect(formText).toContain(example01.person.idNumber);
      expect(formText).toContain(DISCLAIMER);
      expect(formText).toMatch(/参数版本\S+/);
      expect(formText).toContain('33550.20元');
      expect(formText).toContain('NM43-1.1.b');
      expect(formText).toContain('申请人（签字）');
      // The app's own chrome (title bar, print button, shift bar) is not printed.
      expect(formText).not.toContain(squeeze(APP_TITLE));
      expect(formText).not.toContain('改打回执');
      // A4 pages, broken sensibly: the signatures and the disclaimer end the last page together.
      expect(formPages.length).toBeLessThanOrEqual(3);
      const lastPage = squeeze(formPages.at(-1)!);
      expect(lastPage).toContain('申请人（签字）');
      expect(lastPage).toContain('经办人（签字）');
      expect(lastPage).toContain(DISCLAIMER);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SCREENSHOTS, 'print-form-a4.png'), fullPage: true });
      await page.emulateMedia({ media: null });

      // The receipt: one page, masked ID number, the QR code drawn offline.
      await page.getByRole('link', { name: '改打回执' }).click();
      const receipt = page.getByTestId('print-receipt');
      await receipt.waitFor();
      await expect(receipt.locator('.qr svg path').count()).resolves.toBe(1);
      const receiptPdf = await page.pdf({ format: 'A4', printBackground: true });
      writeFileSync(join(RESULTS, 'receipt.pdf'), receiptPdf);
      const receiptPages = pdfPageTexts(receiptPdf);
      expect(receiptPages).toHaveLength(1);
      const receiptText = squeeze(receiptPages[0]!);
      expect(receiptText).toContain(caseNumber);
      expect(receiptText).toContain(name);
      expect(receiptText).toContain(caseId);
      expect(receiptText).toContain(DISCLAIMER);
      expect(receiptText).toContain(`${example01.person.idNumber.slice(0, 6)}********${example01.person.idNumber.slice(-4)}`);
      expect(receiptText).not.toContain(example01.person.idNumber);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(SCREENSHOTS, 'print-receipt-a4.png'), fullPage: true });
      await page.emulateMedia({ media: null });

      // Still offline: the reload comes from the service worker, the case from IndexedDB.
      await page.goto(`${harness.server.url}/#/cases`);
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      const row = page.getByTestId('case-row').filter({ hasText: caseNumber });
      await row.waitFor();
      await expect(row.innerText()).resolves.toContain(name);
      await expect(row.innerText()).resolves.toContain('已登记');
      await expect(row.innerText()).resolves.toContain('待同步');
    } finally {
      await context.close();
    }
  });
});
