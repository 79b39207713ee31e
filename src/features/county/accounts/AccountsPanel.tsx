// 账号: the accounts within one's area — create, disable, reset a password, end sessions, move a clerk, clear a sign-in lock;
// each button by its own action of the policy table.
import { useCallback, useEffect, useState } from 'react';
import { areaZh, ROLE_ZH, type Account, type SessionInfo } from '../api';
import { isTabletRole } from '../../../shared/roles';
import type { PanelProps } from '../common/panel';
import { useTownships } from '../common/townships';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';
import { when } from '../common/when';
import { CreateAccountForm } from './CreateAccountForm';
import { MoveClerkForm } from './MoveClerkForm';

export function AccountsPanel({ api, session, onSignedOut }: PanelProps & { session: SessionInfo }) {
  const { error, busy, run } = useAction(onSignedOut);
  const { townships } = useTownships(api, run);
  const [accounts, setAccounts] = useState<Account[]>([]);
  // A one-time password is shown once, beside the account it was issued for.
  const [issued, setIssued] = useState<{ username: string; oneTimePassword: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const reload = useCallback(() => {
    void run(() => api.accounts()).then((a) => a && setAccounts(a));
  }, [api, run]);
  useEffect(reload, [reload]);
  // Each button by its own action of the policy table, so that the table alone decides who sees it.
  const may = (action: string) => session.actions.includes(action);
  const mayChange = may('account.set-active') || may('account.reset-password') || may('account.revoke-sessions') || may('account.move');

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
                  {may('account.move') && isTabletRole(a.role) && a.active && (
                    <>
                      {' '}
                      {moving === a.username ? (
                        <MoveClerkForm
                          api={api}
                          account={a}
                          townships={townships}
                          run={run}
                          busy={busy}
                          onCancel={() => setMoving(null)}
                          onMoved={(moved) => {
                            setMoving(null);
                            setNotice(`已将 ${moved.displayName}（${moved.username}）调整到${areaZh(moved.area)}；原乡镇的平板将在下次同步时删除其 PIN，已登记的案件仍归原乡镇。`);
                            reload();
                          }}
                        />
                      ) : (
                        <button type="button" className="button" disabled={busy} onClick={() => setMoving(a.username)}>
                          调整乡镇
                        </button>
                      )}
                    </>
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
          <CreateAccountForm api={api} session={session} townships={townships} run={run} busy={busy} error={error} onCreated={reload} />
        </>
      )}
      {!session.actions.includes('account.create') && <ErrorLine error={error} />}
    </div>
  );
}
