// Storage failures as stable codes (tested by programs); messages.ts turns them into Chinese.
// Invalid case input is not a storage failure: it is the engine's `invalid-case` JiexuError.

import type { Problem } from '../domain';

export type StorageErrorCode =
  /** The database on this device was written by a newer app version (a higher schema version). */
  | 'database-newer-than-app'
  /** An upgrade step failed; IndexedDB rolled the database back to the version before. */
  | 'database-upgrade-failed'
  /** IndexedDB could not be opened at all (private mode, storage switched off, disk full). */
  | 'database-unavailable'
  | 'case-not-found'
  /** The case was changed (another tab, a sync) since the revision the caller edited. */
  | 'revision-conflict'
  /** A withdrawn case cannot be edited or withdrawn again. */
  | 'case-withdrawn'
  /** The clerk's name for the shift is empty or too long. */
  | 'invalid-clerk-name'
  /** A draft key is empty or the value cannot be stored. */
  | 'invalid-draft'
  /** An enrolment record with a bad server address, credential or township. */
  | 'invalid-enrolment'
  /** A PIN verifier that is not a strong enough Argon2id hash (a programming error, never stored). */
  | 'invalid-pin-verifier';

export interface StorageErrorDetails {
  installedVersion?: number;
  supportedVersion?: number;
  caseId?: string;
  expectedRevision?: number;
  actualRevision?: number;
  problems?: Problem[];
}

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly details: StorageErrorDetails;

  constructor(code: StorageErrorCode, message: string, details: StorageErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
    this.details = details;
  }
}

export function isStorageError(e: unknown): e is StorageError {
  return e instanceof StorageError;
}
