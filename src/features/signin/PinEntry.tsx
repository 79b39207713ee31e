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
