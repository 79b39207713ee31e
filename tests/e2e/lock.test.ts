// The tablet's lock in Chromium: a reload starts locked, an idle tablet locks and keeps the typed input
// for the clerk who typed it only, and a clerk the county disabled is refused after the next sync.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, useServerAndBrowser } from './harness';
import { fieldSelector, pickClerk, registerCase, exampleFacts, signInLocal, testRegistration, TEST_CLERK, typeField, unlockFor, waitForIntakeForm, waitForOfflineReady } from './support/intake';
import { PROJECT_ROOT } from '../support/server-process';

/** Writes a device setting into the tablet's IndexedDB, as the setting's own form would. */
async function setIdleSeconds(page: Page, idleSeconds: number): Promise<void> {
  await page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('jiexu');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('meta', 'readwrite');
          tx.objectStore('meta').put({ key: 'lock.settings', value: { idleSeconds: value, shiftHours: 12 } });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    idleSeconds,
  );
}

/** Whether the tablet still keeps the named county clerk's credentials. */
async function hasCredential(page: Page, username: string): Promise<boolean> {
  return page.evaluate(
    (key) =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('jiexu');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('meta').objectStore('meta').get(key);
          req.onsuccess = () => {
            db.close();
            resolve(req.result !== undefined);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    `clerk.credential/${username}`,
  );
}

async function expectLockedShowsNothing(page: Page, secrets: string[]): Promise<void> {
  await page.getByTestId('lock-screen').waitFor();
  expect(await page.getByRole('navigation', { name: '主要功能' }).count()).toBe(0);
  expect(await page.getByTestId('sync-badge').count()).toBe(0);
  expect(await page.locator('form.intake-form, [data-testid="case-row"]').count()).toBe(0);
  const html = await page.content();
  for (const s of secrets) expect(html).not.toContain(s);
}

describe.skipIf(!chromiumAvailable)('the tablet lock', () => {
  const harness = useServerAndBrowser();

  it('a reloaded tablet shows no case until a clerk signs in with his PIN', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.server.url}/#/intake`);
      await waitForIntakeForm(page);
      const { caseNumber, caseId } = await registerCase(page, exampleFacts('01-deemed-basic'), testRegistration({ name: '张三' }));

      await page.goto(`${harness.server.url}/#/cases/${caseId}`);
      await page.reload();
      await expectLockedShowsNothing(page, [caseNumber, '张三']);
      // Print pages are behind the same lock.
      await page.goto(`${harness.server.url}/#/cases/${caseId}/print/receipt`);
      await expectLockedShowsNothing(page, [caseNumber, '张三']);

      await page.goto(`${harness.server.url}/#/cases`);
      await unlockFor(page, '[data-testid="case-row"]');
      await page.getByTestId('case-row').filter({ hasText: caseNumber }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('locks after the idle time, and gives the typed input back to the clerk who typed it, not to another clerk', async () => {
    const context = await harness.browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.server.url}/#/intake`);
      await waitForIntakeForm(page);
      await pickClerk(page, '李强');
      await pickClerk(page, TEST_CLERK);
      await setIdleSeconds(page, 3);
      await page.reload();
      await waitForIntakeForm(page);

      await typeField(page, 'registration.name', '赵铁柱');
      // Nothing is touched from here: the tablet locks by itself.
      await page.getByTestId('lock-screen').waitFor({ timeout: 30_000 });
      await expectLockedShowsNothing(page, ['赵铁柱']);

      await signInLocal(page, '李强');
      await page.locator('form.intake-form').waitFor();
      expect(await page.locator(fieldSelector('registration.name')).inputValue()).toBe('');
      await page.getByTestId('lock-screen').waitFor({ timeout: 30_000 });
      await expectLockedShowsNothing(page, ['赵铁柱']);

      await signInLocal(page, TEST_CLERK);
      await expect.poll(() => page.locator(fieldSelector('registration.name')).inputValue(), { timeout: 10_000 }).toBe('赵铁柱');
    } finally {
      await context.close();
    }
  });

  it('a clerk disabled at the county can no longer sign in on the tablet after its next sync', async () => {
    const admin = { username: 'county-admin', password: 'county admin password' };
    const clerk = { username: 'wangfang', displayName: '王芳', password: 'window clerk password', pin: '482916' };
    const township = { code: '150102001', name: '海拉尔路街道' };
    const r = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli/admin.ts', 'create-admin', '--username', admin.username, '--area', 'county:150102'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: harness.server.dataDir, JIEXU_ADMIN_PASSWORD: admin.password, DATABASE_URL: harness.databaseUrl },
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const login = await fetch(`${harness.server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    expect(login.status).toBe(200);
    const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    const post = async <T,>(path: string, body: unknown): Promise<T> => {
      const res = await fetch(`${harness.server.url}/api/admin${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    };
    await post('/townships', township);
    await post('/accounts', { username: clerk.username, displayName: clerk.displayName, password: clerk.password, townshipCode: township.code });
    const { code } = await post<{ code: string }>('/enrolment-codes', { townshipCode: township.code });

    const context = await harness.browser.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      await page.goto(`${harness.server.url}/#/sync`);
      await waitForOfflineReady(page);
      // A fresh tablet: enrolled from the lock screen, then the clerk's password once and a PIN.
      const lock = page.getByTestId('lock-screen');
      await lock.getByText('注册本设备到县局').click();
      await lock.getByTestId('enrol-form').getByLabel('注册码').fill(code);
      await lock.getByRole('button', { name: '注册本设备' }).click();
      await lock.getByLabel('用户名').fill(clerk.username);
      await lock.getByLabel('密码').fill(clerk.password);
      await lock.getByRole('button', { name: '联网登录' }).click();
      await lock.getByLabel('新 PIN').fill(clerk.pin);
      await lock.getByLabel('再输入一次').fill(clerk.pin);
      await lock.getByRole('button', { name: '设置 PIN 并登录' }).click();
      await page.getByTestId('current-clerk').getByText(clerk.displayName, { exact: true }).waitFor({ timeout: 30_000 });

      // Within his shift a reload asks for his PIN, and the PIN opens the tablet.
      await page.reload();
      await expectLockedShowsNothing(page, []);
      await lock.getByLabel('PIN（6位数字）').fill(clerk.pin);
      await lock.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByTestId('sync-screen').waitFor();

      await post(`/accounts/${clerk.username}/disable`, {});
      await page.getByTestId('lock-now').click();
      // The app's start is one of the sync's triggers: the county's page of clerks says he is disabled.
      await page.reload();
      await expect.poll(() => hasCredential(page, clerk.username), { timeout: 60_000 }).toBe(false);
      await page.reload();
      await lock.waitFor();
      expect(await lock.getByLabel('PIN（6位数字）').count()).toBe(0);
      await lock.getByLabel('用户名').fill(clerk.username);
      await lock.getByLabel('密码').fill(clerk.password);
      await lock.getByRole('button', { name: '联网登录' }).click();
      await lock.getByRole('alert').waitFor();
      expect(await lock.getByRole('alert').innerText()).not.toBe('');
      expect(await page.getByTestId('current-clerk').count()).toBe(0);
      expect(await lock.count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
