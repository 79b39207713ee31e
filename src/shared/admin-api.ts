// What the county administration API answers: one definition for the server that builds it and the
// county page that shows it.

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
  flags: { conflict: boolean; possibleDuplicate: boolean; figuresDiffer: boolean };
  receivedAt: string;
  updatedAt: string;
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
}
