import { useSyncExternalStore, type ReactNode } from 'react';
import { SyncStatusBadge } from '../features/sync/SyncStatusBadge';
import { useLockStore, useLockView } from './lock';
import { useNetworkState } from './network-state';
import { paths, type Route } from './router';
import type { ServiceWorkerUpdater } from './sw-registration';
import { UpdateBanner } from './UpdateBanner';
import { appVersion } from './version';
import './app-nav.css';

export const APP_TITLE = '退役士兵社保接续 · 窗口受理';

/** 受理 and 记录: the two places a clerk goes; the current one is marked for screen readers too. */
function AppNav({ route }: { route: Route }) {
  const inIntake = route.name === 'intake';
  const inCases = route.name === 'cases' || route.name === 'case' || route.name === 'print';
  return (
    <nav className="app-nav" aria-label="主要功能">
      <a className="app-nav-link" href={paths.intake()} aria-current={inIntake ? 'page' : undefined}>
        受理
      </a>
      <a className="app-nav-link" href={paths.cases()} aria-current={inCases ? 'page' : undefined}>
        记录
      </a>
      <a className="app-nav-link" href={paths.sync()} aria-current={route.name === 'sync' ? 'page' : undefined}>
        同步
      </a>
    </nav>
  );
}

/**
 * The frame every screen lives in: title, navigation, network state, version, the update banner.
 * A feature screen is the `children`, mounted in <main id="main">.
 */
export function AppShell({ updater, route, children }: { updater: ServiceWorkerUpdater; route?: Route; children: ReactNode }) {
  const { online } = useNetworkState();
  const sw = useSyncExternalStore(updater.subscribe, updater.getState, updater.getState);
  const lock = useLockStore();
  const lockView = useLockView();
  // A locked tablet's header tells nothing of its records: no navigation, no count of unsynced cases.
  const locked = lockView?.locked ?? false;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        跳到主要内容
      </a>
      <header className="app-header">
        <h1 className="app-title">{APP_TITLE}</h1>
        {route && !locked && <AppNav route={route} />}
        <div className="app-status">
          {route?.name !== 'county' && !locked && <SyncStatusBadge href={paths.sync()} />}
          {lock && lockView && !locked && (
            <button type="button" className="button button-quiet app-lock" onClick={() => lock.dispatch({ type: 'lock', at: lock.now() })} data-testid="lock-now">
              锁定
            </button>
          )}
          <span className={online ? 'network network-online' : 'network network-offline'} role="status" data-testid="network-state">
            <span className="network-dot" aria-hidden="true" />
            {online ? '在线' : '离线'}
          </span>
          <span className="app-version">
            版本 <span data-testid="app-version">{appVersion()}</span>
            {sw.status === 'ready' && <span className="offline-ready"> · 可离线使用</span>}
          </span>
        </div>
      </header>
      <UpdateBanner updater={updater} />
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="app-footer">
        政策依据：内政办字〔2019〕43号
      </footer>
    </div>
  );
}
