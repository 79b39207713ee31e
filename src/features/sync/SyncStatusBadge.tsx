// Always in the shell header: how many changes wait for the county, and when sync last succeeded.
import { useTabletSyncState } from './store';
import { syncTimeZh } from './format';
import './sync.css';

export function SyncStatusBadge({ href }: { href: string }) {
  const state = useTabletSyncState();
  if (!state || !state.loaded) {
    // Holds the badge's place in the header until the sync state is read, so nothing below moves.
    return (
      <span className="sync-badge sync-badge-placeholder" aria-hidden="true">
        <span>待同步 0 条</span>
        <span className="sync-badge-last">上次同步 从未</span>
        <span className="sync-badge-note">未注册</span>
      </span>
    );
  }
  let note: string | null = null;
  if (!state.enrolment) note = '未注册';
  else if (state.revoked) note = '已停用';
  else if (state.updateRequired) note = '请更新应用';
  else if (state.running) note = state.progress ? `同步中 ${state.progress.sent}/${state.progress.total}` : '同步中';
  return (
    <a className={`sync-badge${state.pending > 0 ? ' sync-badge-pending' : ''}${note && !state.running ? ' sync-badge-alert' : ''}`} href={href} data-testid="sync-badge">
      <span>
        待同步 <strong data-testid="pending-count">{state.pending}</strong> 条
      </span>
      <span className="sync-badge-last">
        上次同步 <span data-testid="last-sync">{syncTimeZh(state.lastSuccessAt)}</span>
      </span>
      {note && <span className="sync-badge-note">{note}</span>}
    </a>
  );
}
