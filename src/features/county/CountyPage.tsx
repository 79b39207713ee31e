// 县局管理 (online, served by the county server at #/county): sign in with a county account;
// the reviewer's queue of synced cases (CaseQueue.tsx) and conflict resolution; enrolment codes (text + QR) and devices;
// accounts (role, area, reset, sessions); townships; one's own password. Everything goes through
// /api/admin/*, which asks the policy first; the page shows only the tabs the account's role may use.
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { QrCode } from '../print/QrCode';
import { adminErrorZh, AdminApiError, areaZh, clerkProblemZh, createAdminApi, ROLE_ZH, type AdminApi, type AuditHead, type SessionInfo, type CaseDetail, type CaseItem, type DeviceItem, type Account, type IssuedCode, type Township } from './api';
import { AREA_LEVELS, isTabletRole, REGION, ROLES, ROLE_AREA_LEVELS, type AreaLevel, type Role } from '../../shared/roles';
import { CaseQueue, caseFlags, FLAG_LABELS } from './CaseQueue';
import { CaseLifecycle } from './CaseLifecycle';
import './county.css';

type Tab = 'cases' | 'devices' | 'clerks' | 'townships' | 'password';
/** Each tab with the action of the policy table it lists: shown to the roles that may take it. */
const TABS: { id: Tab; label: string; action: string }[] = [
  { id: 'cases', label: '已同步案件', action: 'case.list' },
  { id: 'devices', label: '注册码与设备', action: 'device.list' },
  { id: 'clerks', label: '账号', action: 'account.list' },
  { id: 'townships', label: '乡镇（街道）', action: 'township.list' },
  { id: 'password', label: '修改密码', action: 'password.change' },
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
  // null: not known yet; false: nobody signed in.
  const [session, setSession] = useState<SessionInfo | false | null>(null);
  const [tab, setTab] = useState<Tab | null>(null);

  useEffect(() => {
    document.title = '县局管理 · 退役士兵社保接续';
    api.session().then(setSession, () => setSession(false));
  }, [api]);

  const signOut = useCallback(() => setSession(false), []);
  if (session === null) {
    return (
      <p className="opening" role="status">
        正在连接县局服务器…
      </p>
    );
  }
  if (session === false) return <Login api={api} onSignedIn={setSession} />;
  const tabs = TABS.filter((t) => session.actions.includes(t.action));
  // A one-time password opens nothing but its change; a tablet role has nothing else here.
  const passwordOnly = session.mustChangePassword || tabs.every((t) => t.id === 'password');
  const shown = passwordOnly ? 'password' : (tab ?? tabs[0]?.id ?? 'password');
  return (
    <section className="county" aria-labelledby="county-title" data-testid="county-page">
      <div className="county-head">
        <h2 id="county-title">县局管理</h2>
        <span data-testid="county-who">
          {session.displayName}（{ROLE_ZH[session.role]}，{areaZh(session.area)}）
        </span>
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
      {passwordOnly ? (
        <p className="banner banner-warning" data-testid="county-password-only">
          {session.mustChangePassword ? '您使用的是一次性密码，请先设置新密码。' : '窗口经办人和外勤人员在平板上办理业务；在这里只能修改自己的密码。'}
        </p>
      ) : (
        <div className="county-tabs" role="tablist" aria-label="管理项目">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={shown === t.id} className={`button${shown === t.id ? ' button-primary' : ''}`} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
      )}
      <div role="tabpanel">
        {shown === 'cases' && <CasesPanel api={api} onSignedOut={signOut} />}
        {shown === 'devices' && <DevicesPanel api={api} onSignedOut={signOut} />}
        {shown === 'clerks' && <ClerksPanel api={api} session={session} onSignedOut={signOut} />}
        {shown === 'townships' && <TownshipsPanel api={api} onSignedOut={signOut} />}
        {shown === 'password' && (
          <PasswordPanel
            api={api}
            onSignedOut={signOut}
            onChanged={() => {
              // Stay on this tab once the one-time password is gone: its confirmation stays in view.
              setTab('password');
              void api.session().then(setSession, signOut);
            }}
          />
        )}
      </div>
      {!passwordOnly && <AuditHeadSection api={api} />}
    </section>
  );
}

/**
 * 审计链: the chain's last entry, so that the admin can note its hash (or compare it with one noted
 * before, or with `npm run admin -- audit-verify`): a chain rewritten since then no longer ends in it.
 */
function AuditHeadSection({ api }: { api: AdminApi }) {
  const [head, setHead] = useState<AuditHead | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!api.auditHead) return;
    api.auditHead().then(setHead, () => setFailed(true));
  }, [api]);
  if (!api.auditHead) return null;
  return (
    <section className="county-panel county-audit" aria-labelledby="county-audit-title" data-testid="county-audit-head">
      <h3 id="county-audit-title">审计链</h3>
      {head ? (
        <p>
          共 {head.seq} 条记录{head.at ? `，最后一条记于 ${when(head.at)}` : ''}。末条哈希（可抄录备查，与日后核对）：
          <br />
          <code className="county-audit-hash">{head.hash}</code>
        </p>
      ) : (
        <p role="status">{failed ? '审计链状态读取失败。' : '正在读取审计链…'}</p>
      )}
    </section>
  );
}

function Login({ api, onSignedIn }: { api: AdminApi; onSignedIn(session: SessionInfo): void }) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, run } = useAction(() => undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const session = await run(() => api.login(username, password));
    if (session !== undefined) onSignedIn(session);
  };
  return (
    <section className="panel county-login" aria-labelledby={`${id}-t`} data-testid="county-login">
      <h2 id={`${id}-t`}>县局管理登录</h2>
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

function Flags({ c }: { c: CaseItem }) {
  return (
    <>
      {caseFlags(c).map((f) => (
        <span key={f} className={`county-flag county-flag-${f}`} data-flag={f}>
          {FLAG_LABELS[f]}
        </span>
      ))}
    </>
  );
}

function CasesPanel({ api, onSignedOut }: { api: AdminApi; onSignedOut(): void }) {
  const [openId, setOpenId] = useState<string | null>(null);
  // Bumped when the open case changes, so that the queue shows its new flags and status.
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey((k) => k + 1), []);
  return (
    <div className="county-panel">
      <CaseQueue api={api} onSignedOut={onSignedOut} onOpen={setOpenId} reloadKey={reloadKey} />
      {openId && (
        <CaseDetailView
          key={openId}
          api={api}
          id={openId}
          onSignedOut={onSignedOut}
          onClose={() => setOpenId(null)}
          onChanged={reload}
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
      {/* 退回补正 is one of the signed steps: its button is here when the role may take it. */}
      <CaseLifecycle
        detail={detail}
        busy={busy}
        onTake={async (input) => {
          if (!(await run(() => api.takeStep(detail.id, input)))) return false;
          await act(() => api.caseDetail(detail.id));
          return true;
        }}
      />
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

function ClerksPanel({ api, session, onSignedOut }: { api: AdminApi; session: SessionInfo; onSignedOut(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const { townships } = useTownships(api, run);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', role: 'window-clerk' as Role, townshipCode: '', areaLevel: session.area.level, areaCode: session.area.code });
  // A one-time password is shown once, beside the account it was issued for.
  const [issued, setIssued] = useState<{ username: string; oneTimePassword: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = useCallback(() => {
    void run(() => api.accounts()).then((a) => a && setAccounts(a));
  }, [api, run]);
  useEffect(reload, [reload]);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  // Each button by its own action of the policy table, so that the table alone decides who sees it.
  const may = (action: string) => session.actions.includes(action);
  const mayChange = may('account.set-active') || may('account.reset-password') || may('account.revoke-sessions');
  const tabletRole = isTabletRole(form.role);
  // An admin creates accounts only within his area: no level wider than his is offered, nor a role
  // that has only such levels (the server would refuse them).
  const within = (l: AreaLevel) => AREA_LEVELS.indexOf(l) <= AREA_LEVELS.indexOf(session.area.level);
  const roles = ROLES.filter((r) => ROLE_AREA_LEVELS[r].some(within));
  const levels: readonly AreaLevel[] = ROLE_AREA_LEVELS[form.role].filter(within);
  // His own area's code at his own level, the region's fixed code; a narrower area is typed.
  const codeAt = (l: AreaLevel) => (l === session.area.level ? session.area.code : l === 'region' ? REGION.code : '');

  return (
    <div className="county-panel">
      {issued && (
        <div className="county-code" data-testid="one-time-password">
          <p>{issued.username} 的一次性密码（只显示这一次，请当面交给本人；首次登录后须立即修改）：</p>
          <p className="county-code-text" data-testid="one-time-password-text">
            {issued.oneTimePassword}
          </p>
          <button type="button" className="button" onClick={() => setIssued(null)}>
            已交付，关闭
          </button>
        </div>
      )}
      {notice && (
        <p role="status" data-testid="account-notice">
          {notice}
        </p>
      )}
      <table className="county-table" data-testid="county-accounts">
        <thead>
          <tr>
            <th>用户名</th>
            <th>姓名</th>
            <th>角色</th>
            <th>辖区</th>
            <th>状态</th>
            {mayChange && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-testid="county-account-row" data-username={a.username}>
              <td>{a.username}</td>
              <td>{a.displayName}</td>
              <td>{ROLE_ZH[a.role]}</td>
              <td>{areaZh(a.area)}</td>
              <td>
                {a.active ? '正常' : '已停用'}
                {a.mustChangePassword && '；待修改一次性密码'}
                {a.signInLockedUntil && (
                  <span data-testid="account-locked">
                    {`；密码输错次数过多，锁定至 ${when(a.signInLockedUntil)} `}
                    {may('sign-in-lock.clear') && (
                      <button type="button" className="button" disabled={busy} onClick={() => void run(() => api.unlockAccount(a.username)).then(reload)}>
                        解除锁定
                      </button>
                    )}
                  </span>
                )}
              </td>
              {mayChange && (
                <td>
                  {/* A clerk who left: disabled here, he signs in nowhere, and his tablets forget his PIN at their next sync. */}
                  {may('account.set-active') && (
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
                  )}{' '}
                  {may('account.reset-password') && (
                    <button
                      type="button"
                      className="button"
                      disabled={busy}
                      onClick={() => {
                        if (window.confirm(`重置 ${a.displayName}（${a.username}）的密码？原密码立即失效，本人须用一次性密码登录县局管理页面并设置新密码。`)) {
                          void run(() => api.resetPassword(a.username)).then((r) => {
                            if (r) {
                              setIssued(r);
                              reload();
                            }
                          });
                        }
                      }}
                    >
                      重置密码
                    </button>
                  )}{' '}
                  {may('account.revoke-sessions') && (
                    <button
                      type="button"
                      className="button"
                      disabled={busy}
                      onClick={() => {
                        if (window.confirm(`注销 ${a.displayName}（${a.username}）的所有会话？已登录的县局页面立即退出${isTabletRole(a.role) ? '，平板在下次同步时删除其 PIN，须重新联网登录' : ''}。`)) {
                          void run(() => api.revokeSessions(a.username)).then((r) => r && setNotice(`已注销 ${r.username} 的 ${r.sessionsEnded} 个县局会话${r.tabletPinsRevoked ? '，平板将在下次同步时删除其 PIN' : ''}。`));
                        }
                      }}
                    >
                      注销会话
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {session.actions.includes('account.create') && (
        <>
          <h3>新建账号</h3>
          <form
            className="county-form"
            onSubmit={(e) => {
              e.preventDefault();
              const { username, displayName, password, role } = form;
              const input = tabletRole ? { username, displayName, password, role, townshipCode: form.townshipCode } : { username, displayName, password, role, area: { level: form.areaLevel, code: form.areaCode.trim() } };
              void run(() => api.createAccount(input)).then((a) => {
                if (a) {
                  setForm({ ...form, username: '', displayName: '', password: '' });
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
            <Field label="角色" id={`${id}-r`}>
              <select
                id={`${id}-r`}
                value={form.role}
                onChange={(e) => {
                  const role = e.target.value as Role;
                  const level = ROLE_AREA_LEVELS[role].includes(session.area.level) ? session.area.level : ROLE_AREA_LEVELS[role].filter(within).at(-1)!;
                  setForm({ ...form, role, areaLevel: level, areaCode: codeAt(level) });
                }}
              >
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_ZH[r]}
                  </option>
                ))}
              </select>
            </Field>
            {tabletRole ? (
              <Field label="乡镇（街道）" id={`${id}-t`}>
                <TownshipSelect id={`${id}-t`} townships={townships} value={form.townshipCode} onChange={(v) => setForm({ ...form, townshipCode: v })} />
              </Field>
            ) : (
              <>
                <Field label="辖区级别" id={`${id}-l`}>
                  <select
                    id={`${id}-l`}
                    value={form.areaLevel}
                    onChange={(e) => {
                      const level = e.target.value as AreaLevel;
                      setForm({ ...form, areaLevel: level, areaCode: codeAt(level) });
                    }}
                  >
                    {levels.map((l) => (
                      <option key={l} value={l}>
                        {areaZh({ level: l, code: '' }).trim()}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="辖区代码（旗县、盟市6位，自治区150000）" id={`${id}-c`}>
                  <input id={`${id}-c`} inputMode="numeric" value={form.areaCode} onChange={set('areaCode')} />
                </Field>
              </>
            )}
            <ErrorLine error={error} />
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                新建账号
              </button>
            </div>
          </form>
        </>
      )}
      {!session.actions.includes('account.create') && <ErrorLine error={error} />}
    </div>
  );
}

/** 修改密码: one's own, with the current one; the only thing a one-time password opens. */
function PasswordPanel({ api, onSignedOut, onChanged }: { api: AdminApi; onSignedOut(): void; onChanged(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  // What the form can tell before asking the server, naming the field (the server's rule: 10 to 200 characters).
  const [problem, setProblem] = useState<string | null>(null);
  const mismatch = again !== '' && again !== next;
  const problemOf = (): string | null => {
    if (current === '') return '请填写当前密码（或一次性密码）。';
    if (next.length < 10) return '新密码至少10个字符。';
    if (next.length > 200) return '新密码最多200个字符。';
    if (next === current) return '新密码不能与当前密码相同。';
    if (again !== next) return '再次输入的新密码与新密码不一致。';
    return null;
  };
  return (
    <div className="county-panel" data-testid="county-password">
      <h3>修改密码</h3>
      <form
        className="county-form"
        onSubmit={(e) => {
          e.preventDefault();
          const found = problemOf();
          setProblem(found);
          setDone(false);
          if (found !== null) return;
          void run(() => api.changePassword(current, next)).then((r) => {
            if (r) {
              setCurrent('');
              setNext('');
              setAgain('');
              setDone(true);
              onChanged();
            }
          });
        }}
      >
        <Field label="当前密码（或一次性密码）" id={`${id}-c`}>
          <input id={`${id}-c`} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </Field>
        <Field label="新密码（至少10个字符）" id={`${id}-n`}>
          <input id={`${id}-n`} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
        </Field>
        <Field label="再次输入新密码" id={`${id}-a`}>
          <input id={`${id}-a`} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        </Field>
        {mismatch && problem === null && <p className="field-error">两次输入的新密码不一致。</p>}
        <ErrorLine error={problem ?? error} />
        {done && <p role="status">密码已修改。</p>}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            修改密码
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
