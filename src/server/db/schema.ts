import type { Generated } from 'kysely';
import type { CaseStep, LifecycleStatus } from '../../shared/case-lifecycle';
import type { AreaLevel, Role } from '../../shared/roles';
import type { UnitPayer } from '../../shared/admin-api';

/** Tables as the server's Kysely queries see them. Each migration that adds a table adds it here. */
export interface ServerMetaTable {
  key: string;
  value: string;
  /** ISO 8601 UTC. */
  updated_at: string;
}

/** 0 or 1: both databases store flags as integers. */
export type Flag = number;

export interface TownshipsTable {
  /** 9-digit township code: the county's 6 digits + 3. */
  code: string;
  name: string;
  county_code: string;
  created_at: string;
}

export type { Role };

export interface AccountsTable {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  /** A tablet role's township (the same as its area); null for every other role. */
  township_code: string | null;
  /** The account's area (migration 0008): a 盟市 and a county code both have 6 digits, hence the level. */
  area_level: AreaLevel;
  area_code: string;
  /** scrypt, see auth/passwords.ts. */
  password_hash: string;
  active: Flag;
  /** Set by an admin's reset (a one-time password): until changed, the account may only change it. */
  must_change_password: Generated<Flag>;
  /** Its sessions were revoked: its tablets forget its PIN at their next pull, until it signs in online on one again. */
  pin_revoked: Generated<Flag>;
  created_at: string;
  updated_at: string;
}

export interface AdminSessionsTable {
  token_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
}

export interface EnrolmentCodesTable {
  /** SHA-256 of the normalised code: the code itself is shown once and never stored. */
  code_hash: string;
  township_code: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  redeemed_at: string | null;
  redeemed_by_device: string | null;
  /** Thumbprint of the key the code was redeemed with: only that key gets the answer again. */
  key_thumbprint: Generated<string | null>;
}

export interface DevicesTable {
  device_id: string;
  township_code: string;
  /** SHA-256 of the bearer credential. */
  credential_hash: string;
  enrolled_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  /** The last outbox seq applied: the next push must start at last_seq + 1 (or repeat ≤ last_seq). */
  last_seq: number;
  last_seen_at: string | null;
  app_version: string | null;
  /** The tablet's ECDSA P-256 public key (JWK, JSON); null for devices enrolled before device keys. */
  public_key: Generated<string | null>;
  /** Of public_key: every device id one tablet was enrolled under shares it. */
  key_thumbprint: Generated<string | null>;
  /** The id the tablet numbered its cases with before this enrolment, when it was another. */
  local_device_id: Generated<string | null>;
}

/** One revocation of a device: kept when the device is enrolled again. */
export interface DeviceRevocationsTable {
  id: string;
  device_id: string;
  revoked_at: string;
  revoked_by: string;
  /** Why, as the administrator gave it ('' when he gave none). */
  reason: string;
  /** When the device was enrolled again after this revocation, if it was. */
  reenrolled_at: string | null;
}

export interface CasesTable {
  id: string;
  case_number: string;
  device_id: string;
  township_code: string;
  /** Normalised 18-character ID number: what possible duplicates are found by. */
  id_number: string;
  name: string;
  status: 'registered' | 'withdrawn';
  county_status: 'received' | 'correction-requested';
  correction_request: string | null;
  /** JSON. */
  facts: string;
  /** JSON. */
  registration: string;
  /** Tablet and county changes share this sequence; a tablet change based on an older one is a conflict. */
  revision: number;
  current_version_id: string;
  parameters_version: string;
  conflict: Flag;
  possible_duplicate: Flag;
  figures_differ: Flag;
  received_at: string;
  updated_at: string;
  updated_by: string;
  /** The county user name the tablet sent with case.create; null from tablets that sent none. */
  registered_by_account: Generated<string | null>;
  /** A version came with a clerk account the server could not verify (see case_versions.clerk_problem). */
  clerk_unverified: Generated<Flag>;
  /** A version came with a clerk token that had expired (a soft flag: the clerk was otherwise proved). */
  clerk_token_expired: Generated<Flag>;
  /** Where the case is in its signed county lifecycle (migration 0011); changed only by a step or a tablet's correction. */
  lifecycle_status: Generated<LifecycleStatus>;
  /** Who pays the unit's share by the server's determination (migration 0012); null: none. */
  unit_payer: Generated<UnitPayer | null>;
  /** 1: applied after the deadline, by the server's determination; null: received before migration 0012. */
  application_late: Generated<Flag | null>;
  /** 1: the determination used a provisional parameter; null: received before migration 0012. */
  provisional_parameters: Generated<Flag | null>;
  /** The name's pinyin readings, each after a space (shared/pinyin.ts namePinyinSearchText). */
  name_pinyin: Generated<string>;
  /** When the case entered its lifecycle status (migration 0015), what the overdue queue measures; null: not known. */
  lifecycle_since: Generated<string | null>;
}

export type { UnitPayer };

/** One signed step of a case's lifecycle: never changed, only marked void when a correction sends the case back. */
export interface CaseStepsTable {
  id: string;
  case_id: string;
  step: CaseStep;
  from_status: LifecycleStatus;
  to_status: LifecycleStatus;
  /** The signer's user name. */
  actor: string;
  /** Null, as in the audit chain, when the program signed on a user's behalf (a command line). */
  role: Role | null;
  area_level: AreaLevel | null;
  area_code: string | null;
  /** The server's clock (ISO). */
  at: string;
  comment: string;
  /** 核查通过's sub-checks (JSON array of VerificationCheckRecord); null for other steps. */
  checks: string | null;
  /** 不符合: the reason the veteran is told, in plain words; null for other steps. */
  reason_for_veteran: string | null;
  void: Generated<Flag>;
  /** The step (a 退回补正) whose correction voided this one. */
  voided_by_step: string | null;
  audit_seq: number;
  audit_hash: string;
}

export interface CaseVersionsTable {
  id: string;
  case_id: string;
  revision: number;
  base_revision: number | null;
  source: 'tablet' | 'county';
  mutation_id: string | null;
  device_id: string | null;
  /** The clerk (tablet) or the county account. */
  actor: string;
  /** The device's clock (tablet) or the server's (county). */
  at: string;
  /** The server's clock: authoritative. */
  received_at: string;
  status: 'registered' | 'withdrawn';
  facts: string;
  registration: string;
  /** The tablet's figures digest (JSON), null for county versions. */
  figures: string | null;
  /** A tablet version kept beside the county's, waiting for the county to choose. */
  conflicting: Flag;
  /** The clerk's county user name as the tablet sent it; null for county versions and older tablets. */
  clerk_account: Generated<string | null>;
  /** Why clerk_account could not be verified (a ClerkAccountProblem), or null. */
  clerk_problem: Generated<string | null>;
  /** The clerk's user name proved by a token the server signed for this tablet; null when none was. */
  clerk_verified: Generated<string | null>;
}

export interface AppliedMutationsTable {
  mutation_id: string;
  device_id: string;
  seq: number;
  case_id: string;
  outcome: 'applied' | 'conflict' | 'refused';
  server_revision: number;
  received_at: string;
  /** Why a refused mutation was (a CaseRefusal), so that a repeated push is answered the same. */
  refusal: Generated<string | null>;
}

export interface ServerDeterminationsTable {
  version_id: string;
  parameters_version: string;
  case_id: string;
  /** Under the tablet's parameter set, or under the newest published one. */
  purpose: 'tablet-set' | 'newest-set';
  figures: string | null;
  /**
   * The whole determination (JSON) of versions received before migration 0003; null since: it is
   * recomputed on demand and checked against determination_sha256 (county/determination-record.ts).
   */
  determination: Generated<string | null>;
  /** SHA-256 of the determination's canonical JSON as computed at receipt; null when there was none (error). */
  determination_sha256: string | null;
  /** The program version whose engine computed it; null when there was no determination. */
  program_version: string | null;
  /** Why the engine gave no result (unknown parameter set, not-in-force …). */
  error: string | null;
  figures_differ: Flag;
  computed_at: string;
  /** Of the determination (migration 0012; null before it, or when there was none). */
  application_late: Generated<Flag | null>;
  provisional: Generated<Flag | null>;
  /** The figures' amounts in fen, computed by the database from `figures` (migration 0014): never written. */
  engine_pension_unit_fen: Generated<number | null>;
  engine_pension_individual_fen: Generated<number | null>;
  engine_medical_unit_fen: Generated<number | null>;
  engine_medical_individual_fen: Generated<number | null>;
}

export interface CaseLinksTable {
  /** The smaller id of the pair. */
  case_a: string;
  case_b: string;
  kind: 'possible-duplicate';
  created_at: string;
}

export interface ParameterSetsTable {
  version: string;
  /** The published document (JSON), as parseParameterSet reads it. */
  document: string;
  issued: string;
  published_at: string;
  published_by: string;
}

export interface ChangeLogTable {
  id: Generated<number>;
  kind: 'parameter-set' | 'clerk' | 'case';
  /** null: for every township. */
  township_code: string | null;
  ref: string;
  at: string;
}

/** Failed guesses at a password or an enrolment code, per key (see auth/throttle.ts). */
export interface SignInThrottleTable {
  kind: 'account' | 'address' | 'enrolment-address';
  /** The lower-cased user name (known or not) or the client address. */
  subject: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

/** One entry of the audit chain (see src/server/audit/chain.ts): never updated or deleted. */
export interface AuditChainTable {
  /** 1, 2, 3 … without gaps. */
  seq: number;
  /** The server's clock when appended (ISO). */
  at: string;
  /** For a tablet's entry: when it happened on the device. */
  occurred_at: string | null;
  action: string;
  actor: string;
  role: string | null;
  area_level: 'township' | 'county' | 'league' | 'region' | null;
  area_code: string | null;
  subject: string | null;
  /** Canonical JSON of what changed, without personal values; null when none. */
  detail: string | null;
  /** Salted SHA-256 of the personal values kept in audit_values; null when there were none. */
  personal_sha256: string | null;
  prev_hash: string;
  hash: string;
}

/** The single row (id 1) naming the last entry appended. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  at: string | null;
}

/** The personal values of one audit entry: removable (redacted) without touching the chain. */
export interface AuditValuesTable {
  entry_seq: number;
  area_level: AuditChainTable['area_level'];
  area_code: string | null;
  /** Null once redacted, with personal. */
  salt: string | null;
  /** JSON object; null once redacted. */
  personal: string | null;
  redacted_at: string | null;
  /** The chain entry that records the redaction. */
  redacted_by_seq: number | null;
}

/** A tablet audit entry (by its id, made on the tablet) already appended to the audit chain. */
export interface TabletAuditReceivedTable {
  entry_id: string;
  device_id: string;
  received_at: string;
}

/** Pension and medical are separate tracks (medical back-payment comes at retirement). */
export type AgencyTrack = 'pension' | 'medical';

/**
 * An insurance agency's computed figures for one case and track (NM43-1.4.b), beside the engine's re-run
 * with the agency's interruption months. Never changed, only superseded by a later finding (both kept).
 */
export interface AgencyFindingsTable {
  id: string;
  case_id: string;
  track: AgencyTrack;
  gap_months: number;
  /** Yuan, decimal string to the fen. */
  unit_amount: string;
  individual_amount: string;
  /** YYYY-MM-DD: the agency's computation date, the re-run's as-of date. */
  computed_on: string;
  agency_name: string;
  document_number: string;
  document_date: string;
  recorded_by: string;
  recorded_at: string;
  engine_gap_months: number | null;
  engine_unit_amount: string | null;
  engine_individual_amount: string | null;
  parameter_version: string;
  differs: Flag;
  /** Agency total − engine total, signed, to the fen. */
  difference_amount: string;
  /** Why the engine gave no figures (an error code), null when it did. */
  engine_error: string | null;
  audit_seq: number;
  superseded_by: string | null;
}

/** Who confirmed that a unit or its superior is gone or unable to pay (NM43-1.2.b). Superseded, never changed. */
export interface PayerConfirmationsTable {
  id: string;
  case_id: string;
  payer: 'superior' | 'fiscal';
  government: string;
  confirmed_on: string;
  document_number: string;
  recorded_by: string;
  recorded_at: string;
  audit_seq: number;
  superseded_by: string | null;
}

/** One 报送 of a report (migration 0014): the figures frozen as submitted; never updated, a later one is the next version. */
export interface ReportSubmissionsTable {
  id: string;
  kind: 'weekly';
  /** The reporting week's start (ISO). */
  week_start: string;
  area_level: AreaLevel;
  area_code: string;
  version: number;
  /** The report's canonical JSON, exactly as submitted. */
  report: string;
  sha256: string;
  submitted_by: string;
  submitted_at: string;
  comment: string;
  audit_seq: number;
  audit_hash: string;
}

/** This server's key pair for signing the weekly reports it exports (one row, made on first use). */
export interface ReportSigningKeysTable {
  id: string;
  algorithm: string;
  /** SPKI, PEM. */
  public_key: string;
  /** PKCS #8, PEM. */
  private_key: string;
  /** SHA-256 of the public key's SPKI DER, hex. */
  fingerprint: string;
  created_at: string;
}

/** A county server's public key, registered by a league's admin before its signed reports are imported. */
export interface CountyReportKeysTable {
  fingerprint: string;
  county_code: string;
  algorithm: string;
  public_key: string;
  registered_by: string;
  registered_at: string;
  audit_seq: number;
}

/** A county's signed weekly report as imported: never changed, only superseded by a later version (both kept). */
export interface ImportedWeeklyReportsTable {
  id: string;
  county_code: string;
  /** The reporting week's start (ISO instant). */
  week_start: string;
  /** When the county server made the file (ISO): the later of two versions of a week is shown. */
  generated_at: string;
  /** SHA-256 of the payload's canonical JSON: the same file is stored once. */
  payload_sha256: string;
  /** The signed payload, canonical JSON. */
  payload: string;
  /** Base64. */
  signature: string;
  key_fingerprint: string;
  imported_by: string;
  imported_at: string;
  superseded_by: string | null;
  audit_seq: number;
}

export interface Database {
  server_meta: ServerMetaTable;
  townships: TownshipsTable;
  accounts: AccountsTable;
  admin_sessions: AdminSessionsTable;
  enrolment_codes: EnrolmentCodesTable;
  devices: DevicesTable;
  device_revocations: DeviceRevocationsTable;
  cases: CasesTable;
  case_versions: CaseVersionsTable;
  case_steps: CaseStepsTable;
  applied_mutations: AppliedMutationsTable;
  server_determinations: ServerDeterminationsTable;
  case_links: CaseLinksTable;
  parameter_sets: ParameterSetsTable;
  change_log: ChangeLogTable;
  sign_in_throttle: SignInThrottleTable;
  tablet_audit_received: TabletAuditReceivedTable;
  audit_chain: AuditChainTable;
  audit_head: AuditHeadTable;
  audit_values: AuditValuesTable;
  agency_findings: AgencyFindingsTable;
  payer_confirmations: PayerConfirmationsTable;
  report_signing_keys: ReportSigningKeysTable;
  county_report_keys: CountyReportKeysTable;
  imported_weekly_reports: ImportedWeeklyReportsTable;
  report_submissions: ReportSubmissionsTable;
}

/** Keys of server_meta that the server itself maintains. */
export const META = {
  databaseCreatedAt: 'database_created_at',
  schemaVersion: 'schema_version',
  appVersion: 'app_version',
} as const;
