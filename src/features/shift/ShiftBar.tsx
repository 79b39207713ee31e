// 当班经办人: the clerk picks his name at the start of a shift (names used on this tablet are
// remembered; a new one can be added) and every case records it. The tablet's short id is shown,
// because case numbers are built from it.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useClerk, useRepositories } from '../../app/providers';
import { saveErrorZh } from '../labels';
import './shift.css';

export function ShiftBar() {
  const { clerk, setClerk } = useClerk();
  const { device, deviceId } = useRepositories();
  const [picking, setPicking] = useState(clerk === null);
  const [known, setKnown] = useState<string[]>([]);
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const open = picking || clerk === null;

  useEffect(() => {
    if (!open) return;
    let live = true;
    void device.knownClerks().then((names) => live && setKnown(names));
    return () => {
      live = false;
    };
  }, [device, open]);

  const start = async (name: string) => {
    setBusy(true);
    setError(null);
    try {
      await setClerk(name);
      setPicking(false);
      setNewName('');
    } catch (e) {
      setError(saveErrorZh(e));
    } finally {
      setBusy(false);
    }
  };

  const addNew = (e: FormEvent) => {
    e.preventDefault();
    if (newName.trim() === '') {
      setError('请填写经办人姓名');
      return;
    }
    void start(newName);
  };

  return (
    <section className={`shift-bar${open ? ' shift-bar-open' : ''}`} id="shift-bar" aria-labelledby={`${id}-title`} data-testid="shift-bar">
      <div className="shift-line">
        <h2 id={`${id}-title`} className="shift-title">
          当班经办人
        </h2>
        {clerk ? (
          <strong className="shift-clerk" data-testid="current-clerk">
            {clerk}
          </strong>
        ) : (
          <span className="shift-missing">未选择：请先选择本人姓名</span>
        )}
        {clerk && !picking && (
          <button type="button" className="button button-quiet" onClick={() => setPicking(true)}>
            换班
          </button>
        )}
        <span className="shift-device">
          本机编号 <code data-testid="device-id">{deviceId}</code>
        </span>
      </div>
      {open && (
        <div className="shift-picker">
          {known.length > 0 && (
            <div className="shift-known" role="group" aria-label="选择本人姓名">
              {known.map((name) => (
                <button key={name} type="button" className={`button${name === clerk ? ' button-primary' : ''}`} disabled={busy} onClick={() => void start(name)}>
                  {name}
                </button>
              ))}
            </div>
          )}
          <form className="shift-new" onSubmit={addNew}>
            <label htmlFor={`${id}-name`} className="field-label">
              {known.length > 0 ? '不在列表中？添加姓名' : '经办人姓名'}
            </label>
            <div className="shift-new-row">
              <input
                id={`${id}-name`}
                type="text"
                value={newName}
                maxLength={50}
                autoComplete="off"
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onChange={(e) => setNewName(e.target.value)}
              />
              <button type="submit" className="button button-primary" disabled={busy}>
                开始当班
              </button>
              {clerk && (
                <button type="button" className="button" onClick={() => setPicking(false)}>
                  取消
                </button>
              )}
            </div>
            {error && (
              <p className="field-error" id={`${id}-error`} role="alert">
                {error}
              </p>
            )}
          </form>
        </div>
      )}
    </section>
  );
}
