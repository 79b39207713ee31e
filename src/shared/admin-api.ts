// What the county administration API answers: one definition for the server that builds it and the
// county page that shows it.

import type { LifecycleStatus } from './case-lifecycle';
import type { Area, Role } from './roles';

export const UNIT_PAYERS = ['unit', 'superior', 'fiscal'] as const;
export type UnitPayer = (typeof UNIT_PAYERS)[number];

/** A synced case in the county's lists (GET /api/admin/cases). */
export interface CaseListItem {
  id: string;
  caseNumber: string;
  name: string;
  idNumber: string;
  deviceId: string;
  townshipCode: string;
  status: string;
  countyStatus: string;
  revision: number;
  parametersVersion: string;
  /** Where the case is in its county lifecycle (shared/case-lifecycle.ts). */
  lifecycleStatus: LifecycleStatus;
  /** When it entered that status (ISO; null: not known), what the overdue queue measures. */
  lifecycleSince: string | null;
  /** Who pays the unit's share by the server's determination; null: none (e.g. out of scope). */
  unitPayer: UnitPayer | null;
  /**
   * clerkUnverified: a version came with a clerk account the server could not verify (see the versions).
   * lateApplication / provisionalParameters: by the server's determination; false also when not known
   * (cases received before the server kept them).
   */
  flags: { conflict: boolean; possibleDuplicate: boolean; figuresDiffer: boolean; clerkUnverified: boolean; lateApplication: boolean; provisionalParameters: boolean };
  /** The county user name of the clerk who registered the case (case.create), or null when the tablet sent none. */
  registeredBy: string | null;
  receivedAt: string;
  updatedAt: string;
}

/** The county reviewer's queue (GET /api/admin/cases): one page of the cases that match, and how many match. */
export interface CaseQueuePage {
  cases: CaseListItem[];
  /** Every matching case of the caller's area, not only this page's. */
  total: number;
  offset: number;
  limit: number;
}

/** An enrolled tablet (GET /api/admin/devices). */
export interface DeviceItem {
  deviceId: string;
  townshipCode: string;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeq: number;
  /** Its last push or pull (or its enrolment). */
  lastSeenAt: string | null;
  /** Not revoked and not seen for longer than the server's STALE_DEVICE_DAYS: the devices list raises it. */
  stale: boolean;
  appVersion: string | null;
  /** Every revocation of the device, oldest first: who, when, why, and when it was enrolled again. */
  revocations: { revokedAt: string; revokedBy: string; reason: string; reenrolledAt: string | null }[];
}

/** A county account (GET /api/admin/accounts). */
export interface AccountListItem {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  area: Area;
  /** A window clerk's or outreach worker's township (his area); null for the other roles. */
  townshipCode: string | null;
  active: boolean;
  /** Its password was reset to a one-time password not yet changed. */
  mustChangePassword: boolean;
  /** Locked after repeated wrong passwords until then (ISO 8601); the admin may unlock it sooner. */
  signInLockedUntil: string | null;
}

/** A user name or client address with failed guesses still counted (GET /api/admin/sign-in-locks). */
export interface SignInLockItem {
  /** account: a user name (known or not); address / enrolment-address: where passwords / enrolment codes came from. */
  kind: 'account' | 'address' | 'enrolment-address';
  subject: string;
  failures: number;
  lastFailureAt: string;
  /** Null when counted but not locked now. */
  lockedUntil: string | null;
}

/** Who is signed in on the county page (GET /api/admin/session, and the answer of POST /api/admin/login). */
export interface SessionInfo {
  username: string;
  displayName: string;
  role: Role;
  area: Area;
  /** Signed in with a one-time password: the page shows only the form to change it. */
  mustChangePassword: boolean;
  /** The actions of the policy table this account may take (in its area): the page shows only those. */
  actions: string[];
  expiresAt?: string;
}

/** Pension and medical are separate tracks of agency findings (medical back-payment comes at retirement). */
export const AGENCY_TRACKS = ['pension', 'medical'] as const;
export type AgencyTrack = (typeof AGENCY_TRACKS)[number];

/** What the reviewer records of an agency's computation (POST /api/admin/cases/:id/agency-findings). */
export interface AgencyFindingInput {
  track: AgencyTrack;
  gapMonths: number;
  /** Yuan with at most two decimals (`"1234.56"`). */
  unitAmount: string;
  individualAmount: string;
  agencyName: string;
  documentNumber: string;
  /** YYYY-MM-DD. */
  documentDate: string;
  /** YYYY-MM-DD: the agency's computation date, the engine's as-of date for the comparison. */
  computedOn: string;
}

/** An agency's figures beside the engine's re-run with the agency's months (NM43-1.4.b). */
export interface AgencyFindingView extends AgencyFindingInput {
  id: string;
  caseId: string;
  recordedBy: string;
  recordedAt: string;
  engine: { gapMonths: number | null; unitAmount: string | null; individualAmount: string | null; error: string | null };
  parameterVersion: string;
  differs: boolean;
  /** Agency total − engine total, signed, yuan to the fen. */
  differenceAmount: string;
  auditSeq: number;
  /** The later finding of the same case and track that replaced it; null: in force. */
  supersededBy: string | null;
}

/** Who pays the unit's share when the original unit does not. */
export const CONFIRMED_PAYERS = ['superior', 'fiscal'] as const;
export type ConfirmedPayer = (typeof CONFIRMED_PAYERS)[number];

/**
 * The same-level government's confirmation that the unit (or its superior) is gone or unable to pay
 * (NM43-1.2.c), so that the superior (or public funds) pays (POST /api/admin/cases/:id/payer-confirmations).
 */
export interface PayerConfirmationInput {
  payer: ConfirmedPayer;
  /** Which government confirmed it (e.g. 某某旗人民政府). */
  government: string;
  /** YYYY-MM-DD. */
  confirmedOn: string;
  documentNumber: string;
}

export interface PayerConfirmationView extends PayerConfirmationInput {
  id: string;
  caseId: string;
  recordedBy: string;
  recordedAt: string;
  auditSeq: number;
  supersededBy: string | null;
}

/** One row of an agency results file as the preview judged it (POST /api/admin/agency-results/preview). */
export interface AgencyResultRow {
  /** 1-based, counting the header row, as a spreadsheet shows it. */
  row: number;
  /** The matched case, when one matched in the caller's area. */
  caseId: string | null;
  caseNumber: string | null;
  input: AgencyFindingInput | null;
  problems: { column: string; message: string }[];
}

export interface AgencyResultsPreview {
  rows: AgencyResultRow[];
  good: number;
  bad: number;
}

export interface AgencyResultsCommit extends AgencyResultsPreview {
  recorded: number;
}
