// The sign-in screen: online once with the password and a new PIN, then the name and the PIN.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignInScreen } from '../../../src/features/signin';
import { setPin } from '../../../src/features/signin/clerk-session';
import { createClerkCredentialsRepository, createDeviceRepository, type JiexuDb } from '../../../src/storage';
import { freshDb } from '../../storage/support';

const WANG = { username: 'wangfang', displayName: '王芳', townshipCode: '150102001', active: true };

let db: JiexuDb;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(() => {
  cleanup();
  db.close();
});

function setUp() {
  const credentials = createClerkCredentialsRepository(db);
  const device = createDeviceRepository(db);
  const onSignedIn = vi.fn();
  const calls: { url: string; body: unknown }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(init.body as string) });
    const body = (calls.at(-1)!.body as { password: string }).password === 'right password' ? { clerk: WANG } : { error: { code: 'wrong-credentials', message: 'no' } };
    return new Response(JSON.stringify(body), { status: 'clerk' in body ? 200 : 401 });
  }) as unknown as typeof fetch;
  return { credentials, device, onSignedIn, calls, fetchImpl };
}

describe('the sign-in screen', () => {
  it('on a tablet nobody signed in on yet: the online sign-in, then a new PIN, then the shift starts', async () => {
    const s = setUp();
    await s.device.saveEnrolment({ serverUrl: 'https://county.example', credential: 'dev_0123456789abcdefghijkl', deviceId: 'K7Q2MX3B', township: { code: '150102001', name: '海拉尔路街道' } });
    render(<SignInScreen credentials={s.credentials} device={s.device} onSignedIn={s.onSignedIn} fetch={s.fetchImpl} />);

    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: 'wangfang' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'wrong password' } });
    fireEvent.click(screen.getByRole('button', { name: '联网登录' }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', '用户名或密码不正确。');
    expect(s.calls[0]?.url).toBe('https://county.example/api/sync/clerk-sign-in');

    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'right password' } });
    fireEvent.click(screen.getByRole('button', { name: '联网登录' }));
    fireEvent.change(await screen.findByLabelText('新 PIN'), { target: { value: '482916' } });
    fireEvent.change(screen.getByLabelText('再输入一次'), { target: { value: '482916' } });
    fireEvent.click(screen.getByRole('button', { name: '设置 PIN 并登录' }));
    await waitFor(() => expect(s.onSignedIn).toHaveBeenCalledWith({ username: 'wangfang', displayName: '王芳' }, 'password'));
    expect((await s.credentials.list()).map((c) => [c.username, c.hasPassword])).toEqual([['wangfang', true]]);
  });

  it('says so when the tablet is not enrolled', async () => {
    const s = setUp();
    render(<SignInScreen credentials={s.credentials} device={s.device} onSignedIn={s.onSignedIn} fetch={s.fetchImpl} />);
    fireEvent.change(await screen.findByLabelText('用户名'), { target: { value: 'wangfang' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'right password' } });
    fireEvent.click(screen.getByRole('button', { name: '联网登录' }));
    expect((await screen.findByRole('alert')).textContent).toContain('尚未在县局注册');
    expect(s.calls).toEqual([]);
  });

  it('within his shift the clerk types his PIN; a wrong one says how many tries are left', async () => {
    const s = setUp();
    await setPin(s.credentials, WANG, '482916', '482916');
    render(<SignInScreen credentials={s.credentials} device={s.device} onSignedIn={s.onSignedIn} pinClerk="wangfang" />);
    const pin = await screen.findByLabelText('PIN（6位数字）');
    fireEvent.change(pin, { target: { value: '111112' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    expect((await screen.findByRole('alert')).textContent).toBe('PIN 不正确，还可再试4次。');
    fireEvent.change(pin, { target: { value: '482916' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() => expect(s.onSignedIn).toHaveBeenCalledWith({ username: 'wangfang', displayName: '王芳' }, 'pin'));
  });

  it('with no shift of his open, a clerk who taps his name is asked for his password, which is checked on the tablet offline', async () => {
    const s = setUp();
    await setPin(s.credentials, WANG, '482916', '482916', 'right password');
    render(<SignInScreen credentials={s.credentials} device={s.device} onSignedIn={s.onSignedIn} />);
    fireEvent.click(await screen.findByRole('button', { name: '王芳' }));
    expect(screen.queryByLabelText('PIN（6位数字）')).toBeNull();
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'wrong password' } });
    fireEvent.click(screen.getByRole('button', { name: '密码登录' }));
    expect((await screen.findByRole('alert')).textContent).toBe('密码不正确。');
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'right password' } });
    fireEvent.click(screen.getByRole('button', { name: '密码登录' }));
    await waitFor(() => expect(s.onSignedIn).toHaveBeenCalledWith({ username: 'wangfang', displayName: '王芳' }, 'password'), { timeout: 10_000 });
  });

  it('after five wrong PINs the PIN is refused until the password is given, which clears the count', async () => {
    const s = setUp();
    await setPin(s.credentials, WANG, '482916', '482916', 'right password');
    for (let i = 0; i < 5; i++) await s.credentials.recordFailure('wangfang');
    render(<SignInScreen credentials={s.credentials} device={s.device} onSignedIn={s.onSignedIn} pinClerk="wangfang" />);
    expect((await screen.findByRole('alert')).textContent).toContain('PIN 已停用');
    expect((screen.getByLabelText('PIN（6位数字）') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '用密码登录' }));
    fireEvent.change(await screen.findByLabelText('密码'), { target: { value: 'right password' } });
    fireEvent.click(screen.getByRole('button', { name: '密码登录' }));
    await waitFor(() => expect(s.onSignedIn).toHaveBeenCalledWith({ username: 'wangfang', displayName: '王芳' }, 'password'), { timeout: 10_000 });
    expect(await s.credentials.get('wangfang')).toMatchObject({ failedAttempts: 0, lockedAt: null });
  });
});
