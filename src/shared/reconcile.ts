// Pure rules for what the tablet does with what it learns from the server: push results and pulled
// county changes. No I/O: the caller reads the local state, asks these functions, and writes the
// decision in one transaction. The rule throughout: nothing the clerk entered is overwritten while
// it is not on the server, and nothing the county changed is hidden.

import { canonicalJson } from './canonical-json';
import type { CaseUpdate, ClerkPublic, CountyStatus, MutationResult } from './sync-protocol';

/** What the tablet knows of one of its cases. */
export interface LocalCaseState {
  caseId: string;
  /** The tablet's revision of the case. */
  revision: number;
  /** The server's revision last learnt (push result or pull), or null before the first. */
  serverRevision: number | null;
  /** Mutations of this case still in the outbox. */
  pendingMutations: number;
  conflict: boolean;
}

export type CaseUpdateDecision =
  | { action: 'ignore'; reason: 'unknown-case' | 'already-known' }
  /** The county changed the case and the tablet has nothing unsent: take the county's version. */
  | {
      action: 'adopt';
      serverRevision: number;
      status: CaseUpdate['status'];
      countyStatus: CountyStatus;
      correctionRequest: string | null;
      facts: unknown;
      registration: unknown;
    }
  /**
   * Changed at the county and on the tablet: keep the tablet's version (it will reach the server,
   * which keeps both), show the case as conflicting until the county resolves it.
   */
  | { action: 'mark-conflict'; serverRevision: number; countyStatus: CountyStatus; correctionRequest: string | null };

export function decideCaseUpdate(local: LocalCaseState | undefined, update: CaseUpdate): CaseUpdateDecision {
  if (!local) return { action: 'ignore', reason: 'unknown-case' };
  // Pulls repeat after a lost answer: an update already applied changes nothing.
  if (local.serverRevision !== null && update.serverRevision <= local.serverRevision) {
    return { action: 'ignore', reason: 'already-known' };
  }
  if (update.conflict || local.pendingMutations > 0) {
    return { action: 'mark-conflict', serverRevision: update.serverRevision, countyStatus: update.countyStatus, correctionRequest: update.correctionRequest };
  }
  return {
    action: 'adopt',
    serverRevision: update.serverRevision,
    status: update.status,
    countyStatus: update.countyStatus,
    correctionRequest: update.correctionRequest,
    facts: update.facts,
    registration: update.registration,
  };
}

export type LocalSyncState = 'pending' | 'synced' | 'conflict';

/**
 * A case's sync state after a push acknowledgement: conflicting if any of its results was a
 * conflict (or the server says one is open), pending while later mutations wait, synced otherwise.
 */
export function syncStateAfterPush(results: readonly MutationResult[], caseId: string, stillPending: number): LocalSyncState | null {
  const mine = results.filter((r) => r.caseId === caseId);
  if (mine.length === 0) return null;
  if (mine.some((r) => r.outcome === 'conflict' || r.conflict)) return 'conflict';
  return stillPending > 0 ? 'pending' : 'synced';
}

/** The server revision a case is at after a push: the last result's. */
export function serverRevisionAfterPush(results: readonly MutationResult[], caseId: string): number | null {
  const mine = results.filter((r) => r.caseId === caseId);
  return mine.length === 0 ? null : mine[mine.length - 1]!.serverRevision;
}

export type ParameterSetDecision = { version: string; action: 'store' | 'skip-known' | 'refuse-changed' };

/**
 * Pulled parameter sets: store new versions; a known version is skipped when identical and refused
 * when different (a published version never changes: a determination must stay reproducible).
 */
export function decideParameterSets(known: ReadonlyMap<string, string>, pulled: readonly { version: string; document: unknown }[]): ParameterSetDecision[] {
  return pulled.map((p) => {
    const stored = known.get(p.version);
    if (stored === undefined) return { version: p.version, action: 'store' };
    return { version: p.version, action: stored === canonicalJson(p.document) ? 'skip-known' : 'refuse-changed' };
  });
}

/** The township's clerks after a pull: pulled accounts replace local ones of the same name; others stay. */
export function mergeClerks(local: readonly ClerkPublic[], pulled: readonly ClerkPublic[]): ClerkPublic[] {
  const byName = new Map(local.map((c) => [c.username, c]));
  for (const c of pulled) byName.set(c.username, c);
  return [...byName.values()].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}

/** The county list of the server against the app's: a difference means the app needs updating. */
export function countyListCheck(appVersion: string, serverVersion: string): 'same' | 'update-app' {
  return appVersion === serverVersion ? 'same' : 'update-app';
}
