// The device database's schema, one entry per version, oldest first. A version is never edited once
// released: a change is a new entry with the tables as they become and, when data must change
// shape, an upgrade step. Each entry has a test that upgrades data of the previous version
// (tests/storage/schema.test.ts refuses a version without one).
//
// An upgrade step runs inside IndexedDB's upgrade transaction, which commits as soon as it waits on
// anything but the database: no pinyin loading, no crypto.subtle, no fetch in here. Work of that kind
// (re-deriving search keys as keyed hashes, encrypting personal fields) is done after open by the
// repository that owns the rows, tracked by a per-row version field. Steps that reshape case rows
// call functions exported by cases-repository.ts, so the case layout stays in that one module.

import type { Transaction } from 'dexie';

export interface SchemaVersion {
  /** 1, 2, 3 … (IndexedDB sees it ×10, Dexie's convention). */
  version: number;
  /** What changed and why. */
  description: string;
  /** Every table of this version with its primary key and indexes, in Dexie notation; null deletes a table. */
  stores: Readonly<Record<string, string | null>>;
  /** Turns data of the previous version into this version's. Await only Dexie operations on `tx`. */
  upgrade?: (tx: Transaction) => Promise<void>;
}

const V1: SchemaVersion = {
  version: 1,
  description: 'Window intake: cases with search keys, case details, drafts, outbox, reference data, audit, device meta.',
  stores: {
    // Light rows that lists and search read: summary fields and derived search keys. The id is a
    // UUID v7, so primary-key order is creation order.
    cases: 'id, &caseNumber, createdAt, keys.id, keys.idRev, keys.name, *keys.initials',
    // The heavy part of a case (facts, registration, determination with its trace), read by get().
    caseDetails: 'id',
    drafts: 'key, savedAt',
    // Primary key is the per-device sequence: push order.
    outbox: 'seq, &mutationId, caseId',
    reference: 'key, kind',
    // Events of one case come back in id (= time) order from the caseId index.
    audit: 'id, caseId, at',
    meta: 'key',
  },
};

const V2: SchemaVersion = {
  version: 2,
  description: 'Audit entries not yet in the county chain indexed by an `unsent` marker, so that each sync reads those alone.',
  stores: {
    ...V1.stores,
    // Sparse: IndexedDB leaves out rows without the field, so the index holds only the unsent entries
    // (openJiexuDb marks each new entry, dexie-outbox.ts unmarks it once the county holds it).
    audit: 'id, caseId, at, unsent',
  },
  upgrade: async (tx) => {
    await tx
      .table('audit')
      .filter((e: { sentAt?: string }) => e.sentAt === undefined)
      .modify((e: { unsent?: 1 }) => {
        e.unsent = 1;
      });
  },
};

export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [V1, V2];

export const LATEST_SCHEMA_VERSION: number = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version;

/** Throws unless the versions run 1, 2, 3 … without a gap and each declares its tables. */
export function checkSchemaRegistry(versions: readonly SchemaVersion[]): void {
  if (versions.length === 0) throw new Error('schema registry is empty');
  versions.forEach((v, i) => {
    if (v.version !== i + 1) throw new Error(`schema registry: entry ${i} is version ${v.version}, expected ${i + 1}`);
    if (Object.keys(v.stores).length === 0) throw new Error(`schema registry: version ${v.version} declares no tables`);
    if (i > 0 && !v.description.trim()) throw new Error(`schema registry: version ${v.version} has no description`);
  });
}
