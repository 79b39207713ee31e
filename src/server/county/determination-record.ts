// What the server keeps of its own determinations, and how it gets the whole determination back.
//
// A determination with its trace is ~8.5 KB of JSON, derived from what the server keeps anyway: the
// version's facts, the published parameter set (immutable under its version) and the engine, which
// is pure. Storing it for every received version cost most of the ingest's writes, so a version
// keeps the figures digest, the error and the differs flag (what lists and flags read) and, for the
// whole determination, the SHA-256 of its canonical JSON and the program version that computed it.
// Whoever needs the trace (the county's case detail, the review queue) recomputes it with
// recomputeServerDeterminations, which also checks the recomputation against the digest stored at
// receipt: the same program gives the same digest, and a changed fact, parameter set or engine shows.
// Another program version may word or cite differently (a trace step's sentences) without changing
// a figure, so across versions only the figures kept at receipt are compared.

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RULE_SETS, isJiexuError, type CaseFacts, type Determination, type ParameterSet } from '../../domain';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { appVersion } from '../package-info';
import { canonicalJson } from '../../shared/canonical-json';
import { differingFigures, figuresOf, type FiguresDigest } from '../../shared/sync-protocol';
import { knownParameterSets } from './parameter-sets';

/** Recorded beside each digest: the program whose engine computed the determination. */
export const PROGRAM_VERSION: string = appVersion;

/** SHA-256 (hex) of the determination's canonical JSON: what a version records of the whole determination. */
export function determinationSha256(d: unknown): string {
  return createHash('sha256').update(canonicalJson(d), 'utf8').digest('hex');
}

function sameFigures(stored: string | null, d: Determination): boolean {
  return stored !== null && differingFigures(JSON.parse(stored) as FiguresDigest, figuresOf(d)).length === 0;
}

/** The engine as the server runs it: a determination, or the refusal's code and message. */
export function evaluateOnServer(facts: CaseFacts, set: ParameterSet): { determination: Determination } | { error: string } {
  try {
    return { determination: RULE_SETS.evaluate(facts, { nm43: set }) };
  } catch (err) {
    if (isJiexuError(err)) return { error: `${err.code}: ${err.message}` };
    throw err;
  }
}

export interface RecomputedDetermination {
  parametersVersion: string;
  purpose: 'tablet-set' | 'newest-set';
  /** The whole determination, trace and citations included; null when the engine gave none. */
  determination: Determination | null;
  /** Why the engine gave no determination, now. */
  error: string | null;
  /**
   * verified: the recomputation's digest is the one stored at receipt (or the stored determination
   * of a version received before digests matches its digest); differs: it is not, so the facts, the
   * parameter set or the engine changed since (see computedBy); earlier-version: another program
   * version computed it, and its figures are the recomputation's: only what the figures leave out
   * (trace, citations) changed; no-determination: none then, none now.
   */
  check: 'verified' | 'differs' | 'earlier-version' | 'no-determination';
  /** The digest stored at receipt, and the program version that computed it (null before that was kept). */
  storedSha256: string | null;
  computedBy: string | null;
  /** The program version that recomputed it now. */
  recomputedBy: string;
}

/**
 * Every server determination of one case version, whole again: recomputed from the version's facts
 * with the parameter set it was computed under, and checked against the digest stored at receipt.
 * Versions received before digests were kept still hold their determination: it is returned as
 * stored, checked against the digest the migration took of it.
 */
export async function recomputeServerDeterminations(db: Kysely<Database>, versionId: string): Promise<RecomputedDetermination[]> {
  const version = await db.selectFrom('case_versions').select(['facts']).where('id', '=', versionId).executeTakeFirst();
  if (!version) throw new ApiError(404, 'version-not-found', `No case version ${versionId}`);
  const rows = await db
    .selectFrom('server_determinations')
    .select(['parameters_version', 'purpose', 'figures', 'determination', 'determination_sha256', 'program_version', 'error'])
    .where('version_id', '=', versionId)
    .orderBy('purpose', 'desc')
    .execute();
  if (rows.length === 0) return [];
  const sets = await knownParameterSets(db);
  const facts = JSON.parse(version.facts) as CaseFacts;
  return rows.map((row) => {
    const base = { parametersVersion: row.parameters_version, purpose: row.purpose, storedSha256: row.determination_sha256, computedBy: row.program_version, recomputedBy: PROGRAM_VERSION };
    let determination: Determination | null;
    let error: string | null;
    if (row.determination !== null) {
      determination = JSON.parse(row.determination) as Determination;
      error = null;
    } else {
      const set = sets.byVersion.get(row.parameters_version);
      const r = set ? evaluateOnServer(facts, set) : { error: `unknown-parameter-set: the server has no parameter set ${row.parameters_version}` };
      determination = 'determination' in r ? r.determination : null;
      error = 'error' in r ? r.error : null;
    }
    let check: RecomputedDetermination['check'];
    if (determination === null) check = row.determination_sha256 === null ? 'no-determination' : 'differs';
    else if (row.determination_sha256 !== null && determinationSha256(determination) === row.determination_sha256) check = 'verified';
    else if (row.determination_sha256 !== null && row.program_version !== PROGRAM_VERSION && sameFigures(row.figures, determination)) check = 'earlier-version';
    else check = 'differs';
    return { ...base, determination, error, check };
  });
}
