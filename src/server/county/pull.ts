// Pull: what changed at the county since the device's cursor — parameter sets, this township's
// clerk accounts, and county-side changes to this tablet's own cases, their signed steps included (no other tablet's facts: a case
// belongs to the tablet that made it, and only that tablet can correct it) — read from the change log.
// A first pull (no cursor) is not the log from its beginning but what the tablet needs now: every
// parameter set, the township's clerks, and its own cases whose county side differs from what it sent.

import { countyListVersion, CLOCK_SKEW_LIMIT_MS, PROTOCOL_VERSION, type CaseUpdate, type PullRequest, type PullResponse } from '../../shared/sync-protocol';
import { authorize, decide, pullScope, type Principal } from '../auth/policy';
import { ApiError } from '../errors';
import { TABLET_ROLES } from '../../shared/roles';
import type { CountyContext } from './context';
import { tabletDeviceIds } from './enrolment';

export const PULL_PAGE = 200;

const CURSOR = /^c1\.(\d{1,15})$/;

export function encodeCursor(id: number): string {
  return `c1.${id}`;
}

export function decodeCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const m = CURSOR.exec(cursor);
  if (!m) throw new ApiError(422, 'invalid-request', `cursor: not a cursor this server issued ("${cursor.slice(0, 40)}")`, { details: { problems: [{ path: 'cursor', message: 'not a cursor this server issued' }] } });
  return Number(m[1]);
}

export async function pullChanges(ctx: CountyContext, device: Principal & { kind: 'device' }, req: PullRequest): Promise<PullResponse> {
  authorize(device, { type: 'sync.pull', claimedDeviceId: req.deviceId });
  const from = decodeCursor(req.cursor);
  const { townshipCode } = pullScope(device);
  const now = ctx.now();
  const tabletIds = await tabletDeviceIds(ctx.db, device.deviceId);
  const snapshot = from === 0 ? await snapshotRefs(ctx, townshipCode, tabletIds) : null;

  const changes = snapshot
    ? []
    : await ctx.db
        .selectFrom('change_log')
        .select(['id', 'kind', 'ref'])
        .where('id', '>', from)
        .where((eb) => eb.or([eb('township_code', 'is', null), eb('township_code', '=', townshipCode)]))
        .orderBy('id')
        .limit(PULL_PAGE)
        .execute();
  const refs = (kind: 'parameter-set' | 'clerk' | 'case') => (snapshot ? snapshot[kind] : [...new Set(changes.filter((c) => c.kind === kind).map((c) => c.ref))]);

  const township = await ctx.db.selectFrom('townships').select(['code', 'name']).where('code', '=', townshipCode).executeTakeFirstOrThrow();

  const setVersions = refs('parameter-set');
  const parameterSets =
    setVersions.length === 0
      ? []
      : (await ctx.db.selectFrom('parameter_sets').select(['version', 'document', 'published_at']).where('version', 'in', setVersions).orderBy('published_at').execute()).map((r) => ({
          version: r.version,
          publishedAt: r.published_at,
          document: JSON.parse(r.document) as unknown,
        }));

  const clerkNames = refs('clerk');
  const clerks =
    clerkNames.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('accounts')
            .select(['username', 'display_name', 'township_code', 'active', 'must_change_password', 'pin_revoked'])
            .where('username', 'in', clerkNames)
            .where('role', 'in', TABLET_ROLES)
            .execute()
        )
          // A reset password or revoked sessions end his PIN on the tablets, as a disabled account's does;
          // so does a move: the log names him to his old township's tablets, which see him as inactive.
          .map((r) => {
            const here = r.township_code === townshipCode;
            return { username: r.username, displayName: r.display_name, townshipCode, active: here && r.active === 1 && r.must_change_password === 0 && r.pin_revoked === 0 };
          });

  const caseIds = refs('case');
  const rows = caseIds.length === 0 ? [] : await ctx.db.selectFrom('cases').selectAll().where('id', 'in', caseIds).execute();
  const caseUpdates: CaseUpdate[] = rows
    .filter((r) => tabletIds.includes(r.device_id) && decide(device, { type: 'case.read-updates', caseTownshipCode: r.township_code }).allow)
    .map((r) => ({
      caseId: r.id,
      caseNumber: r.case_number,
      serverRevision: r.revision,
      status: r.status,
      countyStatus: r.county_status,
      correctionRequest: r.correction_request,
      conflict: r.conflict === 1,
      possibleDuplicate: r.possible_duplicate === 1,
      lifecycleStatus: r.lifecycle_status,
      facts: JSON.parse(r.facts) as unknown,
      registration: JSON.parse(r.registration) as unknown,
      at: r.updated_at,
    }));

  // A tablet with nothing to send still syncs: the devices list's last sync counts its pulls too.
  await ctx.db.updateTable('devices').set({ last_seen_at: now.toISOString() }).where('device_id', '=', device.deviceId).execute();

  const skew = req.clientTime === undefined ? 0 : Date.parse(req.clientTime) - now.getTime();
  return {
    // A tablet of protocol 1 reads the same page under its own number.
    protocol: req.protocol as typeof PROTOCOL_VERSION,
    cursor: encodeCursor(snapshot ? snapshot.through : (changes.at(-1)?.id ?? from)),
    more: snapshot ? false : changes.length === PULL_PAGE,
    serverTime: now.toISOString(),
    ...(Math.abs(skew) > CLOCK_SKEW_LIMIT_MS ? { clockSkewMs: Math.round(skew) } : {}),
    township,
    countyListVersion: countyListVersion(),
    parameterSets,
    clerks,
    caseUpdates,
  };
}

/**
 * What a first pull sends, as the refs the change log would name, and the log id it is current
 * through (read first: a change logged meanwhile is sent again by the next pull, which is harmless).
 */
async function snapshotRefs(ctx: CountyContext, townshipCode: string, tabletIds: string[]): Promise<{ through: number; 'parameter-set': string[]; clerk: string[]; case: string[] }> {
  const last = await ctx.db.selectFrom('change_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const sets = await ctx.db.selectFrom('parameter_sets').select('version').execute();
  const clerks = await ctx.db.selectFrom('accounts').select('username').where('township_code', '=', townshipCode).execute();
  // Its own cases the county has changed, flagged, sent back or moved on in their life: the others are as the tablet sent them.
  const cases = await ctx.db
    .selectFrom('cases')
    .innerJoin('case_versions', 'case_versions.id', 'cases.current_version_id')
    .select('cases.id')
    .where('cases.device_id', 'in', tabletIds)
    .where((eb) =>
      eb.or([eb('cases.conflict', '=', 1), eb('cases.possible_duplicate', '=', 1), eb('cases.county_status', '<>', 'received'), eb('cases.lifecycle_status', '<>', 'synced'), eb('case_versions.source', '=', 'county')]),
    )
    .execute();
  return { through: Number(last?.id ?? 0), 'parameter-set': sets.map((r) => r.version), clerk: clerks.map((r) => r.username), case: cases.map((r) => r.id) };
}
