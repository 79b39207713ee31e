// The county page's calls to /api/admin/* on the server that serves it (the session cookie rides
// along). Errors carry the server's stable code; errorZh puts them into words for the admin.

import type { AccountListItem as Account, CaseListItem as CaseItem, DeviceItem } from '../../shared/admin-api';
import { tooManyAttemptsZh } from '../../sync/messages';

export type { Account, CaseItem, DeviceItem };

export class AdminApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: { path: string; message: string }[];
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, message: string, problems: { path: string; message: string }[] = [], retryAfterSeconds?: number) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
    this.code = code;
    this.problems = problems;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface Township {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}
export interface IssuedCode {
  code: string;
  townshipCode: string;
  townshipName: string;
  expiresAt: string;
}
export interface CaseVersion {
  id: string;
  revision: number;
  source: 'tablet' | 'county';
  deviceId: string | null;
  actor: string;
  clerkAccount: string | null;
  clerkProblem: string | null;
  at: string;
  status: string;
  conflicting: boolean;
  current: boolean;
  registration: { name?: string; phone?: string; address?: string } & Record<string, unknown>;
  tabletFigures: Record<string, unknown> | null;
  serverDeterminations: { parametersVersion: string; purpose: string; figures: Record<string, unknown> | null; error: string | null; figuresDiffer: boolean }[];
}
export interface CaseDetail extends CaseItem {
  correctionRequest: string | null;
  versions: CaseVersion[];
  possibleDuplicates: CaseItem[];
}
export type CaseFlag = 'conflict' | 'possible-duplicate' | 'figures-differ' | 'clerk-unverified';

export interface AdminApi {
  login(username: string, password: string): Promise<{ username: string; displayName: string }>;
  logout(): Promise<void>;
  townships(): Promise<Township[]>;
  createTownship(code: string, name: string): Promise<Township>;
  createEnrolmentCode(townshipCode: string, hours?: number): Promise<IssuedCode>;
  devices(): Promise<DeviceItem[]>;
  revokeDevice(deviceId: string): Promise<DeviceItem>;
  accounts(): Promise<Account[]>;
  createClerk(input: { username: string; displayName: string; password: string; townshipCode: string }): Promise<Account>;
  unlockAccount(username: string): Promise<{ username: string; wasLocked: boolean }>;
  /** Disables (false) or enables (true) an account: a disabled one signs in nowhere. */
  setAccountActive(username: string, active: boolean): Promise<Account>;
  cases(flag?: CaseFlag): Promise<CaseItem[]>;
  caseDetail(id: string): Promise<CaseDetail>;
  resolve(id: string, versionId: string): Promise<CaseDetail>;
  requestCorrection(id: string, message: string): Promise<CaseDetail>;
}

export function createAdminApi(base = '', fetchImpl: typeof fetch = (i, init) => globalThis.fetch(i, init)): AdminApi {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(`${base}/api/admin${path}`, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new AdminApiError(0, 'network', (err as Error).message);
    }
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; problems?: { path: string; message: string }[]; retryAfterSeconds?: number } } | null;
    if (!res.ok) {
      const e = data?.error;
      throw new AdminApiError(res.status, e?.code ?? `status-${res.status}`, e?.message ?? `status ${res.status}`, e?.problems ?? [], typeof e?.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined);
    }
    return data as T;
  }
  const enc = encodeURIComponent;
  return {
    login: (username, password) => call('POST', '/login', { username, password }),
    logout: async () => {
      await call('POST', '/logout', {});
    },
    townships: async () => (await call<{ townships: Township[] }>('GET', '/townships')).townships,
    createTownship: (code, name) => call('POST', '/townships', { code, name }),
    createEnrolmentCode: (townshipCode, hours) => call('POST', '/enrolment-codes', { townshipCode, ...(hours ? { hours } : {}) }),
    devices: async () => (await call<{ devices: DeviceItem[] }>('GET', '/devices')).devices,
    revokeDevice: (deviceId) => call('POST', `/devices/${enc(deviceId)}/revoke`, {}),
    accounts: async () => (await call<{ accounts: Account[] }>('GET', '/accounts')).accounts,
    createClerk: (input) => call('POST', '/accounts', { ...input, role: 'clerk' }),
    unlockAccount: (username) => call('POST', `/accounts/${enc(username)}/unlock`, {}),
    setAccountActive: (username, active) => call('POST', `/accounts/${enc(username)}/${active ? 'enable' : 'disable'}`, {}),
    cases: async (flag) => (await call<{ cases: CaseItem[] }>('GET', `/cases${flag ? `?flag=${flag}` : ''}`)).cases,
    caseDetail: (id) => call('GET', `/cases/${enc(id)}`),
    resolve: (id, versionId) => call('POST', `/cases/${enc(id)}/resolve`, { versionId }),
    requestCorrection: (id, message) => call('POST', `/cases/${enc(id)}/correction-request`, { message }),
  };
}

/** Why the server could not verify the clerk account a tablet sent with a version (policy.ts CLERK_ACCOUNT_PROBLEMS). */
export function clerkProblemZh(problem: string): string {
  switch (problem) {
    case 'unknown-account':
      return '县局没有这个经办人账号';
    case 'account-disabled':
      return '该经办人账号已停用（可能是停用前离线登记的）';
    case 'not-a-clerk':
      return '该账号不是经办人账号';
    case 'other-township':
      return '该经办人属于其他乡镇（街道），不是本设备所在乡镇';
    default:
      return `账号无法核实（${problem}）`;
  }
}

/** The admin's explanation of a failed call. */
export function adminErrorZh(err: unknown): string {
  if (!(err instanceof AdminApiError)) return `操作失败：${String(err)}`;
  const fields = err.problems.length > 0 ? `（${err.problems.map((p) => `${p.path}：${p.message}`).join('；')}）` : '';
  switch (err.code) {
    case 'network':
      return '连接不上县局服务器，请检查网络后重试。';
    case 'wrong-credentials':
      return '用户名或密码不正确。';
    case 'too-many-attempts':
      return tooManyAttemptsZh(err.retryAfterSeconds);
    case 'unauthenticated':
      return '登录已过期，请重新登录。';
    case 'forbidden':
      return '只有县局管理员可以使用本页面。';
    case 'account-disabled':
      return '该账号已被停用。';
    case 'invalid-request':
      return `填写有误${fields}`;
    case 'township-exists':
      return '该乡镇（街道）代码已存在。';
    case 'account-exists':
      return '该用户名已被使用。';
    case 'no-conflict':
      return '该案件没有待裁决的冲突（可能已被其他人处理），请刷新。';
    case 'device-not-found':
      return '找不到该设备。';
    case 'account-not-found':
      return '找不到该账号，请刷新。';
    case 'cannot-disable-self':
      return '不能停用自己正在使用的账号。';
    default:
      return `操作失败（${err.code}）：${err.message}`;
  }
}
