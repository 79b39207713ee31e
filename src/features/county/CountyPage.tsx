// 县局管理 (online, served by the county server at #/county): sign in as a county administrator;
// synced cases with their flags and conflict resolution; enrolment codes (text + QR) and devices;
// clerk accounts; townships. Everything goes through /api/admin/*, which asks the policy first.
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { QrCode } from '../print/QrCode';
import { adminErrorZh, AdminApiError, clerkProblemZh, createAdminApi, type AdminApi, type CaseDetail, type CaseFlag, type CaseItem, type DeviceItem, type Account, type IssuedCode, type Township } from './api';
import './county.css';

type Tab = 'cases' | 'devices' | 'clerks' | 'townships';
const TABS: { id: Tab; label: string }[] = [
  { id: 'cases', label: '已同步案件' },
  { id: 'devices', label: '注册码与设备' },
  { id: 'clerks', label: '经办人账号' },
  { id: 'townships', label: '乡镇（街道）' },
];

function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('zh-CN', { hour12: false });
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

/** Runs a call, keeps its error in Chinese; signs out on an expired session. */
function useAction(onSignedOut: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await f();
      } catch (err) {
        if (err instanceof AdminApiError && err.code === 'unauthenticated') onSignedOut();
        setError(adminErrorZh(err));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [onSignedOut],
  );
  return { error, busy, run };
}

export function CountyPage({ api: given }: { api?: AdminApi }) {
  const api = useMemo(() => given ?? createAdminApi(), [given]);
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [tab, setTab] = useState<Tab>('cases');

  useEffect(() => {
    document.title = '县局管理 · 退役士兵社保接续';
    api.townships().then(
      () => setSignedIn(true),
      () => setSignedIn(false),
    );
  }, [api]);

  const signOut = useCallback(() => setSignedIn(false), []);
  if (signedIn === null) {
    return (
      <p className="opening" role="status">
        正在连接县局服务器…
      </p>
    );
  }
  if (!signedIn) return <Login api={api} onSignedIn={() => setSignedIn(true)} />;
  return (
    <section className="county" aria-labelledby="county-title" data-testid="county-page">
      <div className="county-head">
        <h2 id="county-title">县局管理</h2>
        <button
          type="button"
          className="button"
          onClick={() => {
            void api.logout().finally(signOut);
          }}
        >
          退出登录
        </button>
      </div>
      <div className="county-tabs" role="tablist" aria-label="管理项目">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`button${tab === t.id ? ' button-primary' : ''}`} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'cases' && <CasesPanel api={api} onSignedOut={signOut} />}
        {tab === 'devices' && <DevicesPanel api={api} onSignedOut={signOut} />}
        {tab === 'clerks' && <ClerksPanel api={api} onSignedOut={signOut} />}
        {tab === 'townships' && <TownshipsPanel api={api} onSignedOut={signOut} />}
      </div>
    </section>
  );
}

function Login({ api, onSignedIn }: { api: AdminApi; onSignedIn(): void }) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction(() => undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await run(() => api.login(username, password))) !== undefined) onSignedIn();
  };
  return (
    <section className="panel county-login" aria-labelledby={`${id}-t`} data-testid="county-login">
      <h2 id={`${id}-t`}>县局管理员登录</h2>
      <form className="county-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-u`} className="field-label">
          用户名
        </label>
        <input id={`${id}-u`} autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor={`${id}-p`} className="field-label">
          密码
        </label>
        <input id={`${id}-p`} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            登录
          </button>
        </div>
      </form>
    </section>
  );
}

const FLAG_LABELS: Record<CaseFlag, string> = { conflict: '冲突', 'possible-duplicate': '疑似重复', 'figures-differ': '测算不一致', 'clerk-unverified': '经办人待核实' };

function Flags({ c }: { c: CaseItem }) {
  const flags: CaseFlag[] = [];
  if (c.flags.conflict) flags.push('conflict');
  if (c.flags.possibleDuplicate) flags.push('possible-duplicate');
  if (c.flags.figuresDiffer) flags.push('figures-differ');
  if (c.flags.clerkUnverified) flags.push('clerk-unverified');
  return (
    <>
      {flags.map((f) => (
        <span key={f} className={`county-flag county-flag-${f}`} data-flag={f}>
          {FLAG_LABELS[f]}
        </span>
      ))}
    </>
  );
}

function CasesPanel({ api, onSignedOut }: { api: AdminApi; onSignedOut(): void }) {
  const [flag, setFlag] = useState<CaseFlag | ''>('');
  const [cases, setCases] = useState<CaseItem[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const { error, run } = useAction(onSignedOut);
  const load = useCallback(() => {
    void run(() => api.cases(flag || undefined)).then((r) => r && setCases(r));
  }, [api, flag, run]);
  useEffect(load, [load]);

  return (
    <div className="county-panel">
      <div className="county-toolbar">
        <label>
          筛选{' '}
          <select value={flag} onChange={(e) => setFlag(e.target.value as CaseFlag | '')} aria-label="筛选">
            <option value="">全部</option>
            {(Object.keys(FLAG_LABELS) as CaseFlag[]).map((f) => (
              <option key={f} value={f}>
                {FLAG_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={load}>
          刷新
        </button>
        {cases && <span data-testid="county-case-count">共 {cases.length} 件</span>}
      </div>
      <ErrorLine error={error} />
      {cases && (
        <table className="county-table" data-testid="county-cases">
          <thead>
            <tr>
              <th>案件编号</th>
              <th>姓名</th>
              <th>身份证号</th>
              <th>乡镇</th>
              <th>登记经办人账号</th>
              <th>县局状态</th>
              <th>标记</th>
              <th>收到时间</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-testid="county-case-row" data-case-id={c.id}>
                <td>
                  <button type="button" className="county-link" onClick={() => setOpenId(c.id)}>
                    {c.caseNumber}
                  </button>
                </td>
                <td>{c.name}</td>
                <td>{c.idNumber}</td>
                <td>{c.townshipCode}</td>
                <td data-testid="county-case-clerk">{c.registeredBy ?? '—'}</td>
                <td>{c.countyStatus === 'correction-requested' ? '已退回补正' : '已收到'}{c.status === 'withdrawn' ? '（已撤回）' : ''}</td>
                <td>
                  <Flags c={c} />
                </td>
                <td>{when(c.receivedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {openId && (
        <CaseDetailView
          key={openId}
          api={api}
          id={openId}
          onSignedOut={onSignedOut}
          onClose={() => setOpenId(null)}
          onChanged={load}
          onOpen={setOpenId}
        />
      )}
    </div>
  );
}

const FIGURE_LABELS: Record<string, string> = {
  militaryMonths: '军龄（月）',
  backPayMonths: '可补缴月数',
  pensionUnitAmount: '养老单位缴费',
  pensionIndividualAmount: '养老个人缴费',
  pensionUnitPayer: '养老单位部分承担方',
  medicalUnitAmount: '医疗单位缴费',
  medicalIndividualAmount: '医疗个人缴费',
  medicalUnitPayer: '医疗单位部分承担方',
};

function Figures({ figures }: { figures: Record<string, unknown> | null }) {
  if (!figures) return <span>—</span>;
  return (
    <ul className="county-figures">
      {Object.entries(FIGURE_LABELS).map(([k, label]) => (
        <li key={k}>
          {label}：{figures[k] === null || figures[k] === undefined ? '—' : String(figures[k])}
        </li>
      ))}
    </ul>
  );
}

function CaseDetailView({ api, id, onSignedOut, onClose, onChanged, onOpen }: { api: AdminApi; id: string; onSignedOut(): void; onClose(): void; onChanged(): void; onOpen(id: string): void }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [message, setMessage] = useState('');
  const { error, busy, run } = useAction(onSignedOut);
  useEffect(() => {
    void run(() => api.caseDetail(id)).then((d) => d && setDetail(d));
  }, [api, id, run]);
  if (!detail) return <ErrorLine error={error} />;

  const act = async (f: () => Promise<CaseDetail>) => {
    const d = await run(f);
    if (d) {
      setDetail(d);
      onChanged();
    }
  };
  return (
    <section className="panel county-detail" aria-label={`案件 ${detail.caseNumber}`} data-testid="county-case-detail">
      <div className="county-head">
        <h3>
          {detail.caseNumber} · {detail.name} <Flags c={detail} />
        </h3>
        <button type="button" className="button" onClick={onClose}>
          关闭
        </button>
      </div>
      <p>
        设备 <code>{detail.deviceId}</code> · 乡镇 {detail.townshipCode} · 第 {detail.revision} 版 · 参数 {detail.parametersVersion}
        {detail.correctionRequest && <> · 退回补正：{detail.correctionRequest}</>}
      </p>
      {detail.flags.conflict && <p className="banner banner-warning">本案件在县局和窗口两边都被修改过：请核对下列版本，选定一个作为正式版本。</p>}
      <h4>各版本</h4>
      <ol className="county-versions">
        {detail.versions.map((v) => (
          <li key={v.id} className={v.current ? 'county-version-current' : undefined} data-testid="county-version">
            <p>
              第 {v.revision} 版 · {v.source === 'tablet' ? `窗口（${v.deviceId ?? ''}，${v.actor}${v.clerkAccount ? `，账号 ${v.clerkAccount}` : ''}）` : `县局（${v.actor}）`} · {when(v.at)}
              {v.current && ' · 当前版本'}
              {v.conflicting && ' · 冲突'}
            </p>
            {v.clerkProblem && (
              <p className="banner banner-warning" data-testid="county-clerk-problem">
                经办人账号待核实：{clerkProblemZh(v.clerkProblem)}。案件已照常接收，请核实经办人身份。
              </p>
            )}
            <p>
              姓名 {String(v.registration.name ?? '')} · 电话 {String(v.registration.phone ?? '')} · 地址 {String(v.registration.address ?? '')}
            </p>
            <div className="county-figures-pair">
              <div>
                窗口测算
                <Figures figures={v.tabletFigures} />
              </div>
              {v.serverDeterminations.map((d) => (
                <div key={`${d.parametersVersion}/${d.purpose}`}>
                  县局复算（{d.parametersVersion}
                  {d.purpose === 'tablet-set' ? '，窗口所用参数' : '，最新参数'}）{d.figuresDiffer && <strong className="county-flag county-flag-figures-differ">不一致</strong>}
                  {d.error ? <p className="field-error">{d.error}</p> : <Figures figures={d.figures} />}
                </div>
              ))}
            </div>
            {detail.flags.conflict && (
              <button type="button" className="button button-primary" disabled={busy} onClick={() => void act(() => api.resolve(detail.id, v.id))}>
                采用此版本
              </button>
            )}
          </li>
        ))}
      </ol>
      {detail.possibleDuplicates.length > 0 && (
        <>
          <h4>疑似重复（同一身份证号，其他设备登记）</h4>
          <ul data-testid="county-duplicates">
            {detail.possibleDuplicates.map((c) => (
              <li key={c.id}>
                <button type="button" className="county-link" onClick={() => onOpen(c.id)}>
                  {c.caseNumber}
                </button>{' '}
                {c.name} · 乡镇 {c.townshipCode} · 设备 {c.deviceId}
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="county-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.requestCorrection(detail.id, message)).then(() => setMessage(''));
        }}
      >
        <label className="field-label" htmlFor={`correction-${detail.id}`}>
          退回补正（写明需要窗口补充或更正的内容）
        </label>
        <input id={`correction-${detail.id}`} value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy || message.trim() === ''}>
            退回补正
          </button>
        </div>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}

function useTownships(api: AdminApi, run: ReturnType<typeof useAction>['run']) {
  const [townships, setTownships] = useState<Township[]>([]);
  const reload = useCallback(() => {
    void run(() => api.townships()).then((t) => t && setTownships(t));
  }, [api, run]);
  useEffect(reload, [reload]);
  return { townships, reload };
}

function TownshipSelect({ townships, value, onChange, id }: { townships: Township[]; value: string; onChange(v: string): void; id: string }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">请选择</option>
      {townships.map((t) => (
        <option key={t.code} value={t.code}>
          {t.name}（{t.code}）
        </option>
      ))}
    </select>
  );
}

function DevicesPanel({ api, onSignedOut }: { api: AdminApi; onSignedOut(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const { townships } = useTownships(api, run);
  const [township, setTownship] = useState('');
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [devices, setDevices] = useState<DeviceItem[]>([]);
  const reload = useCallback(() => {
    void run(() => api.devices()).then((d) => d && setDevices(d));
  }, [api, run]);
  useEffect(reload, [reload]);
  const names = new Map(townships.map((t) => [t.code, t.name]));

  return (
    <div className="county-panel">
      <h3>生成注册码</h3>
      <form
        className="county-form county-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.createEnrolmentCode(township)).then((c) => c && setIssued(c));
        }}
      >
        <label htmlFor={`${id}-t`} className="field-label">
          乡镇（街道）
        </label>
        <TownshipSelect id={`${id}-t`} townships={townships} value={township} onChange={setTownship} />
        <button type="submit" className="button button-primary" disabled={busy || township === ''}>
          生成注册码
        </button>
      </form>
      {issued && (
        <div className="county-code" data-testid="enrolment-code">
          <p>
            {issued.townshipName} 的一次性注册码（{when(issued.expiresAt)} 前有效，只显示这一次）：
          </p>
          <p className="county-code-text" data-testid="enrolment-code-text">
            {issued.code}
          </p>
          <QrCode text={issued.code} label={`注册码 ${issued.code} 的二维码`} />
          <p>在平板的“同步”页输入县局服务器地址 {typeof location !== 'undefined' ? location.origin : ''} 和上面的注册码。</p>
        </div>
      )}
      <h3>已注册设备</h3>
      <ErrorLine error={error} />
      <table className="county-table" data-testid="county-devices">
        <thead>
          <tr>
            <th>设备编号</th>
            <th>乡镇</th>
            <th>注册时间</th>
            <th>最近同步</th>
            <th>已收条数</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.deviceId} data-testid="county-device-row" data-device-id={d.deviceId}>
              <td>
                <code>{d.deviceId}</code>
              </td>
              <td>{names.get(d.townshipCode) ?? d.townshipCode}</td>
              <td>{when(d.enrolledAt)}</td>
              <td>{when(d.lastSeenAt)}</td>
              <td>{d.lastSeq}</td>
              <td>
                {d.revokedAt ? (
                  `已停用（${when(d.revokedAt)}）`
                ) : (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(`停用设备 ${d.deviceId}？停用后该设备不能再同步，未同步的记录仍留在设备上。`)) void run(() => api.revokeDevice(d.deviceId)).then(reload);
                    }}
                  >
                    停用
                  </button>
                )}
                {d.revocations.length > 0 && (
                  <ul className="revocations" data-testid="device-revocations" aria-label="停用记录">
                    {d.revocations.map((r) => (
                      <li key={r.revokedAt}>
                        {`${when(r.revokedAt)} 由 ${r.revokedBy} 停用${r.reason ? `（${r.reason}）` : ''}${r.reenrolledAt ? `，${when(r.reenrolledAt)} 重新登记` : ''}`}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Field({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
    </>
  );
}

function ClerksPanel({ api, onSignedOut }: { api: AdminApi; onSignedOut(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const { townships } = useTownships(api, run);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', townshipCode: '' });
  const reload = useCallback(() => {
    void run(() => api.accounts()).then((a) => a && setAccounts(a));
  }, [api, run]);
  useEffect(reload, [reload]);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  return (
    <div className="county-panel">
      <table className="county-table" data-testid="county-accounts">
        <thead>
          <tr>
            <th>用户名</th>
            <th>姓名</th>
            <th>角色</th>
            <th>乡镇</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-testid="county-account-row" data-username={a.username}>
              <td>{a.username}</td>
              <td>{a.displayName}</td>
              <td>{a.role === 'admin' ? '县局管理员' : '经办人'}</td>
              <td>{a.townshipCode ?? '—'}</td>
              <td>
                {a.active ? '正常' : '已停用'}
                {a.signInLockedUntil && (
                  <span data-testid="account-locked">
                    {`；密码输错次数过多，锁定至 ${when(a.signInLockedUntil)} `}
                    <button type="button" className="button" disabled={busy} onClick={() => void run(() => api.unlockAccount(a.username)).then(reload)}>
                      解除锁定
                    </button>
                  </span>
                )}
              </td>
              <td>
                {/* A clerk who left: disabled here, he signs in nowhere, and his tablets forget his PIN at their next sync. */}
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => {
                    if (!a.active || window.confirm(`停用账号 ${a.displayName}（${a.username}）？停用后不能再登录，平板在下次同步时删除其 PIN。`)) {
                      void run(() => api.setAccountActive(a.username, !a.active)).then((changed) => changed && reload());
                    }
                  }}
                >
                  {a.active ? '停用' : '启用'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>新建经办人账号</h3>
      <form
        className="county-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.createClerk(form)).then((a) => {
            if (a) {
              setForm({ username: '', displayName: '', password: '', townshipCode: form.townshipCode });
              reload();
            }
          });
        }}
      >
        <Field label="用户名（字母、数字）" id={`${id}-u`}>
          <input id={`${id}-u`} autoCapitalize="none" value={form.username} onChange={set('username')} />
        </Field>
        <Field label="姓名" id={`${id}-n`}>
          <input id={`${id}-n`} value={form.displayName} onChange={set('displayName')} />
        </Field>
        <Field label="初始密码" id={`${id}-p`}>
          <input id={`${id}-p`} type="password" autoComplete="new-password" value={form.password} onChange={set('password')} />
        </Field>
        <Field label="乡镇（街道）" id={`${id}-t`}>
          <TownshipSelect id={`${id}-t`} townships={townships} value={form.townshipCode} onChange={(v) => setForm({ ...form, townshipCode: v })} />
        </Field>
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            新建账号
          </button>
        </div>
      </form>
    </div>
  );
}

function TownshipsPanel({ api, onSignedOut }: { api: AdminApi; onSignedOut(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const { townships, reload } = useTownships(api, run);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  return (
    <div className="county-panel">
      <ul data-testid="county-townships">
        {townships.map((t) => (
          <li key={t.code}>
            {t.name}（{t.code}，{t.countyName}）
          </li>
        ))}
      </ul>
      <h3>新建乡镇（街道）</h3>
      <form
        className="county-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.createTownship(code, name)).then((t) => {
            if (t) {
              setCode('');
              setName('');
              reload();
            }
          });
        }}
      >
        <Field label="代码（9位：县级6位+3位）" id={`${id}-c`}>
          <input id={`${id}-c`} inputMode="numeric" value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Field label="名称" id={`${id}-n`}>
          <input id={`${id}-n`} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <ErrorLine error={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            新建
          </button>
        </div>
      </form>
    </div>
  );
}
