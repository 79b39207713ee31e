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
  lastSeenAt: string | null;
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
