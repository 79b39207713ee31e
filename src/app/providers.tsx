// The device database and its repositories, opened once for the page, and the clerk of the shift.
// A database written by a newer app is refused in plain Chinese; another tab upgrading the database
// shows a reload prompt (the connection stays open meanwhile, so drafts keep saving).
import { createContext, startTransition, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ParameterSet } from '../domain';
import {
  DEFAULT_DB_NAME,
  createCasesRepository,
  createClerkCredentialsRepository,
  createSyncRepository,
  createDeviceRepository,
  createDraftsRepository,
  createReferenceRepository,
  isStorageError,
  onVersionChange,
  openJiexuDb,
  readStorageEstimate,
  requestPersistence,
  storageErrorZh,
  storageWarningZh,
  type CasesRepository,
  type ClerkCredentialsRepository,
  type DeviceRepository,
  type DraftsRepository,
  type JiexuDb,
  type ReferenceRepository,
  type StorageReport,
} from '../storage';
import { onSyncRequested, requestBackgroundSync } from '../sync/background-sync';
import type { TabletSync } from '../sync/tablet-sync';
import { publishTabletSync } from '../features/sync/store';
import { useHasUnsavedInput } from './unsaved-input';
import { appVersion } from './version';
import { yieldToMain } from './yield-to-main';

export interface Repositories {
  db: JiexuDb;
  cases: CasesRepository;
  drafts: DraftsRepository;
  device: DeviceRepository;
  reference: ReferenceRepository;
  /** The tablet's short id (made at first run). */
  deviceId: string;
  /** The parameter set new determinations use (the one the repository computes with). */
  parameters: ParameterSet;
  /** Clerks who may sign in on this tablet with their PIN. */
  clerkCredentials: ClerkCredentialsRepository;
  /** Day-end sync with the county (started once the database is open). */
  tabletSync: TabletSync;
}

interface Session {
  repos: Repositories;
  clerk: string | null;
}

const RepositoriesContext = createContext<Repositories | null>(null);

interface ClerkContextValue {
  clerk: string | null;
  /** Starts a shift; `account` is the county user name of a clerk who signed in. */
  setClerk(name: string, account?: string): Promise<string>;
  /** Ends the shift: no clerk until the next sign-in. */
  endShift(): Promise<void>;
}

const ClerkContext = createContext<ClerkContextValue | null>(null);

/** The repositories of the open device database; only inside RepositoriesProvider. */
export function useRepositories(): Repositories {
  const repos = useContext(RepositoriesContext);
  if (!repos) throw new Error('useRepositories: no RepositoriesProvider above this component');
  return repos;
}

/** The clerk of the current shift (null until one is picked) and the way to start a shift. */
export function useClerk(): ClerkContextValue {
  const clerk = useContext(ClerkContext);
  if (!clerk) throw new Error('useClerk: no RepositoriesProvider above this component');
  return clerk;
}

/** Opens the database and everything the screens need from it, once. */
export async function openSession(dbName: string = DEFAULT_DB_NAME): Promise<Session> {
  // Already requested by main.tsx with the app's modules, as the first screen waits for it.
  const syncModule = import('../sync/tablet-sync');
  const db = await openJiexuDb(dbName);
  await yieldToMain();
  const reference = createReferenceRepository(db);
  const device = createDeviceRepository(db);
  const [info, parameters, clerk] = await Promise.all([device.getOrCreateDevice(), reference.currentParameterSet(), device.currentClerk()]);
  await yieldToMain();
  const cases = createCasesRepository(db, { parameters: () => reference.currentParameterSet() });
  const { createTabletSync } = await syncModule;
  const repos: Repositories = {
    db,
    cases,
    drafts: createDraftsRepository(db),
    device,
    reference,
    deviceId: info.deviceId,
    parameters,
    clerkCredentials: createClerkCredentialsRepository(db),
    tabletSync: createTabletSync({
      db,
      cases,
      device,
      sync: createSyncRepository(db, { cases, reference }),
      appVersion: appVersion(),
      requestBackgroundSync,
      onSyncRequested,
    }),
  };
  return { repos, clerk };
}

// One open per database name for the page: StrictMode's double effects and remounts share it.
const sessions = new Map<string, Promise<Session>>();

function sessionOf(dbName: string): Promise<Session> {
  let s = sessions.get(dbName);
  if (!s) {
    // Sync runs for the page's lifetime, once per open database (app start is one of its triggers).
    // The session is handed out once the sync state is read, so the shift bar and the header badge
    // appear together with the form instead of pushing it down a moment later.
    s = openSession(dbName).then((session) =>
      session.repos.tabletSync.start().then(
        () => yieldToMain().then(() => session),
        () => session,
      ),
    );
    sessions.set(dbName, s);
    // A failed open may succeed after the clerk fixes the cause (frees space, closes a tab).
    s.catch(() => sessions.delete(dbName));
  }
  return s;
}

type OpenState = { kind: 'opening' } | { kind: 'open'; session: Session } | { kind: 'failed'; error: unknown };

/** The Chinese explanation of a failed open. */
export function openFailureZh(error: unknown): { title: string; detail: string } {
  if (isStorageError(error) && error.code === 'database-newer-than-app') {
    return {
      title: '本机记录由更新版本的应用写入，当前版本无法打开',
      detail: storageErrorZh(error.code, error.details),
    };
  }
  return {
    title: '无法打开本机记录库',
    detail: isStorageError(error) ? storageErrorZh(error.code, error.details) : storageErrorZh('database-unavailable'),
  };
}

export function RepositoriesProvider({ children, dbName = DEFAULT_DB_NAME }: { children: ReactNode; dbName?: string }) {
  const [state, setState] = useState<OpenState>({ kind: 'opening' });
  const [clerk, setClerkState] = useState<string | null>(null);
  const [otherTabUpgrade, setOtherTabUpgrade] = useState(false);

  useEffect(() => {
    let live = true;
    sessionOf(dbName).then(
      (session) => {
        if (!live) return;
        publishTabletSync(session.repos.tabletSync);
        // The first mount of the intake form is large: a transition lets React yield while it renders.
        startTransition(() => {
          setClerkState(session.clerk);
          setState({ kind: 'open', session });
        });
      },
      (error: unknown) => {
        if (live) setState({ kind: 'failed', error });
      },
    );
    return () => {
      live = false;
    };
  }, [dbName]);

  const db = state.kind === 'open' ? state.session.repos.db : null;
  useEffect(() => {
    if (!db) return;
    return onVersionChange(db, () => setOtherTabUpgrade(true));
  }, [db]);

  // Until a case is synced this tablet holds the only copy: ask the browser to keep the records, and
  // say plainly when it will not.
  const [storage, setStorage] = useState<StorageReport | null>(null);
  const [storageDismissed, setStorageDismissed] = useState(false);
  useEffect(() => {
    if (!db) return;
    let live = true;
    requestPersistence()
      .catch(() => undefined)
      .then(() => readStorageEstimate())
      .then(
        (report) => live && setStorage(report),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [db]);

  const tabletSync = state.kind === 'open' ? state.session.repos.tabletSync : null;
  useEffect(() => {
    if (tabletSync) publishTabletSync(tabletSync);
  }, [tabletSync]);

  const device = state.kind === 'open' ? state.session.repos.device : null;
  const setClerk = useCallback(
    async (name: string, account?: string) => {
      if (!device) throw new Error('the database is not open yet');
      const recorded = await device.setCurrentClerk(name, account);
      setClerkState(recorded);
      return recorded;
    },
    [device],
  );
  const endShift = useCallback(async () => {
    if (!device) throw new Error('the database is not open yet');
    await device.endShift();
    setClerkState(null);
  }, [device]);
  const clerkValue = useMemo(() => ({ clerk, setClerk, endShift }), [clerk, setClerk, endShift]);

  if (state.kind === 'opening') {
    return (
      <p className="opening opening-screen" role="status">
        正在打开本机记录…
      </p>
    );
  }
  if (state.kind === 'failed') {
    const { title, detail } = openFailureZh(state.error);
    return (
      <section className="panel open-failed" role="alert" aria-labelledby="open-failed-title">
        <h2 id="open-failed-title">{title}</h2>
        <p>{detail}</p>
        <details className="banner-detail">
          <summary>技术信息</summary>
          <code>{state.error instanceof Error ? state.error.message : String(state.error)}</code>
        </details>
      </section>
    );
  }
  return (
    <RepositoriesContext.Provider value={state.session.repos}>
      <ClerkContext.Provider value={clerkValue}>
        {otherTabUpgrade && <OtherTabUpgradeBanner />}
        {children}
        {/* Below the screen: the estimate arrives after the form is shown and must not push it down. */}
        {storage && storage.warnings.length > 0 && !storageDismissed && (
          <section className="banner banner-warning storage-warning" aria-label="本机存储" data-testid="storage-warning">
            {storage.warnings.map((w) => (
              <p key={w} className="banner-text">
                {storageWarningZh(w, storage)}
              </p>
            ))}
            <button type="button" className="button" onClick={() => setStorageDismissed(true)}>
              知道了
            </button>
          </section>
        )}
      </ClerkContext.Provider>
    </RepositoriesContext.Provider>
  );
}

/** Another tab runs a newer app and waits for this one to let go of the database. */
function OtherTabUpgradeBanner() {
  const dirty = useHasUnsavedInput();
  return (
    <section className="banner banner-update" aria-label="版本更新" role="alert">
      <p className="banner-text">另一个窗口已启用新版本，需要重新载入本页才能继续使用新版本。正在填写的内容已自动保存为草稿，重新载入后会恢复。</p>
      <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
        {dirty ? '重新载入（草稿已保存）' : '重新载入'}
      </button>
    </section>
  );
}
