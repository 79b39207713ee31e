// The clerk's name, the 6-digit PIN field and its error: the same on the lock screen (a clerk of a
// tablet with no county) and in the sign-in of a clerk whose shift is locked.
export function PinEntry({ id, clerkName, pin, onPin, disabled, error }: { id: string; clerkName: string; pin: string; onPin(pin: string): void; disabled: boolean; error: string | null }) {
  return (
    <>
      <p>
        经办人：<strong>{clerkName}</strong>
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
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onPin(e.target.value.replace(/\D/g, ''))}
      />
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </>
  );
}

const sixDigits = (v: string) => v.replace(/\D/g, '').slice(0, 6);

/** A new PIN typed twice and the error of setting it: for a clerk after his online sign-in, and for a clerk of this tablet. */
export function NewPinFields({ id, pin, again, onPin, onAgain, error }: { id: string; pin: string; again: string; onPin(pin: string): void; onAgain(pin: string): void; error: string | null }) {
  return (
    <>
      <label htmlFor={`${id}-pin`} className="field-label">
        新 PIN
      </label>
      <input id={`${id}-pin`} type="password" inputMode="numeric" autoComplete="new-password" maxLength={6} value={pin} onChange={(e) => onPin(sixDigits(e.target.value))} />
      <label htmlFor={`${id}-again`} className="field-label">
        再输入一次
      </label>
      <input id={`${id}-again`} type="password" inputMode="numeric" autoComplete="new-password" maxLength={6} value={again} onChange={(e) => onAgain(sixDigits(e.target.value))} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
