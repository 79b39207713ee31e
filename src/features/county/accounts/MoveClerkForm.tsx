// 调整乡镇: a township clerk moves to another township of the admin's area, confirmed first. His
// cases stay with the township and the tablets that made them.
import { useId, useState } from 'react';
import type { Account, AdminApi, Township } from '../api';
import { TownshipSelect } from '../common/townships';
import type { RunAction } from '../common/useAction';

export function MoveClerkForm({ api, account, townships, run, busy, onMoved, onCancel }: { api: AdminApi; account: Account; townships: Township[]; run: RunAction; busy: boolean; onMoved(moved: Account): void; onCancel(): void }) {
  const id = useId();
  const [townshipCode, setTownshipCode] = useState('');
  const others = townships.filter((t) => t.code !== account.townshipCode);
  const from = townships.find((t) => t.code === account.townshipCode)?.name ?? account.townshipCode ?? '';
  const submit = () => {
    const to = others.find((t) => t.code === townshipCode);
    if (!to || !api.moveClerk) return;
    const moveClerk = api.moveClerk.bind(api);
    if (!window.confirm(`将 ${account.displayName}（${account.username}）从 ${from} 调整到 ${to.name}？原乡镇的平板在下次同步时删除其 PIN；本人须在新乡镇的平板上联网登录一次。已登记的案件仍归原乡镇。`)) return;
    void run(() => moveClerk(account.username, to.code)).then((moved) => moved && onMoved(moved));
  };
  return (
    <form
      data-testid="move-clerk-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={id}>调整到乡镇（街道）</label> <TownshipSelect id={id} townships={others} value={townshipCode} onChange={setTownshipCode} />{' '}
      <button type="submit" className="button" disabled={busy || townshipCode === ''}>
        确认调整
      </button>{' '}
      <button type="button" className="button" onClick={onCancel}>
        取消
      </button>
    </form>
  );
}
