import { useCallback, useState } from 'react';
import { adminErrorZh, AdminApiError } from '../api';

/** Runs a call, keeps its error in Chinese; signs out on an expired session. */
export function useAction(onSignedOut: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await f();
      } catch (err) {
        if (err instanceof AdminApiError && err.code === 'unauthenticated') onSignedOut();
        setError(adminErrorZh(err));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [onSignedOut],
  );
  return { error, busy, run };
}

export type RunAction = ReturnType<typeof useAction>['run'];
