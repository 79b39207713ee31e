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

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { evaluate, isJiexuError, type CaseFacts, type Determination, type ParameterSet } from '../../domain';
import type { Database } from '../db/schema';
import { ApiError } from '../errors';
import { appVersion } from '../package-info';
import { knownParameterSets } from './parameter-sets';

/** Recorded beside each digest: the program whose engine computed the determination. */
export const PROGRAM_VERSION: string = appVersion;

/**
 * The canonical JSON of a JSON value (RFC 8785, JCS, for the values a determination holds): object
 * keys sorted by UTF-16 code units, no whitespace, strings and numbers as JSON.stringify writes them,
 * undefined members left out as JSON.stringify does. Independent of the order the engine builds its
 * objects in, so a digest stays comparable across refactorings and other implementations can check it.
 * Stored digests depend on this exact form: never change it.
 */
export function canonicalJson(value: unknown): string {
  const out = new Pieces();
  writeCanonical(value, out);
  return out.join();
}

/**
 * The pieces of one canonical JSON, joined once: a flat string (hashing a rope of thousands of
 * concatenations cost as much as building it) and no intermediate strings. The array is kept from
 * one determination to the next rather than grown anew each time: it was most of the garbage.
 */
class Pieces {
  private static spare: { items: string[]; used: number } | null = null;
  private readonly items: string[];
  /** How many items the last user of the array left in it. */
  private readonly used: number;
  private n = 0;

  constructor() {
    ({ items: this.items, used: this.used } = Pieces.spare ?? { items: [], used: 0 });
    Pieces.spare = null;
  }

  push(piece: string): void {
    this.items[this.n++] = piece;
  }

  get length(): number {
    return this.n;
  }

  slice(start: number): string {
    return this.items.slice(start, this.n).join('');
  }

  join(): string {
    const { items, n } = this;
    for (let i = n; i < this.used; i++) items[i] = '';
    const s = items.join('');
    Pieces.spare = { items, used: n };
    return s;
  }
}

function writeCanonical(value: unknown, out: Pieces): void {
  switch (typeof value) {
    case 'string':
      if (NEEDS_ESCAPE.test(value)) out.push(JSON.stringify(value));
      else {
        out.push('"');
        out.push(value);
        out.push('"');
      }
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  // The parameter uses in a trace are the published set's own deep-frozen objects, the same in
  // every determination: written once. (A quarter of a determination's bytes.)
  const cached = frozenJson.get(value);
  if (cached !== undefined) {
    out.push(cached);
    return;
  }
  const start = out.length;
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out.push(',');
      if (item === undefined) out.push('null');
      else writeCanonical(item, out);
    }
    out.push(']');
  } else {
    const record = value as Record<string, unknown>;
    const keys = sortedKeys(record);
    let first = true;
    out.push('{');
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(keyJson(key));
      writeCanonical(item, out);
    }
    out.push('}');
  }
  if (Object.isFrozen(value) && deeplyFrozen(value)) frozenJson.set(value, out.slice(start));
}

/** Own keys in UTF-16 code-unit order: an insertion sort in place (a few keys; sort() copies). */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

const frozenJson = new WeakMap<object, string>();

function deeplyFrozen(value: object): boolean {
  for (const item of Object.values(value)) {
    if (typeof item === 'object' && item !== null && !(Object.isFrozen(item) && deeplyFrozen(item))) return false;
  }
  return true;
}

// What JSON.stringify escapes in a string (quote, backslash, control characters, lone surrogates).
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// A determination repeats the same few dozen keys thousands of times.
const quotedKeys = new Map<string, string>();
function keyJson(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** SHA-256 (hex) of the determination's canonical JSON: what a version records of the whole determination. */
export function determinationSha256(d: unknown): string {
  return createHash('sha256').update(canonicalJson(d), 'utf8').digest('hex');
}

/** The engine as the server runs it: a determination, or the refusal's code and message. */
export function evaluateOnServer(facts: CaseFacts, set: ParameterSet): { determination: Determination } | { error: string } {
  try {
    return { determination: evaluate(facts, set) };
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
   * parameter set or the engine changed since (see computedBy); no-determination: none then, none now.
   */
  check: 'verified' | 'differs' | 'no-determination';
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
    .select(['parameters_version', 'purpose', 'determination', 'determination_sha256', 'program_version', 'error'])
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
    const check =
      determination === null
        ? row.determination_sha256 === null
          ? 'no-determination'
          : 'differs'
        : row.determination_sha256 !== null && determinationSha256(determination) === row.determination_sha256
          ? 'verified'
          : 'differs';
    return { ...base, determination, error, check };
  });
}
