import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app/App';
import { formatBytes, StoragePanel } from '../../src/app/StoragePanel';
import { createServiceWorkerUpdater } from '../../src/app/sw-registration';

const updater = () => createServiceWorkerUpdater({ skipWaiting: vi.fn(), reload: vi.fn(), initiallyControlled: true });

beforeEach(() => {
  vi.stubGlobal('__APP_VERSION__', '9.8.7+test123');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function setOnline(online: boolean) {
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(online);
  window.dispatchEvent(new Event(online ? 'online' : 'offline'));
}

describe('the app shell', () => {
  it('shows the title, the app version and, the page starting locked, the sign-in as its first screen', async () => {
    render(<App updater={updater()} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('退役士兵社保接续 · 窗口受理');
    expect(screen.getByTestId('app-version').textContent).toBe('9.8.7+test123');
    expect(screen.getByRole('main').id).toBe('main');
    expect(await screen.findByTestId('lock-screen', undefined, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '受理登记' })).toBeNull();
  });

  it('shows 在线 or 离线 as the browser reports, following online and offline events', () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    render(<App updater={updater()} />);
    const badge = screen.getByTestId('network-state');
    expect(badge.textContent).toBe('离线');
    act(() => setOnline(true));
    expect(badge.textContent).toBe('在线');
    act(() => setOnline(false));
    expect(badge.textContent).toBe('离线');
  });

  it('says when the app is ready to start without network', () => {
    const u = createServiceWorkerUpdater({ skipWaiting: vi.fn(), reload: vi.fn(), initiallyControlled: false });
    render(<App updater={u} />);
    expect(screen.queryByText(/可离线使用/)).toBeNull();
    act(() => u.reportControllerChange());
    expect(screen.getByText(/可离线使用/)).toBeTruthy();
  });
});

describe('the storage panel', () => {
  it('reports space used and free, and asks for persistent storage when it is off', async () => {
    const persist = vi.fn().mockResolvedValue(true);
    let persisted = false;
    vi.stubGlobal('navigator', {
      ...navigator,
      onLine: true,
      storage: {
        estimate: () => Promise.resolve({ usage: 3 * 1024 * 1024, quota: 2 * 1024 ** 3 }),
        persisted: () => Promise.resolve(persisted),
        persist: () => {
          persisted = true;
          return persist();
        },
      },
    });
    render(<StoragePanel />);
    fireEvent.click(screen.getByRole('button', { name: '检查本机存储' }));
    expect(await screen.findByText('已用 3.0 MB，可用约 2.0 GB。')).toBeTruthy();
    expect(screen.getByText(/长期保存：未开启/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: '申请长期保存' }));
    expect(await screen.findByText('长期保存：已开启')).toBeTruthy();
    expect(persist).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: '申请长期保存' })).toBeNull();
  });

  it('says so when the browser cannot report storage', async () => {
    vi.stubGlobal('navigator', { ...navigator, onLine: true, storage: undefined });
    render(<StoragePanel />);
    fireEvent.click(screen.getByRole('button', { name: '检查本机存储' }));
    expect(await screen.findByText('此浏览器无法查询本机存储。')).toBeTruthy();
  });

  it('formats byte counts in KB, MB and GB', () => {
    expect(formatBytes(0)).toBe('0.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GB');
  });
});
