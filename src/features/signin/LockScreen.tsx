// 已锁定: the only thing a locked tablet shows. An enrolled tablet signs its clerks in with their county
// password and PIN (SignInScreen). A tablet with no county yet has clerks of its own, each a name and a
// PIN set on this tablet: the first is set up here, later ones are added by a clerk on shift, so that
// whoever merely holds the tablet cannot add a name and read the records.
import { NewPinFields, PinEntry } from './PinEntry';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Unlock } from '../../app/LockGate';
import { useRepositories } from '../../app/providers';
import type { ClerkCredentialsRepository, ClerkOnTablet } from '../../storage';
import { EnrolForm } from '../sync/SyncScreen';
import { currentTabletSync, useTabletSyncState } from '../sync/store';
import { offlineSignInZh, setLocalPin, signInWithPin, type SignedInClerk } from './clerk-session';
import { SignInScreen } from './SignInScreen';
import type { LockReason, Shift } from './unlock-machine';
import './signin.css';

export interface LockScreenProps {
  reason: LockReason | null;
  shift: Shift | null;
  /** The clerks of this tablet while it has no county. */
  local: ClerkCredentialsRepository;
  unlock: Unlock;
}

export function reasonZh(reason: LockReason | null, shift: Shift | null): string {
  const who = shift ? `当班经办人：${shift.clerk.displayName}。` : '';
  switch (reason) {
    case 'idle':
      return `长时间无操作，已自动锁定。${who}`;
    case 'manual':
      return `已锁定。${who}`;
    case 'shift-over':
      return '当班时间已结束，请重新登录。';
    case 'signed-out':
      return '已下班，本班已结束。下一位经办人请登录。';
    case 'clerk-removed':
      return '该经办人账号已被县局停用。';
    case 'start':
    case null:
      return shift ? `请登录。${who}` : '请登录后使用。';
  }
}

export function LockScreen({ reason, shift, local, unlock }: LockScreenProps) {
  const { clerkCredentials, device } = useRepositories();
  const sync = useTabletSyncState();
  const [refused, setRefused] = useState(false);
  if (!sync?.loaded) return <p role="status">正在打开登录…</p>;

  const signedIn = async (clerk: SignedInClerk, factor: 'password' | 'pin' | 'local-pin', local = false) => {
    const ok = await unlock({ id: local ? `local:${clerk.displayName}` : clerk.username, displayName: clerk.displayName }, factor);
    setRefused(!ok);
  };

  return (
    <section className="lock-screen" aria-label="已锁定" data-testid="lock-screen">
      <p className="lock-reason" role="status">
        {reasonZh(reason, shift)}
      </p>
      {refused && (
        <p className="field-error" role="alert">
          PIN 只能在本人当班期间解锁，请用密码登录。
        </p>
      )}
      {sync.enrolment ? (
        <SignInScreen
          credentials={clerkCredentials}
          device={device}
          pinClerk={shift && !shift.clerk.id.startsWith('local:') ? shift.clerk.id : null}
          onSignedIn={(clerk, factor) => signedIn(clerk, factor)}
        />
      ) : (
        <LocalSignIn local={local} shift={shift} onSignedIn={(clerk) => signedIn(clerk, 'local-pin', true)} />
      )}
    </section>
  );
}

type LocalStep = { kind: 'choose' } | { kind: 'pin'; clerk: ClerkOnTablet } | { kind: 'first' };

function LocalSignIn({ local, shift, onSignedIn }: { local: ClerkCredentialsRepository; shift: Shift | null; onSignedIn(c: SignedInClerk): Promise<void> }) {
  const [clerks, setClerks] = useState<ClerkOnTablet[] | null>(null);
  const [step, setStep] = useState<LocalStep>({ kind: 'choose' });
  useEffect(() => {
    let live = true;
    void local.list().then((list) => {
      if (!live) return;
      setClerks(list);
      const own = shift && list.find((c) => `local:${c.displayName}` === shift.clerk.id);
      if (list.length === 0) setStep({ kind: 'first' });
      else if (own) setStep({ kind: 'pin', clerk: own });
    });
    return () => {
      live = false;
    };
  }, [local, shift]);
  const service = currentTabletSync();
  if (clerks === null) return null;
  const allLocked = clerks.length > 0 && clerks.every((c) => c.lockedAt !== null);

  return (
    <div className="panel signin" data-testid="signin">
      <h2>经办人登录</h2>
      {step.kind === 'first' && <AddLocalClerk local={local} intro="本设备尚未在县局注册。请设置本机第一位经办人的姓名和6位 PIN；其他经办人由当班经办人在“当班经办人”处添加。" onAdded={onSignedIn} />}
      {step.kind === 'choose' && (
        <>
          <p>请选择本人姓名，输入6位 PIN 登录。</p>
          <div className="signin-clerks" role="group" aria-label="本机经办人">
            {clerks.map((c) => (
              <button key={c.username} type="button" className="button signin-clerk" onClick={() => setStep({ kind: 'pin', clerk: c })}>
                {c.displayName}
                {c.lockedAt !== null && <span className="signin-locked">（已锁定）</span>}
              </button>
            ))}
          </div>
        </>
      )}
      {step.kind === 'pin' && <LocalPinForm clerk={step.clerk} local={local} onSignedIn={onSignedIn} onBack={() => setStep({ kind: 'choose' })} />}
      {/* Enrolling hands the tablet to the county's sign-in; offered only when no clerk of this tablet can sign in. */}
      {(step.kind === 'first' || allLocked) && service && (
        <details className="lock-enrol">
          <summary>注册本设备到县局</summary>
          <EnrolForm service={service} revoked={false} pending={0} />
        </details>
      )}
    </div>
  );
}

function LocalPinForm({ clerk, local, onSignedIn, onBack }: { clerk: ClerkOnTablet; local: ClerkCredentialsRepository; onSignedIn(c: SignedInClerk): Promise<void>; onBack(): void }) {
  const id = useId();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(clerk.lockedAt !== null ? LOCAL_LOCKED_ZH : null);
  const [locked, setLocked] = useState(clerk.lockedAt !== null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const result = await signInWithPin(local, clerk.username, pin);
      if (result.ok) {
        await onSignedIn(result.clerk);
        return;
      }
      const nowLocked = result.reason === 'locked' || (result.reason === 'wrong-pin' && result.locked);
      setError(nowLocked ? LOCAL_LOCKED_ZH : offlineSignInZh(result));
      setLocked(nowLocked);
      setPin('');
    } catch (err) {
      setError(`PIN 核对失败（${(err as Error).message}），请重试。`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form">
      <PinEntry id={id} clerkName={clerk.displayName} pin={pin} onPin={setPin} disabled={locked || busy} error={error} />
      <div className="actions">
        {!locked && (
          <button type="submit" className="button button-primary" disabled={busy || pin.length !== 6}>
            {busy ? '正在核对…' : '登录'}
          </button>
        )}
        <button type="button" className="button" onClick={onBack}>
          换人
        </button>
      </div>
    </form>
  );
}

const LOCAL_LOCKED_ZH = '该姓名已连续多次输错 PIN，已锁定：请本机其他经办人登录后为其重新设置 PIN。';

/** A name and a PIN of a clerk of this tablet (the first one, or one a clerk on shift adds). */
export function AddLocalClerk({ local, intro, onAdded, submitLabel = '设置 PIN 并登录' }: { local: ClerkCredentialsRepository; intro: string; onAdded(c: SignedInClerk): void | Promise<void>; submitLabel?: string }) {
  const id = useId();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await setLocalPin(local, name, pin, again);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setName('');
      setPin('');
      setAgain('');
      await onAdded(result.clerk);
    } catch (err) {
      setError(`PIN 未能保存（${(err as Error).message}），请重试。`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form" data-testid="add-local-clerk">
      <p>{intro}</p>
      <label htmlFor={`${id}-name`} className="field-label">
        经办人姓名
      </label>
      <input id={`${id}-name`} type="text" autoComplete="off" maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
      <NewPinFields id={id} pin={pin} again={again} onPin={setPin} onAgain={setAgain} error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? '正在保存…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
