// 锁屏设置 on the tablet: whole minutes and hours within their bounds, saved to the device with an
// audit entry under the clerk of the shift, and the page's lock store using them without a reload;
// and 下班 / 换班 in the shift bar ends the shift.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createLockStore, LockContext, type LockStore } from '../../src/app/lock';
import { LockGate } from '../../src/app/LockGate';
import { lockSettingsFromInput, LockSettingsPanel } from '../../src/app/LockSettingsPanel';
import { RepositoriesProvider } from '../../src/app/providers';
import { ShiftBar } from '../../src/features/shift';
import { setLocalPin } from '../../src/features/signin/clerk-session';
import { DEFAULT_LOCK_CONFIG } from '../../src/features/signin/unlock-machine';
import { createClerkCredentialsRepository, createDeviceRepository, DEFAULT_LOCK_SETTINGS, openJiexuDb, type JiexuDb } from '../../src/storage';
import { freshName } from '../storage/support';

const MIN = 60_000;
const HOUR = 60 * MIN;
const WANG = { id: 'local:王丽', displayName: '王丽' };

const opened: { db: JiexuDb; store: LockStore }[] = [];
afterEach(() => {
  cleanup();
  for (const o of opened.splice(0)) {
    o.store.dispose();
    o.db.close();
  }
});

/** A tablet whose clerk 王丽 opened her shift at the store's clock, with the settings panel shown. */
async function panel() {
  const dbName = freshName();
  const db = await openJiexuDb(dbName);
  await createDeviceRepository(db).setCurrentClerk('王丽');
  let now = Date.now();
  const store = createLockStore({ now: () => now });
  opened.push({ db, store });
  store.dispatch({ type: 'signed-in', clerk: WANG, factor: 'local-pin', at: now });
  render(
    <LockContext.Provider value={store}>
      <RepositoriesProvider dbName={dbName}>
        <LockSettingsPanel />
      </RepositoriesProvider>
    </LockContext.Provider>,
  );
  const idle = await screen.findByLabelText('无操作自动锁定（分钟）', undefined, { timeout: 10_000 });
  return { db, store, idle, hours: screen.getByLabelText('当班时长（小时）'), advance: (ms: number) => (now += ms) };
}

const lockAudit = async (db: JiexuDb) => (await db.audit.toArray()).filter((e) => e.action === 'settings.lock');

describe('the lock settings form', () => {
  it('shows the stored setting in minutes and hours', async () => {
    const t = await panel();
    expect((t.idle as HTMLInputElement).value).toBe('5');
    expect((t.hours as HTMLInputElement).value).toBe('12');
  });

  it('saves new minutes and hours to the device, records them in the audit under the clerk, and the lock store locks after the new idle time', async () => {
    const t = await panel();
    const start = t.store.now();
    // Under the default five minutes, one minute untouched keeps the tablet open.
    t.store.dispatch({ type: 'tick', at: start + MIN });
    expect(t.store.getState().status).toBe('unlocked');

    fireEvent.change(t.idle, { target: { value: '1' } });
    fireEvent.change(t.hours, { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: '保存锁屏设置' }));

    expect((await screen.findByRole('status')).textContent).toContain('已保存，立即生效：无操作 1 分钟自动锁定，每班 8 小时');
    expect(await createDeviceRepository(t.db).lockSettings()).toEqual({ idleSeconds: 60, shiftHours: 8 });
    expect(t.store.config()).toEqual({ idleMs: MIN, shiftMs: 8 * HOUR });
    expect(await lockAudit(t.db)).toMatchObject([
      {
        actor: '王丽',
        caseId: null,
        changes: [
          { path: 'idleSeconds', before: 300, after: 60 },
          { path: 'shiftHours', before: 12, after: 8 },
        ],
      },
    ]);

    t.advance(MIN);
    t.store.dispatch({ type: 'tick', at: t.store.now() });
    expect(t.store.getState()).toMatchObject({ status: 'locked', reason: 'idle' });
  });

  it('records nothing when saved without a change', async () => {
    const t = await panel();
    fireEvent.click(screen.getByRole('button', { name: '保存锁屏设置' }));
    await screen.findByRole('status');
    expect(await lockAudit(t.db)).toEqual([]);
    expect(await createDeviceRepository(t.db).lockSettings()).toEqual(DEFAULT_LOCK_SETTINGS);
  });

  it('refuses values out of range, naming each field in Chinese, and saves nothing', async () => {
    const t = await panel();
    fireEvent.change(t.idle, { target: { value: '0' } });
    fireEvent.change(t.hours, { target: { value: '25' } });
    fireEvent.click(screen.getByRole('button', { name: '保存锁屏设置' }));

    const alerts = (await screen.findAllByRole('alert')).map((a) => a.textContent);
    expect(alerts).toEqual(['无操作自动锁定：应为 1 到 60 之间的整数（分钟）。', '当班时长：应为 1 到 24 之间的整数（小时）。']);
    expect(t.idle.getAttribute('aria-invalid')).toBe('true');
    expect(t.hours.getAttribute('aria-invalid')).toBe('true');
    expect(await createDeviceRepository(t.db).lockSettings()).toEqual(DEFAULT_LOCK_SETTINGS);
    expect(await lockAudit(t.db)).toEqual([]);
    expect(t.store.config()).toEqual(DEFAULT_LOCK_CONFIG);

    // Correcting one field clears its error only.
    fireEvent.change(t.idle, { target: { value: '10' } });
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['当班时长：应为 1 到 24 之间的整数（小时）。']);
  });

  it.each([
    [{ idleMinutes: '', shiftHours: '12' }, { idleMinutes: '无操作自动锁定：请填写分钟数。' }],
    [{ idleMinutes: '5', shiftHours: ' ' }, { shiftHours: '当班时长：请填写小时数。' }],
    [{ idleMinutes: '2.5', shiftHours: '12' }, { idleMinutes: '无操作自动锁定：应为 1 到 60 之间的整数（分钟）。' }],
    [{ idleMinutes: '61', shiftHours: '-1' }, { idleMinutes: '无操作自动锁定：应为 1 到 60 之间的整数（分钟）。', shiftHours: '当班时长：应为 1 到 24 之间的整数（小时）。' }],
    [{ idleMinutes: '五', shiftHours: '1e1' }, { idleMinutes: '无操作自动锁定：应为 1 到 60 之间的整数（分钟）。', shiftHours: '当班时长：应为 1 到 24 之间的整数（小时）。' }],
  ])('refuses %j with the error of each wrong field', (input, errors) => {
    expect(lockSettingsFromInput(input)).toEqual({ ok: false, errors });
  });

  it.each([
    [{ idleMinutes: '1', shiftHours: '1' }, { idleSeconds: 60, shiftHours: 1 }],
    [{ idleMinutes: '60', shiftHours: '24' }, { idleSeconds: 3600, shiftHours: 24 }],
    // Full-width digits, as a Chinese keyboard types them.
    [{ idleMinutes: ' １５ ', shiftHours: '０８' }, { idleSeconds: 900, shiftHours: 8 }],
  ])('accepts %j as whole minutes and hours', (input, settings) => {
    expect(lockSettingsFromInput(input)).toEqual({ ok: true, settings });
  });

  it('says before saving that a shift shorter than the one running ends it, and saving ends it', async () => {
    const t = await panel();
    t.advance(3 * HOUR);
    fireEvent.change(t.hours, { target: { value: '3' } });
    expect(screen.getByText('本班已进行 3 小时以上：保存后本班立即结束，须重新登录。')).toBeTruthy();
    fireEvent.change(t.hours, { target: { value: '4' } });
    expect(screen.queryByText(/保存后本班立即结束/)).toBeNull();

    fireEvent.change(t.hours, { target: { value: '3' } });
    fireEvent.click(screen.getByRole('button', { name: '保存锁屏设置' }));
    await waitFor(() => expect(t.store.getState()).toEqual({ status: 'locked', reason: 'shift-over', shift: null }));
  });
});

describe('下班 / 换班 in the shift bar', () => {
  it('ends the shift: the lock screen says so and the tablet keeps no shift for a PIN to reopen', async () => {
    const dbName = freshName();
    const db = await openJiexuDb(dbName);
    await setLocalPin(createClerkCredentialsRepository(db, { scope: 'local' }), '王丽', '270418', '270418');
    const store = createLockStore();
    opened.push({ db, store });
    render(
      <LockContext.Provider value={store}>
        <RepositoriesProvider dbName={dbName}>
          <LockGate>
            <ShiftBar />
          </LockGate>
        </RepositoriesProvider>
      </LockContext.Provider>,
    );
    const names = await screen.findByRole('group', { name: '本机经办人' }, { timeout: 10_000 });
    fireEvent.click([...names.querySelectorAll('button')].find((b) => b.textContent === '王丽')!);
    fireEvent.change(await screen.findByLabelText('PIN（6位数字）'), { target: { value: '270418' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await screen.findByTestId('current-clerk', undefined, { timeout: 10_000 });
    expect(await createDeviceRepository(db).currentShift()).toMatchObject({ name: '王丽' });

    fireEvent.click(screen.getByRole('button', { name: '下班 / 换班' }));
    expect((await screen.findByTestId('lock-screen')).textContent).toContain('已下班，本班已结束');
    expect(store.getState()).toEqual({ status: 'locked', reason: 'signed-out', shift: null });
    await waitFor(async () => expect(await createDeviceRepository(db).currentShift()).toBeNull());
  });
});
