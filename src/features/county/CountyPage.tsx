// 县局管理 (online, served by the county server at #/county): this shell signs in with a county account,
// shows the tabs the account's role may use (by the policy table's actions) and the audit chain's head.
// Each screen lives in its own folder: cases/ (the reviewer's queue), case/ (one case, its signed
// lifecycle, conflict resolution), devices/, accounts/, townships/, parameters/, reports/, agency-results/, password/; shared bits in common/.
// Everything goes through /api/admin/*, which asks the policy first.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { z } from 'zod';
import { areaZh, createAdminApi, ROLE_ZH, type AdminApi, type AuditHead, type SessionInfo } from './api';
import { CasesPanel } from './cases/CasesPanel';
import { AccountsPanel } from './accounts/AccountsPanel';
import { DevicesPanel } from './devices/DevicesPanel';
import { TownshipsPanel } from './townships/TownshipsPanel';
import { ParametersPanel } from './parameters/ParametersPanel';
import { ReportsScreen } from './reports/ReportsScreen';
import { PasswordPanel } from './password/PasswordPanel';
import { AgencyResultsPanel } from './agency-results/AgencyResultsPanel';
import { ErrorLine } from './common/ui';
import { FormField, useCountyForm } from './common/form';
import { formProblemZh } from './common/problems';
import { useAction } from './common/useAction';
import { when } from './common/when';
import './county.css';

type Tab = 'cases' | 'devices' | 'accounts' | 'townships' | 'parameters' | 'reports' | 'agency-results' | 'password';
/** Each tab with the action of the policy table it lists: shown to the roles that may take it. */
const TABS: { id: Tab; label: string; action: string }[] = [
  { id: 'cases', label: '已同步案件', action: 'case.list' },
  { id: 'devices', label: '注册码与设备', action: 'device.list' },
  { id: 'accounts', label: '账号', action: 'account.list' },
  { id: 'townships', label: '乡镇（街道）', action: 'township.list' },
  { id: 'parameters', label: '参数', action: 'parameter-set.list' },
  { id: 'reports', label: '报表', action: 'report.read' },
  { id: 'agency-results', label: '经办结果导入', action: 'agency-results.preview' },
  { id: 'password', label: '修改密码', action: 'password.change' },
];

export function CountyPage({ api: given }: { api?: AdminApi }) {
  const api = useMemo(() => given ?? createAdminApi(), [given]);
  // null: not known yet; false: nobody signed in.
  const [session, setSession] = useState<SessionInfo | false | null>(null);
  const [tab, setTab] = useState<Tab | null>(null);

  useEffect(() => {
    document.title = '县局管理 · 退役士兵社保接续';
    api.session().then(setSession, () => setSession(false));
  }, [api]);

  // The next account starts on its own first tab, not on the one the last account left open.
  const signOut = useCallback(() => {
    setSession(false);
    setTab(null);
  }, []);
  if (session === null) {
    return (
      <p className="opening" role="status">
        正在连接县局服务器…
      </p>
    );
  }
  if (session === false) return <Login api={api} onSignedIn={setSession} />;
  // A page given no parameters, reports or agency results API (some tests) shows no 参数, 报表 or 经办结果导入 tab.
  const tabs = TABS.filter((t) => session.actions.includes(t.action) && (t.id !== 'parameters' || api.parameters) && (t.id !== 'reports' || api.reports) && (t.id !== 'agency-results' || api.agencyResults));
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
        {shown === 'accounts' && <AccountsPanel api={api} session={session} onSignedOut={signOut} />}
        {shown === 'townships' && <TownshipsPanel api={api} onSignedOut={signOut} />}
        {shown === 'parameters' && api.parameters && (
          <ParametersPanel api={api} parameters={api.parameters} canPublish={session.actions.includes('parameter-set.preview') && session.actions.includes('parameter-set.publish')} onSignedOut={signOut} />
        )}
        {shown === 'reports' && api.reports && <ReportsScreen reports={api.reports} actions={session.actions} onSignedOut={signOut} />}
        {shown === 'agency-results' && api.agencyResults && (
          <AgencyResultsPanel agencyResults={api.agencyResults} canImport={session.actions.includes('agency-results.import')} onSignedOut={signOut} />
        )}
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

// A sign-in says only what is missing: the password's rules are not the place of a sign-in form.
const loginSchema = z.object({ username: z.string().trim().min(1, formProblemZh.required('用户名')), password: z.string().min(1, formProblemZh.required('密码')) });

function Login({ api, onSignedIn }: { api: AdminApi; onSignedIn(session: SessionInfo): void }) {
  const id = useId();
  const { error, busy, run } = useAction(() => undefined);
  const { register, handleSubmit, formState } = useCountyForm(loginSchema, { username: '', password: '' });
  const { errors } = formState;
  return (
    <section className="panel county-login" aria-labelledby={`${id}-t`} data-testid="county-login">
      <h2 id={`${id}-t`}>县局管理登录</h2>
      <form
        className="county-form"
        noValidate
        onSubmit={(e) =>
          void handleSubmit(async (v) => {
            const session = await run(() => api.login(v.username, v.password));
            if (session !== undefined) onSignedIn(session);
          })(e)
        }
      >
        <FormField label="用户名" id={`${id}-u`} name="username" errors={errors}>
          {(a11y) => <input {...a11y} autoComplete="username" autoCapitalize="none" {...register('username')} />}
        </FormField>
        <FormField label="密码" id={`${id}-p`} name="password" errors={errors}>
          {(a11y) => <input {...a11y} type="password" autoComplete="current-password" {...register('password')} />}
        </FormField>
        <ErrorLine error={Object.keys(errors).length === 0 ? error : null} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            登录
          </button>
        </div>
      </form>
    </section>
  );
}
