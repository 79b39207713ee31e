// 经办人登录 on an enrolled tablet: the password opens a shift (at the county when it can be reached,
// else against its verifier kept here since his last online sign-in); within his shift the clerk who
// locked the tablet, or let it lock, lifts the lock with his 6-digit PIN. The first time on a tablet he
// signs in online with his county user name and password and sets a PIN.
import { NewPinFields, PinEntry } from './PinEntry';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ClerkPublic } from '../../shared/sync-protocol';
import type { ClerkCredentialsRepository, ClerkOnTablet, DeviceRepository } from '../../storage';
import { offlineSignInZh, setPin, signInAtCounty, signInWithPassword, signInWithPin, type SignedInClerk } from './clerk-session';
import type { Factor } from './unlock-machine';
import './signin.css';

export interface SignInScreenProps {
  credentials: ClerkCredentialsRepository;
  device: DeviceRepository;
  /** Called once the clerk gave a credential (the caller opens or resumes his shift). */
  onSignedIn(clerk: SignedInClerk, factor: Factor): void | Promise<void>;
  /** The clerk whose shift is open: only he may use his PIN, and his PIN form comes first. */
  pinClerk?: string | null;
  fetch?: typeof fetch;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'pin'; clerk: ClerkOnTablet }
  | { kind: 'password'; clerk: ClerkOnTablet }
  | { kind: 'online' }
  | { kind: 'set-pin'; clerk: ClerkPublic; password: string };

export function SignInScreen({ credentials, device, onSignedIn, pinClerk = null, fetch: fetchImpl }: SignInScreenProps) {
  const [clerks, setClerks] = useState<ClerkOnTablet[] | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [first, setFirst] = useState(true);
  const reload = useCallback(() => {
    void credentials.list().then(setClerks);
  }, [credentials]);
  useEffect(reload, [reload]);

  useEffect(() => {
    if (clerks === null || step.kind !== 'choose' || !first) return;
    setFirst(false);
    // With nobody signed in on this tablet yet, the online sign-in is the only way in.
    if (clerks.length === 0) setStep({ kind: 'online' });
    const own = clerks.find((c) => c.username === pinClerk);
    if (own) setStep({ kind: 'pin', clerk: own });
  }, [clerks, step.kind, first, pinClerk]);

  const choose = (clerk: ClerkOnTablet) => setStep(clerk.username === pinClerk ? { kind: 'pin', clerk } : { kind: 'password', clerk });

  const back = () => {
    reload();
    setStep({ kind: 'choose' });
  };

  return (
    <section className="panel signin" aria-labelledby="signin-title" data-testid="signin">
      <h2 id="signin-title">经办人登录</h2>
      {step.kind === 'choose' && clerks !== null && (
        <ChooseClerk clerks={clerks} onChoose={choose} onOnline={() => setStep({ kind: 'online' })} />
      )}
      {step.kind === 'pin' && (
        <PinForm
          clerk={step.clerk}
          credentials={credentials}
          onSignedIn={(c) => onSignedIn(c, 'pin')}
          onBack={back}
          onPassword={() => setStep({ kind: 'password', clerk: step.clerk })}
        />
      )}
      {step.kind === 'password' && (
        <PasswordForm clerk={step.clerk} credentials={credentials} device={device} fetchImpl={fetchImpl} onSignedIn={(c) => onSignedIn(c, 'password')} onBack={back} />
      )}
      {step.kind === 'online' && (
        <OnlineForm device={device} fetchImpl={fetchImpl} onBack={clerks !== null && clerks.length > 0 ? back : null} onSignedIn={(clerk, password) => setStep({ kind: 'set-pin', clerk, password })} />
      )}
      {step.kind === 'set-pin' && <SetPinForm clerk={step.clerk} password={step.password} credentials={credentials} onSignedIn={(c) => onSignedIn(c, 'password')} />}
    </section>
  );
}

function ChooseClerk({ clerks, onChoose, onOnline }: { clerks: ClerkOnTablet[]; onChoose(c: ClerkOnTablet): void; onOnline(): void }) {
  return (
    <>
      <p>请选择本人姓名，用密码登录开始当班（无网络时也可登录）；当班期间锁定后用6位 PIN 解锁。</p>
      <div className="signin-clerks" role="group" aria-label="本机经办人">
        {clerks.map((c) => (
          <button key={c.username} type="button" className="button signin-clerk" onClick={() => onChoose(c)}>
            {c.displayName}
            {c.lockedAt !== null && <span className="signin-locked">（已锁定）</span>}
          </button>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={onOnline}>
          其他经办人：联网用用户名和密码登录（首次使用本机）
        </button>
      </div>
    </>
  );
}

function PinForm({ clerk, credentials, onSignedIn, onBack, onPassword }: { clerk: ClerkOnTablet; credentials: ClerkCredentialsRepository; onSignedIn(c: SignedInClerk): void | Promise<void>; onBack(): void; onPassword(): void }) {
  const id = useId();
  const [pin, setPinValue] = useState('');
  const [error, setError] = useState<string | null>(clerk.lockedAt !== null ? offlineSignInZh({ ok: false, reason: 'locked' }) : null);
  const [locked, setLocked] = useState(clerk.lockedAt !== null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const result = await signInWithPin(credentials, clerk.username, pin);
      if (result.ok) {
        await onSignedIn(result.clerk);
        return;
      }
      setError(offlineSignInZh(result));
      setLocked(result.reason === 'locked' || (result.reason === 'wrong-pin' && result.locked));
      setPinValue('');
    } catch (err) {
      setError(`PIN 核对失败（${(err as Error).message}），请重试或联网用密码登录。`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form">
      <PinEntry id={id} clerkName={clerk.displayName} pin={pin} onPin={setPinValue} disabled={locked || busy} error={error} />
      <div className="actions">
        {locked ? (
          <button type="button" className="button button-primary" onClick={onPassword}>
            用密码登录
          </button>
        ) : (
          <>
            <button type="submit" className="button button-primary" disabled={busy || pin.length !== 6}>
              {busy ? '正在核对…' : '登录'}
            </button>
            <button type="button" className="button" onClick={onPassword}>
              用密码登录
            </button>
          </>
        )}
        <button type="button" className="button" onClick={onBack}>
          换人
        </button>
      </div>
    </form>
  );
}

function PasswordForm({ clerk, credentials, device, fetchImpl, onSignedIn, onBack }: { clerk: ClerkOnTablet; credentials: ClerkCredentialsRepository; device: DeviceRepository; fetchImpl: typeof fetch | undefined; onSignedIn(c: SignedInClerk): void | Promise<void>; onBack(): void }) {
  const id = useId();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password === '') {
      setError('请填写密码。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await signInWithPassword(credentials, device, clerk.username, password, fetchImpl);
      if (result.ok) {
        await onSignedIn(result.clerk);
        return;
      }
      setError(result.message);
      setPassword('');
    } catch (err) {
      setError(`密码核对失败（${(err as Error).message}），请重试。`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form" aria-label="用密码登录">
      <p>
        经办人：<strong>{clerk.displayName}</strong>。请输入县局分配的密码（有网络时由县局核对，无网络时在本机核对）。
      </p>
      <label htmlFor={`${id}-password`} className="field-label">
        密码
      </label>
      <input id={`${id}-password`} type="password" autoComplete="current-password" value={password} disabled={busy} onChange={(e) => setPassword(e.target.value)} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? '正在核对…' : '密码登录'}
        </button>
        <button type="button" className="button" onClick={onBack}>
          换人
        </button>
      </div>
    </form>
  );
}

function OnlineForm({ device, fetchImpl, onBack, onSignedIn }: { device: DeviceRepository; fetchImpl: typeof fetch | undefined; onBack: (() => void) | null; onSignedIn(clerk: ClerkPublic, password: string): void }) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (username.trim() === '' || password === '') {
      setError('请填写用户名和密码。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await signInAtCounty(device, username, password, fetchImpl);
      if (result.ok) onSignedIn(result.clerk, password);
      else setError(result.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form">
      <p>首次在本机登录（或 PIN 被锁定后），须联网用县局分配的用户名和密码登录，然后设置本机 PIN。</p>
      <label htmlFor={`${id}-user`} className="field-label">
        用户名
      </label>
      <input id={`${id}-user`} type="text" autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} />
      <label htmlFor={`${id}-password`} className="field-label">
        密码
      </label>
      <input id={`${id}-password`} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? '正在联网登录…' : '联网登录'}
        </button>
        {onBack && (
          <button type="button" className="button" onClick={onBack}>
            返回
          </button>
        )}
      </div>
    </form>
  );
}

function SetPinForm({ clerk, password, credentials, onSignedIn }: { clerk: ClerkPublic; password: string; credentials: ClerkCredentialsRepository; onSignedIn(c: SignedInClerk): void | Promise<void> }) {
  const id = useId();
  const [pin, setPinValue] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await setPin(credentials, clerk, pin, again, password);
      if (result.ok) await onSignedIn(result.clerk);
      else setError(result.message);
    } catch (err) {
      setError(`PIN 未能保存（${(err as Error).message}），请重试。`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form">
      <p>
        <strong>{clerk.displayName}</strong>，已联网登录。请设置本机 PIN（6位数字），以后在本机无网络时也可登录。
      </p>
      <NewPinFields id={id} pin={pin} again={again} onPin={setPinValue} onAgain={setAgain} error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? '正在保存…' : '设置 PIN 并登录'}
        </button>
      </div>
    </form>
  );
}
