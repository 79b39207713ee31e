// 经办人登录: a clerk picks his name and types his 6-digit PIN (works offline). The first time on a
// tablet, or after a lock, he signs in online with his county password and sets a new PIN.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ClerkPublic } from '../../shared/sync-protocol';
import type { ClerkCredentialsRepository, ClerkOnTablet, DeviceRepository } from '../../storage';
import { offlineSignInZh, setPin, signInAtCounty, signInWithPin, type SignedInClerk } from './clerk-session';
import './signin.css';

export interface SignInScreenProps {
  credentials: ClerkCredentialsRepository;
  device: DeviceRepository;
  /** Called once the clerk is signed in (the caller starts his shift). */
  onSignedIn(clerk: SignedInClerk): void | Promise<void>;
  fetch?: typeof fetch;
}

type Step = { kind: 'choose' } | { kind: 'pin'; clerk: ClerkOnTablet } | { kind: 'online' } | { kind: 'set-pin'; clerk: ClerkPublic };

export function SignInScreen({ credentials, device, onSignedIn, fetch: fetchImpl }: SignInScreenProps) {
  const [clerks, setClerks] = useState<ClerkOnTablet[] | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const reload = useCallback(() => {
    void credentials.list().then(setClerks);
  }, [credentials]);
  useEffect(reload, [reload]);

  useEffect(() => {
    // With nobody signed in on this tablet yet, the online sign-in is the only way in.
    if (clerks !== null && clerks.length === 0 && step.kind === 'choose') setStep({ kind: 'online' });
  }, [clerks, step.kind]);

  const back = () => {
    reload();
    setStep({ kind: 'choose' });
  };

  return (
    <section className="panel signin" aria-labelledby="signin-title" data-testid="signin">
      <h2 id="signin-title">经办人登录</h2>
      {step.kind === 'choose' && clerks !== null && (
        <ChooseClerk clerks={clerks} onChoose={(clerk) => setStep({ kind: 'pin', clerk })} onOnline={() => setStep({ kind: 'online' })} />
      )}
      {step.kind === 'pin' && (
        <PinForm
          clerk={step.clerk}
          credentials={credentials}
          onSignedIn={onSignedIn}
          onBack={back}
          onOnline={() => setStep({ kind: 'online' })}
        />
      )}
      {step.kind === 'online' && (
        <OnlineForm device={device} fetchImpl={fetchImpl} onBack={clerks !== null && clerks.length > 0 ? back : null} onSignedIn={(clerk) => setStep({ kind: 'set-pin', clerk })} />
      )}
      {step.kind === 'set-pin' && <SetPinForm clerk={step.clerk} credentials={credentials} onSignedIn={onSignedIn} />}
    </section>
  );
}

function ChooseClerk({ clerks, onChoose, onOnline }: { clerks: ClerkOnTablet[]; onChoose(c: ClerkOnTablet): void; onOnline(): void }) {
  return (
    <>
      <p>请选择本人姓名，输入6位 PIN 登录（无网络时也可登录）。</p>
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
          联网用密码登录（首次使用本机或已锁定）
        </button>
      </div>
    </>
  );
}

function PinForm({ clerk, credentials, onSignedIn, onBack, onOnline }: { clerk: ClerkOnTablet; credentials: ClerkCredentialsRepository; onSignedIn: SignInScreenProps['onSignedIn']; onBack(): void; onOnline(): void }) {
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
      <p>
        经办人：<strong>{clerk.displayName}</strong>
      </p>
      <label htmlFor={`${id}-pin`} className="field-label">
        PIN（6位数字）
      </label>
      <input
        id={`${id}-pin`}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        pattern="\d{6}"
        maxLength={6}
        value={pin}
        disabled={locked || busy}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setPinValue(e.target.value.replace(/\D/g, ''))}
      />
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {locked ? (
          <button type="button" className="button button-primary" onClick={onOnline}>
            联网用密码登录
          </button>
        ) : (
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

function OnlineForm({ device, fetchImpl, onBack, onSignedIn }: { device: DeviceRepository; fetchImpl: typeof fetch | undefined; onBack: (() => void) | null; onSignedIn(clerk: ClerkPublic): void }) {
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
      if (result.ok) onSignedIn(result.clerk);
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

function SetPinForm({ clerk, credentials, onSignedIn }: { clerk: ClerkPublic; credentials: ClerkCredentialsRepository; onSignedIn: SignInScreenProps['onSignedIn'] }) {
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
      const result = await setPin(credentials, clerk, pin, again);
      if (result.ok) await onSignedIn(result.clerk);
      else setError(result.message);
    } catch (err) {
      setError(`PIN 未能保存（${(err as Error).message}），请重试。`);
    } finally {
      setBusy(false);
    }
  };

  const digits = (v: string) => v.replace(/\D/g, '').slice(0, 6);
  return (
    <form onSubmit={(e) => void submit(e)} className="signin-form">
      <p>
        <strong>{clerk.displayName}</strong>，已联网登录。请设置本机 PIN（6位数字），以后在本机无网络时也可登录。
      </p>
      <label htmlFor={`${id}-pin`} className="field-label">
        新 PIN
      </label>
      <input id={`${id}-pin`} type="password" inputMode="numeric" autoComplete="new-password" maxLength={6} value={pin} onChange={(e) => setPinValue(digits(e.target.value))} />
      <label htmlFor={`${id}-again`} className="field-label">
        再输入一次
      </label>
      <input id={`${id}-again`} type="password" inputMode="numeric" autoComplete="new-password" maxLength={6} value={again} onChange={(e) => setAgain(digits(e.target.value))} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? '正在保存…' : '设置 PIN 并登录'}
        </button>
      </div>
    </form>
  );
}
