import { useCallback, useEffect, useState, type SelectHTMLAttributes } from 'react';
import type { AdminApi, Township } from '../api';
import type { RunAction } from './useAction';

export function useTownships(api: AdminApi, run: RunAction) {
  const [townships, setTownships] = useState<Township[]>([]);
  const reload = useCallback(() => {
    void run(() => api.townships()).then((t) => t && setTownships(t));
  }, [api, run]);
  useEffect(reload, [reload]);
  return { townships, reload };
}

/** A township picker; `rest` passes what a form field wants (aria-invalid, aria-describedby). */
export function TownshipSelect({ townships, value, onChange, id, ...rest }: { townships: Township[]; value: string; onChange(v: string): void; id: string } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'id'>) {
  return (
    <select {...rest} id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">请选择</option>
      {townships.map((t) => (
        <option key={t.code} value={t.code}>
          {t.name}（{t.code}）
        </option>
      ))}
    </select>
  );
}
