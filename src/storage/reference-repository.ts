// Reference data the county publishes: parameter sets (every version kept, so a stored
// determination can always be shown with the parameters that produced it).

import { DEFAULT_PARAMETERS, parseParameterSet, type ParameterSet } from '../domain';
import type { JiexuDb } from './db';

const PARAMETER_SET = 'parameter-set';
const CURRENT_PARAMETER_SET_KEY = 'reference.currentParameterSet';

export interface ReferenceRepository {
  /** The parameter set new determinations use: the current published one, else the built-in default. */
  currentParameterSet(): Promise<ParameterSet>;
  /** A stored parameter set by version (the built-in default is always known). */
  parameterSet(version: string): Promise<ParameterSet | undefined>;
  /** Validates and stores a published parameter set (throws `invalid-parameters`); by default makes it current. */
  saveParameterSet(document: unknown, options?: { makeCurrent?: boolean }): Promise<ParameterSet>;
  /** The documents of every stored (published) parameter set, as received. */
  parameterSetDocuments(): Promise<{ version: string; document: unknown }[]>;
}

export function createReferenceRepository(db: JiexuDb, options: { now?: () => Date } = {}): ReferenceRepository {
  const now = options.now ?? (() => new Date());
  // Stored values are re-validated on read (they may predate this app); parsed sets are cached.
  const parsed = new Map<string, ParameterSet>([[DEFAULT_PARAMETERS.version, DEFAULT_PARAMETERS]]);

  async function load(version: string): Promise<ParameterSet | undefined> {
    const cached = parsed.get(version);
    if (cached) return cached;
    const row = await db.reference.get(`${PARAMETER_SET}/${version}`);
    if (!row) return undefined;
    const set = parseParameterSet(row.value);
    parsed.set(version, set);
    return set;
  }

  return {
    async currentParameterSet() {
      const pointer = await db.meta.get(CURRENT_PARAMETER_SET_KEY);
      if (typeof pointer?.value !== 'string') return DEFAULT_PARAMETERS;
      return (await load(pointer.value)) ?? DEFAULT_PARAMETERS;
    },

    parameterSet: load,

    async saveParameterSet(document, opts = {}) {
      const set = parseParameterSet(document);
      await db.transaction('rw', [db.reference, db.meta], async () => {
        await db.reference.put({ key: `${PARAMETER_SET}/${set.version}`, kind: PARAMETER_SET, version: set.version, value: document, savedAt: now().toISOString() });
        if (opts.makeCurrent ?? true) await db.meta.put({ key: CURRENT_PARAMETER_SET_KEY, value: set.version });
      });
      parsed.set(set.version, set);
      return set;
    },

    async parameterSetDocuments() {
      const rows = await db.reference.where('kind').equals(PARAMETER_SET).toArray();
      return rows.map((r) => ({ version: r.version, document: r.value }));
    },
  };
}
