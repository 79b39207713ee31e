// What the repositories hand to the screens. How rows are laid out in IndexedDB is each
// repository's own business (a case's layout is private to cases-repository.ts).

import type { CaseFacts, Determination } from '../domain';
import type { Registration } from '../shared/registration';

/** Later: synced and the county's review statuses. */
export type CaseStatus = 'registered' | 'withdrawn';
export type SyncState = 'pending' | 'synced' | 'conflict';

export interface CaseRecord {
  /** A UUID v7 made on the tablet; sorts by creation time. */
  id: string;
  /** `${countyCode}-${deviceId}-${sequence, 5 digits or more}`, e.g. 150102-K7Q2MX3B-00012. */
  caseNumber: string;
  facts: CaseFacts;
  registration: Registration;
  status: CaseStatus;
  /** The latest determination, computed by the repository with the current parameter set. */
  determination: Determination;
  parameterSetVersion: string;
  /** 1 on create, +1 per change. */
  revision: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** The county user name of the signed-in clerk who created / last changed the case (absent for a name picked without signing in). */
  createdByAccount?: string;
  updatedByAccount?: string;
  deviceId: string;
  syncState: SyncState;
}

/** One row of the case list and of search results: what a list shows without the full record. */
export interface CaseSummary {
  id: string;
  caseNumber: string;
  name: string;
  /** Normalised: 18 characters, upper-case X. */
  idNumber: string;
  status: CaseStatus;
  syncState: SyncState;
  createdAt: string;
  updatedAt: string;
  inScope: boolean;
  /** Pension months to back-pay, or null when out of scope. */
  backPayMonths: number | null;
  /** The case's status at the county as last pulled (CaseSyncInfo.lifecycleStatus); set by lists, not stored on the row. */
  lifecycleStatus?: string | null;
}

/**
 * `sync.adopt`: the tablet took the county's version of a case (nothing of its own was unsent);
 * `sync.conflict`: the county and the tablet both changed it, both versions kept for the county to decide;
 * `settings.lock`: the idle lock or the length of a shift changed (`idleSeconds`, `shiftHours`, before and after).
 */
export type AuditAction = 'case.create' | 'case.update' | 'case.withdraw' | 'shift.start' | 'settings.lock' | 'sync.adopt' | 'sync.conflict' | 'sync.refused';

/** One changed field: `facts.service.discharge`, `registration.name`, `status`, `determination.inScope` … */
export interface FieldChange {
  path: string;
  /** null when the field did not exist before (a new case, a new contribution period). */
  before: unknown;
  /** null when the field no longer exists (a removed contribution period). */
  after: unknown;
}

/** Who did what, when. Append-only. */
export interface AuditEvent {
  /** A UUID v7: the table's order is the order of events. */
  id: string;
  at: string;
  /** The clerk of the shift. */
  actor: string;
  deviceId: string;
  action: AuditAction;
  caseId: string | null;
  caseNumber: string | null;
  /** The case revision this event produced. */
  revision: number | null;
  changes: FieldChange[];
  /** Why (a withdrawal's reason). */
  reason: string | null;
  /** When the county acknowledged it into its audit chain; absent until then. */
  sentAt?: string;
  /** 1 until the county acknowledged it (set on creation by openJiexuDb): the key of the sync's index. */
  unsent?: 1;
}

export type MutationKind = 'case.create' | 'case.update' | 'case.withdraw';

/** A change waiting to be pushed to the county server, in the device's order. */
export interface OutboxMutation {
  /** Per-device sequence number, 1, 2, 3 …: the push order and the server's gap check. */
  seq: number;
  /** Made on the tablet, so a push repeated after a broken connection is recognised, not applied twice. */
  mutationId: string;
  deviceId: string;
  kind: MutationKind;
  caseId: string;
  /** The revision this mutation produces, and the one it was made on (null for a create). */
  revision: number;
  baseRevision: number | null;
  at: string;
  clerk: string;
  /** The whole case after the change: the server stores states, not patches. */
  payload: CaseRecord;
}

/** What the tablet knows of a case's state at the county (from push results and pulls). */
export interface CaseSyncInfo {
  syncState: SyncState;
  /** The case's revision on the server last learnt, or null before the first acknowledgement. */
  serverRevision: number | null;
  /** The county's status of the case (received, correction requested), or null before the first pull of it. */
  countyStatus: 'received' | 'correction-requested' | null;
  /** What the county asks the window to correct (退回补正), or null. */
  correctionRequest: string | null;
  /**
   * Where the case is in its life at the county (a LifecycleStatus, or a newer server's status this
   * build does not know), or null before a pull has told it.
   */
  lifecycleStatus: string | null;
  /** The server found a case of the same ID number from another device (for the county to decide). */
  possibleDuplicate: boolean;
  /** The server's figures differ from the tablet's (a bug or tampering: the county checks). */
  figuresDiffer: boolean;
  /** When the server last acknowledged or sent this case. */
  syncedAt: string | null;
}

export interface DraftRecord<T = unknown> {
  key: string;
  value: T;
  savedAt: string;
}

export interface DeviceInfo {
  /** Short random id made at first run (Crockford base32); replaced at enrolment by the one the server assigns. */
  deviceId: string;
  createdAt: string;
}
