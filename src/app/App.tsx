import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { IntakeScreen } from '../features/intake';
import { ClerkBar } from '../features/signin/ClerkBar';
import { AppShell } from './AppShell';
import { createLockStore, LockContext } from './lock';
import { LockGate } from './LockGate';
import { RepositoriesProvider } from './providers';
import { paths, useRoute, type Route } from './router';
import type { ServiceWorkerUpdater } from './sw-registration';

// Only the intake is on the first screen; the list (virtualised, pinyin search), the case detail and
// the print pages (QR, print styles) load when opened. The service worker precaches their chunks,
// so they open offline too.
const CaseListScreen = lazy(() => import('../features/cases/CaseListScreen').then((m) => ({ default: m.CaseListScreen })));
const CaseDetailScreen = lazy(() => import('../features/cases/CaseDetailScreen').then((m) => ({ default: m.CaseDetailScreen })));
const StoragePanel = lazy(() => import('./StoragePanel').then((m) => ({ default: m.StoragePanel })));
const LockSettingsPanel = lazy(() => import('./LockSettingsPanel').then((m) => ({ default: m.LockSettingsPanel })));
const SyncRoute = lazy(() => import('../features/sync/SyncRoute').then((m) => ({ default: m.SyncRoute })));
const CountyPage = lazy(() => import('../features/county/CountyPage').then((m) => ({ default: m.CountyPage })));
const PrintScreen = lazy(() => import('../features/print/PrintScreen').then((m) => ({ default: m.PrintScreen })));

function Loading() {
  return (
    <p className="opening" role="status">
      正在打开…
    </p>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <section className="panel" role="alert">
      <h2>找不到页面</h2>
      <p>地址“{path}”不是本应用的页面。</p>
      <div className="actions">
        <a className="button button-primary" href={paths.intake()}>
          回到受理登记
        </a>
      </div>
    </section>
  );
}

function Screen({ route }: { route: Route }): ReactNode {
  switch (route.name) {
    case 'intake':
      return <IntakeScreen caseId={route.caseId} />;
    case 'cases':
      return (
        <>
          <CaseListScreen />
          <StoragePanel />
          <LockSettingsPanel />
        </>
      );
    case 'case':
      return <CaseDetailScreen key={route.id} caseId={route.id} />;
    case 'print':
      return <PrintScreen key={`${route.id}/${route.kind}`} caseId={route.id} kind={route.kind} />;
    case 'sync':
      return <SyncRoute />;
    case 'county':
      return null;
    case 'not-found':
      return <NotFound path={route.path} />;
  }
}

/**
 * The app: the shell, the device's records, the clerk of the shift, and the screen of the address,
 * behind the lock. The lock store is made with the page, so every load of the page starts locked.
 */
export function App({ updater }: { updater: ServiceWorkerUpdater }) {
  const route = useRoute();
  const [lock] = useState(() => createLockStore());
  useEffect(() => () => lock.dispose(), [lock]);
  if (route.name === 'county') {
    // The county office's page talks to the server only: no device records, no shift.
    return (
      <AppShell updater={updater} route={route}>
        <Suspense fallback={<Loading />}>
          <CountyPage />
        </Suspense>
      </AppShell>
    );
  }
  return (
    <LockContext.Provider value={lock}>
      <AppShell updater={updater} route={route}>
        <RepositoriesProvider>
          <LockGate>
            {route.name !== 'print' && <ClerkBar />}
            <Suspense fallback={<Loading />}>
              <Screen route={route} />
            </Suspense>
          </LockGate>
        </RepositoriesProvider>
      </AppShell>
    </LockContext.Provider>
  );
}
