import type { Kysely } from 'kysely';
import { DEFAULT_PARAMETERS, parseParameterSet, type ParameterSet } from '../../domain';
import type { Database } from '../db/schema';

export interface KnownParameterSets {
  byVersion: ReadonlyMap<string, ParameterSet>;
  /** The most recently issued set (the built-in default when none is published). */
  newest: ParameterSet;
}

// Published sets never change under their version, so a parsed set is kept for the life of the
// database handle; only the list of versions is read per request.
const parsed = new WeakMap<Kysely<Database>, Map<string, ParameterSet>>();

function newer(a: ParameterSet, b: ParameterSet): boolean {
  return a.issued > b.issued || (a.issued === b.issued && a.version > b.version);
}

/** Every parameter set the server knows: the built-in default and every published one. */
export async function knownParameterSets(db: Kysely<Database>): Promise<KnownParameterSets> {
  let cache = parsed.get(db);
  if (!cache) {
    cache = new Map([[DEFAULT_PARAMETERS.version, DEFAULT_PARAMETERS]]);
    parsed.set(db, cache);
  }
  const versions = await db.selectFrom('parameter_sets').select('version').execute();
  const missing = versions.map((v) => v.version).filter((v) => !cache.has(v));
  if (missing.length > 0) {
    const rows = await db.selectFrom('parameter_sets').select(['version', 'document']).where('version', 'in', missing).execute();
    for (const row of rows) cache.set(row.version, parseParameterSet(JSON.parse(row.document)));
  }
  let newest = DEFAULT_PARAMETERS;
  for (const set of cache.values()) if (newer(set, newest)) newest = set;
  return { byVersion: cache, newest };
}
