// Every read and write of a case on the tablet goes through this module. It alone knows how a case
// is laid out in IndexedDB and how its search keys are made, so that encrypting personal fields at
// rest and replacing the plain search keys by keyed hashes later change this file and no other.
//
// Layout: `cases` holds light rows (summary fields + search keys) that lists and search read;
// `caseDetails` holds facts, registration and determination (≈10 KB with its trace), read by get().
// Every change writes both, an outbox mutation and an audit event in one transaction.

import { JiexuError, checkIdNumber, evaluate, upgradeIdNumber15, type CaseFacts, type Determination, type ParameterSet, type Problem } from '../domain';
import { parseCaseFacts } from '../shared/case';
import { parseRegistration, type Registration } from '../shared/registration';
import { diffFields } from './audit';
import type { JiexuDb } from './db';
import { clerkNameProblem, deviceIn, nextSequence, normaliseClerkName } from './device-repository';
import { StorageError } from './errors';
import { uuidv7 } from './ids';
import { nameInitialReadings } from './pinyin';
import { createReferenceRepository } from './reference-repository';
import type { AuditEvent, CaseRecord, CaseSummary, DeviceInfo, MutationKind, OutboxMutation } from './types';

/**
 * How search keys are derived. A row whose `keys.v` is older is re-derived by this module after
 * open (not in an upgrade transaction, which cannot wait for pinyin or crypto).
 */
export const SEARCH_KEYS_VERSION = 1;

interface SearchKeys {
  v: number;
  /** The ID number, 18 characters, upper-case X. */
  id: string;
  /** The same reversed: a prefix of it is a suffix of the number ("last 4 digits"). */
  idRev: string;
  /** The name without spaces and separators, lower-case. */
  name: string;
  /** Pinyin initials, every plausible reading (multi-entry index). */
  initials: string[];
}

/** A light row of the `cases` table. */
export interface CaseRow {
  id: string;
  caseNumber: string;
  status: CaseRecord['status'];
  syncState: CaseRecord['syncState'];
  revision: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  deviceId: string;
  parameterSetVersion: string;
  name: string;
  idNumber: string;
  inScope: boolean;
  backPayMonths: number | null;
  keys: SearchKeys;
}

/** A row of the `caseDetails` table. */
export interface CaseDetailRow {
  id: string;
  facts: CaseFacts;
  registration: Registration;
  determination: Determination;
}

export interface CaseInput {
  /** Case facts as the engine reads them (validated here with parseCaseFacts). */
  facts: unknown;
  /** The window's own fields (validated here with registrationProblems). */
  registration: unknown;
  /** The clerk of the shift. */
  clerk: string;
  /** A draft to remove in the same transaction, so a saved case never leaves its draft behind. */
  draftKey?: string;
}

export interface UpdateInput extends CaseInput {
  /** The revision the clerk edited; another change since then is a `revision-conflict`. */
  expectedRevision: number;
}

export interface WithdrawInput {
  clerk: string;
  reason: string;
  expectedRevision?: number;
}

export interface CasesRepository {
  /** Validates, computes the determination, assigns the case number, and writes case + outbox + audit at once. */
  create(input: CaseInput): Promise<CaseRecord>;
  /** Saves a new version of the facts; a save that changes nothing writes nothing and returns the case as it is. */
  update(id: string, input: UpdateInput): Promise<CaseRecord>;
  withdraw(id: string, input: WithdrawInput): Promise<CaseRecord>;
  get(id: string): Promise<CaseRecord | undefined>;
  getByCaseNumber(caseNumber: string): Promise<CaseRecord | undefined>;
  /** Cases on this device with the same ID number (15- or 18-digit), newest first: the duplicate warning. */
  findByIdNumber(idNumber: string): Promise<CaseSummary[]>;
  /** Newest first, a page at a time (for a virtualised list). */
  listNewest(page?: { offset?: number; limit?: number }): Promise<CaseSummary[]>;
  count(): Promise<number>;
  /**
   * By full ID number, its last digits (4 or more), name prefix or pinyin-initials prefix ("zs" finds
   * 张三); newest first, at most `limit` (default 50). Fewer than 4 digits find nothing.
   */
  search(query: string, options?: { limit?: number }): Promise<CaseSummary[]>;
  /** The case's audit events, oldest first. */
  history(id: string): Promise<AuditEvent[]>;
}

export interface CasesRepositoryOptions {
  now?: () => Date;
  /** The parameter set new determinations use; by default the reference table's current one. */
  parameters?: () => ParameterSet | Promise<ParameterSet>;
}

export const DEFAULT_SEARCH_LIMIT = 50;
const MAX_LIMIT = 1000;
const REASON_MAX = 500;
const MIN_SUFFIX_DIGITS = 4;

// --- search keys -------------------------------------------------------------------------------

function normaliseIdNumber(raw: string): string {
  const check = checkIdNumber(raw);
  if (check.valid) return check.idNumber;
  const s = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return (s.length === 15 ? upgradeIdNumber15(s) : null) ?? s;
}

function reverse(s: string): string {
  return [...s].reverse().join('');
}

function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

async function searchKeys(idNumber: string, name: string): Promise<SearchKeys> {
  return { v: SEARCH_KEYS_VERSION, id: idNumber, idRev: reverse(idNumber), name: nameKey(name), initials: await nameInitialReadings(name) };
}

// --- validation --------------------------------------------------------------------------------

function invalid(problems: Problem[]): JiexuError {
  return new JiexuError('invalid-case', `invalid case: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
}

interface ValidInput {
  facts: CaseFacts;
  registration: Registration;
  clerk: string;
  idNumber: string;
}

function validate(input: CaseInput, extra: Problem[] = []): ValidInput {
  const problems: Problem[] = [];
  const facts = parseCaseFacts(input.facts);
  if (!facts.ok) problems.push(...facts.problems.map((p) => ({ path: `facts.${p.path}`, message: p.message })));

  // The engine treats a bad ID number as out of scope; a saved case needs a real one (a draft does not).
  const rawId = (input.facts as { person?: { idNumber?: unknown } } | null)?.person?.idNumber;
  if (typeof rawId === 'string' && rawId.trim() !== '') {
    const id = checkIdNumber(rawId);
    if (!id.valid && !problems.some((p) => p.path === 'facts.person.idNumber')) {
      problems.push({ path: 'facts.person.idNumber', message: `not a valid ID number (${id.reason})` });
    }
  }

  const registration = parseRegistration(input.registration, facts.ok ? facts.facts : input.facts);
  if (!registration.ok) problems.push(...registration.problems.map((p) => ({ path: `registration.${p.path}`, message: p.message })));

  const clerk = clerkNameProblem(input.clerk);
  if (clerk !== null) problems.push({ path: 'clerk', message: clerk });
  problems.push(...extra);

  if (problems.length > 0 || !facts.ok || !registration.ok) throw invalid(problems);
  return {
    facts: facts.facts,
    registration: registration.registration,
    clerk: normaliseClerkName(input.clerk),
    idNumber: normaliseIdNumber(facts.facts.person.idNumber),
  };
}

function revisionProblem(expectedRevision: unknown): Problem[] {
  return Number.isInteger(expectedRevision) && (expectedRevision as number) >= 1 ? [] : [{ path: 'expectedRevision', message: 'expected a revision number (1, 2, 3 …)' }];
}

// --- rows ↔ records ----------------------------------------------------------------------------

function rowOf(r: CaseRecord, keys: SearchKeys): CaseRow {
  return {
    id: r.id,
    caseNumber: r.caseNumber,
    status: r.status,
    syncState: r.syncState,
    revision: r.revision,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
    deviceId: r.deviceId,
    parameterSetVersion: r.parameterSetVersion,
    name: r.registration.name,
    idNumber: keys.id,
    inScope: r.determination.inScope,
    backPayMonths: r.determination.pension?.backPayMonths ?? null,
    keys,
  };
}

function recordOf(row: CaseRow, detail: CaseDetailRow): CaseRecord {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    facts: detail.facts,
    registration: detail.registration,
    status: row.status,
    determination: detail.determination,
    parameterSetVersion: row.parameterSetVersion,
    revision: row.revision,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    deviceId: row.deviceId,
    syncState: row.syncState,
  };
}

function summaryOf(row: CaseRow): CaseSummary {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    name: row.name,
    idNumber: row.idNumber,
    status: row.status,
    syncState: row.syncState,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    inScope: row.inScope,
    backPayMonths: row.backPayMonths,
  };
}

/** The part of a case its history compares: inputs, status and the headline figures. */
function auditView(r: CaseRecord): unknown {
  const d = r.determination;
  return {
    facts: r.facts,
    registration: r.registration,
    status: r.status,
    parameterSetVersion: r.parameterSetVersion,
    determination: {
      inScope: d.inScope,
      outOfScopeReasons: d.outOfScopeReasons,
      regime: d.regime,
      militaryMonths: d.militaryMonths,
      routing: d.routing,
      rulesVersion: d.rulesVersion,
      pension: d.pension && {
        backPayMonths: d.pension.backPayMonths,
        unitAmount: d.pension.unitAmount,
        individualAmount: d.pension.individualAmount,
        lateFee: d.pension.lateFee,
        unitPayer: d.pension.unitPayer,
      },
      medical: d.medical && {
        unitAmount: d.medical.unitAmount,
        individualAmount: d.medical.individualAmount,
        unitPayer: d.medical.unitPayer,
      },
    },
  };
}

function clampLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
}

// --- the repository ----------------------------------------------------------------------------

export function createCasesRepository(db: JiexuDb, options: CasesRepositoryOptions = {}): CasesRepository {
  const now = options.now ?? (() => new Date());
  const reference = createReferenceRepository(db, { now });
  const parameters = options.parameters ?? (() => reference.currentParameterSet());
  const writeTables = [db.cases, db.caseDetails, db.outbox, db.audit, db.meta, db.drafts];

  async function readRecord(row: CaseRow | undefined): Promise<CaseRecord | undefined> {
    if (!row) return undefined;
    const detail = await db.caseDetails.get(row.id);
    if (!detail) throw new Error(`case ${row.id}: details missing`);
    return recordOf(row, detail);
  }

  async function current(id: string): Promise<{ record: CaseRecord; keys: SearchKeys }> {
    const row = await db.cases.get(id);
    const record = await readRecord(row);
    if (!row || !record) throw new StorageError('case-not-found', `case ${id} not found on this device`, { caseId: id });
    return { record, keys: row.keys };
  }

  function checkEditable(record: CaseRecord, expectedRevision: number | undefined): void {
    if (record.status === 'withdrawn') throw new StorageError('case-withdrawn', `case ${record.caseNumber} is withdrawn`, { caseId: record.id });
    if (expectedRevision !== undefined && record.revision !== expectedRevision) {
      throw new StorageError('revision-conflict', `case ${record.caseNumber} is at revision ${record.revision}, not ${expectedRevision}`, {
        caseId: record.id,
        expectedRevision,
        actualRevision: record.revision,
      });
    }
  }

  /** Writes a case and what goes with it. Runs inside the caller's rw transaction. */
  async function commit(
    next: CaseRecord,
    keys: SearchKeys,
    previous: CaseRecord | null,
    kind: MutationKind,
    device: DeviceInfo,
    clerk: string,
    at: Date,
    reason: string | null,
  ): Promise<void> {
    const row = rowOf(next, keys);
    const detail: CaseDetailRow = { id: next.id, facts: next.facts, registration: next.registration, determination: next.determination };
    if (previous === null) {
      await db.cases.add(row);
      await db.caseDetails.add(detail);
    } else {
      await db.cases.put(row);
      await db.caseDetails.put(detail);
    }
    const mutation: OutboxMutation = {
      seq: await nextSequence(db, 'outbox'),
      mutationId: uuidv7(at.getTime()),
      deviceId: device.deviceId,
      kind,
      caseId: next.id,
      revision: next.revision,
      baseRevision: previous?.revision ?? null,
      at: at.toISOString(),
      clerk,
      payload: next,
    };
    await db.outbox.add(mutation);
    const event: AuditEvent = {
      id: uuidv7(at.getTime()),
      at: at.toISOString(),
      actor: clerk,
      deviceId: device.deviceId,
      action: kind,
      caseId: next.id,
      caseNumber: next.caseNumber,
      revision: next.revision,
      changes: diffFields(previous === null ? null : auditView(previous), auditView(next)),
      reason,
    };
    await db.audit.add(event);
  }

  async function summaries(ids: Iterable<string>, limit: number): Promise<CaseSummary[]> {
    // UUID v7 ids sort by creation time: the newest matches come from the keys alone.
    const newest = [...new Set(ids)].sort().reverse().slice(0, limit);
    const rows = await db.cases.bulkGet(newest);
    return rows.filter((r): r is CaseRow => r !== undefined).map(summaryOf);
  }

  return {
    async create(input) {
      const v = validate(input);
      const params = await parameters();
      const determination = evaluate(v.facts, params);
      const keys = await searchKeys(v.idNumber, v.registration.name);
      const at = now();
      return db.transaction('rw', writeTables, async () => {
        const device = await deviceIn(db, now);
        const seq = await nextSequence(db, 'caseNumber');
        const record: CaseRecord = {
          id: uuidv7(at.getTime()),
          caseNumber: `${v.facts.placement.countyCode}-${device.deviceId}-${String(seq).padStart(5, '0')}`,
          facts: v.facts,
          registration: v.registration,
          status: 'registered',
          determination,
          parameterSetVersion: params.version,
          revision: 1,
          createdAt: at.toISOString(),
          createdBy: v.clerk,
          updatedAt: at.toISOString(),
          updatedBy: v.clerk,
          deviceId: device.deviceId,
          syncState: 'pending',
        };
        await commit(record, keys, null, 'case.create', device, v.clerk, at, null);
        if (input.draftKey !== undefined) await db.drafts.delete(input.draftKey);
        return record;
      });
    },

    async update(id, input) {
      const v = validate(input, revisionProblem(input.expectedRevision));
      const params = await parameters();
      const determination = evaluate(v.facts, params);
      const keys = await searchKeys(v.idNumber, v.registration.name);
      const at = now();
      return db.transaction('rw', writeTables, async () => {
        const { record: previous } = await current(id);
        checkEditable(previous, input.expectedRevision);
        const next: CaseRecord = {
          ...previous,
          facts: v.facts,
          registration: v.registration,
          determination,
          parameterSetVersion: params.version,
          revision: previous.revision + 1,
          updatedAt: at.toISOString(),
          updatedBy: v.clerk,
          syncState: 'pending',
        };
        if (input.draftKey !== undefined) await db.drafts.delete(input.draftKey);
        if (diffFields(auditView(previous), auditView(next)).length === 0) return previous;
        const device = await deviceIn(db, now);
        await commit(next, keys, previous, 'case.update', device, v.clerk, at, null);
        return next;
      });
    },

    async withdraw(id, input) {
      const problems: Problem[] = [];
      const clerkProblem = clerkNameProblem(input.clerk);
      if (clerkProblem !== null) problems.push({ path: 'clerk', message: clerkProblem });
      const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (reason === '') problems.push({ path: 'reason', message: 'required' });
      else if (reason.length > REASON_MAX) problems.push({ path: 'reason', message: `at most ${REASON_MAX} characters` });
      if (input.expectedRevision !== undefined) problems.push(...revisionProblem(input.expectedRevision));
      if (problems.length > 0) throw invalid(problems);
      const clerk = normaliseClerkName(input.clerk);
      const at = now();
      return db.transaction('rw', writeTables, async () => {
        const { record: previous, keys } = await current(id);
        checkEditable(previous, input.expectedRevision);
        const next: CaseRecord = {
          ...previous,
          status: 'withdrawn',
          revision: previous.revision + 1,
          updatedAt: at.toISOString(),
          updatedBy: clerk,
          syncState: 'pending',
        };
        const device = await deviceIn(db, now);
        await commit(next, keys, previous, 'case.withdraw', device, clerk, at, reason);
        return next;
      });
    },

    get(id) {
      return db.transaction('r', [db.cases, db.caseDetails], async () => readRecord(await db.cases.get(id)));
    },

    getByCaseNumber(caseNumber) {
      return db.transaction('r', [db.cases, db.caseDetails], async () => readRecord(await db.cases.where('caseNumber').equals(caseNumber.trim().toUpperCase()).first()));
    },

    findByIdNumber(idNumber) {
      const id = normaliseIdNumber(idNumber);
      if (id === '') return Promise.resolve([]);
      return db.transaction('r', db.cases, async () => summaries(await db.cases.where('keys.id').equals(id).primaryKeys(), MAX_LIMIT));
    },

    async listNewest(page = {}) {
      const offset = Math.max(0, Math.floor(page.offset ?? 0));
      const limit = clampLimit(page.limit, DEFAULT_SEARCH_LIMIT);
      const rows = await db.cases.orderBy('createdAt').reverse().offset(offset).limit(limit).toArray();
      return rows.map(summaryOf);
    },

    count() {
      return db.cases.count();
    },

    search(query, opts = {}) {
      const limit = clampLimit(opts.limit, DEFAULT_SEARCH_LIMIT);
      const q = query.normalize('NFKC').replace(/\s+/g, '');
      if (q === '') return Promise.resolve([]);
      const upper = q.toUpperCase();
      return db.transaction('r', db.cases, async () => {
        const lookups: Promise<string[]>[] = [];
        if (/^\d{17}[\dX]$/.test(upper) || /^\d{15}$/.test(upper)) {
          lookups.push(db.cases.where('keys.id').equals(normaliseIdNumber(upper)).primaryKeys());
        } else if (/^\d+X?$/.test(upper)) {
          // Last digits: fewer than 4 would match a tenth of all cases or more.
          if (upper.length < MIN_SUFFIX_DIGITS) return [];
          lookups.push(db.cases.where('keys.idRev').startsWith(reverse(upper)).primaryKeys());
        } else {
          const name = nameKey(q);
          if (name !== '') lookups.push(db.cases.where('keys.name').startsWith(name).primaryKeys());
          if (/^[a-z]+$/i.test(q)) lookups.push(db.cases.where('keys.initials').startsWith(q.toLowerCase()).primaryKeys());
        }
        const found = await Promise.all(lookups);
        return summaries(found.flat(), limit);
      });
    },

    history(id) {
      return db.audit.where('caseId').equals(id).toArray();
    },
  };
}
