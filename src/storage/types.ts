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
}

export type AuditAction = 'case.create' | 'case.update' | 'case.withdraw' | 'shift.start';

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

export interface DraftRecord<T = unknown> {
  key: string;
  value: T;
  savedAt: string;
}

export interface DeviceInfo {
  /** Short random id made at first run (Crockford base32); kept when the tablet is enrolled later. */
  deviceId: string;
  createdAt: string;
}
