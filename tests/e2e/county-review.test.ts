// The county review end to end in Chromium: a tablet registers two cases and syncs; a county reviewer
// carries one of them from 已同步 to 完成 through every signed step on the county page, and sends the
// other back (退回补正): the tablet's next sync shows it, the clerk corrects and syncs, and the case is
// 已同步 again with the earlier signature void. Every county screen is scanned with axe-core on the way,
// and its controls measured (at least 44 px for a finger). Run against SQLite and PostgreSQL.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { chromiumAvailable, useServerAndBrowser } from './harness';
import { axeViolations } from './support/axe';
import { smallTouchTargets } from './support/layout';
import { exampleFacts, registerCase, saveIntake, testRegistration, typeField, waitForOfflineReady } from './support/intake';
import { databases } from '../server/helpers';
import { PROJECT_ROOT } from '../support/server-process';

const ADMIN = { username: 'county-admin', password: 'county admin password' };
const TOWNSHIP = { code: '150102001', name: '海拉尔路街道' };
const CLERK = { username: 'wangfang', displayName: '王芳', password: 'window clerk password', pin: '482916' };
const REVIEWER = { username: 'zhaomin', displayName: '赵敏', password: 'county reviewer password' };

describe.skipIf(!chromiumAvailable)('a county reviewer carries cases through their life on the county page', () => {
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

    beforeAll(async () => {
      const r = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['src/cli/admin.ts', 'create-admin', '--username', ADMIN.username, '--area', 'region:150000'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATA_DIR: harness.server.dataDir, JIEXU_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: harness.databaseUrl },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`create-admin failed: ${r.stdout}${r.stderr}`);
      const login = await fetch(`${harness.server.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      if (login.status !== 200) throw new Error(`admin login: ${login.status}`);
      cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
      await admin('POST', '/townships', TOWNSHIP);
      await admin('POST', '/accounts', { username: CLERK.username, displayName: CLERK.displayName, password: CLERK.password, role: 'window-clerk', townshipCode: TOWNSHIP.code });
      await admin('POST', '/accounts', { username: REVIEWER.username, displayName: REVIEWER.displayName, password: REVIEWER.password, role: 'county-reviewer', area: { level: 'county', code: '150102' } });
    });

    /** The page as axe sees it has no violation, and every control on the county page is a finger's size; `where` names the screen in the failure. */
    async function expectAccessible(page: Page, where: string): Promise<void> {
      expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
      expect(await smallTouchTargets(page.locator('.county, .county-login').first()), `touch targets on ${where}`).toEqual([]);
    }

    async function enrolledTablet(context: BrowserContext): Promise<Page> {
      const { code } = await admin<{ code: string }>('POST', '/enrolment-codes', { townshipCode: TOWNSHIP.code });
      const page = await context.newPage();
      await page.goto(`${harness.server.url}/#/sync`);
      await waitForOfflineReady(page);
      await page.getByTestId('lock-screen').getByText('注册本设备到县局').click();
      const form = page.getByTestId('enrol-form');
      await form.getByLabel('注册码').fill(code);
      await form.getByRole('button', { name: '注册本设备' }).click();
      const signin = page.getByTestId('signin');
      await signin.getByLabel('用户名').fill(CLERK.username);
      await signin.getByLabel('密码').fill(CLERK.password);
      await signin.getByRole('button', { name: '联网登录' }).click();
      await signin.getByLabel('新 PIN').fill(CLERK.pin);
      await signin.getByLabel('再输入一次').fill(CLERK.pin);
      await signin.getByRole('button', { name: '设置 PIN 并登录' }).click();
      await page.getByTestId('current-clerk').getByText(CLERK.displayName, { exact: true }).waitFor({ timeout: 30_000 });
      await page.getByTestId('sync-township').waitFor();
      return page;
    }

    async function go(page: Page, hash: string): Promise<void> {
      await page.evaluate((h) => (location.hash = h), hash);
    }

    /** A day-end sync from the tablet's 同步 screen, until nothing is pending. */
    async function syncTablet(page: Page): Promise<void> {
      await page.getByRole('navigation', { name: '主要功能' }).getByRole('link', { name: '同步' }).click();
      await page.getByTestId('sync-now').click();
      await page.getByTestId('sync-now').getByText('日终同步').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="pending-count"]')?.textContent === '0', undefined, { timeout: 60_000 });
    }

    async function signInCounty(page: Page, who: { username: string; password: string }): Promise<void> {
      await page.goto(`${harness.server.url}/#/county`);
      const login = page.getByTestId('county-login');
      await login.getByLabel('用户名').fill(who.username);
      await login.getByLabel('密码').fill(who.password);
      await login.getByRole('button', { name: '登录' }).click();
      await page.getByTestId('county-who').waitFor();
    }

    async function openCase(county: Page, caseId: string): Promise<Locator> {
      await county.locator(`[data-testid="county-case-row"][data-case-id="${caseId}"] button.county-link`).click();
      const detail = county.getByTestId('county-case-detail');
      await detail.waitFor();
      return detail;
    }

    function status(detail: Locator): Locator {
      return detail.getByTestId('county-lifecycle-status');
    }

    /** Opens a step's form, fills its 说明 (and the sub-checks of 核查通过), signs it and waits for the new status. */
    async function takeStep(detail: Locator, step: string, comment: string, then: string): Promise<void> {
      const lifecycle = detail.getByTestId('county-lifecycle');
      await lifecycle.getByRole('button', { name: step, exact: true }).click();
      const form = lifecycle.getByRole('form', { name: `办理：${step}` });
      if (step === '核查通过') {
        const today = new Date().toISOString().slice(0, 10);
        for (const [check, number] of [
          ['服役情况已核实', '呼新退役〔2026〕11号'],
          ['退役安置方式已核实', '呼新退役〔2026〕12号'],
        ] as const) {
          const group = form.getByRole('group', { name: check });
          await group.getByLabel('依据文件文号').fill(number);
          await group.getByLabel('文件日期').fill(today);
          await group.getByLabel('核实人').fill(REVIEWER.displayName);
        }
      }
      await form.getByLabel(/^说明/).fill(comment);
      await form.getByRole('button', { name: `签署：${step}` }).click();
      await status(detail).getByText(then, { exact: true }).waitFor();
    }

    it('takes one case from 已同步 to 完成 by every signed step, and one 退回补正 round trip through the tablet that voids the earlier signature', async () => {
      onTestFailed(() => console.error(`--- the ${kind} server's output ---\n${harness.server.output().slice(-20_000)}`));
      const tabletContext = await harness.browser.newContext({ serviceWorkers: 'allow' });
      const office = await harness.browser.newContext();
      try {
        const tablet = await enrolledTablet(tabletContext);
        await go(tablet, '#/intake');
        await tablet.locator('form.intake-form').waitFor();
        const full = await registerCase(tablet, exampleFacts('01-deemed-basic'), testRegistration({ name: '张三' }));
        await go(tablet, '#/intake');
        await tablet.locator('form.intake-form').waitFor();
        const back = await registerCase(tablet, exampleFacts('03-post-2012-no-subsidy'), testRegistration({ name: '赵军' }));
        await syncTablet(tablet);

        // The admin's screens first: each one scanned.
        const county = await office.newPage();
        await county.goto(`${harness.server.url}/#/county`);
        await county.getByTestId('county-login').waitFor();
        await expectAccessible(county, 'the sign-in');
        await signInCounty(county, ADMIN);
        const tabs = county.getByRole('tablist', { name: '管理项目' });
        for (const [tab, ready] of [
          ['注册码与设备', county.getByTestId('county-device-row').first()],
          ['账号', county.getByTestId('county-account-row').first()],
          ['乡镇（街道）', county.getByTestId('county-townships').getByText(TOWNSHIP.name, { exact: false })],
          ['参数', county.getByTestId('county-parameters').getByRole('cell', { name: '现行', exact: true })],
          ['报表', county.getByTestId('chart-progress-canvas').locator('svg')],
          ['报表', county.getByTestId('weekly-heading')],
          ['修改密码', county.getByTestId('county-password')],
        ] as const) {
          await tabs.getByRole('tab', { name: tab }).click();
          await ready.waitFor();
          await expectAccessible(county, `the admin's ${tab}`);
        }
        // A parameter set drafted from the one in force: the form over what a county may change.
        await tabs.getByRole('tab', { name: '参数' }).click();
        await county.getByRole('button', { name: '以当前参数为底稿新建' }).click();
        await county.getByTestId('parameters-draft').waitFor();
        await expectAccessible(county, 'the parameter draft');
        await county.getByRole('button', { name: '退出登录' }).click();

        // The reviewer: the queue, then the first case through its whole life.
        await signInCounty(county, REVIEWER);
        await county.getByTestId('county-case-count').getByText('共 2 件').waitFor();
        await expectAccessible(county, 'the case queue');
        let detail = await openCase(county, full.caseId);
        expect(await status(detail).innerText()).toBe('已同步');
        await expectAccessible(county, 'a synced case');
        await detail.getByTestId('county-lifecycle').getByRole('button', { name: '核查通过', exact: true }).click();
        await expectAccessible(county, 'the 核查通过 form');
        await takeStep(detail, '核查通过', '服役和退役安置方式已核对原件', '核查通过');
        await takeStep(detail, '送经办机构', '已送社保经办机构测算', '送经办机构');
        await takeStep(detail, '经办测算已反馈', '经办机构测算结果已收到', '经办测算已反馈');
        await takeStep(detail, '补缴办理中', '原安置单位开始补缴', '补缴办理中');
        await takeStep(detail, '完成', '补缴到账，接续完成', '完成');
        const signed = detail.getByTestId('county-step');
        expect(await signed.count()).toBe(5);
        expect(await signed.allInnerTexts()).toEqual([
          expect.stringContaining('核查通过（已同步 → 核查通过）'),
          expect.stringContaining('送经办机构（核查通过 → 送经办机构）'),
          expect.stringContaining('经办测算已反馈（送经办机构 → 经办测算已反馈）'),
          expect.stringContaining('补缴办理中（经办测算已反馈 → 补缴办理中）'),
          expect.stringContaining('完成（补缴办理中 → 完成）'),
        ]);
        for (const text of await signed.allInnerTexts()) {
          expect(text).toContain(`${REVIEWER.username}（县局审核人）`);
          expect(text).toMatch(/审计链签名 #\d+/);
        }
        // A completed case offers no further step.
        expect(await detail.getByTestId('county-lifecycle').getByRole('button').count()).toBe(0);
        await expectAccessible(county, 'a completed case');
        await detail.getByRole('button', { name: '关闭' }).click();

        // The second case: verified, then sent back to the window.
        detail = await openCase(county, back.caseId);
        await takeStep(detail, '核查通过', '已核对', '核查通过');
        await takeStep(detail, '退回补正', '请核对联系电话', '退回补正');
        await expectAccessible(county, 'a case sent back');

        // The tablet's next sync brings the request; the case screen says what to correct.
        await syncTablet(tablet);
        await tablet.getByTestId('sync-attention').getByText('县局退回补正：请核对联系电话').waitFor({ timeout: 30_000 });
        await go(tablet, `#/cases/${encodeURIComponent(back.caseId)}`);
        await tablet.getByTestId('county-status-panel').getByText('县局退回补正：请核对联系电话', { exact: false }).waitFor();

        // The clerk corrects the phone number and syncs.
        await go(tablet, `#/intake/${encodeURIComponent(back.caseId)}`);
        await tablet.locator('form.intake-form').waitFor();
        await typeField(tablet, 'registration.phone', '13904711234');
        await saveIntake(tablet);
        await syncTablet(tablet);

        // At the county the case is 已同步 again, its 核查通过 kept but void, the 退回补正 in force.
        await county.reload();
        await county.getByTestId('county-case-count').waitFor();
        detail = await openCase(county, back.caseId);
        await status(detail).getByText('已同步', { exact: true }).waitFor();
        const steps = detail.getByTestId('county-step');
        expect(await steps.count()).toBe(2);
        expect(await steps.nth(0).innerText()).toContain('已作废（窗口补正后重新核查）');
        expect(await steps.nth(1).innerText()).not.toContain('已作废');
        expect(await detail.locator('[data-testid="county-version"].county-version-current').innerText()).toContain('13904711234');
        await expectAccessible(county, 'a corrected case');
      } catch (error) {
        // What each screen showed when the test stopped: closed with its context below.
        for (const page of [...office.pages(), ...tabletContext.pages()]) console.error(`--- ${page.url()} ---\n${await page.locator('body').innerText().catch(() => '(gone)')}`);
        throw error;
      } finally {
        await office.close();
        await tabletContext.close();
      }
    });
  });
});
