// Push: a device's batch of outbox mutations applied in one transaction together with the device's
// last applied sequence number. A repeated batch is acknowledged without being applied again, a
// batch that starts past the next expected number is refused (`sequence-gap`), a case changed at
// the county since the tablet's base revision keeps both versions (`conflict`), the same ID number
// on another case is linked as a possible duplicate (and a change of a case's ID number ends the
// links the old one made: duplicates.ts), a changed flag on a case the batch did not report is
// logged for that case's township to pull, and every received version is re-evaluated
// with the parameter set the tablet used (and the newest one) so that differing figures are flagged
// (kept as figures and a digest of the whole determination: determination-record.ts).

import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import { checkIdNumber, type CaseFacts, type Determination } from '../../domain';
import { parseCaseFacts } from '../../shared/case';
import { namePinyinSearchText } from '../../shared/pinyin';
import { parseRegistration, type Registration } from '../../shared/registration';
import {
  CLOCK_SKEW_LIMIT_MS,
  PROTOCOL_VERSION,
  differingFigures,
  figuresOf,
  type CaseRefusal,
  type FiguresDigest,
  type MutationResult,
  type PushRequest,
  type PushResponse,
  type TabletAuditEntry,
  type WireMutation,
} from '../../shared/sync-protocol';
import { authorize, checkClerkToken, type Principal } from '../auth/policy';
import { clerkTokenSecret, verifyClerkToken } from '../auth/clerk-token';
import type { AppliedMutationsTable, CaseLinksTable, CaseVersionsTable, CasesTable, ChangeLogTable, Database, Flag, ServerDeterminationsTable, UnitPayer } from '../db/schema';
import { writeRows, type RowsWrite } from '../db/batch-write';
import { ApiError } from '../errors';
import { clerkOfVersion, loadClerkAccounts, type ClerkAccounts } from './clerk-accounts';
import { tabletDeviceIds } from './enrolment';
import { flag, logChanges, type CountyContext } from './context';
import { appendAuditMany, type AuditEvent as ChainEvent } from '../audit/chain';
import { auditBy } from '../audit/actor';
import { LOCKED_STATUSES, type LifecycleStatus } from '../../shared/case-lifecycle';
import { voidCorrected, type Correction } from './case-lifecycle';
import { acceptedMutationEvents } from '../audit/events';
import { determinationSha256, evaluateOnServer, PROGRAM_VERSION } from './determination-record';
import { linksOf, openConflictIdNumbers, relinkPlan } from './duplicates';
import { ID_NUMBER_LOCK_PREFIX, lockIdNumbers, normaliseIdNumber } from './id-numbers';
import { knownParameterSets, type KnownParameterSets } from './parameter-sets';

type DevicePrincipal = Principal & { kind: 'device' };

/** A mutation whose case facts and registration have passed the same checks as on the tablet. */
export interface ValidatedMutation extends Omit<WireMutation, 'facts' | 'registration'> {
  facts: CaseFacts;
  registration: Registration;
  /** Normalised (18 characters, upper-case X): what duplicates are found by. */
  idNumber: string;
}

export { lockIdNumbers, normaliseIdNumber };

/** Checks every mutation's facts and registration; refuses the whole batch naming each bad field. */
export function validateBatch(req: PushRequest): ValidatedMutation[] {
  const problems: { path: string; message: string }[] = [];
  const out: ValidatedMutation[] = [];
  req.batch.forEach((m, i) => {
    const facts = parseCaseFacts(m.facts);
    if (!facts.ok) problems.push(...facts.problems.map((p) => ({ path: `batch[${i}].facts.${p.path}`, message: p.message })));
    const registration = parseRegistration(m.registration, facts.ok ? facts.facts : m.facts);
    if (!registration.ok) problems.push(...registration.problems.map((p) => ({ path: `batch[${i}].registration.${p.path}`, message: p.message })));
    if (facts.ok && registration.ok) {
      const id = checkIdNumber(facts.facts.person.idNumber);
      if (!id.valid) problems.push({ path: `batch[${i}].facts.person.idNumber`, message: `not a valid ID number (${id.reason})` });
      out.push({ ...m, facts: facts.facts, registration: registration.registration, idNumber: normaliseIdNumber(facts.facts.person.idNumber) });
    }
  });
  if (problems.length > 0) {
    throw new ApiError(422, 'invalid-batch', `The batch was refused, nothing was applied: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, {
      details: { problems },
    });
  }
  return out;
}

interface ServerResult {
  parametersVersion: string;
  purpose: 'tablet-set' | 'newest-set';
  /** Of the whole determination (determination-record.ts): the determination itself is not stored. */
  sha256: string | null;
  figures: FiguresDigest | null;
  error: string | null;
  differs: boolean;
  /** Of the determination, for the county queue's filters (null when there was none). */
  late: boolean | null;
  provisional: boolean | null;
}

function queueFacts(d: Determination): { late: boolean | null; provisional: boolean } {
  return { late: d.applicationLate, provisional: d.provisional.length > 0 };
}

/** The case's columns the county queue filters by, from the server's determination under the tablet's set. */
export function queueColumns(results: readonly ServerResult[]): { unit_payer: UnitPayer | null; application_late: Flag | null; provisional_parameters: Flag | null } {
  const own = results.find((r) => r.purpose === 'tablet-set');
  const flagOrNull = (b: boolean | null | undefined) => (b === null || b === undefined ? null : flag(b));
  return {
    unit_payer: own?.figures?.pensionUnitPayer ?? own?.figures?.medicalUnitPayer ?? null,
    application_late: flagOrNull(own?.late),
    provisional_parameters: flagOrNull(own?.provisional),
  };
}

/** The server's own determinations of a version: under the tablet's set, and under the newest where that is newer. */
export function serverDeterminations(m: ValidatedMutation, sets: KnownParameterSets): ServerResult[] {
  const out: ServerResult[] = [];
  const tabletSet = sets.byVersion.get(m.figures.parametersVersion);
  if (!tabletSet) {
    out.push({
      parametersVersion: m.figures.parametersVersion,
      purpose: 'tablet-set',
      sha256: null,
      figures: null,
      error: `unknown-parameter-set: the server has no parameter set ${m.figures.parametersVersion}`,
      differs: true,
      late: null,
      provisional: null,
    });
  } else {
    const r = evaluateOnServer(m.facts, tabletSet);
    if ('error' in r) {
      out.push({ parametersVersion: tabletSet.version, purpose: 'tablet-set', sha256: null, figures: null, error: r.error, differs: true, late: null, provisional: null });
    } else {
      const figures = figuresOf(r.determination);
      const sha256 = determinationSha256(r.determination);
      out.push({ parametersVersion: tabletSet.version, purpose: 'tablet-set', sha256, figures, error: null, differs: differingFigures(figures, m.figures).length > 0, ...queueFacts(r.determination) });
    }
  }
  if (sets.newest.version !== m.figures.parametersVersion && (!tabletSet || sets.newest.issued >= tabletSet.issued)) {
    const r = evaluateOnServer(m.facts, sets.newest);
    out.push(
      'error' in r
        ? { parametersVersion: sets.newest.version, purpose: 'newest-set', sha256: null, figures: null, error: r.error, differs: false, late: null, provisional: null }
        : { parametersVersion: sets.newest.version, purpose: 'newest-set', sha256: determinationSha256(r.determination), figures: figuresOf(r.determination), error: null, differs: false, ...queueFacts(r.determination) },
    );
  }
  return out;
}

/**
 * The batch's mutations already received (under other sequence numbers), and on PostgreSQL, in the
 * same statement (one round trip: the locks only have to come before the cases are read, and this
 * read needs none of them), the advisory locks of every ID number the batch can link or unlink by:
 * the numbers it carries, the current number of each case it gives another one, and the numbers of
 * the cases linked to those (as relinkDuplicates takes them). All in one sorted order, so two pushes
 * (or a push and a resolution) never wait for each other in a circle. The cases' numbers are read
 * before the locks: BatchApplier.load checks them again once the rows are locked.
 * Returns the ID numbers locked (none on SQLite, whose writers are serialised anyway).
 */
async function receivedBefore(trx: Kysely<Database>, ctx: CountyContext, fresh: ValidatedMutation[]): Promise<{ known: string[]; locked: Set<string> }> {
  const ids = fresh.map((m) => m.mutationId);
  if (ctx.kind !== 'postgres') {
    const known = (await trx.selectFrom('applied_mutations').select('mutation_id').where('mutation_id', 'in', ids).execute()).map((r) => r.mutation_id);
    return { known, locked: new Set() };
  }
  const { rows } = await sql<{ known: string[]; numbers: string[] }>`
    with v(id, n) as (select * from unnest(${fresh.map((m) => m.caseId)}::text[], ${fresh.map((m) => m.idNumber)}::text[])),
    moving as (select distinct c.id, c.id_number from cases c join v on v.id = c.id where c.id_number <> v.n),
    linked as (
      select o.id_number from moving m join case_links l on l.case_a = m.id and l.kind = 'possible-duplicate' join cases o on o.id = l.case_b
      union all
      select o.id_number from moving m join case_links l on l.case_b = m.id and l.kind = 'possible-duplicate' join cases o on o.id = l.case_a
    ),
    numbers as (select distinct n from (select n from v union all select id_number from moving union all select id_number from linked) s)
    select (select count(pg_advisory_xact_lock(hashtext(${ID_NUMBER_LOCK_PREFIX} || n))) from (select n from numbers order by n collate "C") o) as locked,
           (select json_agg(n) from numbers) as numbers,
           coalesce((select json_agg(mutation_id) from applied_mutations where mutation_id = any(${ids}::text[])), '[]'::json) as known`.execute(trx);
  return { known: rows[0]!.known, locked: new Set(rows[0]!.numbers) };
}

type CaseRow = Pick<CasesTable, 'id' | 'device_id' | 'township_code' | 'revision' | 'conflict' | 'possible_duplicate' | 'figures_differ' | 'case_number' | 'id_number'> & { lifecycle_status: LifecycleStatus };
const CASE_COLUMNS = ['id', 'device_id', 'township_code', 'revision', 'conflict', 'possible_duplicate', 'figures_differ', 'case_number', 'id_number', 'lifecycle_status'] as const;

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

/**
 * A batch's fresh mutations applied against one read of the cases they touch: every case, case
 * number and ID number the batch can meet is fetched up front (two queries), each mutation is
 * decided in order against that state (kept up to date as it goes, exactly as if each mutation had
 * read the database), and the writes go out at the end, many rows per statement (on PostgreSQL all
 * in one, with the device's sequence number: db/batch-write.ts).
 *
 * A batch that changes a case's ID number also reads the links around it (loadLinks): then every
 * link of every case the batch holds is known, links are added and removed in memory, and a case's
 * flag is whether it has a link. Otherwise, as for nearly every batch, links are only added, and a
 * case linked is flagged.
 */
class BatchApplier {
  private readonly cases = new Map<string, CaseRow>();
  private readonly byCaseNumber = new Map<string, string>();
  private readonly byIdNumber = new Map<string, Set<string>>();
  private readonly newCases = new Map<string, Insertable<CasesTable>>();
  private readonly caseUpdates = new Map<string, Updateable<CasesTable>>();
  private readonly links = new Map<string, Insertable<CaseLinksTable>>();
  private readonly unlinked = new Map<string, Pick<CaseLinksTable, 'case_a' | 'case_b' | 'kind'>>();
  /** Cases whose links the batch added or removed: their flags are written from these. */
  private readonly concerned = new Set<string>();
  /** Without loadLinks: the cases linked by the batch. */
  private readonly linked = new Set<string>();
  /** After loadLinks: every link of every case in `cases` (and of the batch's new cases). */
  private adjacency: Map<string, Set<string>> | null = null;
  /** After loadLinks: the ID numbers each case's open conflict carries (relinkPlan's rule). */
  private readonly openConflicts = new Map<string, Set<string>>();
  /** The flag each mutated case was last reported with in this batch's results. */
  private readonly reported = new Map<string, boolean>();
  private readonly versions: Insertable<CaseVersionsTable>[] = [];
  private readonly determinations: Insertable<ServerDeterminationsTable>[] = [];
  private readonly applied: Insertable<AppliedMutationsTable>[] = [];
  /** Cases in 退回补正 this batch corrected: their later signatures are voided (case-lifecycle.ts). */
  readonly corrected: Correction[] = [];
  private clerkAccounts: ClerkAccounts = new Map();

  private constructor(
    private readonly device: DevicePrincipal,
    private readonly receivedAt: string,
    private readonly tablet: PushingTablet,
  ) {}

  static async load(
    trx: Kysely<Database>,
    ctx: CountyContext,
    device: DevicePrincipal,
    fresh: ValidatedMutation[],
    receivedAt: string,
    locked: Set<string>,
    tablet: PushingTablet,
  ): Promise<BatchApplier> {
    const b = new BatchApplier(device, receivedAt, tablet);
    const touched = await trx
      .selectFrom('cases')
      .select(CASE_COLUMNS)
      .where('id', 'in', [...new Set(fresh.map((m) => m.caseId))])
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
      .execute();
    // UNION ALL, not OR: each half is a plain index lookup on both databases, in one round trip.
    const met = await trx
      .selectFrom('cases')
      .select(CASE_COLUMNS)
      .where('case_number', 'in', [...new Set(fresh.map((m) => m.caseNumber))])
      .unionAll(
        trx
          .selectFrom('cases')
          .select(CASE_COLUMNS)
          .where('id_number', 'in', [...new Set(fresh.map((m) => m.idNumber))]),
      )
      .execute();
    for (const row of [...met, ...touched]) {
      b.cases.set(row.id, row);
      b.byCaseNumber.set(row.case_number, row.id);
      addTo(b.byIdNumber, row.id_number, row.id);
    }
    // A touched case's row is what the other query may have read before the lock: the locked one wins.
    for (const row of touched) b.cases.set(row.id, row);
    b.clerkAccounts = await loadClerkAccounts(trx, [...fresh.map((m) => m.account), ...fresh.map((m) => tablet.tokenOf(m)).map((t) => (typeof t === 'object' && t !== null ? t.username : null))]);

    // Cases whose ID number the batch may change (if the change is not a conflict): their old links.
    const numbers = new Map<string, Set<string>>();
    for (const row of touched) addTo(numbers, row.id, row.id_number);
    for (const m of fresh) addTo(numbers, m.caseId, m.idNumber);
    const moving = [...numbers].filter(([, n]) => n.size > 1).map(([id]) => id);
    if (moving.length > 0) await b.loadLinks(trx, ctx, moving, locked);
    return b;
  }

  /**
   * The links of every case the batch holds, the cases linked to those that change ID number, and
   * the numbers open conflicts carry. On PostgreSQL a number receivedBefore did not lock (changed
   * by a resolution, or linked by a push, between its read and its lock) is locked now and the
   * links read again, as relinkDuplicates does.
   */
  private async loadLinks(trx: Kysely<Database>, ctx: CountyContext, moving: string[], locked: Set<string>): Promise<void> {
    const stored = moving.filter((id) => this.cases.has(id));
    const held = new Set(this.cases.keys());
    let around: CaseRow[];
    for (;;) {
      const others = new Set((await linksOf(trx, stored)).flatMap((l) => [l.case_a, l.case_b]).filter((id) => !held.has(id)));
      around = others.size === 0 ? [] : await trx.selectFrom('cases').select(CASE_COLUMNS).where('id', 'in', [...others]).execute();
      const missing = [...new Set([...stored.map((id) => this.cases.get(id)!.id_number), ...around.map((r) => r.id_number)])].filter((n) => !locked.has(n));
      if (missing.length === 0 || ctx.kind !== 'postgres') break;
      await lockIdNumbers(trx, ctx, missing);
      for (const n of missing) locked.add(n);
    }
    // Only linked: not of a number the batch carries, so never looked up by one.
    for (const row of around) this.cases.set(row.id, row);

    const all = [...this.cases.keys()];
    const adjacency = new Map(all.map((id) => [id, new Set<string>()]));
    for (const l of await linksOf(trx, all)) {
      adjacency.get(l.case_a)?.add(l.case_b);
      adjacency.get(l.case_b)?.add(l.case_a);
    }
    this.adjacency = adjacency;
    const open = await openConflictIdNumbers(
      trx,
      all.filter((id) => this.cases.get(id)!.conflict === 1),
    );
    for (const [id, ns] of open) this.openConflicts.set(id, new Set(ns));
  }

  apply(m: ValidatedMutation, results: ServerResult[], namePinyin: string): MutationResult {
    const { device, receivedAt, tablet } = this;
    const known = this.cases.get(m.caseId);
    const existing = known ? { ...known } : undefined;
    authorize(device, {
      type: 'case.write',
      caseTownshipCode: existing?.township_code ?? device.townshipCode,
      // A case made under an earlier enrolment of the same tablet (same key) is this device's own.
      existing: existing ? { deviceId: tablet.deviceIds.has(existing.device_id) ? device.deviceId : existing.device_id, townshipCode: existing.township_code } : null,
    });
    {
      const numberRefusal = !existing || existing.case_number !== m.caseNumber ? this.caseNumberRefusal(m) : null;
      // After 核查通过 the verified facts are the county's: only a correction it asks for (退回补正) changes them.
      const locked = existing !== undefined && LOCKED_STATUSES.includes(existing.lifecycle_status);
      const refusal: CaseRefusal | null = numberRefusal ?? (locked ? 'case-locked-after-verification' : null);
      // Refused alone: the rest of the batch goes on, the tablet keeps the case and shows why.
      if (refusal !== null) {
        this.applied.push({ mutation_id: m.mutationId, device_id: device.deviceId, seq: m.seq, case_id: m.caseId, outcome: 'refused', server_revision: 0, received_at: receivedAt, refusal });
        return {
          seq: m.seq,
          mutationId: m.mutationId,
          caseId: m.caseId,
          outcome: 'refused',
          serverRevision: existing?.revision ?? null,
          refusal,
          conflict: existing?.conflict === 1,
          possibleDuplicate: existing?.possible_duplicate === 1,
          figuresDiffer: existing?.figures_differ === 1,
        };
      }
    }

    // The county changed the case after the version this change was made on (or a conflict is open): keep both.
    const conflict = existing !== undefined && (existing.conflict === 1 || m.baseRevision !== existing.revision);
    const tabletDiffers = results.some((r) => r.purpose === 'tablet-set' && r.differs);
    const versionId = randomUUID();
    const factsJson = JSON.stringify(m.facts);
    const registrationJson = JSON.stringify(m.registration);

    // Stored as sent; an account or token the policy cannot verify flags the case (it stays flagged), never refuses it.
    const token = tablet.tokenOf(m);
    const proof = checkClerkToken({ protocol: tablet.protocol, token, account: m.account ?? null, tabletDeviceIds: tablet.deviceIds, now: new Date(receivedAt) });
    const account = clerkOfVersion(device, this.clerkAccounts, m.account ?? proof.verified);
    const clerk = { ...account, clerk_problem: account.clerk_problem ?? proof.problem, clerk_verified: proof.verified };
    const hard = account.clerk_problem !== null || (proof.problem !== null && proof.hard);
    const softly = proof.problem !== null && !proof.hard;
    const unverified = { ...(hard ? { clerk_unverified: 1 } : {}), ...(softly ? { clerk_token_expired: 1 } : {}) };
    const caseValues = {
      case_number: m.caseNumber,
      id_number: m.idNumber,
      name: m.registration.name,
      status: m.status,
      facts: factsJson,
      registration: registrationJson,
      revision: m.revision,
      current_version_id: versionId,
      parameters_version: m.figures.parametersVersion,
      updated_at: receivedAt,
      updated_by: m.clerk,
      ...queueColumns(results),
      name_pinyin: namePinyin,
    };
    let serverRevision: number;
    if (!existing) {
      const row: CaseRow = {
        id: m.caseId,
        device_id: device.deviceId,
        township_code: device.townshipCode,
        revision: m.revision,
        conflict: 0,
        possible_duplicate: 0,
        figures_differ: flag(tabletDiffers),
        case_number: m.caseNumber,
        id_number: m.idNumber,
        lifecycle_status: 'synced',
      };
      this.newCases.set(m.caseId, {
        ...row,
        county_status: 'received',
        correction_request: null,
        received_at: receivedAt,
        lifecycle_since: receivedAt,
        ...caseValues,
        registered_by_account: m.kind === 'case.create' ? clerk.clerk_account : null,
        clerk_unverified: flag(hard),
        clerk_token_expired: flag(softly),
      });
      this.remember(row);
      serverRevision = m.revision;
    } else if (conflict) {
      this.change(existing, { conflict: 1, figures_differ: flag(tabletDiffers || existing.figures_differ === 1), ...unverified });
      addTo(this.openConflicts, m.caseId, m.idNumber);
      serverRevision = existing.revision;
    } else {
      if (existing.id_number !== m.idNumber) this.unlinkMoved(m.caseId, m.idNumber);
      // The window's answer to 退回补正: the case is synced again, to be verified afresh (voidCorrected).
      const corrected = existing.lifecycle_status === 'correction-requested';
      if (corrected) this.corrected.push({ caseId: m.caseId, townshipCode: existing.township_code, versionId, revision: m.revision });
      this.change(existing, { ...caseValues, figures_differ: flag(tabletDiffers || existing.figures_differ === 1), ...unverified, ...(corrected ? { lifecycle_status: 'synced' as const, lifecycle_since: this.receivedAt, county_status: 'received' as const, correction_request: null } : {}) });
      serverRevision = m.revision;
    }

    this.versions.push({
      id: versionId,
      case_id: m.caseId,
      revision: m.revision,
      base_revision: m.baseRevision,
      source: 'tablet',
      mutation_id: m.mutationId,
      device_id: device.deviceId,
      actor: m.clerk,
      at: m.at,
      received_at: receivedAt,
      status: m.status,
      facts: factsJson,
      registration: registrationJson,
      figures: JSON.stringify(m.figures),
      conflicting: flag(conflict),
      ...clerk,
    });
    for (const r of results) {
      this.determinations.push({
        version_id: versionId,
        parameters_version: r.parametersVersion,
        case_id: m.caseId,
        purpose: r.purpose,
        figures: r.figures === null ? null : JSON.stringify(r.figures),
        determination_sha256: r.sha256,
        program_version: r.sha256 === null ? null : PROGRAM_VERSION,
        error: r.error,
        figures_differ: flag(r.differs),
        computed_at: receivedAt,
        application_late: r.late === null ? null : flag(r.late),
        provisional: r.provisional === null ? null : flag(r.provisional),
      });
    }
    this.linkDuplicates(m.caseId, m.idNumber);
    const duplicate = this.flagged(m.caseId);
    this.reported.set(m.caseId, duplicate);
    this.applied.push({ mutation_id: m.mutationId, device_id: device.deviceId, seq: m.seq, case_id: m.caseId, outcome: conflict ? 'conflict' : 'applied', server_revision: serverRevision, received_at: receivedAt });
    return {
      seq: m.seq,
      mutationId: m.mutationId,
      caseId: m.caseId,
      outcome: conflict ? 'conflict' : 'applied',
      serverRevision,
      conflict: conflict || existing?.conflict === 1,
      possibleDuplicate: duplicate,
      figuresDiffer: tabletDiffers || existing?.figures_differ === 1,
    };
  }

  /** Why a case number the server has not accepted before is refused, or null: see CASE_REFUSALS. */
  private caseNumberRefusal(m: ValidatedMutation): CaseRefusal | null {
    const [county, deviceId] = m.caseNumber.split('-');
    // A window may register a veteran placed in another county: the number carries the case's county, not the tablet's.
    if (county !== m.facts.placement.countyCode) return 'case-number-other-county';
    if (!this.tablet.deviceIds.has(deviceId!)) return 'case-number-other-device';
    const owner = this.byCaseNumber.get(m.caseNumber);
    if (owner !== undefined && owner !== m.caseId) return 'case-number-taken';
    return null;
  }

  private remember(row: CaseRow): void {
    this.cases.set(row.id, row);
    this.byCaseNumber.set(row.case_number, row.id);
    addTo(this.byIdNumber, row.id_number, row.id);
  }

  /** An existing case (or one new in this batch) changed: the state follows, the write waits. */
  private change(before: CaseRow, set: Updateable<CasesTable>): void {
    const after: CaseRow = { ...before, ...(set as Partial<CaseRow>) };
    if (after.case_number !== before.case_number && this.byCaseNumber.get(before.case_number) === before.id) this.byCaseNumber.delete(before.case_number);
    if (after.id_number !== before.id_number) this.byIdNumber.get(before.id_number)?.delete(before.id);
    this.remember(after);
    const inserted = this.newCases.get(before.id);
    if (inserted) Object.assign(inserted, set);
    else this.caseUpdates.set(before.id, { ...this.caseUpdates.get(before.id), ...set });
  }

  private linkDuplicates(caseId: string, idNumber: string): void {
    for (const other of this.byIdNumber.get(idNumber) ?? []) if (other !== caseId) this.link(caseId, other);
  }

  /** Case `caseId` is given ID number `idNumber`: its links that no longer hold go (duplicates.ts). */
  private unlinkMoved(caseId: string, idNumber: string): void {
    const linked = [...this.linksOf(caseId)].map((id) => ({
      id,
      idNumber: this.cases.get(id)!.id_number,
      openConflictIdNumbers: [...(this.openConflicts.get(id) ?? [])],
    }));
    for (const other of relinkPlan(caseId, idNumber, linked, []).remove) this.unlink(caseId, other);
  }

  /** Every link of a case: only after loadLinks, which a batch that moves a case takes. */
  private linksOf(id: string): Set<string> {
    if (this.adjacency === null) throw new Error(`internal: case ${id} changes ID number but its links were not read`);
    let links = this.adjacency.get(id);
    if (!links) {
      if (!this.newCases.has(id)) throw new Error(`internal: the links of case ${id} were not read`);
      this.adjacency.set(id, (links = new Set()));
    }
    return links;
  }

  private link(x: string, y: string): void {
    const [a, b] = x < y ? [x, y] : [y, x];
    this.unlinked.delete(`${a} ${b}`);
    this.links.set(`${a} ${b}`, { case_a: a, case_b: b, kind: 'possible-duplicate', created_at: this.receivedAt });
    for (const [id, other] of [
      [x, y],
      [y, x],
    ] as const) {
      this.concerned.add(id);
      if (this.adjacency) this.linksOf(id).add(other);
      else this.linked.add(id);
    }
  }

  private unlink(x: string, y: string): void {
    const [a, b] = x < y ? [x, y] : [y, x];
    // Removed from the database too: a link added again by this batch may be an old one.
    this.links.delete(`${a} ${b}`);
    this.unlinked.set(`${a} ${b}`, { case_a: a, case_b: b, kind: 'possible-duplicate' });
    this.concerned.add(x).add(y);
    this.linksOf(x).delete(y);
    this.linksOf(y).delete(x);
  }

  /** Whether the case is a possible duplicate now (with the batch applied so far). */
  private flagged(id: string): boolean {
    if (this.adjacency) return this.linksOf(id).size > 0;
    return this.linked.has(id) || this.cases.get(id)?.possible_duplicate === 1;
  }

  /** What the batch writes, for writeRows: on PostgreSQL one statement with the device's update. */
  writes(): RowsWrite[] {
    const updates = new Map(this.caseUpdates);
    for (const id of this.concerned) {
      const next = flag(this.flagged(id));
      const inserted = this.newCases.get(id);
      if (inserted) inserted.possible_duplicate = next;
      // cases holds the flag as read: a case whose flag ends where it began is not written.
      else if (next !== this.cases.get(id)!.possible_duplicate) updates.set(id, { ...updates.get(id), possible_duplicate: next });
    }
    return [
      { op: 'insert', table: 'cases', rows: [...this.newCases.values()] },
      { op: 'update', table: 'cases', key: 'id', changes: updates },
      { op: 'insert', table: 'case_versions', rows: this.versions },
      { op: 'insert', table: 'server_determinations', rows: this.determinations },
      { op: 'delete', table: 'case_links', keys: [...this.unlinked.values()] },
      { op: 'insert', table: 'case_links', rows: [...this.links.values()], conflictDoNothing: ['case_a', 'case_b', 'kind'] },
      { op: 'insert', table: 'applied_mutations', rows: this.applied },
    ];
  }

  /**
   * A case whose flag is not what this batch's results last said of it (a case of another device or
   * township above all, which the results do not mention): logged for its township, so that its
   * tablet learns of it at the next pull. Nothing for a batch that changed no other case's flag.
   */
  changes(): Omit<ChangeLogTable, 'id'>[] {
    const out: Omit<ChangeLogTable, 'id'>[] = [];
    for (const id of this.concerned) {
      const row = this.cases.get(id)!;
      const known = this.reported.get(id) ?? row.possible_duplicate === 1;
      if (this.flagged(id) !== known) out.push({ kind: 'case', township_code: row.township_code, ref: id, at: this.receivedAt });
    }
    // A correction after 退回补正 returns the case to 已同步: the tablet learns it at its next pull.
    for (const c of this.corrected) {
      if (!out.some((o) => o.ref === c.caseId)) out.push({ kind: 'case', township_code: c.townshipCode, ref: c.caseId, at: this.receivedAt });
    }
    return out;
  }
}

/** The outcome of a mutation received before: what it was then, with the case's flags now. */
async function repeated(trx: Kysely<Database>, device: DevicePrincipal, m: WireMutation, tablet: PushingTablet): Promise<MutationResult> {
  const row = await trx
    .selectFrom('applied_mutations')
    .leftJoin('cases', 'cases.id', 'applied_mutations.case_id')
    .select([
      'applied_mutations.mutation_id',
      'applied_mutations.server_revision',
      'applied_mutations.refusal',
      'cases.revision',
      'cases.conflict',
      'cases.possible_duplicate',
      'cases.figures_differ',
    ])
    // The sequence goes on across the tablet's enrolments: a batch may repeat one sent under an earlier id.
    .where('applied_mutations.device_id', 'in', [...tablet.deviceIds])
    .where('applied_mutations.seq', '=', m.seq)
    .executeTakeFirst();
  if (!row || row.mutation_id !== m.mutationId) {
    throw new ApiError(422, 'invalid-batch', `Sequence number ${m.seq} of device ${device.deviceId} was already used by another mutation; nothing was applied`, {
      details: { problems: [{ path: `seq ${m.seq}`, message: 'already used by another mutation' }] },
    });
  }
  return {
    seq: m.seq,
    mutationId: m.mutationId,
    caseId: m.caseId,
    outcome: 'duplicate',
    serverRevision: row.refusal === null ? row.server_revision : (row.revision ?? null),
    ...(row.refusal !== null ? { refusal: row.refusal as CaseRefusal } : {}),
    conflict: row.conflict === 1,
    possibleDuplicate: row.possible_duplicate === 1,
    figuresDiffer: row.figures_differ === 1,
  };
}

export async function ingestPush(ctx: CountyContext, device: DevicePrincipal, req: PushRequest): Promise<PushResponse> {
  const mutations = validateBatch(req);
  const sets = await knownParameterSets(ctx.db);
  // The engine runs before the transaction: it is pure and the slowest step, so locks are held briefly.
  const evaluated = new Map(mutations.map((m) => [m.mutationId, serverDeterminations(m, sets)]));
  const pinyin = new Map(await Promise.all(mutations.map(async (m) => [m.mutationId, await namePinyinSearchText(m.registration.name)] as const)));

  const now = ctx.now();
  const receivedAt = now.toISOString();
  const secret = await clerkTokenSecret(ctx.db, now);
  const claims = new Map(req.batch.map((m) => [m.mutationId, m.clerkToken === undefined ? null : (verifyClerkToken(secret, m.clerkToken) ?? 'invalid')] as const));
  const { out: results, lastSeq, auditAcknowledged } = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('devices')
      .innerJoin('townships', 'townships.code', 'devices.township_code')
      .select(['devices.last_seq', 'devices.revoked_at', 'devices.township_code', 'townships.county_code'])
      .where('devices.device_id', '=', device.deviceId)
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate(['devices']))
      .executeTakeFirstOrThrow();
    // Revoked between authentication and now: refused all the same.
    const current: DevicePrincipal = { ...device, revokedAt: row.revoked_at, townshipCode: row.township_code };
    authorize(current, { type: 'sync.push', claimedDeviceId: req.deviceId });

    const expected = row.last_seq + 1;
    // An audit-only push (no mutation) has no sequence to check and leaves the device's where it is.
    const first = mutations[0]?.seq ?? expected;
    if (first > expected) {
      throw new ApiError(409, 'sequence-gap', `Device ${device.deviceId}: the server expects seq ${expected} next, the batch starts at ${first}; nothing was applied`, {
        details: { expectedSeq: expected },
      });
    }
    const fresh = mutations.filter((m) => m.seq >= expected);
    let locked = new Set<string>();
    if (fresh.length > 0) {
      const { known, locked: numbers } = await receivedBefore(trx, ctx, fresh);
      locked = numbers;
      if (known.length > 0) {
        throw new ApiError(422, 'invalid-batch', `Mutation ${known[0]!} was already received under another sequence number; nothing was applied`, {
          details: { problems: known.map((k) => ({ path: `mutationId ${k}`, message: 'already received under another seq' })) },
        });
      }
    }

    const tablet: PushingTablet = {
      protocol: req.protocol,
      deviceIds: new Set(await tabletDeviceIds(trx, device.deviceId)),
      tokenOf: (m) => claims.get(m.mutationId) ?? null,
    };
    const out: MutationResult[] = [];
    let lastSeq = row.last_seq;
    const applier = fresh.length > 0 ? await BatchApplier.load(trx, ctx, current, fresh, receivedAt, locked, tablet) : null;
    for (const m of mutations) {
      if (m.seq < expected) out.push(await repeated(trx, current, m, tablet));
      else {
        out.push(applier!.apply(m, evaluated.get(m.mutationId)!, pinyin.get(m.mutationId)!));
        lastSeq = m.seq;
      }
    }
    const deviceSeen: RowsWrite = { op: 'update', table: 'devices', key: 'device_id', changes: new Map([[device.deviceId, { last_seq: lastSeq, last_seen_at: receivedAt, app_version: req.appVersion }]]) };
    await writeRows(trx, ctx.kind, [...(applier?.writes() ?? []), deviceSeen]);
    const corrections = await voidCorrected(trx, applier?.corrected ?? [], auditBy(current));
    // After the rows: the change log's lock is the last one taken (context.ts).
    await logChanges(trx, ctx.kind, applier?.changes() ?? []);
    // Last of all: the audit chain's lock is taken after the change log's (audit/chain.ts).
    await appendAuditMany(trx, [...acceptedMutationEvents(current, mutations, out), ...corrections], now);
    // Only a tablet of protocol 2 sends its own audit entries; each is appended once, however often it comes.
    const tabletAudit = await receiveTabletAudit(trx, current, req.auditEntries ?? [], receivedAt);
    await appendAuditMany(trx, tabletAudit.events, now);
    return { out, lastSeq, auditAcknowledged: tabletAudit.acknowledged };
  });

  const skew = Date.parse(req.clientTime) - now.getTime();
  const response = {
    // Everything up to the device's last applied seq is on the server, even beyond this batch.
    ackedThroughSeq: lastSeq,
    serverTime: receivedAt,
    ...(Math.abs(skew) > CLOCK_SKEW_LIMIT_MS ? { clockSkewMs: Math.round(skew) } : {}),
  };
  if (req.protocol === 1) return { protocol: 1, ...response, results: results.map(asProtocol1) } as unknown as PushResponse;
  return { protocol: PROTOCOL_VERSION, ...response, results, ...(req.auditEntries !== undefined ? { auditAcknowledged } : {}) };
}

/**
 * The tablet's audit entries not received before, as chain events: the clerk of the shift acts, in
 * the device's township; ids, case number, revision and the changed fields' paths go into the chain,
 * the values (personal) and the reason beside it. Recorded as received in the same transaction.
 */
async function receiveTabletAudit(trx: Kysely<Database>, device: DevicePrincipal, entries: readonly TabletAuditEntry[], receivedAt: string): Promise<{ events: ChainEvent[]; acknowledged: string[] }> {
  if (entries.length === 0) return { events: [], acknowledged: [] };
  const ids = [...new Set(entries.map((e) => e.id))];
  const known = new Set((await trx.selectFrom('tablet_audit_received').select('entry_id').where('entry_id', 'in', ids).execute()).map((r) => r.entry_id));
  const fresh = entries.filter((e, i) => !known.has(e.id) && entries.findIndex((x) => x.id === e.id) === i);
  if (fresh.length > 0) await trx.insertInto('tablet_audit_received').values(fresh.map((e) => ({ entry_id: e.id, device_id: device.deviceId, received_at: receivedAt }))).execute();
  const events: ChainEvent[] = fresh.map((e) => ({
    action: `tablet.${e.action}`,
    actor: e.actor,
    role: null,
    area: { level: 'township', code: device.townshipCode },
    subject: e.caseId ?? `device:${device.deviceId}`,
    detail: { entryId: e.id, deviceId: device.deviceId, caseNumber: e.caseNumber, revision: e.revision, fields: e.changes.map((c) => c.path) },
    personal: { changes: e.changes, reason: e.reason },
    occurredAt: e.at,
  }));
  return { events, acknowledged: ids };
}

/**
 * A result as a tablet of protocol 1 reads it: it knows no refusals, so a refused case shows there
 * as conflicting (需处理: the window asks the county), and keeps its last known revision.
 */
function asProtocol1(r: MutationResult): Omit<MutationResult, 'serverRevision' | 'refusal' | 'outcome'> & { outcome: 'applied' | 'duplicate' | 'conflict'; serverRevision: number } {
  const { refusal, serverRevision, outcome, ...rest } = r;
  if (outcome !== 'refused' && refusal === undefined) return { ...rest, outcome, serverRevision: serverRevision ?? 1 };
  return { ...rest, outcome: outcome === 'refused' ? 'conflict' : outcome, serverRevision: serverRevision ?? 1, conflict: true };
}

/** What the pushing tablet is, for the checks of each mutation. */
interface PushingTablet {
  protocol: number;
  /** Every device id of the tablet (tabletDeviceIds): its case numbers, cases, sequence and tokens may name any. */
  deviceIds: ReadonlySet<string>;
  tokenOf(m: WireMutation): { username: string; deviceId: string; expiresAt: string } | 'invalid' | null;
}
