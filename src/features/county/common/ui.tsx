import type { ReactNode } from 'react';

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="field-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function Field({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
    </>
  );
}
