export { SyncScreen } from './SyncScreen';
export { SyncStatusBadge } from './SyncStatusBadge';
export { publishTabletSync, currentTabletSync, useTabletSyncState } from './store';
