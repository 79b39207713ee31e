// Push: a device's batch of outbox mutations applied in one transaction together with the device's
// last applied sequence number. A repeated batch is acknowledged without being applied again, a
// batch that starts past the next expected number is refused (`sequence-gap`), a case changed at
// the county since the tablet's base revision keeps both versions (`conflict`), the same ID number
// on another case is linked as a possible duplicate, and every received version is re-evaluated
// with the parameter set the tablet used (and the newest one) so that differing figures are flagged.

import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import { checkIdNumber, evaluate, isJiexuError, upgradeIdNumber15, type CaseFacts, type Determination, type ParameterSet } from '../../domain';
import { parseCaseFacts } from '../../shared/case';
import { parseRegistration, type Registration } from '../../shared/registration';
import {
  CLOCK_SKEW_LIMIT_MS,
  PROTOCOL_VERSION,
  differingFigures,
  figuresOf,
  type FiguresDigest,
  type MutationResult,
  type PushRequest,
  type PushResponse,
  type WireMutation,
} from '../../shared/sync-protocol';
import { authorize, type Principal } from '../auth/policy';
import type { AppliedMutationsTable, CaseLinksTable, CaseVersionsTable, CasesTable, Database, ServerDeterminationsTable } from '../db/schema';
import { ApiError } from '../errors';
import { flag, type CountyContext } from './context';
import { knownParameterSets, type KnownParameterSets } from './parameter-sets';

type DevicePrincipal = Principal & { kind: 'device' };

/** A mutation whose case facts and registration have passed the same checks as on the tablet. */
export interface ValidatedMutation extends Omit<WireMutation, 'facts' | 'registration'> {
  facts: CaseFacts;
  registration: Registration;
  /** Normalised (18 characters, upper-case X): what duplicates are found by. */
  idNumber: string;
}

export function normaliseIdNumber(raw: string): string {
  const check = checkIdNumber(raw);
  if (check.valid) return check.idNumber;
  const s = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  return (s.length === 15 ? upgradeIdNumber15(s) : null) ?? s;
}

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
  determination: Determination | null;
  figures: FiguresDigest | null;
  error: string | null;
  differs: boolean;
}

function runEngine(facts: CaseFacts, set: ParameterSet): { determination: Determination } | { error: string } {
  try {
    return { determination: evaluate(facts, set) };
  } catch (err) {
    if (isJiexuError(err)) return { error: `${err.code}: ${err.message}` };
    throw err;
  }
}

/** The server's own determinations of a version: under the tablet's set, and under the newest where that is newer. */
export function serverDeterminations(m: ValidatedMutation, sets: KnownParameterSets): ServerResult[] {
  const out: ServerResult[] = [];
  const tabletSet = sets.byVersion.get(m.figures.parametersVersion);
  if (!tabletSet) {
    out.push({
      parametersVersion: m.figures.parametersVersion,
      purpose: 'tablet-set',
      determination: null,
      figures: null,
      error: `unknown-parameter-set: the server has no parameter set ${m.figures.parametersVersion}`,
      differs: true,
    });
  } else {
    const r = runEngine(m.facts, tabletSet);
    if ('error' in r) {
      out.push({ parametersVersion: tabletSet.version, purpose: 'tablet-set', determination: null, figures: null, error: r.error, differs: true });
    } else {
      const figures = figuresOf(r.determination);
      out.push({ parametersVersion: tabletSet.version, purpose: 'tablet-set', determination: r.determination, figures, error: null, differs: differingFigures(figures, m.figures).length > 0 });
    }
  }
  if (sets.newest.version !== m.figures.parametersVersion && (!tabletSet || sets.newest.issued >= tabletSet.issued)) {
    const r = runEngine(m.facts, sets.newest);
    out.push(
      'error' in r
        ? { parametersVersion: sets.newest.version, purpose: 'newest-set', determination: null, figures: null, error: r.error, differs: false }
        : { parametersVersion: sets.newest.version, purpose: 'newest-set', determination: r.determination, figures: figuresOf(r.determination), error: null, differs: false },
    );
  }
  return out;
}

async function lockIdNumbers(trx: Kysely<Database>, ctx: CountyContext, idNumbers: string[]): Promise<void> {
  if (ctx.kind !== 'postgres' || idNumbers.length === 0) return;
  // Sorted, so two devices pushing the same veterans lock in the same order and never deadlock;
  // unnest keeps the array's order, so one statement takes them all in that order.
  const keys = [...new Set(idNumbers)].sort().map((id) => `jiexu-id:${id}`);
  await sql`select count(pg_advisory_xact_lock(hashtext(k))) from unnest(${keys}::text[]) as k`.execute(trx);
}

type CaseRow = Pick<CasesTable, 'id' | 'device_id' | 'township_code' | 'revision' | 'conflict' | 'possible_duplicate' | 'figures_differ' | 'case_number' | 'id_number'>;

/** Rows per INSERT: well below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const ROWS_PER_INSERT = 200;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(rows.slice(i, i + ROWS_PER_INSERT));
  return out;
}

function addTo(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (!ids) index.set(key, (ids = new Set()));
  ids.add(id);
}

/**
 * A batch's fresh mutations applied against one read of the cases they touch: every case, case
 * number and ID number the batch can meet is fetched in one query each, each mutation is decided in
 * order against that state (kept up to date as it goes, exactly as if each mutation had read the
 * database), and the writes go out at the end, many rows per statement.
 */
class BatchApplier {
  private readonly cases = new Map<string, CaseRow>();
  private readonly byCaseNumber = new Map<string, string>();
  private readonly byIdNumber = new Map<string, Set<string>>();
  private readonly newCases = new Map<string, Insertable<CasesTable>>();
  private readonly caseUpdates = new Map<string, Updateable<CasesTable>>();
  private readonly duplicates = new Set<string>();
  private readonly links = new Map<string, Insertable<CaseLinksTable>>();
  private readonly versions: Insertable<CaseVersionsTable>[] = [];
  private readonly determinations: Insertable<ServerDeterminationsTable>[] = [];
  private readonly applied: Insertable<AppliedMutationsTable>[] = [];

  private constructor(
    private readonly device: DevicePrincipal,
    private readonly receivedAt: string,
  ) {}

  static async load(trx: Kysely<Database>, ctx: CountyContext, device: DevicePrincipal, fresh: ValidatedMutation[], receivedAt: string): Promise<BatchApplier> {
    const b = new BatchApplier(device, receivedAt);
    const columns = ['id', 'device_id', 'township_code', 'revision', 'conflict', 'possible_duplicate', 'figures_differ', 'case_number', 'id_number'] as const;
    const touched = await trx
      .selectFrom('cases')
      .select(columns)
      .where('id', 'in', [...new Set(fresh.map((m) => m.caseId))])
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
      .execute();
    // Two queries, not one with OR: each is a plain index lookup on both databases.
    const sameNumber = await trx
      .selectFrom('cases')
      .select(columns)
      .where('case_number', 'in', [...new Set(fresh.map((m) => m.caseNumber))])
      .execute();
    const sameIdNumber = await trx
      .selectFrom('cases')
      .select(columns)
      .where('id_number', 'in', [...new Set(fresh.map((m) => m.idNumber))])
      .execute();
    for (const row of [...sameNumber, ...sameIdNumber, ...touched]) {
      b.cases.set(row.id, row);
      b.byCaseNumber.set(row.case_number, row.id);
      addTo(b.byIdNumber, row.id_number, row.id);
    }
    // A touched case's row is what the other query may have read before the lock: the locked one wins.
    for (const row of touched) b.cases.set(row.id, row);
    return b;
  }

  apply(m: ValidatedMutation, results: ServerResult[]): MutationResult {
    const { device, receivedAt } = this;
    const known = this.cases.get(m.caseId);
    const existing = known ? { ...known } : undefined;
    authorize(device, {
      type: 'case.write',
      caseTownshipCode: existing?.township_code ?? device.townshipCode,
      existing: existing ? { deviceId: existing.device_id, townshipCode: existing.township_code } : null,
    });
    if (!existing || existing.case_number !== m.caseNumber) {
      const owner = this.byCaseNumber.get(m.caseNumber);
      if (owner !== undefined && owner !== m.caseId) {
        throw new ApiError(422, 'invalid-batch', `Case number ${m.caseNumber} already belongs to another case; nothing was applied`, {
          details: { problems: [{ path: `seq ${m.seq}.caseNumber`, message: 'already used by another case' }] },
        });
      }
    }

    // The county changed the case after the version this change was made on (or a conflict is open): keep both.
    const conflict = existing !== undefined && (existing.conflict === 1 || m.baseRevision !== existing.revision);
    const tabletDiffers = results.some((r) => r.purpose === 'tablet-set' && r.differs);
    const versionId = randomUUID();
    const factsJson = JSON.stringify(m.facts);
    const registrationJson = JSON.stringify(m.registration);

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
      };
      this.newCases.set(m.caseId, { ...row, county_status: 'received', correction_request: null, received_at: receivedAt, ...caseValues });
      this.remember(row);
      serverRevision = m.revision;
    } else if (conflict) {
      this.change(existing, { conflict: 1, figures_differ: flag(tabletDiffers || existing.figures_differ === 1) });
      serverRevision = existing.revision;
    } else {
      this.change(existing, { ...caseValues, figures_differ: flag(tabletDiffers || existing.figures_differ === 1) });
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
    });
    for (const r of results) {
      this.determinations.push({
        version_id: versionId,
        parameters_version: r.parametersVersion,
        case_id: m.caseId,
        purpose: r.purpose,
        figures: r.figures === null ? null : JSON.stringify(r.figures),
        determination: r.determination === null ? null : JSON.stringify(r.determination),
        error: r.error,
        figures_differ: flag(r.differs),
        computed_at: receivedAt,
      });
    }
    const duplicate = this.linkDuplicates(m.caseId, m.idNumber) || existing?.possible_duplicate === 1;
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

  private linkDuplicates(caseId: string, idNumber: string): boolean {
    const others = [...(this.byIdNumber.get(idNumber) ?? [])].filter((id) => id !== caseId);
    if (others.length === 0) return false;
    for (const o of others) {
      const [a, b] = caseId < o ? [caseId, o] : [o, caseId];
      this.links.set(`${a} ${b}`, { case_a: a, case_b: b, kind: 'possible-duplicate', created_at: this.receivedAt });
    }
    for (const id of [caseId, ...others]) {
      const row = this.cases.get(id);
      if (row) row.possible_duplicate = 1;
      const inserted = this.newCases.get(id);
      if (inserted) inserted.possible_duplicate = 1;
      else this.duplicates.add(id);
    }
    return true;
  }

  async write(trx: Kysely<Database>): Promise<void> {
    for (const rows of chunks([...this.newCases.values()])) await trx.insertInto('cases').values(rows).execute();
    for (const [id, set] of this.caseUpdates) await trx.updateTable('cases').set(set).where('id', '=', id).execute();
    for (const rows of chunks([...this.duplicates])) await trx.updateTable('cases').set({ possible_duplicate: 1 }).where('id', 'in', rows).execute();
    for (const rows of chunks(this.versions)) await trx.insertInto('case_versions').values(rows).execute();
    for (const rows of chunks(this.determinations)) await trx.insertInto('server_determinations').values(rows).execute();
    for (const rows of chunks([...this.links.values()])) {
      await trx
        .insertInto('case_links')
        .values(rows)
        .onConflict((oc) => oc.columns(['case_a', 'case_b', 'kind']).doNothing())
        .execute();
    }
    for (const rows of chunks(this.applied)) await trx.insertInto('applied_mutations').values(rows).execute();
  }
}

/** The outcome of a mutation received before: what it was then, with the case's flags now. */
async function repeated(trx: Kysely<Database>, device: DevicePrincipal, m: WireMutation): Promise<MutationResult> {
  const row = await trx
    .selectFrom('applied_mutations')
    .leftJoin('cases', 'cases.id', 'applied_mutations.case_id')
    .select(['applied_mutations.mutation_id', 'applied_mutations.server_revision', 'cases.conflict', 'cases.possible_duplicate', 'cases.figures_differ'])
    .where('applied_mutations.device_id', '=', device.deviceId)
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
    serverRevision: row.server_revision,
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

  const now = ctx.now();
  const receivedAt = now.toISOString();
  const { out: results, lastSeq } = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('devices')
      .select(['last_seq', 'revoked_at', 'township_code'])
      .where('device_id', '=', device.deviceId)
      .$if(ctx.kind === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow();
    // Revoked between authentication and now: refused all the same.
    const current: DevicePrincipal = { ...device, revokedAt: row.revoked_at, townshipCode: row.township_code };
    authorize(current, { type: 'sync.push', claimedDeviceId: req.deviceId });

    const expected = row.last_seq + 1;
    const first = mutations[0]!.seq;
    if (first > expected) {
      throw new ApiError(409, 'sequence-gap', `Device ${device.deviceId}: the server expects seq ${expected} next, the batch starts at ${first}; nothing was applied`, {
        details: { expectedSeq: expected },
      });
    }
    const fresh = mutations.filter((m) => m.seq >= expected);
    if (fresh.length > 0) {
      const known = await trx.selectFrom('applied_mutations').select('mutation_id').where('mutation_id', 'in', fresh.map((m) => m.mutationId)).execute();
      if (known.length > 0) {
        throw new ApiError(422, 'invalid-batch', `Mutation ${known[0]!.mutation_id} was already received under another sequence number; nothing was applied`, {
          details: { problems: known.map((k) => ({ path: `mutationId ${k.mutation_id}`, message: 'already received under another seq' })) },
        });
      }
      await lockIdNumbers(trx, ctx, fresh.map((m) => m.idNumber));
    }

    const out: MutationResult[] = [];
    let lastSeq = row.last_seq;
    const applier = fresh.length > 0 ? await BatchApplier.load(trx, ctx, current, fresh, receivedAt) : null;
    for (const m of mutations) {
      if (m.seq < expected) out.push(await repeated(trx, current, m));
      else {
        out.push(applier!.apply(m, evaluated.get(m.mutationId)!));
        lastSeq = m.seq;
      }
    }
    await applier?.write(trx);
    await trx.updateTable('devices').set({ last_seq: lastSeq, last_seen_at: receivedAt, app_version: req.appVersion }).where('device_id', '=', device.deviceId).execute();
    return { out, lastSeq };
  });

  const skew = Date.parse(req.clientTime) - now.getTime();
  return {
    protocol: PROTOCOL_VERSION,
    // Everything up to the device's last applied seq is on the server, even beyond this batch.
    ackedThroughSeq: lastSeq,
    serverTime: receivedAt,
    ...(Math.abs(skew) > CLOCK_SKEW_LIMIT_MS ? { clockSkewMs: Math.round(skew) } : {}),
    results,
  };
}
