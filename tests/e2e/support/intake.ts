// Driving the intake screen in real Chromium as a clerk does: sign in the shift's clerk, fill the form
// from a case JSON (tests/fixtures/examples), save, read the case number. Shared by the intake and
// print end-to-end tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { CaseFacts } from '../../../src/domain';
import type { Registration } from '../../../src/shared/registration';
import { PROJECT_ROOT } from '../../support/server-process';
import { testRegistration } from '../../support/factories';

export const EXAMPLES_DIR = join(PROJECT_ROOT, 'tests', 'fixtures', 'examples');

/** The facts of a worked example, e.g. `01-deemed-basic`. */
export function exampleFacts(name: string): CaseFacts {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, `${name}.case.json`), 'utf8')) as CaseFacts;
}

export { testRegistration };

/** The DOM id of a form field (src/features/intake/fields.tsx). */
export function fieldSelector(path: string): string {
  return `#f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** Waits until the service worker controls the page, so that it opens with no network. */
export async function waitForOfflineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
}

/**
 * Opens the app online once (the service worker installs and takes control), then cuts the network
 * and reloads: from here on everything the test does runs offline, served by the service worker.
 */
export async function openAppThenGoOffline(context: BrowserContext, url: string, hash = '#/intake'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/${hash}`);
  await waitForOfflineReady(page);
  await context.setOffline(true);
  const response = await page.reload();
  if (!response?.fromServiceWorker()) throw new Error('after going offline the page did not come from the service worker');
  await page.getByTestId('network-state').getByText('离线').waitFor();
  return page;
}

/** The PIN every clerk of the tests' tablets (not enrolled) sets for his name. */
export const TEST_PIN = '270418';
/** The clerk the tests sign in as when a screen is wanted and the tablet is locked. */
export const TEST_CLERK = '王丽';

/**
 * Signs `name` in on the lock screen of a tablet not enrolled: the first clerk of a fresh tablet sets
 * his PIN there; a clerk already on the tablet taps his name (unless his PIN form is up) and types it.
 */
export async function signInLocal(page: Page, name: string, pin: string = TEST_PIN): Promise<void> {
  const lock = page.getByTestId('lock-screen');
  const first = lock.getByTestId('add-local-clerk');
  const names = lock.getByRole('group', { name: '本机经办人' });
  const pinField = lock.getByLabel('PIN（6位数字）');
  await first.or(names).or(pinField).first().waitFor();
  if ((await first.count()) > 0) {
    await first.getByLabel('经办人姓名').fill(name);
    await first.getByLabel('新 PIN').fill(pin);
    await first.getByLabel('再输入一次').fill(pin);
    await first.getByRole('button', { name: '设置 PIN 并登录' }).click();
  } else {
    const shown = (await pinField.count()) > 0 ? await lock.locator('form strong').first().innerText() : null;
    if (shown !== name) {
      if (shown !== null) await lock.getByRole('button', { name: '换人' }).click();
      await names.getByRole('button', { name, exact: true }).click();
    }
    await pinField.fill(pin);
    await lock.getByRole('button', { name: '登录', exact: true }).click();
  }
  await lock.waitFor({ state: 'detached' });
}

/** Waits for the intake form; a locked tablet (every load of the page starts locked) is signed in as the test clerk first. */
export async function waitForIntakeForm(page: Page): Promise<void> {
  await unlockFor(page, 'form.intake-form');
}

/** Signs in as `name` if the tablet is locked (after a reload, an idle time), then waits for `what` to show. */
export async function unlockFor(page: Page, what: string, name: string = TEST_CLERK): Promise<void> {
  await page.locator(`${what}, [data-testid="lock-screen"]`).first().waitFor();
  if ((await page.getByTestId('lock-screen').count()) > 0) await signInLocal(page, name);
  await page.locator(what).first().waitFor();
}

/** Starts the shift as `name` on a tablet not enrolled (a clerk on shift adds a name the tablet has not seen). */
export async function pickClerk(page: Page, name: string): Promise<void> {
  const bar = page.getByTestId('shift-bar').or(page.getByTestId('lock-screen'));
  await bar.first().waitFor();
  if ((await page.getByTestId('lock-screen').count()) > 0) return signInLocal(page, name);
  const current = page.getByTestId('shift-bar').getByTestId('current-clerk');
  if ((await current.innerText()) === name) return;
  await page.getByTestId('shift-bar').getByRole('button', { name: '添加经办人' }).click();
  const add = page.getByTestId('add-local-clerk');
  await add.getByLabel('经办人姓名').fill(name);
  await add.getByLabel('新 PIN').fill(TEST_PIN);
  await add.getByLabel('再输入一次').fill(TEST_PIN);
  await add.getByRole('button', { name: '添加经办人' }).click();
  await page.getByTestId('shift-bar').getByRole('button', { name: '换班' }).click();
  await signInLocal(page, name);
}

export async function typeField(page: Page, path: string, value: string): Promise<void> {
  const input = page.locator(fieldSelector(path));
  await input.fill(value);
  await input.blur();
}

export async function answer(page: Page, path: string, yes: boolean): Promise<void> {
  await page.locator(yes ? fieldSelector(path) : `${fieldSelector(path)}-no`).check();
}

async function choose(page: Page, path: string, value: string): Promise<void> {
  await page.locator(`input[name="${path}"][value="${value}"]`).check();
}

async function addPeriods(page: Page, scheme: 'pension' | 'medical', periods: readonly { from: string; to: string }[]): Promise<void> {
  for (const [i, p] of periods.entries()) {
    await page.getByRole('button', { name: `＋ 添加一段${scheme === 'pension' ? '养老保险' : '医疗保险'}缴费记录` }).click();
    await typeField(page, `facts.${scheme}.periods.${i}.from`, p.from);
    await typeField(page, `facts.${scheme}.periods.${i}.to`, p.to);
  }
}

/** Fills the intake form with a case, field by field, the way a clerk does. */
export async function fillIntake(page: Page, facts: CaseFacts, registration: Registration = testRegistration()): Promise<void> {
  await typeField(page, 'facts.person.idNumber', facts.person.idNumber);
  await typeField(page, 'registration.name', registration.name);
  await typeField(page, 'registration.phone', registration.phone);
  await typeField(page, 'registration.address', registration.address);
  if (facts.person.femaleCategory) await choose(page, 'facts.person.femaleCategory', facts.person.femaleCategory);
  await typeField(page, 'facts.service.enlistment', facts.service.enlistment);
  await typeField(page, 'facts.service.discharge', facts.service.discharge);
  await choose(page, 'registration.dischargeMode', registration.dischargeMode);
  await answer(page, 'facts.service.militarySubsidyReceived', facts.service.militarySubsidyReceived);
  const county = fieldSelector('facts.placement.countyCode');
  await page.locator(`${county}-league`).selectOption(`${facts.placement.countyCode.slice(0, 4)}00`);
  await page.locator(county).selectOption(facts.placement.countyCode);
  await typeField(page, 'registration.unitName', registration.unitName);
  await answer(page, 'facts.placement.unitExists', facts.placement.unitExists);
  if (facts.placement.unitExists) await answer(page, 'facts.placement.unitCanPay', facts.placement.unitCanPay);
  await typeField(page, 'registration.superiorName', registration.superiorName);
  await answer(page, 'facts.placement.superiorExists', facts.placement.superiorExists);
  if (facts.placement.superiorExists) await answer(page, 'facts.placement.superiorCanPay', facts.placement.superiorCanPay);
  if (registration.confirmedBy) await typeField(page, 'registration.confirmedBy', registration.confirmedBy);
  await answer(page, 'facts.pension.insuredAtEnlistment', facts.pension.insuredAtEnlistment);
  if (facts.pension.firstInsured) await typeField(page, 'facts.pension.firstInsured', facts.pension.firstInsured);
  await addPeriods(page, 'pension', facts.pension.periods);
  await answer(page, 'registration.medicalInsuredAtEnlistment', registration.medicalInsuredAtEnlistment);
  if (registration.medicalFirstInsured) await typeField(page, 'registration.medicalFirstInsured', registration.medicalFirstInsured);
  await addPeriods(page, 'medical', facts.medical.periods);
  if (facts.assistance.dibao) await page.locator(fieldSelector('facts.assistance.dibao')).check();
  if (facts.assistance.tekun) await page.locator(fieldSelector('facts.assistance.tekun')).check();
  await typeField(page, 'facts.applicationDate', facts.applicationDate);
  await typeField(page, 'facts.asOf', facts.asOf);
}

/** Saves the form and returns the case number the screen shows. */
export async function saveIntake(page: Page): Promise<string> {
  await page.getByRole('button', { name: /^保存(登记|修改)$/ }).click();
  await page.getByTestId('saved-note').waitFor({ timeout: 30_000 });
  return page.getByTestId('case-number').innerText();
}

/** Registers a case through the form and returns its number and id (from the address). */
export async function registerCase(page: Page, facts: CaseFacts, registration?: Registration): Promise<{ caseNumber: string; caseId: string }> {
  await fillIntake(page, facts, registration);
  const caseNumber = await saveIntake(page);
  const caseId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/intake\//, ''));
  return { caseNumber, caseId };
}

/** The error shown under a field (through its aria-describedby), or null. */
export async function fieldError(page: Page, path: string): Promise<string | null> {
  return page.locator(fieldSelector(path)).evaluate((el) => {
    const id = (el.getAttribute('aria-describedby') ?? '').split(' ').find((x) => x.endsWith('-error'));
    const error = id ? document.getElementById(id) : null;
    return error ? (error.textContent ?? '').replace(/^⚠\s*/, '') : null;
  });
}

/** How many cases the device database holds, read straight from IndexedDB. */
export async function storedCaseCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('jiexu');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('cases')) {
            db.close();
            resolve(0);
            return;
          }
          const req = db.transaction('cases').objectStore('cases').count();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/** The page's width and the width of its content: equal when nothing scrolls sideways. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string | null }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    let widest: string | null = null;
    if (doc.scrollWidth > doc.clientWidth) {
      // Name the culprit, so that a failure says what to fix.
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
        if (el.getBoundingClientRect().right > doc.clientWidth + 0.5) {
          widest = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}`;
          break;
        }
      }
    }
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, widest };
  });
}
