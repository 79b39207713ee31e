// 锁屏设置: how long an untouched tablet waits before it locks, and how long a shift lasts. Only a
// clerk on shift reaches it (the screens are behind the lock); each change is in the tablet's audit
// under his name, and the page's lock store takes the new values at once.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { LockSettings } from '../storage';
import { lockConfigOf, useLockStore } from './lock';
import { useClerk, useRepositories } from './providers';
import './lock-settings.css';

type Field = 'idleMinutes' | 'shiftHours';
export type LockSettingsInput = Record<Field, string>;
export type LockSettingsErrors = Partial<Record<Field, string>>;

// The form offers whole minutes and hours; the stored bounds (device-repository.ts) are wider.
const FIELDS: Record<Field, { label: string; unit: string; min: number; max: number }> = {
  idleMinutes: { label: '无操作自动锁定', unit: '分钟', min: 1, max: 60 },
  shiftHours: { label: '当班时长', unit: '小时', min: 1, max: 24 },
};

function wholeNumber(field: Field, raw: string): { value: number } | { error: string } {
  const f = FIELDS[field];
  // Full-width digits from a Chinese keyboard are digits too.
  const v = raw.normalize('NFKC').trim();
  if (v === '') return { error: `${f.label}：请填写${f.unit}数。` };
  const n = /^\d{1,3}$/.test(v) ? Number(v) : NaN;
  if (!(n >= f.min && n <= f.max)) return { error: `${f.label}：应为 ${f.min} 到 ${f.max} 之间的整数（${f.unit}）。` };
  return { value: n };
}

/** The setting the form's text gives, or the Chinese error of each field that is wrong. */
export function lockSettingsFromInput(input: LockSettingsInput): { ok: true; settings: LockSettings } | { ok: false; errors: LockSettingsErrors } {
  const idle = wholeNumber('idleMinutes', input.idleMinutes);
  const shift = wholeNumber('shiftHours', input.shiftHours);
  if ('value' in idle && 'value' in shift) return { ok: true, settings: { idleSeconds: idle.value * 60, shiftHours: shift.value } };
  return { ok: false, errors: { ...('error' in idle ? { idleMinutes: idle.error } : {}), ...('error' in shift ? { shiftHours: shift.error } : {}) } };
}

function inputOf(s: LockSettings): LockSettingsInput {
  // A stored idle time of part of a minute (set outside this form) is shown as it is, not rounded.
  return { idleMinutes: String(Number((s.idleSeconds / 60).toFixed(2))), shiftHours: String(s.shiftHours) };
}

export function LockSettingsPanel() {
  const { device } = useRepositories();
  const { clerk } = useClerk();
  const lock = useLockStore();
  const id = useId();
  const [input, setInput] = useState<LockSettingsInput | null>(null);
  const [errors, setErrors] = useState<LockSettingsErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void device.lockSettings().then((s) => live && setInput(inputOf(s)));
    return () => {
      live = false;
    };
  }, [device]);

  if (!input) {
    return (
      <p className="opening" role="status">
        正在读取锁屏设置…
      </p>
    );
  }

  const change = (field: Field, value: string) => {
    setInput({ ...input, [field]: value });
    setErrors((e) => ({ ...e, [field]: undefined }));
    setMessage(null);
  };

  // A shorter shift than the one running ends it as soon as it is saved: said before, not found out after.
  const shift = lock?.getState().shift ?? null;
  const typedHours = wholeNumber('shiftHours', input.shiftHours);
  const elapsedHours = shift && lock ? Math.floor((lock.now() - shift.startedAt) / 3_600_000) : 0;
  const endsShift = shift !== null && 'value' in typedHours && typedHours.value <= elapsedHours;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setFailure(null);
    const parsed = lockSettingsFromInput(input);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    if (!clerk) return;
    setBusy(true);
    try {
      const saved = await device.setLockSettings(parsed.settings, clerk);
      setInput(inputOf(saved));
      setMessage(`已保存，立即生效：无操作 ${inputOf(saved).idleMinutes} 分钟自动锁定，每班 ${saved.shiftHours} 小时。`);
      lock?.setConfig(lockConfigOf(saved));
    } catch (err) {
      setFailure(`锁屏设置未能保存（${err instanceof Error ? err.message : String(err)}），请重试。`);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: Field, note?: string) => {
    const f = FIELDS[name];
    const error = errors[name];
    return (
      <div className={`lock-settings-field${error ? ' field-invalid' : ''}`}>
        <label htmlFor={`${id}-${name}`} className="field-label">
          {f.label}（{f.unit}）
        </label>
        <input
          id={`${id}-${name}`}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          maxLength={6}
          value={input[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={[error ? `${id}-${name}-error` : '', note ? `${id}-${name}-note` : ''].join(' ').trim() || undefined}
          onChange={(e) => change(name, e.target.value)}
        />
        {note && (
          <p className="field-hint" id={`${id}-${name}-note`}>
            {note}
          </p>
        )}
        {error && (
          <p className="field-error" id={`${id}-${name}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="lock-settings">
      <h2 id={`${id}-title`}>锁屏设置</h2>
      <p>平板无人操作到设定时间即锁定，当班经办人用 PIN 解锁；当班时长从用密码登录时算起，到时须重新登录。默认：5 分钟，12 小时。</p>
      <form className="lock-settings-form" onSubmit={(e) => void submit(e)} noValidate>
        {field('idleMinutes')}
        {field('shiftHours', endsShift ? `本班已进行 ${elapsedHours} 小时以上：保存后本班立即结束，须重新登录。` : undefined)}
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
        {message && (
          <p className="lock-settings-saved" role="status">
            {message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy || !clerk}>
            {busy ? '正在保存…' : '保存锁屏设置'}
          </button>
        </div>
      </form>
    </section>
  );
}
