// Every read and write of a case on the tablet goes through this module. It alone knows how a case
// is laid out in IndexedDB and how its search keys are made, so that encrypting personal fields at
// rest and replacing the plain search keys by keyed hashes later change this file and no other.
//
// Layout: `cases` holds light rows (summary fields + search keys) that lists and search read;
// `caseDetails` holds facts, registration and determination (≈10 KB with its trace), read by get().
// Every change writes both, an outbox mutation and an audit event in one transaction.

import { JiexuError, RULE_SETS, checkIdNumber, normaliseIdNumber, type CaseFacts, type Determination, type ParameterSet, type Problem } from '../domain';
import { parseCaseFacts } from '../shared/case';
import { parseRegistration, type Registration } from '../shared/registration';
import { diffFields } from './audit';
import type { CaseDetailRow, CaseRow, CaseSyncRow, JiexuDb, SearchKeys } from './db';
import { clerkNameProblem, deviceIn, nextSequence, normaliseClerkName, shiftAccountOf } from './device-repository';
import { StorageError } from './errors';
import { uuidv7 } from './ids';
import { nameInitialReadings } from '../shared/pinyin';
import { createReferenceRepository } from './reference-repository';
import type { CaseUpdate, MutationResult } from '../shared/sync-protocol';
import { decideCaseUpdate, serverRevisionAfterPush, syncStateAfterPush } from '../shared/reconcile';
import type { AuditAction, AuditEvent, CaseRecord, CaseSummary, CaseSyncInfo, DeviceInfo, MutationKind, OutboxMutation } from './types';
import type { TabletCaseRefusal } from '../shared/sync-protocol';

/**
 * How search keys are derived. A row whose `keys.v` is older is re-derived by this module after
 * open (not in an upgrade transaction, which cannot wait for pinyin or crypto).
 */
export const SEARCH_KEYS_VERSION = 1;

const NO_SYNC: CaseSyncRow = { serverRevision: null, countyStatus: null, correctionRequest: null, possibleDuplicate: false, figuresDiffer: false, syncedAt: null };

/** Who the audit trail names for a change made at the county (the pull does not say which admin). */
export const COUNTY_ACTOR = '县局';

/** A case the window must look at: the county sent it back (退回补正) or it conflicts. */
export interface CaseAttention extends CaseSummary {
  countyStatus: CaseSyncInfo['countyStatus'];
  correctionRequest: string | null;
  /** The server refused the case's last change (its case number): the case stays here, unsent. */
  refusal: TabletCaseRefusal | null;
}

/** What applyCaseUpdates did with each pulled county change. */
export interface CaseUpdateOutcome {
  caseId: string;
  caseNumber: string;
  action: 'adopted' | 'conflict' | 'ignored';
  /** Why a change was not adopted as it is (unknown case, already known, county version unreadable here). */
  reason?: 'unknown-case' | 'already-known' | 'unreadable-county-version';
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
   * 张三); exact names or initials first, then longer ones, each group newest first; at most `limit`
   * (default 50). Fewer than 4 digits find nothing.
   */
  search(query: string, options?: { limit?: number }): Promise<CaseSummary[]>;
  /** The case's audit events, oldest first. */
  history(id: string): Promise<AuditEvent[]>;
  /** The county side of a case as last learnt (server revision, county status, flags), or undefined for an unknown case. */
  syncInfo(id: string): Promise<CaseSyncInfo | undefined>;
  /**
   * After the server acknowledged a push: each case named in `results` becomes synced (no later
   * change waits), stays pending, or becomes conflicting; its server revision and flags are kept.
   */
  applyPushResults(results: readonly MutationResult[]): Promise<void>;
  /**
   * Pulled county changes: a case with nothing unsent takes the county's version (revision = the
   * server's, so the next edit is based on it); a case with unsent changes keeps the tablet's version
   * and is marked conflicting. Each is an audit event. Repeating a pull changes nothing.
   */
  applyCaseUpdates(updates: readonly CaseUpdate[]): Promise<CaseUpdateOutcome[]>;
  /** Cases sent back for correction or in conflict, most recently changed first (a scan: for the sync screen). */
  needingAttention(limit?: number): Promise<CaseAttention[]>;
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
    ...accounts(r),
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
    ...accounts(row),
    deviceId: row.deviceId,
    syncState: row.syncState,
  };
}

/** The clerk accounts of a case, only when known (older cases and picked names have none). */
function accounts(r: { createdByAccount?: string | undefined; updatedByAccount?: string | undefined }): { createdByAccount?: string; updatedByAccount?: string } {
  return { ...(r.createdByAccount ? { createdByAccount: r.createdByAccount } : {}), ...(r.updatedByAccount ? { updatedByAccount: r.updatedByAccount } : {}) };
}

/** A changed record with the account of the clerk who changed it (or none). */
function changedBy(next: CaseRecord, account: string | undefined): CaseRecord {
  const { updatedByAccount: _previous, ...rest } = next;
  return account ? { ...rest, updatedByAccount: account } : rest;
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
    lifecycleStatus: row.sync?.lifecycleStatus ?? null,
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
    // What the server said stays with the case: an edit does not make it forget the county's revision.
    const before = previous === null ? undefined : await db.cases.get(next.id);
    if (before?.sync) row.sync = before.sync;
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

  /** UUID v7 ids sort by creation time: the newest matches come from the keys alone. */
  function newestFirst(ids: Iterable<string>): string[] {
    return [...new Set(ids)].sort().reverse();
  }

  /** Summaries of `ids` in the given order (duplicates dropped), at most `limit`. */
  async function summaries(ids: Iterable<string>, limit: number): Promise<CaseSummary[]> {
    const wanted = [...new Set(ids)].slice(0, limit);
    const rows = await db.cases.bulkGet(wanted);
    return rows.filter((r): r is CaseRow => r !== undefined).map(summaryOf);
  }

  return {
    async create(input) {
      const v = validate(input);
      const params = await parameters();
      const determination = RULE_SETS.evaluate(v.facts, { nm43: params });
      const keys = await searchKeys(v.idNumber, v.registration.name);
      const at = now();
      return db.transaction('rw', writeTables, async () => {
        const device = await deviceIn(db, now);
        const account = await shiftAccountOf(db, v.clerk);
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
          ...(account ? { createdByAccount: account, updatedByAccount: account } : {}),
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
      const determination = RULE_SETS.evaluate(v.facts, { nm43: params });
      const keys = await searchKeys(v.idNumber, v.registration.name);
      const at = now();
      return db.transaction('rw', writeTables, async () => {
        const { record: previous } = await current(id);
        checkEditable(previous, input.expectedRevision);
        const next: CaseRecord = changedBy({
          ...previous,
          facts: v.facts,
          registration: v.registration,
          determination,
          parameterSetVersion: params.version,
          revision: previous.revision + 1,
          updatedAt: at.toISOString(),
          updatedBy: v.clerk,
          // A conflict stays open until the county resolves it, whatever the window changes meanwhile.
          syncState: previous.syncState === 'conflict' ? 'conflict' : 'pending',
        }, await shiftAccountOf(db, v.clerk));
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
        const next: CaseRecord = changedBy({
          ...previous,
          status: 'withdrawn',
          revision: previous.revision + 1,
          updatedAt: at.toISOString(),
          updatedBy: clerk,
          syncState: previous.syncState === 'conflict' ? 'conflict' : 'pending',
        }, await shiftAccountOf(db, clerk));
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
      return db.transaction('r', db.cases, async () => summaries(newestFirst(await db.cases.where('keys.id').equals(id).primaryKeys()), MAX_LIMIT));
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
        if (/^\d{17}[\dX]$/.test(upper) || /^\d{15}$/.test(upper)) {
          return summaries(newestFirst(await db.cases.where('keys.id').equals(normaliseIdNumber(upper)).primaryKeys()), limit);
        }
        if (/^\d+X?$/.test(upper)) {
          // Last digits: fewer than 4 would match a tenth of all cases or more.
          if (upper.length < MIN_SUFFIX_DIGITS) return [];
          return summaries(newestFirst(await db.cases.where('keys.idRev').startsWith(reverse(upper)).primaryKeys()), limit);
        }
        const name = nameKey(q);
        const initials = /^[a-z]+$/i.test(q) ? q.toLowerCase() : '';
        // Exact matches rank first. Within one index value IndexedDB orders entries by primary key,
        // and UUID v7 ids sort by creation time, so a reversed range with a limit reads only the newest
        // few rows however common the name or initials are ("张伟", "zw" at 100,000 cases).
        const exactIndexes: Array<['keys.name' | 'keys.initials', string]> = [];
        if (name !== '') exactIndexes.push(['keys.name', name]);
        if (initials !== '') exactIndexes.push(['keys.initials', initials]);
        const exactRows = await Promise.all(exactIndexes.map(([index, key]) => db.cases.where(index).equals(key).reverse().limit(limit).toArray()));
        const byId = new Map<string, CaseRow>();
        for (const row of exactRows.flat()) byId.set(row.id, row);
        const ranked = [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).slice(0, limit);
        if (ranked.length >= limit) return ranked.map(summaryOf);
        // Then names and initials that only begin with the query, newest first.
        const longer = await Promise.all(
          exactIndexes.map(([index, key]) => db.cases.where(index).between(key, `${key}\uffff`, false, true).primaryKeys()),
        );
        const more = newestFirst(longer.flat()).filter((id) => !byId.has(id));
        return [...ranked.map(summaryOf), ...(await summaries(more, limit - ranked.length))];
      });
    },

    history(id) {
      return db.audit.where('caseId').equals(id).toArray();
    },

    async needingAttention(limit) {
      const rows = await db.cases.filter((r) => r.syncState === 'conflict' || r.sync?.countyStatus === 'correction-requested' || (r.sync?.refusal ?? null) !== null).toArray();
      return rows
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
        .slice(0, clampLimit(limit, DEFAULT_SEARCH_LIMIT))
        .map((r) => ({ ...summaryOf(r), countyStatus: r.sync?.countyStatus ?? null, correctionRequest: r.sync?.correctionRequest ?? null, refusal: r.sync?.refusal ?? null }));
    },

    async syncInfo(id) {
      const row = await db.cases.get(id);
      return row && { syncState: row.syncState, ...(row.sync ?? NO_SYNC), lifecycleStatus: row.sync?.lifecycleStatus ?? null };
    },

    async applyPushResults(results) {
      if (results.length === 0) return;
      const at = now();
      const caseIds = [...new Set(results.map((r) => r.caseId))];
      await db.transaction('rw', [db.cases, db.outbox, db.audit, db.meta], async () => {
        const device = await deviceIn(db, now);
        for (const caseId of caseIds) {
          const row = await db.cases.get(caseId);
          if (!row) continue;
          const stillPending = await db.outbox.where('caseId').equals(caseId).count();
          const mine = results.filter((r) => r.caseId === caseId);
          const refusal = mine.at(-1)?.refusal ?? null;
          if (refusal !== null) {
            // Not on the server: the case stays as it is here, pending, with why (needingAttention shows it).
            await db.cases.put({ ...row, syncState: row.syncState === 'conflict' ? 'conflict' : 'pending', sync: { ...(row.sync ?? NO_SYNC), refusal, syncedAt: at.toISOString() } });
            if (row.sync?.refusal !== refusal) await db.audit.add(syncEvent('sync.refused', row, device, at, refusal));
            continue;
          }
          const state = syncStateAfterPush(results, caseId, stillPending);
          const serverRevision = serverRevisionAfterPush(results, caseId);
          if (state === null || serverRevision === null) continue;
          // An open conflict is closed by the county's resolution (a pull), never by a push.
          const syncState = row.syncState === 'conflict' ? 'conflict' : state;
          const sync: CaseSyncRow = {
            ...(row.sync ?? NO_SYNC),
            serverRevision,
            possibleDuplicate: mine.some((r) => r.possibleDuplicate),
            figuresDiffer: mine.some((r) => r.figuresDiffer),
            syncedAt: at.toISOString(),
            refusal: null,
          };
          await db.cases.put({ ...row, syncState, sync });
          if (syncState === 'conflict' && row.syncState !== 'conflict') {
            await db.audit.add(syncEvent('sync.conflict', row, device, at, '县局已修改该案件，本机的修改与之冲突：两个版本均已保留在县局，待县局裁决。'));
          }
        }
      });
    },

    async applyCaseUpdates(updates) {
      if (updates.length === 0) return [];
      const params = await parameters();
      // Everything that waits on more than the database (validation, the engine, pinyin) is done
      // before the transaction, which would otherwise commit half-way.
      const prepared = await Promise.all(updates.map((u) => prepareAdoption(u, params)));
      const at = now();
      return db.transaction('rw', [db.cases, db.caseDetails, db.outbox, db.audit, db.meta], async () => {
        const device = await deviceIn(db, now);
        const outcomes: CaseUpdateOutcome[] = [];
        for (const [i, update] of updates.entries()) {
          const row = await db.cases.get(update.caseId);
          const pendingMutations = row ? await db.outbox.where('caseId').equals(update.caseId).count() : 0;
          const local = row && { caseId: row.id, revision: row.revision, serverRevision: row.sync?.serverRevision ?? null, pendingMutations, conflict: row.syncState === 'conflict' };
          const decision = decideCaseUpdate(local, update);
          // The county moves possible-duplicate links without a new revision: the flag is taken from
          // any update of a known case (older servers do not send it).
          const duplicate = update.possibleDuplicate === undefined ? {} : { possibleDuplicate: update.possibleDuplicate };
          // So are the signed steps (核查通过, 送经办机构 …); and once the tablet knows a county status, the
          // county side of the revision it already holds (its correction answered: 退回补正 is over).
          const lifecycle = update.lifecycleStatus === undefined ? {} : { lifecycleStatus: update.lifecycleStatus };
          if (!row || decision.action === 'ignore') {
            const current = row ? (row.sync ?? NO_SYNC) : null;
            const sameRevision = current !== null && current.countyStatus !== null && current.serverRevision === update.serverRevision;
            const refreshed: Partial<CaseSyncRow> = {
              ...duplicate,
              ...lifecycle,
              ...(sameRevision ? { countyStatus: update.countyStatus, correctionRequest: update.correctionRequest } : {}),
            };
            if (row && current && (Object.keys(refreshed) as (keyof CaseSyncRow)[]).some((k) => current[k] !== refreshed[k])) {
              await db.cases.put({ ...row, sync: { ...current, ...refreshed } });
            }
            outcomes.push({ caseId: update.caseId, caseNumber: update.caseNumber, action: 'ignored', reason: decision.action === 'ignore' ? decision.reason : 'unknown-case' });
            continue;
          }
          const sync: CaseSyncRow = {
            ...(row.sync ?? NO_SYNC),
            ...duplicate,
            ...lifecycle,
            serverRevision: decision.serverRevision,
            countyStatus: decision.countyStatus,
            correctionRequest: decision.correctionRequest,
            syncedAt: at.toISOString(),
          };
          const adoption = prepared[i]!;
          if (decision.action === 'adopt' && adoption.ok) {
            const detail = await db.caseDetails.get(row.id);
            if (!detail) throw new Error(`case ${row.id}: details missing`);
            const previous = recordOf(row, detail);
            const next: CaseRecord = changedBy({
              ...previous,
              facts: adoption.facts,
              registration: adoption.registration,
              determination: adoption.determination,
              parameterSetVersion: params.version,
              status: decision.status,
              revision: decision.serverRevision,
              updatedAt: update.at,
              updatedBy: COUNTY_ACTOR,
              syncState: 'synced',
            }, undefined);
            await db.cases.put({ ...rowOf(next, adoption.keys), sync });
            await db.caseDetails.put({ id: next.id, facts: next.facts, registration: next.registration, determination: next.determination });
            await db.audit.add({
              ...syncEvent('sync.adopt', row, device, at, update.correctionRequest === null ? null : `县局退回补正：${update.correctionRequest}`),
              revision: next.revision,
              changes: diffFields(auditView(previous), auditView(next)),
            });
            outcomes.push({ caseId: row.id, caseNumber: row.caseNumber, action: 'adopted' });
          } else {
            // Unsent changes here, a conflict open at the county, or a county version this app cannot
            // read: the tablet's version stays, and the case shows as conflicting until the county decides.
            await db.cases.put({ ...row, syncState: 'conflict', sync });
            const why = decision.action === 'adopt' ? '县局的版本无法在本机读取（请更新应用）' : '县局与本机都修改了该案件';
            await db.audit.add(syncEvent('sync.conflict', row, device, at, `${why}：本机版本保留，待县局裁决。`));
            outcomes.push({ caseId: row.id, caseNumber: row.caseNumber, action: 'conflict', ...(decision.action === 'adopt' ? { reason: 'unreadable-county-version' as const } : {}) });
          }
        }
        return outcomes;
      });
    },
  };
}

type Adoption = { ok: true; facts: CaseFacts; registration: Registration; determination: Determination; keys: SearchKeys } | { ok: false };

/** The county's version of a case made ready to store, or not ok when this app cannot read it. */
async function prepareAdoption(update: CaseUpdate, params: ParameterSet): Promise<Adoption> {
  const facts = parseCaseFacts(update.facts);
  if (!facts.ok) return { ok: false };
  const registration = parseRegistration(update.registration, facts.facts);
  if (!registration.ok) return { ok: false };
  const keys = await searchKeys(normaliseIdNumber(facts.facts.person.idNumber), registration.registration.name);
  return { ok: true, facts: facts.facts, registration: registration.registration, determination: RULE_SETS.evaluate(facts.facts, { nm43: params }), keys };
}

function syncEvent(action: AuditAction, row: CaseRow, device: DeviceInfo, at: Date, reason: string | null): AuditEvent {
  return {
    id: uuidv7(at.getTime()),
    at: at.toISOString(),
    actor: COUNTY_ACTOR,
    deviceId: device.deviceId,
    action,
    caseId: row.id,
    caseNumber: row.caseNumber,
    revision: row.revision,
    changes: [],
    reason,
  };
}
