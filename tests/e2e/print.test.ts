import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfFontCharacters, pdfPageTexts, readerText } from '../support/pdf-text';
import { checkPrintTools, inkOfPgm, parsePdfFontsTable, pdfFonts, renderPdfPage } from '../support/print-tools';
import { PROJECT_ROOT } from '../support/server-process';
import { warnChromiumMissing } from '../support/chromium';
import { APP_TITLE, chromiumAvailable, useServerAndBrowser } from './harness';
import { numberedLists } from './support/layout';
import { exampleFacts, openAppThenGoOffline, pickClerk, registerCase, testRegistration, unlockFor, waitForIntakeForm } from './support/intake';

const RESULTS = join(PROJECT_ROOT, 'tests', '.results');
const SCREENSHOTS = join(RESULTS, 'screenshots');
const DISCLAIMER = '测算结果仅供参考，以经办机构核定为准';
const example01 = exampleFacts('01-deemed-basic');

/** The PDF's text with all whitespace removed: Chromium places CJK glyphs one by one. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('the PDF text reader', () => {
  it('gives a font\'s Latin ligatures as their letters (a case id with "ff") and leaves full-width punctuation alone', () => {
    expect(readerText('案件识别码01a22665-4925-74\uFB00-bac3（签字）\uFB01')).toBe('案件识别码01a22665-4925-74ff-bac3（签字）fi');
  });

  it('gives Kangxi radicals and CJK compatibility ideographs as the ordinary characters a reader sees (申请⼈ is 申请人)', () => {
    // Noto Sans CJK draws 人 and ⼈ (U+2F08) with one glyph, and Chromium's text layer names the radical.
    expect(readerText('申请\u2F08（签字）：\u2F83治区退役\u2F20兵')).toBe('申请人（签字）：自治区退役士兵');
    expect(readerText('\uF900\u{2F800}\u2E9F')).toBe('豈丽母');
    expect(readerText('测算结果仅供参考，以经办机构核定为准。（）：；')).toBe('测算结果仅供参考，以经办机构核定为准。（）：；');
  });
});

describe('the printed-page checks', () => {
  it('reads the embedded fonts from pdffonts\' table', () => {
    const table = [
      'name                                 type              encoding         emb sub uni object ID',
      '------------------------------------ ----------------- ---------------- --- --- --- ---------',
      '[none]                               Type 3            Custom           yes no  yes      4  0',
      'BBBBBB+DejaVuSans                    CID TrueType      Identity-H       no  yes yes     14  0',
      '',
    ].join('\n');
    expect(parsePdfFontsTable(table)).toEqual([
      { name: '[none]', type: 'Type 3', embedded: true, object: 4 },
      { name: 'BBBBBB+DejaVuSans', type: 'CID TrueType', embedded: false, object: 14 },
    ]);
    expect(() => parsePdfFontsTable('Syntax Error: not a PDF')).toThrow(/no table/);
  });

  it('measures a blank page as no ink and a drawn one as some', () => {
    const pgm = (pixels: number[]) => Buffer.concat([Buffer.from('P5\n2 2\n255\n', 'latin1'), Buffer.from(pixels)]);
    expect(inkOfPgm(pgm([255, 255, 255, 250])).inkRatio).toBe(0);
    expect(inkOfPgm(pgm([255, 0, 255, 40])).inkRatio).toBe(0.5);
    expect(() => inkOfPgm(Buffer.from('P6\n2 2\n255\n'))).toThrow(/PGM/);
  });
});

const printTools = chromiumAvailable ? checkPrintTools() : { available: false as const, reason: 'no Chromium' };
if (chromiumAvailable && !printTools.available) warnChromiumMissing(printTools.reason, 'the print test');

/**
 * The fonts pdffonts lists as embedded that draw Chinese: found by the characters of their
 * ToUnicode maps, since Chromium writes Noto Sans CJK (CFF outlines) as nameless Type 3 fonts.
 */
function embeddedCjkFonts(pdfPath: string, pdf: Buffer) {
  const characters = pdfFontCharacters(pdf);
  return pdfFonts(pdfPath).filter((f) => f.embedded && /\p{Script=Han}/u.test(characters.get(f.object)?.characters ?? ''));
}

describe.skipIf(!chromiumAvailable || !printTools.available)('printing, offline', () => {
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
      // No glyph missing: every character maps back to text, a CJK font is embedded, the page is drawn.
      expect(formText).not.toContain('\ufffd');
      expect(embeddedCjkFonts(join(RESULTS, 'application-form.pdf'), formPdf), 'an embedded font draws the Chinese').not.toHaveLength(0);
      expect(pdfFonts(join(RESULTS, 'application-form.pdf')).filter((f) => !f.embedded)).toEqual([]);
      const firstPage = renderPdfPage(join(RESULTS, 'application-form.pdf'), 1, join(SCREENSHOTS, 'application-form-page1'));
      expect(firstPage.width).toBeGreaterThan(500);
      expect(firstPage.inkRatio).toBeGreaterThan(0.01);
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
      // The applicant promises what he filled in, before the window's estimate; the officials' boxes
      // and the disclaimer end the last page together.
      expect(formText.indexOf('本人承诺')).toBeLessThan(formText.indexOf('测算结果'));
      expect(formText).toContain('经办人（签字）');
      expect(formPages.length).toBeLessThanOrEqual(5);
      const lastPage = squeeze(formPages.at(-1)!);
      expect(lastPage).toContain('医疗保险经办机构认定');
      expect(lastPage).toContain(DISCLAIMER);
      await page.emulateMedia({ media: 'print' });
      // The veteran's numbered list keeps "10." and beyond inside the sheet.
      const lists = await numberedLists(form);
      expect(lists.filter((l) => l.items >= 10)).not.toHaveLength(0);
      for (const l of lists) expect(l.padding, `${l.list}: "${l.items}." needs ${l.marker.toFixed(1)} px`).toBeGreaterThanOrEqual(l.marker);
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
      expect(receiptText).not.toContain('\ufffd');
      expect(renderPdfPage(join(RESULTS, 'receipt.pdf'), 1, join(SCREENSHOTS, 'receipt-page1')).inkRatio).toBeGreaterThan(0.01);
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
      await unlockFor(page, '[data-testid="case-row"]');
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
