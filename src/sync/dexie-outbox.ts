// The outbox over the tablet's IndexedDB table `outbox` (primary key: the per-device seq), which
// cases-repository.ts fills in the same transaction as the case itself.

import type { JiexuDb } from '../storage/db';
import type { OutboxSource } from './outbox';

export function createDexieOutbox(db: JiexuDb): OutboxSource {
  return {
    pending: (limit) => db.outbox.orderBy(':id').limit(limit).toArray(),
    async acknowledge(throughSeq) {
      await db.transaction('rw', db.outbox, () => db.outbox.where(':id').belowOrEqual(throughSeq).delete());
    },
    count: () => db.outbox.count(),
  };
}
