import { useCallback, useState } from 'react';
import type { PanelProps } from '../common/panel';
import { CaseDetailView } from '../case/CaseDetailView';
import { CaseQueue } from './CaseQueue';

export function CasesPanel({ api, onSignedOut }: PanelProps) {
  const [openId, setOpenId] = useState<string | null>(null);
  // Bumped when the open case changes, so that the queue shows its new flags and status.
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useCallback(() => setReloadKey((k) => k + 1), []);
  return (
    <div className="county-panel">
      <CaseQueue api={api} onSignedOut={onSignedOut} onOpen={setOpenId} reloadKey={reloadKey} />
      {openId && (
        <CaseDetailView
          key={openId}
          api={api}
          id={openId}
          onSignedOut={onSignedOut}
          onClose={() => setOpenId(null)}
          onChanged={reload}
          onOpen={setOpenId}
        />
      )}
    </div>
  );
}
