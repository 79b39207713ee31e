// Public face of the device storage: what screens and sync import.

export { openJiexuDb, onVersionChange, installedSchemaVersion, DEFAULT_DB_NAME, type JiexuDb, type OpenOptions, type VersionChangeInfo } from './db';
export { SCHEMA_VERSIONS, LATEST_SCHEMA_VERSION, type SchemaVersion } from './schema';
export { StorageError, isStorageError, type StorageErrorCode, type StorageErrorDetails } from './errors';
export { storageErrorZh, storageMessageZh, storageWarningZh } from './messages';
export {
  createCasesRepository,
  DEFAULT_SEARCH_LIMIT,
  type CasesRepository,
  type CasesRepositoryOptions,
  type CaseInput,
  type UpdateInput,
  type WithdrawInput,
  type CaseUpdateOutcome,
  type CaseAttention,
  COUNTY_ACTOR,
} from './cases-repository';
export { createDraftsRepository, type DraftsRepository } from './drafts-repository';
export {
  createDeviceRepository,
  CLERK_NAME_MAX,
  DEFAULT_LOCK_SETTINGS,
  lockSettingsOf,
  serverUrlProblem,
  normaliseServerUrl,
  type DeviceRepository,
  type DeviceEnrolment,
  type LockSettings,
  type StoredShift,
} from './device-repository';
export {
  createClerkCredentialsRepository,
  MAX_PIN_FAILURES,
  pinVerifierProblem,
  type ClerkCredentialsRepository,
  type ClerkCredential,
  type ClerkOnTablet,
  type PinFailure,
} from './clerk-credentials-repository';
export { createSyncRepository, EMPTY_SYNC_STATUS, type SyncRepository, type SyncStatusRecord, type PullPageReport } from './sync-repository';
export { createReferenceRepository, type ReferenceRepository } from './reference-repository';
export { requestPersistence, readStorageEstimate, QUOTA_WARNING_RATIO, type StorageReport, type StorageWarning } from './persistence';
export { nameInitials, nameInitialReadings, preloadPinyin } from '../shared/pinyin';
export { DEVICE_ID_PATTERN } from './ids';
export type { CaseRecord, CaseSummary, CaseStatus, SyncState, AuditEvent, AuditAction, FieldChange, OutboxMutation, MutationKind, DraftRecord, DeviceInfo, CaseSyncInfo } from './types';
