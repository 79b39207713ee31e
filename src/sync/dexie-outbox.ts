// The outbox over the tablet's IndexedDB table `outbox` (primary key: the per-device seq), which
// cases-repository.ts fills in the same transaction as the case itself.

import type { JiexuDb } from '../storage/db';
import type { AuditOutbox, OutboxSource } from './outbox';

export function createDexieOutbox(db: JiexuDb): OutboxSource {
  return {
    pending: (limit) => db.outbox.orderBy(':id').limit(limit).toArray(),
    async acknowledge(throughSeq) {
      await db.transaction('rw', db.outbox, () => db.outbox.where(':id').belowOrEqual(throughSeq).delete());
    },
    count: () => db.outbox.count(),
  };
}

/**
 * The audit entries over the tablet's `audit` table. Acknowledged entries are kept, marked sent, and
 * leave the sparse `unsent` index: each sync reads the entries it sends, not the table's history.
 */
export function createDexieAuditOutbox(db: JiexuDb, now: () => Date = () => new Date()): AuditOutbox {
  return {
    async unsent(limit) {
      // Equal index keys come in primary-key order: oldest first, as ids are UUID v7.
      const rows = await db.audit.where('unsent').equals(1).limit(limit).toArray();
      return rows.map(({ id, at, actor, action, caseId, caseNumber, revision, changes, reason }) => ({ id, at, actor, action, caseId, caseNumber, revision, changes, reason }));
    },
    async markSent(ids) {
      if (ids.length === 0) return;
      const at = now().toISOString();
      await db.transaction('rw', db.audit, async () => {
        for (const id of ids) await db.audit.update(id, { sentAt: at, unsent: undefined });
      });
    },
  };
}
