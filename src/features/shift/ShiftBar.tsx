// 当班经办人 on a tablet not enrolled at a county: who is on shift (every case records him), 下班 / 换班
// to end his shift, and 添加经办人 for a colleague's name and PIN, which only a clerk on shift can add.
// The tablet's short id is shown, because case numbers are built from it.
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { useLockStore } from '../../app/lock';
import { useClerk, useRepositories } from '../../app/providers';
import { createClerkCredentialsRepository } from '../../storage';
import './shift.css';

// The form hashes a PIN (Argon2id): not part of the first screen's script.
const AddLocalClerk = lazy(() => import('../signin/LockScreen').then((m) => ({ default: m.AddLocalClerk })));

export function ShiftBar() {
  const { clerk } = useClerk();
  const { db, deviceId } = useRepositories();
  const lock = useLockStore();
  const local = useMemo(() => createClerkCredentialsRepository(db, { scope: 'local' }), [db]);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const id = useId();

  return (
    <section className={`shift-bar${adding ? ' shift-bar-open' : ''}`} id="shift-bar" aria-labelledby={`${id}-title`} data-testid="shift-bar">
      <div className="shift-line">
        <h2 id={`${id}-title`} className="shift-title">
          当班经办人
        </h2>
        {clerk ? (
          <strong className="shift-clerk" data-testid="current-clerk">
            {clerk}
          </strong>
        ) : (
          <span className="shift-missing">未登录</span>
        )}
        {lock && clerk && (
          // Handing over and going home are the same end of the shift: one button, named both ways,
          // so that a clerk leaving with no one after him does not just lock and leave it open.
          <button type="button" className="button button-quiet" onClick={() => lock.dispatch({ type: 'sign-out' })}>
            下班 / 换班
          </button>
        )}
        {clerk && !adding && (
          <button type="button" className="button button-quiet" onClick={() => setAdding(true)}>
            添加经办人
          </button>
        )}
        <span className="shift-device">
          本机编号 <code data-testid="device-id">{deviceId}</code>
        </span>
      </div>
      {added && (
        <p className="shift-added" role="status">
          已添加经办人“{added}”：换班后可用其 PIN 登录。
        </p>
      )}
      {adding && (
        <div className="shift-picker">
          <Suspense fallback={<p role="status">正在打开…</p>}>
            <AddLocalClerk
              local={local}
              intro="新经办人本人输入姓名并设置6位 PIN（已锁定的姓名在此重新设置 PIN）。"
              submitLabel="添加经办人"
              onAdded={(c) => {
                setAdded(c.displayName);
                setAdding(false);
              }}
            />
          </Suspense>
          <button type="button" className="button" onClick={() => setAdding(false)}>
            取消
          </button>
        </div>
      )}
    </section>
  );
}
