// Opening the device database: refuses a database written by a newer app, declares every schema
// version with its upgrade step, and keeps the connection open when another tab wants to upgrade,
// so this tab can still save what the clerk is typing until he agrees to reload.

import Dexie, { type Table } from 'dexie';
import { StorageError } from './errors';
import { SCHEMA_VERSIONS, checkSchemaRegistry, type SchemaVersion } from './schema';
import type { CaseFacts, Determination } from '../domain';
import type { Registration } from '../shared/registration';
import type { AuditEvent, CaseRecord, CaseSummary, CaseSyncInfo, DraftRecord, OutboxMutation } from './types';
import type { TabletCaseRefusal } from '../shared/sync-protocol';

/** A case's search keys (the `cases` table's indexes), derived by cases-repository.ts. */
export interface SearchKeys {
  v: number;
  /** The ID number, 18 characters, upper-case X. */
  id: string;
  /** The same reversed: a prefix of it is a suffix of the number ("last 4 digits"). */
  idRev: string;
  /** The name without spaces and separators, lower-case. */
  name: string;
  /** Pinyin initials, every plausible reading (multi-entry index). */
  initials: string[];
}

/** A light row of the `cases` table: what the case list shows, and who changed it when. */
export interface CaseRow
  extends CaseSummary,
    Pick<CaseRecord, 'revision' | 'createdBy' | 'updatedBy' | 'createdByAccount' | 'updatedByAccount' | 'parameterSetVersion'> {
  deviceId: string;
  keys: SearchKeys;
  /** What the server said of the case; absent until the first push result or pull of it. */
  sync?: CaseSyncRow;
}

/** The county side of a case as the tablet last learnt it (a CaseRow field, no index). */
export interface CaseSyncRow {
  serverRevision: number | null;
  countyStatus: CaseSyncInfo['countyStatus'];
  correctionRequest: string | null;
  /** Absent on rows written before the tablet learnt it. */
  lifecycleStatus?: string | null;
  possibleDuplicate: boolean;
  figuresDiffer: boolean;
  syncedAt: string | null;
  /** Why the server refused the case's last change (its case number): absent or null when it did not. */
  refusal?: TabletCaseRefusal | null;
}

/** A row of the `caseDetails` table. */
export interface CaseDetailRow {
  id: string;
  facts: CaseFacts;
  registration: Registration;
  determination: Determination;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export interface ReferenceRow {
  /** `${kind}/${version}`. */
  key: string;
  kind: string;
  version: string;
  value: unknown;
  savedAt: string;
}

/** The tables are for the repositories in this folder; screens use the repositories. */
export type JiexuDb = Dexie & {
  cases: Table<CaseRow, string>;
  caseDetails: Table<CaseDetailRow, string>;
  drafts: Table<DraftRecord, string>;
  outbox: Table<OutboxMutation, number>;
  reference: Table<ReferenceRow, string>;
  audit: Table<AuditEvent, string>;
  meta: Table<MetaRow, string>;
};

export const DEFAULT_DB_NAME = 'jiexu';

export interface VersionChangeInfo {
  /** The schema version the other tab opens, or null when it deletes the database. */
  newVersion: number | null;
}

type VersionChangeListener = (info: VersionChangeInfo) => void;

interface ConnectionState {
  listeners: Set<VersionChangeListener>;
  /** Set once another tab asked; a listener subscribing later is told at once. */
  pending: VersionChangeInfo | null;
}

const connections = new WeakMap<Dexie, ConnectionState>();

export interface OpenOptions {
  /** Called when this app's upgrade waits for another tab (an older version) to close the database. */
  onBlocked?: () => void;
}

function dexieVersionOf(nativeVersion: number): number {
  return nativeVersion / 10;
}

/**
 * The schema version of the database named `name` as installed on this device, or null when there is
 * none. Opens without a version, so it never upgrades anything; a database this open would create is
 * aborted in its upgrade step, which leaves none behind (as Dexie's own probe does, without building
 * a second Dexie instance on a slow tablet's first screen).
 */
export function installedSchemaVersion(name: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    let creating = false;
    const request = Dexie.dependencies.indexedDB.open(name);
    request.onupgradeneeded = (event) => {
      if (event.oldVersion === 0) {
        creating = true;
        request.transaction?.abort();
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      const version = db.version;
      db.close();
      resolve(dexieVersionOf(version));
    };
    request.onerror = (event) => {
      if (creating) {
        event.preventDefault();
        resolve(null);
      } else reject(request.error ?? new Error(`cannot open IndexedDB database "${name}"`));
    };
  });
}

function newerError(name: string, installed: number, supported: number): StorageError {
  return new StorageError(
    'database-newer-than-app',
    `database "${name}" has schema version ${installed}, newer than the ${supported} this app knows; refusing to open it`,
    { installedVersion: installed, supportedVersion: supported },
  );
}

/**
 * Opens (creating or upgrading) a database with the given schema versions. The app uses
 * openJiexuDb; tests pass their own versions to exercise the upgrade mechanism.
 */
export async function openDatabase(name: string, versions: readonly SchemaVersion[], options: OpenOptions = {}): Promise<JiexuDb> {
  checkSchemaRegistry(versions);
  const supported = versions[versions.length - 1]!.version;

  let installed: number | null;
  try {
    installed = await installedSchemaVersion(name);
  } catch (e) {
    throw new StorageError('database-unavailable', `cannot open IndexedDB database "${name}": ${String(e)}`, {}, { cause: e });
  }
  if (installed !== null && installed > supported) throw newerError(name, installed, supported);

  // autoOpen off: a connection closed under us fails loudly instead of silently reopening, which
  // Dexie would do at whatever (possibly newer) version it finds.
  const db = new Dexie(name, { autoOpen: false }) as JiexuDb;
  for (const v of versions) {
    const declared = db.version(v.version).stores(v.stores);
    const step = v.upgrade;
    if (step) {
      declared.upgrade(async (tx) => {
        try {
          await step(tx);
        } catch (e) {
          throw new StorageError('database-upgrade-failed', `upgrade of "${name}" to schema version ${v.version} failed: ${String(e)}`, { installedVersion: installed ?? 0, supportedVersion: supported }, { cause: e });
        }
      });
    }
  }

  const state: ConnectionState = { listeners: new Set(), pending: null };
  connections.set(db, state);
  db.on('versionchange', (event: IDBVersionChangeEvent) => {
    const info: VersionChangeInfo = { newVersion: event.newVersion ? dexieVersionOf(event.newVersion) : null };
    state.pending = info;
    for (const listener of [...state.listeners]) listener(info);
    // Returning false keeps this connection open (Dexie would close it): drafts keep saving until
    // the page reloads; the other tab waits meanwhile.
    return false;
  });
  if (options.onBlocked) {
    const onBlocked = options.onBlocked;
    db.on('blocked', () => onBlocked());
  }

  try {
    await db.open();
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError('database-unavailable', `cannot open IndexedDB database "${name}": ${String(e)}`, {}, { cause: e });
  }
  // Another tab may have upgraded between the check and the open.
  const opened = dexieVersionOf(db.backendDB().version);
  if (opened > supported) {
    db.close();
    throw newerError(name, opened, supported);
  }
  return db;
}

/**
 * Opens the device database. Rejects with StorageError `database-newer-than-app` when it was
 * written by a newer app version (never touching it), `database-unavailable` when IndexedDB fails.
 */
export async function openJiexuDb(name: string = DEFAULT_DB_NAME, options: OpenOptions = {}): Promise<JiexuDb> {
  const db = await openDatabase(name, SCHEMA_VERSIONS, options);
  // Here rather than in each writer: an entry of any screen, present or future, is found by the sync.
  db.audit.hook('creating', (_id, event) => {
    if (event.sentAt === undefined) event.unsent = 1;
  });
  return db;
}

/**
 * Calls `listener` when another tab opens a newer version of the app's database (or deletes it). The
 * connection stays open so input can still be saved; the screen should ask the clerk to reload.
 * Returns the unsubscribe.
 */
export function onVersionChange(db: Dexie, listener: VersionChangeListener): () => void {
  const state = connections.get(db);
  if (!state) throw new Error('onVersionChange: the database was not opened with openJiexuDb');
  state.listeners.add(listener);
  if (state.pending) listener(state.pending);
  return () => {
    state.listeners.delete(listener);
  };
}
