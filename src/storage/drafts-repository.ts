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
  /** Every draft, most recently saved first. */
  list(): Promise<DraftRecord[]>;
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
      return db.drafts.orderBy('savedAt').reverse().toArray();
    },
  };
}
