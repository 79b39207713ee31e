// Drafts: whatever the clerk has typed, saved as he types, valid or not, so a failed validation, a
// reload, a crash or a closed tab loses nothing. A case created from a draft removes it in the same
// transaction (cases-repository `draftKey`).

import type { JiexuDb } from './db';
import { StorageError } from './errors';
import type { DraftRecord } from './types';

export interface DraftsRepository {
  save<T>(key: string, value: T): Promise<DraftRecord<T>>;
  load<T = unknown>(key: string): Promise<DraftRecord<T> | undefined>;
  discard(key: string): Promise<void>;
  /** Every draft of the clerk on shift, most recently saved first. */
  list(): Promise<DraftRecord[]>;
  /**
   * A shift opens for `owner`: the drafts of another clerk are set aside (under HELD_PREFIX), and
   * those this clerk left at an earlier shift come back. Drafts written before drafts had owners go
   * to the first clerk who signs in.
   */
  handOver(owner: string): Promise<void>;
}

const OWNER_KEY = 'drafts.owner';
/** Drafts of clerks not on shift: never loaded by a screen. */
export const HELD_PREFIX = 'held\u0000';

function heldKey(owner: string, key: string): string {
  return `${HELD_PREFIX}${owner}\u0000${key}`;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.trim() === '' || key.length > 200) {
    throw new StorageError('invalid-draft', 'draft key: expected a non-empty string of at most 200 characters', {
      problems: [{ path: 'key', message: 'expected a non-empty string of at most 200 characters' }],
    });
  }
  return key;
}

export function createDraftsRepository(db: JiexuDb, options: { now?: () => Date } = {}): DraftsRepository {
  const now = options.now ?? (() => new Date());
  return {
    async save<T>(key: string, value: T) {
      const record: DraftRecord<T> = { key: checkKey(key), value, savedAt: now().toISOString() };
      try {
        await db.drafts.put(record);
      } catch (e) {
        if (e instanceof Error && e.name === 'DataCloneError') {
          throw new StorageError('invalid-draft', `draft "${key}": value cannot be stored (${e.message})`, {}, { cause: e });
        }
        throw e;
      }
      return record;
    },

    async load<T>(key: string) {
      return (await db.drafts.get(checkKey(key))) as DraftRecord<T> | undefined;
    },

    async discard(key) {
      await db.drafts.delete(checkKey(key));
    },

    async list() {
      return (await db.drafts.orderBy('savedAt').reverse().toArray()).filter((d) => !d.key.startsWith(HELD_PREFIX));
    },

    async handOver(owner) {
      await db.transaction('rw', [db.drafts, db.meta], async () => {
        const before = (await db.meta.get(OWNER_KEY))?.value;
        if (before === owner) return;
        const all = await db.drafts.toArray();
        const live = all.filter((d) => !d.key.startsWith(HELD_PREFIX));
        const mine = heldKey(owner, '');
        const returning = all.filter((d) => d.key.startsWith(mine));
        if (typeof before === 'string') {
          await db.drafts.bulkDelete(live.map((d) => d.key));
          await db.drafts.bulkPut(live.map((d) => ({ ...d, key: heldKey(before, d.key) })));
        }
        await db.drafts.bulkDelete(returning.map((d) => d.key));
        await db.drafts.bulkPut(returning.map((d) => ({ ...d, key: d.key.slice(mine.length) })));
        await db.meta.put({ key: OWNER_KEY, value: owner });
      });
    },
  };
}
