// Day-end sync end to end in Chromium: two tablets (two browser contexts) enrolled for two
// townships, their clerks signed in online once and then by PIN offline, register offline, go
// online and sync. The county sees every case once, the veteran registered on both is flagged, and a
// revoked tablet is refused and keeps its unsynced case. Run against SQLite and PostgreSQL, each on
// its own server and fresh database.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { chromiumAvailable, useServerAndBrowser } from './harness';
import { exampleFacts, registerCase, storedCaseCount, testRegistration, waitForOfflineReady } from './support/intake';
import { databases } from '../server/helpers';
import { PROJECT_ROOT } from '../support/server-process';

const ADMIN = { username: 'county-admin', password: 'county admin password' };
const TOWNSHIPS = {
  a: { code: '150102001', name: '海拉尔路街道' },
  b: { code: '150203001', name: '昆工路街道' },
};
const CLERKS = {
  a: { username: 'wangfang', displayName: '王芳', password: 'window clerk password', townshipCode: TOWNSHIPS.a.code, pin: '482916' },
  b: { username: 'lisi', displayName: '李四', password: 'window clerk password', townshipCode: TOWNSHIPS.b.code, pin: '615283' },
};

interface CountyCase {
  id: string;
  caseNumber: string;
  idNumber: string;
  townshipCode: string;
  flags: { conflict: boolean; possibleDuplicate: boolean; figuresDiffer: boolean };
}

const LOCKED_ZH = /^输错次数过多，已暂时锁定：请\d+分钟后再试。如需立即解锁，请联系县局管理员。$/;

describe.skipIf(!chromiumAvailable)('day-end sync between two tablets and the county', () => {
  describe.each(databases())('on $kind', ({ kind, skipReason }) => {
    if (skipReason !== null) {
      it.skip(`SKIPPED: ${skipReason}`, () => {});
      return;
    }
    const harness = useServerAndBrowser({ database: kind });
    let cookie = '';

    async function admin<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${harness.server.url}/api/admin${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    }

    beforeAll(() => {
      // The first admin comes from the command line, on the server's own database.
      const r = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli/admin.ts', 'create-admin', '--username', ADMIN.username, '--area', 'region:150000'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATA_DIR: harness.server.dataDir, JIEXU_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: harness.databaseUrl },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`create-admin failed: ${r.stdout}${r.stderr}`);
    });

    /** Clicks 联网登录 and waits for the county's answer to that click. */
    async function signInOnline(page: Page, signin: Locator, password: string): Promise<number> {
      await signin.getByLabel('密码').fill(password);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/sync/clerk-sign-in')), signin.getByRole('button', { name: '联网登录' }).click()]);
      return response.status();
    }

    async function enrolledTablet(context: BrowserContext, township: { code: string }, clerk: (typeof CLERKS)['a'], options: { lockedOutFirst?: boolean } = {}): Promise<Page> {
      const { code } = await admin<{ code: string }>('POST', '/enrolment-codes', { townshipCode: township.code });
      const page = await context.newPage();
      await page.goto(`${harness.server.url}/#/sync`);
      await waitForOfflineReady(page);
      // A fresh tablet starts locked: it is enrolled from the lock screen.
      await page.getByTestId('lock-screen').getByText('注册本设备到县局').click();
      const form = page.getByTestId('enrol-form');
      // The server address defaults to the one the app came from.
      expect(await form.getByLabel('县局服务器地址').inputValue()).toBe(harness.server.url);
      await form.getByLabel('注册码').fill(code);
      await form.getByRole('button', { name: '注册本设备' }).click();

      // The clerk signs in online once on this tablet and sets his PIN.
      const signin = page.getByTestId('signin');
      await signin.getByLabel('用户名').fill(clerk.username);
      if (options.lockedOutFirst) {
        // Five wrong passwords lock the user name at the county: then even the right one is refused, in Chinese, until the admin unlocks it.
        for (let i = 0; i < 5; i++) {
          expect(await signInOnline(page, signin, 'not my password')).toBe(401);
          await signin.getByRole('alert').getByText('用户名或密码不正确。').waitFor();
        }
        expect(await signInOnline(page, signin, clerk.password)).toBe(429);
        await signin.getByRole('alert').getByText(LOCKED_ZH).waitFor();
        expect(await admin('POST', `/accounts/${clerk.username}/unlock`, {})).toEqual({ username: clerk.username, wasLocked: true });
      }
      expect(await signInOnline(page, signin, clerk.password)).toBe(200);
      await signin.getByLabel('新 PIN').fill(clerk.pin);
      await signin.getByLabel('再输入一次').fill(clerk.pin);
      await signin.getByRole('button', { name: '设置 PIN 并登录' }).click();
      await page.getByTestId('current-clerk').getByText(clerk.displayName, { exact: true }).waitFor({ timeout: 30_000 });
      await page.getByTestId('sync-township').waitFor();
      return page;
    }

    async function goToIntake(page: Page): Promise<void> {
      await page.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '受理' }).click();
      await page.locator('form[aria-label]').first().waitFor();
    }

    async function pending(page: Page): Promise<string> {
      return page.getByTestId('pending-count').innerText();
    }

    async function waitSynced(page: Page): Promise<void> {
      await page.waitForFunction(
        () => document.querySelector('[data-testid="pending-count"]')?.textContent === '0' && document.querySelector('[data-testid="last-sync"]')?.textContent !== '从未',
        undefined,
        { timeout: 60_000 },
      );
    }

    it('registers offline on two tablets, syncs each case once, flags the veteran registered on both, and refuses a revoked tablet that keeps its case', async () => {
      // A sync that never finishes shows only as a timeout here: the server's log says why.
      onTestFailed(() => console.error(`--- the ${kind} server's output ---\n${harness.server.output().slice(-20_000)}`));
      expect(await (await fetch(`${harness.server.url}/api/health`)).json()).toMatchObject({ status: 'ok', db: kind });
      cookie = '';
      const login = await fetch(`${harness.server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      expect(login.status).toBe(200);
      cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
      for (const t of Object.values(TOWNSHIPS)) await admin('POST', '/townships', t);
      for (const c of Object.values(CLERKS)) await admin('POST', '/accounts', { username: c.username, displayName: c.displayName, password: c.password, role: 'window-clerk', townshipCode: c.townshipCode });

      const ctxA = await harness.browser.newContext({ serviceWorkers: 'allow' });
      const ctxB = await harness.browser.newContext({ serviceWorkers: 'allow' });
      try {
        const a = await enrolledTablet(ctxA, TOWNSHIPS.a, CLERKS.a, { lockedOutFirst: true });
        const b = await enrolledTablet(ctxB, TOWNSHIPS.b, CLERKS.b);
        const deviceA = await a.getByTestId('device-id').innerText();
        const deviceB = await b.getByTestId('device-id').innerText();
        expect(deviceA).not.toBe(deviceB);

        // The network goes; the tablets keep working.
        await ctxA.setOffline(true);
        await ctxB.setOffline(true);
        await a.getByTestId('network-state').getByText('离线').waitFor();

        // Offline, within his shift: the clerk locks the tablet and comes back with his PIN.
        await a.getByTestId('lock-now').click();
        await a.getByLabel('PIN（6位数字）').fill('000001');
        await a.getByRole('button', { name: '登录', exact: true }).click();
        await a.getByText('PIN 不正确，还可再试4次。').waitFor();
        await a.getByLabel('PIN（6位数字）').fill(CLERKS.a.pin);
        await a.getByRole('button', { name: '登录', exact: true }).click();
        await a.getByTestId('current-clerk').getByText(CLERKS.a.displayName, { exact: true }).waitFor();

        await goToIntake(a);
        const a1 = await registerCase(a, exampleFacts('01-deemed-basic'), testRegistration({ name: '张三' }));
        await goToIntake(a);
        const a2 = await registerCase(a, exampleFacts('02-combined-with-subsidy'), testRegistration({ name: '李明' }));
        await goToIntake(b);
        // The same veteran, registered again at another township's window.
        const b1 = await registerCase(b, exampleFacts('01-deemed-basic'), testRegistration({ name: '张三' }));
        await goToIntake(b);
        const b2 = await registerCase(b, exampleFacts('03-post-2012-no-subsidy'), testRegistration({ name: '赵军' }));
        expect(await pending(a)).toBe('2');
        expect(await pending(b)).toBe('2');

        // The network comes back: both tablets sync on their own.
        await ctxA.setOffline(false);
        await ctxB.setOffline(false);
        await waitSynced(a);
        await waitSynced(b);

        const { cases } = await admin<{ cases: CountyCase[] }>('GET', '/cases');
        const numbers = [a1, a2, b1, b2].map((c) => c.caseNumber).sort();
        expect(cases.map((c) => c.caseNumber).sort()).toEqual(numbers);
        expect(new Set(cases.map((c) => c.id)).size).toBe(4);
        expect(cases.find((c) => c.caseNumber === a1.caseNumber)?.townshipCode).toBe(TOWNSHIPS.a.code);
        expect(cases.find((c) => c.caseNumber === b2.caseNumber)?.townshipCode).toBe(TOWNSHIPS.b.code);
        const duplicates = cases.filter((c) => c.flags.possibleDuplicate).map((c) => c.caseNumber).sort();
        expect(duplicates).toEqual([a1.caseNumber, b1.caseNumber].sort());
        expect(cases.some((c) => c.flags.figuresDiffer || c.flags.conflict)).toBe(false);

        // The county page, in a browser at the county office, shows the same cases and flags.
        const office = await harness.browser.newContext();
        try {
          const county = await office.newPage();
          await county.goto(`${harness.server.url}/#/county`);
          await county.getByTestId('county-login').getByLabel('用户名').fill(ADMIN.username);
          await county.getByTestId('county-login').getByLabel('密码').fill(ADMIN.password);
          await county.getByRole('button', { name: '登录' }).click();
          await county.getByTestId('county-case-count').getByText('共 4 件').waitFor();
          expect(await county.locator('[data-testid="county-case-row"] [data-flag="possible-duplicate"]').count()).toBe(2);
        } finally {
          await office.close();
        }

        // The county sends a case back; tablet A's next day-end sync brings it, and sends nothing twice.
        await admin('POST', `/cases/${a1.caseId}/correction-request`, { message: '请补充退役证编号' });
        await a.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '同步' }).click();
        await a.getByTestId('sync-now').click();
        await a.getByTestId('sync-attention').getByText('县局退回补正：请补充退役证编号').waitFor({ timeout: 30_000 });
        await a.getByTestId('sync-now').getByText('日终同步').waitFor();
        expect((await admin<{ cases: CountyCase[] }>('GET', '/cases')).cases).toHaveLength(4);

        // The county revokes tablet B; its next case stays on the tablet, and it is told why.
        await admin('POST', `/devices/${deviceB}/revoke`, {});
        await goToIntake(b);
        await registerCase(b, exampleFacts('05-unit-gone-superior-pays'), testRegistration({ name: '孙强', confirmedBy: '县退役军人事务局 刘明' }));
        await b.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '同步' }).click();
        await b.getByTestId('sync-now').click();
        const revoked = b.getByTestId('device-revoked');
        await revoked.waitFor();
        expect(await revoked.innerText()).toContain('本设备已被县局停用，未同步的记录仍保存在本机');
        expect(await b.getByTestId('sync-badge').innerText()).toContain('已停用');
        expect(await pending(b)).toBe('1');
        expect(await storedCaseCount(b)).toBe(3);
        expect((await admin<{ cases: CountyCase[] }>('GET', '/cases')).cases).toHaveLength(4);
        // The tablet that was not revoked still syncs.
        expect(await a.getByTestId('sync-error').count()).toBe(0);
      } finally {
        await ctxA.close();
        await ctxB.close();
      }
    });
  });
});
