// The county page's account forms against a fake AdminApi: what the admin sees and what the page
// asks the server, without a server (the server's side is tests/server/account-lifecycle.test.ts).
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { AdminApiError, type Account, type AdminApi, type SessionInfo } from '../../../src/features/county/api';
import type { Area, Role } from '../../../src/shared/roles';

const COUNTY: Area = { level: 'county', code: '150102' };
const ADMIN_ACTIONS = ['session.read', 'password.change', 'township.list', 'township.create', 'enrolment-code.create', 'device.list', 'device.revoke', 'account.list', 'account.create', 'account.set-active', 'account.reset-password', 'account.revoke-sessions', 'sign-in-lock.list', 'sign-in-lock.clear', 'case.list', 'case.read', 'case.resolve-conflict', 'case.request-correction', 'parameter-set.publish', 'audit.read-head', 'audit.list'];

function session(over: Partial<SessionInfo> = {}): SessionInfo {
  return { username: 'county-admin', displayName: '县局管理员', role: 'admin', area: COUNTY, mustChangePassword: false, actions: ADMIN_ACTIONS, ...over } as SessionInfo;
}

function account(username: string, displayName: string, role: Role, area: Area, over: Partial<Account> = {}): Account {
  return { id: `id-${username}`, username, displayName, role, area, townshipCode: role === 'window-clerk' ? area.code : null, active: true, mustChangePassword: false, signInLockedUntil: null, ...over } as Account;
}

const failing = () => Promise.reject(new Error('not used by this test'));

/** An AdminApi whose every call is a spy; what a test does not set up is never called. */
function fakeApi(signedIn: SessionInfo, accounts: Account[] = []) {
  const list = [...accounts];
  const api = {
    login: vi.fn<Required<AdminApi>['login']>(failing),
    logout: vi.fn<Required<AdminApi>['logout']>(async () => undefined),
    session: vi.fn<Required<AdminApi>['session']>(async () => signedIn),
    changePassword: vi.fn<Required<AdminApi>['changePassword']>(failing),
    townships: vi.fn<Required<AdminApi>['townships']>(async () => [{ code: '150102001', name: '海拉尔路街道', countyCode: '150102', countyName: '海拉尔区' }]),
    createTownship: vi.fn<Required<AdminApi>['createTownship']>(failing),
    createEnrolmentCode: vi.fn<Required<AdminApi>['createEnrolmentCode']>(failing),
    devices: vi.fn<Required<AdminApi>['devices']>(async () => []),
    revokeDevice: vi.fn<Required<AdminApi>['revokeDevice']>(failing),
    accounts: vi.fn<Required<AdminApi>['accounts']>(async () => list.map((a) => ({ ...a }))),
    createClerk: vi.fn<Required<AdminApi>['createClerk']>(failing),
    createAccount: vi.fn<Required<AdminApi>['createAccount']>(failing),
    resetPassword: vi.fn<Required<AdminApi>['resetPassword']>(failing),
    revokeSessions: vi.fn<Required<AdminApi>['revokeSessions']>(failing),
    unlockAccount: vi.fn<Required<AdminApi>['unlockAccount']>(failing),
    setAccountActive: vi.fn<Required<AdminApi>['setAccountActive']>(failing),
    cases: vi.fn<Required<AdminApi>['cases']>(async () => ({ cases: [], total: 0, offset: 0, limit: 50 })),
    caseDetail: vi.fn<Required<AdminApi>['caseDetail']>(failing),
    resolve: vi.fn<Required<AdminApi>['resolve']>(failing),
    requestCorrection: vi.fn<Required<AdminApi>['requestCorrection']>(failing),
    takeStep: vi.fn<Required<AdminApi>['takeStep']>(failing),
    auditHead: vi.fn<Required<AdminApi>['auditHead']>(async () => ({ seq: 3, hash: 'a'.repeat(64), at: '2024-05-01T08:00:00.000Z' })),
  } satisfies AdminApi;
  return { api, list };
}

const WANGFANG = account('wangfang', '王芳', 'window-clerk', { level: 'township', code: '150102001' });

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

async function openAccounts(api: AdminApi) {
  render(<CountyPage api={api} />);
  fireEvent.click(await screen.findByRole('tab', { name: '账号' }));
}

const row = (username: string) => screen.getAllByTestId('county-account-row').find((r) => r.getAttribute('data-username') === username)!;

describe('the county page’s account forms', () => {
  it('重置密码 asks first, then shows the one-time password once, and no more once closed', async () => {
    const { api, list } = fakeApi(session(), [WANGFANG]);
    api.resetPassword.mockImplementation(async (username: string) => {
      list[0] = { ...list[0]!, mustChangePassword: true };
      return { username, oneTimePassword: 'Otp-7QX2-M9KD' };
    });
    await openAccounts(api);
    await waitFor(() => expect(row('wangfang')).toBeTruthy());

    answer = false;
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '重置密码' }));
    expect(confirmed[0]).toContain('重置 王芳（wangfang）的密码');
    expect(api.resetPassword).not.toHaveBeenCalled();

    answer = true;
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '重置密码' }));
    expect((await screen.findByTestId('one-time-password-text')).textContent).toBe('Otp-7QX2-M9KD');
    expect(api.resetPassword).toHaveBeenCalledWith('wangfang');
    expect(screen.getByTestId('one-time-password').textContent).toContain('wangfang 的一次性密码（只显示这一次');
    expect(document.body.textContent!.split('Otp-7QX2-M9KD')).toHaveLength(2);
    await waitFor(() => expect(row('wangfang').textContent).toContain('待修改一次性密码'));

    fireEvent.click(screen.getByRole('button', { name: '已交付，关闭' }));
    expect(screen.queryByTestId('one-time-password')).toBeNull();
    expect(document.body.textContent).not.toContain('Otp-7QX2-M9KD');
  });

  it('注销会话 asks first, calls the API for that account and says what ended, in Chinese', async () => {
    const { api } = fakeApi(session(), [WANGFANG, account('shenhe', '审核员', 'county-reviewer', COUNTY)]);
    api.revokeSessions.mockResolvedValue({ username: 'wangfang', sessionsEnded: 2, tabletPinsRevoked: true });
    await openAccounts(api);
    await waitFor(() => expect(row('wangfang')).toBeTruthy());
    fireEvent.click(within(row('wangfang')).getByRole('button', { name: '注销会话' }));
    expect(confirmed[0]).toContain('注销 王芳（wangfang）的所有会话');
    expect(confirmed[0]).toContain('平板在下次同步时删除其 PIN');
    expect((await screen.findByTestId('account-notice')).textContent).toBe('已注销 wangfang 的 2 个县局会话，平板将在下次同步时删除其 PIN。');
    expect(api.revokeSessions).toHaveBeenCalledTimes(1);
    expect(api.revokeSessions).toHaveBeenCalledWith('wangfang');
  });

  it('修改密码 names in Chinese the field that is wrong, before and after asking the server, and confirms the change', async () => {
    const { api } = fakeApi(session());
    render(<CountyPage api={api} />);
    fireEvent.click(await screen.findByRole('tab', { name: '修改密码' }));
    const fill = (current: string, next: string, again: string) => {
      fireEvent.change(screen.getByLabelText('当前密码（或一次性密码）'), { target: { value: current } });
      fireEvent.change(screen.getByLabelText('新密码（至少10个字符）'), { target: { value: next } });
      fireEvent.change(screen.getByLabelText('再次输入新密码'), { target: { value: again } });
      fireEvent.click(screen.getByRole('button', { name: '修改密码' }));
    };
    fill('', 'a new long password', 'a new long password');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('请填写当前密码（或一次性密码）。'));
    fill('old password 1', 'short', 'short');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('新密码至少10个字符。'));
    fill('old password 1', 'old password 1', 'old password 1');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('新密码不能与当前密码相同。'));
    fill('old password 1', 'a new long password', 'a new long passwort');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('再次输入的新密码与新密码不一致。'));
    expect(api.changePassword).not.toHaveBeenCalled();

    // The server's refusals too, its field paths put into the form's words.
    api.changePassword.mockRejectedValueOnce(new AdminApiError(422, 'invalid-request', 'newPassword: at most 200 characters', [{ path: 'newPassword', message: 'at most 200 characters' }]));
    fill('old password 1', 'a new long password', 'a new long password');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('填写有误（新密码：最多200个字符）'));
    api.changePassword.mockRejectedValueOnce(new AdminApiError(403, 'wrong-current-password', 'The current password is wrong'));
    fill('old password 2', 'a new long password', 'a new long password');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('当前密码不正确。'));

    api.changePassword.mockResolvedValueOnce({ username: 'county-admin', mustChangePassword: false });
    fill('old password 1', 'a new long password', 'a new long password');
    expect(await screen.findByText('密码已修改。')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(api.changePassword).toHaveBeenLastCalledWith('old password 1', 'a new long password');
  });

  it('新建账号 asks a non-tablet role for its area and a tablet role for its township, offering nothing wider than the admin’s area', async () => {
    const { api } = fakeApi(session());
    api.createAccount.mockImplementation(async (input) => account(input.username, input.displayName, input.role, input.area ?? { level: 'township', code: input.townshipCode! }));
    await openAccounts(api);
    const roleSelect = screen.getByLabelText('角色') as HTMLSelectElement;
    const offered = [...roleSelect.options].map((o) => o.value);
    // A county admin creates no 盟市 or region task force: their areas are wider than his.
    expect(offered).toEqual(['window-clerk', 'outreach-worker', 'county-reviewer', 'admin', 'auditor']);

    fireEvent.change(screen.getByLabelText('用户名（字母、数字）'), { target: { value: 'shenji' } });
    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '审计员甲' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'auditor password' } });
    fireEvent.change(roleSelect, { target: { value: 'auditor' } });
    expect(screen.queryByLabelText('乡镇（街道）')).toBeNull();
    expect([...(screen.getByLabelText('辖区级别') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['county']);
    expect((screen.getByLabelText('辖区代码（旗县、盟市6位，自治区150000）') as HTMLInputElement).value).toBe('150102');
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    await waitFor(() => expect(api.createAccount).toHaveBeenCalledTimes(1));
    expect(api.createAccount).toHaveBeenCalledWith({ username: 'shenji', displayName: '审计员甲', password: 'auditor password', role: 'auditor', area: { level: 'county', code: '150102' } });

    fireEvent.change(screen.getByLabelText('用户名（字母、数字）'), { target: { value: 'wangfang' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'window clerk password' } });
    fireEvent.change(roleSelect, { target: { value: 'window-clerk' } });
    expect(screen.queryByLabelText('辖区级别')).toBeNull();
    await waitFor(() => expect(screen.getByLabelText('乡镇（街道）').querySelectorAll('option')).toHaveLength(2));
    fireEvent.change(screen.getByLabelText('乡镇（街道）'), { target: { value: '150102001' } });
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    await waitFor(() => expect(api.createAccount).toHaveBeenCalledTimes(2));
    expect(api.createAccount).toHaveBeenLastCalledWith({ username: 'wangfang', displayName: '', password: 'window clerk password', role: 'window-clerk', townshipCode: '150102001' });
  });

  it('新建账号 reports the server’s refusal of an area in Chinese, naming the field', async () => {
    const { api } = fakeApi(session({ area: { level: 'region', code: '150000' } }));
    api.createAccount.mockRejectedValue(new AdminApiError(422, 'invalid-request', 'area.code: 150199 is not a county of the region', [{ path: 'area.code', message: '150199 is not a county of the region' }]));
    await openAccounts(api);
    fireEvent.change(screen.getByLabelText('用户名（字母、数字）'), { target: { value: 'shenhe' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'reviewer password' } });
    fireEvent.change(screen.getByLabelText('角色'), { target: { value: 'county-reviewer' } });
    // A region admin types the county: its code is not his own.
    const code = screen.getByLabelText('辖区代码（旗县、盟市6位，自治区150000）') as HTMLInputElement;
    expect(code.value).toBe('');
    fireEvent.change(code, { target: { value: '150199' } });
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    expect((await screen.findByRole('alert')).textContent).toContain('辖区代码：');
    expect(screen.getByRole('alert').textContent).not.toContain('area.code');
    expect(api.createAccount).toHaveBeenCalledWith(expect.objectContaining({ role: 'county-reviewer', area: { level: 'county', code: '150199' } }));
  });

  it('a session with a one-time password shows only the password form, and the tabs once it is changed', async () => {
    const { api } = fakeApi(session({ mustChangePassword: true }));
    render(<CountyPage api={api} />);
    expect((await screen.findByTestId('county-password-only')).textContent).toBe('您使用的是一次性密码，请先设置新密码。');
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.queryByTestId('county-audit-head')).toBeNull();
    expect(screen.getByTestId('county-password')).toBeTruthy();
    // Nothing else is asked of the server: it would refuse it all with password-change-required.
    expect(api.cases).not.toHaveBeenCalled();
    expect(api.accounts).not.toHaveBeenCalled();
    expect(api.auditHead).not.toHaveBeenCalled();

    api.changePassword.mockResolvedValue({ username: 'county-admin', mustChangePassword: false });
    api.session.mockResolvedValue(session());
    fireEvent.change(screen.getByLabelText('当前密码（或一次性密码）'), { target: { value: 'Otp-7QX2-M9KD' } });
    fireEvent.change(screen.getByLabelText('新密码（至少10个字符）'), { target: { value: 'my own new password' } });
    fireEvent.change(screen.getByLabelText('再次输入新密码'), { target: { value: 'my own new password' } });
    fireEvent.click(screen.getByRole('button', { name: '修改密码' }));
    expect(await screen.findByRole('tablist')).toBeTruthy();
    expect(screen.queryByTestId('county-password-only')).toBeNull();
    expect(screen.getByText('密码已修改。')).toBeTruthy();
    expect(screen.getByRole('tab', { name: '修改密码' }).getAttribute('aria-selected')).toBe('true');
  });

  it('an auditor sees the accounts but none of the buttons that change them', async () => {
    const auditor = session({ username: 'shenji', role: 'auditor', actions: ['session.read', 'password.change', 'township.list', 'device.list', 'account.list', 'sign-in-lock.list', 'case.list', 'case.read', 'audit.read-head', 'audit.list'] });
    const { api } = fakeApi(auditor, [{ ...WANGFANG, signInLockedUntil: '2024-05-01T08:05:00.000Z' }]);
    await openAccounts(api);
    await waitFor(() => expect(row('wangfang')).toBeTruthy());
    expect(within(row('wangfang')).getByTestId('account-locked')).toBeTruthy();
    expect(within(row('wangfang')).queryAllByRole('button')).toEqual([]);
    expect(screen.queryByRole('button', { name: '新建账号' })).toBeNull();
  });

  it('a window clerk’s session shows only the password form', async () => {
    const { api } = fakeApi(session({ username: 'wangfang', role: 'window-clerk', area: { level: 'township', code: '150102001' }, actions: ['session.read', 'password.change'] }));
    render(<CountyPage api={api} />);
    expect((await screen.findByTestId('county-password-only')).textContent).toContain('只能修改自己的密码');
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.getByTestId('county-password')).toBeTruthy();
  });
});
