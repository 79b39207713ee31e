// Where the push engine reads the device's pending mutations and removes them once the server has
// acknowledged them. A mutation leaves the outbox only through acknowledge(): a push that fails
// in any way leaves everything in place to be sent again.

import { figuresOf, type TabletAuditEntry, type WireMutation } from '../shared/sync-protocol';
import type { OutboxMutation } from '../storage/types';

export interface OutboxSource {
  /** Up to `limit` pending mutations, lowest seq first. */
  pending(limit: number): Promise<OutboxMutation[]>;
  /** The server holds every mutation with seq ≤ throughSeq: remove them (and nothing else). */
  acknowledge(throughSeq: number): Promise<void>;
  count(): Promise<number>;
}

/** The tablet's audit entries on their way to the county's audit chain (sent with pushes). */
export interface AuditOutbox {
  /** Up to `limit` entries the county has not acknowledged, oldest first. */
  unsent(limit: number): Promise<TabletAuditEntry[]>;
  /** The county holds these: marked sent (kept on the tablet). */
  markSent(ids: readonly string[]): Promise<void>;
}

/**
 * A stored mutation as it goes on the wire: the case facts and a digest of the key figures, and the
 * token of its clerk (by county user name) when the tablet holds one.
 */
export function toWireMutation(m: OutboxMutation, clerkTokens?: ReadonlyMap<string, string>): WireMutation {
  const c = m.payload;
  const token = c.updatedByAccount ? clerkTokens?.get(c.updatedByAccount) : undefined;
  return {
    seq: m.seq,
    mutationId: m.mutationId,
    kind: m.kind,
    caseId: m.caseId,
    revision: m.revision,
    baseRevision: m.baseRevision,
    at: m.at,
    clerk: m.clerk,
    // The account of the clerk who made this change (the record keeps it only when he signed in); left
    // out when unknown, which is also what tablets of the previous version send.
    ...(c.updatedByAccount ? { account: c.updatedByAccount } : {}),
    ...(token !== undefined ? { clerkToken: token } : {}),
    caseNumber: c.caseNumber,
    status: c.status,
    facts: c.facts,
    registration: c.registration,
    figures: figuresOf(c.determination),
  };
}
