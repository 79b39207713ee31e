// A county server's weekly report as a signed file a league server imports, for leagues whose counties
// run their own servers (src/server/reports/exchange.ts). The signature covers the payload's canonical
// JSON (src/shared/canonical-json.ts), so whoever holds the county's public key can check the file
// with any JCS implementation, whatever whitespace or key order the file travelled in.

import type { ReportingWeek, WeeklyReport } from './reports';

export const SIGNED_WEEKLY_FORMAT = 'jiexu.signed-weekly-report';
export const SIGNED_WEEKLY_FORMAT_VERSION = 1;

export type ReportKeyAlgorithm = 'Ed25519' | 'ECDSA-P256-SHA256';

export interface SignedWeeklyPayload {
  format: typeof SIGNED_WEEKLY_FORMAT;
  formatVersion: typeof SIGNED_WEEKLY_FORMAT_VERSION;
  county: { code: string; name: string };
  week: ReportingWeek;
  /** When the county server made the file (ISO): of two versions of one week, the later one is shown. */
  generatedAt: string;
  report: WeeklyReport;
}

export interface SignedWeeklyFile {
  payload: SignedWeeklyPayload;
  signature: {
    algorithm: ReportKeyAlgorithm;
    /** SHA-256 of the signing key's SPKI DER, hex: which registered key to check it with. */
    keyFingerprint: string;
    /** Base64 (ECDSA: r‖s, IEEE P1363). */
    value: string;
  };
}

/** GET /api/admin/report-exchange/signing-key: what a county gives its league to register. */
export interface ReportSigningKeyInfo {
  algorithm: ReportKeyAlgorithm;
  /** SPKI, PEM. */
  publicKey: string;
  fingerprint: string;
  createdAt: string;
}

/** POST /api/admin/report-exchange/county-keys body. */
export interface RegisterCountyKeyRequest {
  countyCode: string;
  publicKey: string;
}

export interface CountyKeyItem {
  countyCode: string;
  algorithm: ReportKeyAlgorithm;
  fingerprint: string;
  registeredBy: string;
  registeredAt: string;
}

/** POST /api/admin/report-exchange/imports answer. */
export interface WeeklyImportResult {
  id: string;
  countyCode: string;
  weekStart: string;
  generatedAt: string;
  payloadSha256: string;
  /** The same file was imported before: nothing new was stored. */
  duplicate: boolean;
  /** Its figures are the ones shown for that county and week (false: a later version already was). */
  shown: boolean;
  /** The import it replaced in the reports, kept beside it; null if none. */
  supersedes: string | null;
}

/** Why an import is refused (error codes; the county page turns them into Chinese). */
export const REPORT_IMPORT_REFUSALS = ['bad-signature', 'unknown-county-key', 'not-in-area'] as const;
export type ReportImportRefusal = (typeof REPORT_IMPORT_REFUSALS)[number];
