// The county page's words for what is wrong with a field: the server's English reasons in Chinese,
// naming the field as the form labels it, and the forms' own checks before the server is asked.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CountyPage } from '../../../src/features/county/CountyPage';
import { AdminApiError, adminErrorZh, type AdminApi, type SessionInfo } from '../../../src/features/county/api';

afterEach(cleanup);

const refused = (...problems: { path: string; message: string }[]) => new AdminApiError(422, 'invalid-request', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);

describe('adminErrorZh', () => {
  it.each([
    [{ path: 'name', message: 'at most 100 characters' }, '填写有误（名称：最多100个字符）'],
    [{ path: 'username', message: '3–64 characters: letters, digits, . _ -, starting with a letter or digit' }, '填写有误（用户名：须为3至64个字符：字母、数字或 . _ -，以字母或数字开头）'],
    [{ path: 'code', message: 'expected a 9-digit township code (the county’s 6 digits + 3), e.g. 150102001' }, '填写有误（代码：须为9位数字（旗县代码6位加3位），如150102001）'],
    [{ path: 'code', message: 'the first six digits 159999 are not a county of the region' }, '填写有误（代码：前6位 159999 不是自治区的旗县代码）'],
    [{ path: 'townshipCode', message: 'no township 150102009: create it first' }, '填写有误（乡镇（街道）：没有代码为 150102009 的乡镇（街道），请先新建）'],
    [{ path: 'townshipCode', message: 'required for a window-clerk' }, '填写有误（乡镇（街道）：必须填写）'],
    [{ path: 'area.code', message: '150199 is not a county of the region' }, '填写有误（辖区代码：150199 不是自治区的旗县代码）'],
    [{ path: 'area.level', message: 'a county-reviewer has an area of level county' }, '填写有误（辖区级别：该角色的辖区只能是旗县）'],
    [{ path: 'checks[0].documentDate', message: 'is in the future' }, '填写有误（第1项核查的文件日期：不能晚于今天）'],
    [{ path: 'checks[1].recordedBy', message: 'required' }, '填写有误（第2项核查的核实人：必须填写）'],
    [{ path: 'reasonForVeteran', message: 'required: the reason the veteran is told, in plain words' }, '填写有误（告知退役士兵的理由：必须填写）'],
    [{ path: 'limit', message: 'a whole number from 0 to 200' }, '填写有误（每页件数：须为0至200的整数）'],
  ])('puts the server’s %o into Chinese, naming the field', (problem, zh) => {
    expect(adminErrorZh(refused(problem))).toBe(zh);
  });

  it('never shows a reason it does not know in English, and lists several problems in the order sent', () => {
    const text = adminErrorZh(refused({ path: 'name', message: 'required' }, { path: 'comment', message: 'something a newer server says' }));
    expect(text).toBe('填写有误（名称：必须填写；说明：不符合要求）');
    expect(text).not.toMatch(/[a-z]{3,}/);
  });
});

const ADMIN: SessionInfo = {
  username: 'county-admin',
  displayName: '县局管理员',
  role: 'admin',
  area: { level: 'county', code: '150102' },
  mustChangePassword: false,
  actions: ['session.read', 'password.change', 'township.list', 'township.create', 'account.list', 'account.create'],
} as SessionInfo;

/** Only what these forms call; anything else would reject. */
function fakeApi(session: SessionInfo | null) {
  const api = {
    session: vi.fn(async () => (session === null ? Promise.reject(new AdminApiError(401, 'unauthenticated', 'no session')) : session)),
    login: vi.fn(async () => ADMIN),
    logout: vi.fn(async () => undefined),
    townships: vi.fn(async () => [{ code: '150102001', name: '海拉尔路街道', countyCode: '150102', countyName: '新城区' }]),
    createTownship: vi.fn(async (code: string, name: string) => ({ code, name, countyCode: code.slice(0, 6), countyName: '新城区' })),
    accounts: vi.fn(async () => []),
    createAccount: vi.fn(() => Promise.reject(new Error('not expected'))),
  };
  return { api, page: api as unknown as AdminApi };
}

describe('the county page’s forms check before asking the server', () => {
  it('the sign-in names the empty field and asks nothing', async () => {
    const { api, page } = fakeApi(null);
    render(<CountyPage api={page} />);
    fireEvent.click(await screen.findByRole('button', { name: '登录' }));
    expect((await screen.findByText('请填写「用户名」。')).getAttribute('role')).toBe('alert');
    expect(screen.getByText('请填写「密码」。')).toBeTruthy();
    expect(screen.getByLabelText('用户名').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('用户名').getAttribute('aria-describedby')).toBe(screen.getByText('请填写「用户名」。').id);
    expect(api.login).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'county-admin' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'county admin password' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    await waitFor(() => expect(api.login).toHaveBeenCalledWith('county-admin', 'county admin password'));
  });

  it('新建乡镇 asks for a 9-digit code and a name, then sends them', async () => {
    const { api, page } = fakeApi(ADMIN);
    render(<CountyPage api={page} />);
    fireEvent.click(await screen.findByRole('tab', { name: '乡镇（街道）' }));
    // The list read first: the form's button waits for it.
    await screen.findByText('海拉尔路街道（150102001，新城区）');
    fireEvent.change(screen.getByLabelText('代码（9位：县级6位+3位）'), { target: { value: '15010200' } });
    fireEvent.click(screen.getByRole('button', { name: '新建' }));
    expect(await screen.findByText('「代码」须为9位数字。')).toBeTruthy();
    expect(screen.getByText('请填写「名称」。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('名称'), { target: { value: 'x'.repeat(101) } });
    fireEvent.click(screen.getByRole('button', { name: '新建' }));
    expect(await screen.findByText('「名称」最多100个字符。')).toBeTruthy();
    expect(api.createTownship).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('代码（9位：县级6位+3位）'), { target: { value: ' 150102002 ' } });
    fireEvent.change(screen.getByLabelText('名称'), { target: { value: '锡林路街道' } });
    fireEvent.click(screen.getByRole('button', { name: '新建' }));
    await waitFor(() => expect(api.createTownship).toHaveBeenCalledWith('150102002', '锡林路街道'));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('新建账号 names each field that is wrong and asks nothing until all are right', async () => {
    const { api, page } = fakeApi(ADMIN);
    render(<CountyPage api={page} />);
    fireEvent.click(await screen.findByRole('tab', { name: '账号' }));
    fireEvent.change(screen.getByLabelText('用户名（字母、数字）'), { target: { value: '王芳' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    expect(await screen.findByText('「用户名」须为3至64个字符：字母、数字或 . _ -，以字母或数字开头。')).toBeTruthy();
    expect(screen.getByText('「初始密码」至少10个字符。')).toBeTruthy();
    expect(screen.getByText('请选择「乡镇（街道）」。')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('角色'), { target: { value: 'county-reviewer' } });
    fireEvent.change(screen.getByLabelText('辖区代码（旗县、盟市6位，自治区150000）'), { target: { value: '1501' } });
    fireEvent.click(screen.getByRole('button', { name: '新建账号' }));
    expect(await screen.findByText('「辖区代码」须为6位数字。')).toBeTruthy();
    expect(api.createAccount).not.toHaveBeenCalled();
  });
});
