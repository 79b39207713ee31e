// 调整乡镇 on the county page's accounts, against a fake AdminApi: the admin picks another township,
// confirms, and the page asks the server to move that clerk (the server's side: tests/server/clerk-move.test.ts).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountsPanel } from '../../../src/features/county/accounts/AccountsPanel';
import { AdminApiError, type Account, type AdminApi, type SessionInfo, type Township } from '../../../src/features/county/api';

const COUNTY = { level: 'county', code: '150102' } as const;
const TOWNSHIPS: Township[] = [
  { code: '150102001', name: '海拉尔路街道', countyCode: '150102', countyName: '新城区' },
  { code: '150102002', name: '锡林路街道', countyCode: '150102', countyName: '新城区' },
];
const WANGFANG: Account = { id: 'id-wangfang', username: 'wangfang', displayName: '王芳', role: 'window-clerk', area: { level: 'township', code: '150102001' }, townshipCode: '150102001', active: true, mustChangePassword: false, signInLockedUntil: null } as Account;
const REVIEWER: Account = { id: 'id-shenhe', username: 'shenhe', displayName: '审核员', role: 'county-reviewer', area: COUNTY, townshipCode: null, active: true, mustChangePassword: false, signInLockedUntil: null } as Account;

function session(actions: string[]): SessionInfo {
  return { username: 'county-admin', displayName: '县局管理员', role: 'admin', area: COUNTY, mustChangePassword: false, actions } as SessionInfo;
}

function fakeApi() {
  const list = [WANGFANG, REVIEWER];
  const api = {
    accounts: vi.fn(async () => list.map((a) => ({ ...a }))),
    townships: vi.fn(async () => TOWNSHIPS),
    moveClerk: vi.fn(async (username: string, townshipCode: string): Promise<Account> => {
      const moved = { ...list[0]!, username, townshipCode, area: { level: 'township' as const, code: townshipCode } };
      list[0] = moved;
      return moved;
    }),
  };
  return { api, fake: api as unknown as AdminApi };
}

let confirmed: string[] = [];
let answer = true;
const originalConfirm = window.confirm;
beforeEach(() => {
  confirmed = [];
  answer = true;
  window.confirm = (message?: string) => {
    confirmed.push(String(message));
    return answer;
  };
});
afterEach(() => {
  window.confirm = originalConfirm;
  cleanup();
});

const row = (username: string) => screen.getAllByTestId('county-account-row').find((r) => r.getAttribute('data-username') === username)!;

describe('调整乡镇 on the county page', () => {
  it('offers only the other townships, asks first, then moves the clerk and says his cases stay, in Chinese', async () => {
    const { api, fake } = fakeApi();
    render(<AccountsPanel api={fake} session={session(['account.list', 'account.move', 'township.list'])} onSignedOut={() => undefined} />);
    await waitFor(() => expect(row('wangfang')).toBeTruthy());
    expect(within(row('shenhe')).queryByRole('button', { name: '调整乡镇' })).toBeNull();

    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '调整乡镇' }));
    const select = within(row('wangfang')).getByLabelText('调整到乡镇（街道）');
    const offered = within(select).getAllByRole('option').map((o) => o.getAttribute('value'));
    expect(offered).toEqual(['', '150102002']);
    expect(within(row('wangfang')).getByRole('button', { name: '确认调整' })).toHaveProperty('disabled', true);

    fireEvent.change(select, { target: { value: '150102002' } });
    answer = false;
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '确认调整' }));
    expect(confirmed[0]).toContain('将 王芳（wangfang）从 海拉尔路街道 调整到 锡林路街道');
    expect(confirmed[0]).toContain('已登记的案件仍归原乡镇');
    expect(api.moveClerk).not.toHaveBeenCalled();

    answer = true;
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '确认调整' }));
    await waitFor(() => expect(api.moveClerk).toHaveBeenCalledWith('wangfang', '150102002'));
    expect((await screen.findByTestId('account-notice')).textContent).toContain('原乡镇的平板将在下次同步时删除其 PIN');
    expect(screen.queryByTestId('move-clerk-form')).toBeNull();
  });

  it('shows the server’s refusal in Chinese and no 调整乡镇 to a caller without the action', async () => {
    const { api, fake } = fakeApi();
    api.moveClerk.mockRejectedValueOnce(new AdminApiError(403, 'forbidden', 'Not in your area', []));
    render(<AccountsPanel api={fake} session={session(['account.list', 'account.move', 'township.list'])} onSignedOut={() => undefined} />);
    await waitFor(() => expect(row('wangfang')).toBeTruthy());
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '调整乡镇' }));
    fireEvent.change(within(row('wangfang')).getByLabelText('调整到乡镇（街道）'), { target: { value: '150102002' } });
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '确认调整' }));
    await waitFor(() => expect(api.moveClerk).toHaveBeenCalled());
    expect((await screen.findByRole('alert')).textContent).toContain('没有权限');
    expect(screen.queryByTestId('account-notice')).toBeNull();
    expect(document.body.textContent).not.toContain('Not in your area');
    cleanup();

    render(<AccountsPanel api={fake} session={session(['account.list', 'township.list'])} onSignedOut={() => undefined} />);
    await waitFor(() => expect(row('wangfang')).toBeTruthy());
    expect(screen.queryByRole('button', { name: '调整乡镇' })).toBeNull();
  });
});
