// In the app: an enrolled tablet starts locked; within his shift the clerk opens it with his PIN.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/app/App';
import { createServiceWorkerUpdater } from '../../../src/app/sw-registration';
import { setPin } from '../../../src/features/signin/clerk-session';
import { createClerkCredentialsRepository, createDeviceRepository, openJiexuDb } from '../../../src/storage';

const updater = () => createServiceWorkerUpdater({ skipWaiting: vi.fn(), reload: vi.fn(), initiallyControlled: true });

beforeEach(() => {
  vi.stubGlobal('__APP_VERSION__', '9.8.7+test');
  // The county server is out of reach: sync fails quietly in the background.
  vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('offline'))));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the clerk of the shift on an enrolled tablet', () => {
  it('a reload within his shift asks for his PIN, and the shift keeps his account', async () => {
    const db = await openJiexuDb();
    await createDeviceRepository(db).saveEnrolment({ serverUrl: 'https://county.example', credential: 'dev_0123456789abcdefghijkl', deviceId: 'K7Q2MX3B', township: { code: '150102001', name: '海拉尔路街道' } });
    await setPin(createClerkCredentialsRepository(db), { username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true }, '482916', '482916');
    await createDeviceRepository(db).setCurrentClerk('王芳', 'wangfang');

    render(<App updater={updater()} />);
    // The sign-in screen and the sync service are chunks of their own: give their first import time.
    fireEvent.change(await screen.findByLabelText('PIN（6位数字）', undefined, { timeout: 10_000 }), { target: { value: '482916' } });
    expect(screen.queryByTestId('current-clerk')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() => expect(screen.getByTestId('current-clerk').textContent).toBe('王芳'), { timeout: 10_000 });
    expect(await createDeviceRepository(db).currentClerkAccount()).toBe('wangfang');
    expect(screen.queryByTestId('lock-screen')).toBeNull();
    db.close();
  });
});
