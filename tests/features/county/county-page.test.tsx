// The county page against a real county server (SQLite, through inject, with its session cookie).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { createAdminApi } from '../../../src/features/county/api';
import { buildServer } from '../../../src/server/app';
import { beginAttempt, clearCount, signInKeys } from '../../../src/server/auth/attempts';
import { nodeGzip } from '../../../src/sync/node-gzip';
import { pushOnce } from '../../../src/sync/client';
import { requestCorrection } from '../../../src/server/county/case-review';
import { createAccount } from '../../../src/server/county/administration';
import { browserFetch } from '../../support/browser-fetch';
import { ADMIN, setUpCounty, TabletSim, OTHER_TOWNSHIP } from '../../support/sync-fixtures';

let dir: string;
let app: FastifyInstance;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jiexu-county-page-'));
  app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' });
});
afterEach(async () => {
  cleanup();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

let lastCredential = '';

async function tabletPush(
  county: Awaited<ReturnType<typeof setUpCounty>>,
  townshipCode: string,
  make: (t: TabletSim) => void,
  signedIn: (t: TabletSim, credential: string) => Promise<void> = async () => {},
) {
  const t = new TabletSim();
  const credential = await county.enrol(t, townshipCode);
  lastCredential = credential;
  await signedIn(t, credential);
  make(t);
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const res = await app.inject({ method: 'POST', url: new URL(url).pathname, headers: init.headers as Record<string, string>, payload: Buffer.from(init.body as Uint8Array) });
    return new Response(res.body, { status: res.statusCode });
  }) as unknown as typeof fetch;
  const config = { baseUrl: 'http://county.test', deviceId: t.deviceId, credential, clerkTokens: t.clerkTokens, appVersion: 'test', fetch: fetchImpl, now: () => new Date(), compress: nodeGzip, timeoutMs: 30_000, batchSize: 50 };
  expect(await pushOnce(config, t)).toMatchObject({ kind: 'pushed' });
  return t;
}

async function signIn() {
  fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: ADMIN.username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: ADMIN.password } });
  fireEvent.click(screen.getByRole('button', { name: '登录' }));
  return screen.findByTestId('county-page');
}

describe('the county page', () => {
  it('asks for the admin sign-in, refusing a wrong password in Chinese', async () => {
    await setUpCounty(app);
    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: ADMIN.username } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    expect((await screen.findByRole('alert')).textContent).toBe('用户名或密码不正确。');
  });

  it('lists synced cases with their flags; a veteran registered on two tablets is a possible duplicate on both', async () => {
    const county = await setUpCounty(app);
    await tabletPush(county, '150102001', (t) => {
      t.create(1);
      t.create(2);
    });
    await tabletPush(county, OTHER_TOWNSHIP.code, (t) => t.create(1));
    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    await signIn();
    await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe('共 3 件'));
    const flagged = screen.getAllByTestId('county-case-row').filter((r) => r.querySelector('[data-flag="possible-duplicate"]'));
    expect(flagged).toHaveLength(2);

    fireEvent.click(within(flagged[0]!).getAllByRole('button')[0]!);
    const detail = await screen.findByTestId('county-case-detail');
    expect(within(detail).getByTestId('county-duplicates').textContent).toContain('退役士兵1');
  });

  it('issues an enrolment code as text and QR, lists devices and revokes one', async () => {
    const county = await setUpCounty(app);
    const t = await tabletPush(county, '150102001', (x) => x.create(5));
    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    await signIn();
    fireEvent.click(screen.getByRole('tab', { name: '注册码与设备' }));
    await waitFor(() => expect(screen.getAllByTestId('county-device-row')).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('乡镇（街道）'), { target: { value: '150102001' } });
    fireEvent.click(screen.getByRole('button', { name: '生成注册码' }));
    const code = (await screen.findByTestId('enrolment-code-text')).textContent!.trim();
    expect(code.length).toBeGreaterThan(5);
    expect(screen.getByRole('img', { name: `注册码 ${code} 的二维码` }).innerHTML).toContain('<svg');

    const original = window.confirm;
    window.confirm = () => true;
    try {
      fireEvent.click(within(screen.getByTestId('county-devices')).getByRole('button', { name: '停用' }));
      await waitFor(() => expect(screen.getByTestId('county-devices').textContent).toContain('已停用'));
    } finally {
      window.confirm = original;
    }
    const row = await app.county.db.selectFrom('devices').select('revoked_at').where('device_id', '=', t.deviceId).executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    // The revocation stays on record, with who did it.
    expect(within(screen.getByTestId('county-devices')).getByTestId('device-revocations').textContent).toContain(`由 ${ADMIN.username} 停用`);
  });

  it('shows a conflict with both versions and resolves it by the version the admin picks', async () => {
    const county = await setUpCounty(app);
    let caseId = '';
    const t = await tabletPush(county, '150102001', (x) => {
      caseId = x.create(7).id;
    });
    await requestCorrection(app.county, caseId, '请补充退役证编号', ADMIN.username);
    // The tablet changes the case without having seen the county's change: a conflict.
    t.update(caseId, 3);
    const fetchImpl = (async (url: string, init: RequestInit) => {
      const res = await app.inject({ method: 'POST', url: new URL(url).pathname, headers: init.headers as Record<string, string>, payload: Buffer.from(init.body as Uint8Array) });
      return new Response(res.body, { status: res.statusCode });
    }) as unknown as typeof fetch;
    const tabletCredential = lastCredential;
    expect(await pushOnce({ baseUrl: 'http://county.test', deviceId: t.deviceId, credential: tabletCredential, appVersion: 'test', fetch: fetchImpl, now: () => new Date(), compress: nodeGzip, timeoutMs: 30_000, batchSize: 50 }, t)).toMatchObject({ kind: 'pushed', results: [{ outcome: 'conflict' }] });

    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    await signIn();
    fireEvent.change(screen.getByLabelText('标记'), { target: { value: 'conflict' } });
    await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe('共 1 件'));
    fireEvent.click(within(screen.getByTestId('county-cases')).getAllByRole('button')[0]!);
    const detail = await screen.findByTestId('county-case-detail');
    const versions = within(detail).getAllByTestId('county-version');
    expect(versions.length).toBeGreaterThanOrEqual(3);
    const tabletVersion = versions.find((v) => v.textContent?.includes('冲突'))!;
    expect(tabletVersion.textContent).toContain('3号');
    fireEvent.click(within(tabletVersion).getByRole('button', { name: '采用此版本' }));
    await waitFor(() => expect(within(screen.getByTestId('county-case-detail')).queryAllByRole('button', { name: '采用此版本' })).toHaveLength(0));
    const row = await app.county.db.selectFrom('cases').select(['conflict', 'registration']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.conflict).toBe(0);
    expect(row.registration).toContain('3号');
  });

  it('creates a clerk account for a township', async () => {
    await setUpCounty(app);
    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    await signIn();
    fireEvent.click(screen.getByRole('tab', { name: '账号' }));
    fireEvent.change(screen.getByLabelText('用户名（字母、数字）'), { target: { value: 'wangfang' } });
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '王芳' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'window clerk password' } });
    await waitFor(() => expect(screen.getByLabelText('乡镇（街道）').querySelectorAll('option').length).toBeGreaterThan(1));
    fireEvent.change(screen.getByLabelText('乡镇（街道）'), { target: { value: '150102001' } });
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    await waitFor(() => expect(screen.getByTestId('county-accounts').textContent).toContain('王芳'));
  });

  it('shows the clerk account that registered each case, and flags a case whose account the county could not verify, with the reason', async () => {
    const county = await setUpCounty(app);
    await createAccount(app.county, { username: 'wangfang', displayName: '王芳', password: 'window clerk password', role: 'window-clerk', townshipCode: '150102001' });
    await createAccount(app.county, { username: 'lisi', displayName: '李四', password: 'window clerk password', role: 'window-clerk', townshipCode: '150102001' });
    let unverified = '';
    await tabletPush(
      county,
      '150102001',
      (t) => {
        t.create(1, '王芳', 'wangfang');
        unverified = t.create(2, '李四', 'lisi').id;
      },
      // Both signed in online on the tablet; 李四 was disabled before the tablet synced his case.
      async (t, credential) => {
        await county.signIn(t, credential, 'wangfang', 'window clerk password');
        await county.signIn(t, credential, 'lisi', 'window clerk password');
        await app.county.db.updateTable('accounts').set({ active: 0 }).where('username', '=', 'lisi').execute();
      },
    );
    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    await signIn();
    await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe('共 2 件'));
    expect(screen.getAllByTestId('county-case-clerk').map((c) => c.textContent).sort()).toEqual(['lisi', 'wangfang']);

    fireEvent.change(screen.getByLabelText('标记'), { target: { value: 'clerk-unverified' } });
    await waitFor(() => expect(screen.getByTestId('county-case-count').textContent).toBe('共 1 件'));
    const row = screen.getByTestId('county-case-row');
    expect(row.getAttribute('data-case-id')).toBe(unverified);
    expect(row.querySelector('[data-flag="clerk-unverified"]')?.textContent).toBe('经办人待核实');
    fireEvent.click(within(row).getAllByRole('button')[0]!);
    const detail = await screen.findByTestId('county-case-detail');
    expect(within(detail).getByTestId('county-version').textContent).toContain('账号 lisi');
    expect(within(detail).getByTestId('county-clerk-problem').textContent).toContain('该经办人账号已停用');
  });
  it('says in Chinese when a locked sign-in may be retried, and unlocks a locked clerk account with 解除锁定', async () => {
    // The server's clock is fixed: the lock's length does not depend on how long the test runs.
    await app.close();
    const now = new Date('2024-05-01T08:00:00.000Z');
    app = await buildServer({ host: '127.0.0.1', port: 0, dataDir: dir, database: { kind: 'sqlite', file: join(dir, 'jiexu.sqlite') }, tls: null, distDir: join(dir, 'dist'), logLevel: 'silent' }, { now: () => now });
    await setUpCounty(app);
    await createAccount(app.county, { username: 'wangfang', displayName: '王芳', password: 'window clerk password', role: 'window-clerk', townshipCode: '150102001' });
    for (let i = 0; i < 5; i++) await beginAttempt(app.county, 'sign-in', signInKeys(ADMIN.username, '10.9.9.9'));
    for (let i = 0; i < 5; i++) await beginAttempt(app.county, 'sign-in', signInKeys('wangfang', '10.9.9.9'));

    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: ADMIN.username } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: ADMIN.password } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    expect((await screen.findByRole('alert')).textContent).toBe('输错次数过多，已暂时锁定：请5分钟后再试。如需立即解锁，请联系县局管理员。');

    await clearCount(app.county, { kind: 'account', subject: ADMIN.username });
    await signIn();
    fireEvent.click(screen.getByRole('tab', { name: '账号' }));
    const locked = await screen.findByTestId('account-locked');
    expect(locked.textContent).toContain('密码输错次数过多，锁定至');
    fireEvent.click(within(locked).getByRole('button', { name: '解除锁定' }));
    await waitFor(() => expect(screen.queryByTestId('account-locked')).toBeNull());
    expect(await app.county.db.selectFrom('sign_in_throttle').select('subject').where('kind', '=', 'account').execute()).toEqual([]);
  });

  it('disables a clerk who left with 停用 (after asking), shows 已停用 and 启用, and refuses in Chinese to disable the admin himself', async () => {
    await setUpCounty(app);
    await createAccount(app.county, { username: 'wangfang', displayName: '王芳', password: 'window clerk password', role: 'window-clerk', townshipCode: '150102001' });
    render(<CountyPage api={createAdminApi('', browserFetch(app))} />);
    await signIn();
    fireEvent.click(screen.getByRole('tab', { name: '账号' }));
    const row = () => screen.getAllByTestId('county-account-row').find((r) => r.getAttribute('data-username') === 'wangfang')!;
    await waitFor(() => expect(row()).toBeTruthy());
    const asked: string[] = [];
    const confirm = window.confirm;
    window.confirm = (message?: string) => {
      asked.push(String(message));
      return true;
    };
    try {
      fireEvent.click(within(row()).getByRole('button', { name: '停用' }));
      await waitFor(() => expect(within(row()).getByRole('button', { name: '启用' })).toBeTruthy());
    } finally {
      window.confirm = confirm;
    }
    expect(asked[0]).toContain('停用账号 王芳（wangfang）');
    expect(row().textContent).toContain('已停用');
    expect((await app.county.db.selectFrom('accounts').select('active').where('username', '=', 'wangfang').executeTakeFirstOrThrow()).active).toBe(0);

    fireEvent.click(within(row()).getByRole('button', { name: '启用' }));
    await waitFor(() => expect(within(row()).getByRole('button', { name: '停用' })).toBeTruthy());
    expect(row().textContent).toContain('正常');

    const self = screen.getAllByTestId('county-account-row').find((r) => r.getAttribute('data-username') === ADMIN.username)!;
    window.confirm = () => true;
    try {
      fireEvent.click(within(self).getByRole('button', { name: '停用' }));
      expect((await screen.findByRole('alert')).textContent).toBe('不能停用自己正在使用的账号。');
    } finally {
      window.confirm = confirm;
    }
  });
});
