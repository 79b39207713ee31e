// What the tablet keeps of its exchanges with the county: the pull cursor, the township's clerks
// (public data), the outcome of the last sync for the screens, and the application of a pulled page.
// Case changes go through cases-repository.ts; parameter sets through reference-repository.ts.
//
// A page is applied in steps (parameter sets, case changes, then clerks with the cursor last). Every
// step is idempotent (a known parameter set is skipped, a known case revision ignored, clerks merged
// by name), so a page applied half-way before the tab closed is simply applied again from the same
// cursor: nothing is lost and nothing counted twice.

import type { ClerkPublic, PullResponse } from '../shared/sync-protocol';
import { canonicalJson } from '../shared/canonical-json';
import { countyListCheck, decideParameterSets, mergeClerks } from '../shared/reconcile';
import { clerkCredentialKey } from './clerk-credentials-repository';
import { countyListVersion } from '../shared/county-list';
import type { CaseUpdateOutcome, CasesRepository } from './cases-repository';
import type { JiexuDb } from './db';
import { clerkTokenKey, PULL_CURSOR_KEY } from './device-repository';
import type { ReferenceRepository } from './reference-repository';

const CLERKS_KEY = 'sync.clerks';
const STATUS_KEY = 'sync.status';

/** The last sync as the screens show it; survives a reload. */
export interface SyncStatusRecord {
  /** The end of the last run that pushed everything and pulled. */
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  /** The stable code of the last failure (`device-revoked`, `protocol-mismatch`, `network` …), null after a success. */
  lastErrorCode: string | null;
  /** English, for the technical details. */
  lastErrorMessage: string | null;
  /** Device clock minus server clock when off by more than the limit, else null. */
  clockSkewMs: number | null;
  /** The server speaks another protocol or case schema, or publishes a county list or parameters this app cannot read. */
  updateRequired: boolean;
}

export const EMPTY_SYNC_STATUS: SyncStatusRecord = {
  lastSuccessAt: null,
  lastAttemptAt: null,
  lastErrorCode: null,
  lastErrorMessage: null,
  clockSkewMs: null,
  updateRequired: false,
};

export interface PullPageReport {
  parameterSetsStored: string[];
  /** Versions refused: changed after publication, or unreadable by this app (update it). */
  parameterSetsRefused: { version: string; reason: 'changed-after-publication' | 'unreadable' }[];
  caseUpdates: CaseUpdateOutcome[];
  clerks: number;
  countyList: 'same' | 'update-app';
}

export interface SyncRepository {
  cursor(): Promise<string | null>;
  /** Applies one pulled page, the cursor last (see above). */
  applyPullPage(page: PullResponse): Promise<PullPageReport>;
  /** The township's clerk accounts as last pulled, by user name. */
  clerks(): Promise<ClerkPublic[]>;
  status(): Promise<SyncStatusRecord>;
  /** Merges `patch` into the stored status and returns the result. */
  recordStatus(patch: Partial<SyncStatusRecord>): Promise<SyncStatusRecord>;
}

function isClerk(v: unknown): v is ClerkPublic {
  const c = v as ClerkPublic | undefined;
  return typeof c === 'object' && c !== null && typeof c.username === 'string' && typeof c.displayName === 'string' && typeof c.active === 'boolean';
}

export function createSyncRepository(db: JiexuDb, deps: { cases: CasesRepository; reference: ReferenceRepository }): SyncRepository {
  async function clerks(): Promise<ClerkPublic[]> {
    const row = await db.meta.get(CLERKS_KEY);
    return Array.isArray(row?.value) ? (row.value as unknown[]).filter(isClerk) : [];
  }

  async function status(): Promise<SyncStatusRecord> {
    const row = await db.meta.get(STATUS_KEY);
    return { ...EMPTY_SYNC_STATUS, ...(typeof row?.value === 'object' && row.value !== null ? (row.value as Partial<SyncStatusRecord>) : {}) };
  }

  return {
    async cursor() {
      const row = await db.meta.get(PULL_CURSOR_KEY);
      return typeof row?.value === 'string' ? row.value : null;
    },

    async applyPullPage(page) {
      const known = new Map((await deps.reference.parameterSetDocuments()).map((d) => [d.version, canonicalJson(d.document)]));
      const stored: string[] = [];
      const refused: PullPageReport['parameterSetsRefused'] = [];
      const decisions = decideParameterSets(known, page.parameterSets);
      for (const [i, decision] of decisions.entries()) {
        if (decision.action === 'skip-known') continue;
        if (decision.action === 'refuse-changed') {
          refused.push({ version: decision.version, reason: 'changed-after-publication' });
          continue;
        }
        try {
          // The server sends sets in publication order: the last one stored is the one in use.
          await deps.reference.saveParameterSet(page.parameterSets[i]!.document, { makeCurrent: true });
          stored.push(decision.version);
        } catch {
          refused.push({ version: decision.version, reason: 'unreadable' });
        }
      }

      const caseUpdates = await deps.cases.applyCaseUpdates(page.caseUpdates);

      const countyList = countyListCheck(countyListVersion(), page.countyListVersion);
      await db.transaction('rw', db.meta, async () => {
        await db.meta.put({ key: CLERKS_KEY, value: mergeClerks(await clerks(), page.clerks) });
        // A clerk the county disabled signs in here no more: his PIN goes with the page that says so.
        const disabled = page.clerks.filter((c) => !c.active).flatMap((c) => [clerkCredentialKey(c.username), clerkTokenKey(c.username)]);
        if (disabled.length > 0) await db.meta.bulkDelete(disabled);
        const s = await status();
        const unreadable = refused.some((r) => r.reason === 'unreadable') || countyList === 'update-app';
        if (unreadable && !s.updateRequired) await db.meta.put({ key: STATUS_KEY, value: { ...s, updateRequired: true } });
        await db.meta.put({ key: PULL_CURSOR_KEY, value: page.cursor });
      });
      return { parameterSetsStored: stored, parameterSetsRefused: refused, caseUpdates, clerks: page.clerks.length, countyList };
    },

    clerks,
    status,

    async recordStatus(patch) {
      return db.transaction('rw', db.meta, async () => {
        const next = { ...(await status()), ...patch };
        await db.meta.put({ key: STATUS_KEY, value: next });
        return next;
      });
    },
  };
}
