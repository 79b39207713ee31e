// Pull: what changed at the county since the device's cursor — parameter sets, this township's
// clerk accounts, and county-side changes to this township's cases — read from the change log.

import { countyListVersion, CLOCK_SKEW_LIMIT_MS, PROTOCOL_VERSION, type CaseUpdate, type PullRequest, type PullResponse } from '../../shared/sync-protocol';
import { authorize, decide, pullScope, type Principal } from '../auth/policy';
import { ApiError } from '../errors';
import type { CountyContext } from './context';

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

  const changes = await ctx.db
    .selectFrom('change_log')
    .select(['id', 'kind', 'ref'])
    .where('id', '>', from)
    .where((eb) => eb.or([eb('township_code', 'is', null), eb('township_code', '=', townshipCode)]))
    .orderBy('id')
    .limit(PULL_PAGE)
    .execute();
  const refs = (kind: string) => [...new Set(changes.filter((c) => c.kind === kind).map((c) => c.ref))];

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
      : (await ctx.db.selectFrom('accounts').select(['username', 'display_name', 'township_code', 'active']).where('username', 'in', clerkNames).where('role', '=', 'clerk').execute())
          .filter((r) => r.township_code === townshipCode)
          .map((r) => ({ username: r.username, displayName: r.display_name, townshipCode: r.township_code, active: r.active === 1 }));

  const caseIds = refs('case');
  const rows = caseIds.length === 0 ? [] : await ctx.db.selectFrom('cases').selectAll().where('id', 'in', caseIds).execute();
  const caseUpdates: CaseUpdate[] = rows
    .filter((r) => decide(device, { type: 'case.read-updates', caseTownshipCode: r.township_code }).allow)
    .map((r) => ({
      caseId: r.id,
      caseNumber: r.case_number,
      serverRevision: r.revision,
      status: r.status,
      countyStatus: r.county_status,
      correctionRequest: r.correction_request,
      conflict: r.conflict === 1,
      possibleDuplicate: r.possible_duplicate === 1,
      facts: JSON.parse(r.facts) as unknown,
      registration: JSON.parse(r.registration) as unknown,
      at: r.updated_at,
    }));

  const skew = req.clientTime === undefined ? 0 : Date.parse(req.clientTime) - now.getTime();
  return {
    protocol: PROTOCOL_VERSION,
    cursor: encodeCursor(changes.at(-1)?.id ?? from),
    more: changes.length === PULL_PAGE,
    serverTime: now.toISOString(),
    ...(Math.abs(skew) > CLOCK_SKEW_LIMIT_MS ? { clockSkewMs: Math.round(skew) } : {}),
    township,
    countyListVersion: countyListVersion(),
    parameterSets,
    clerks,
    caseUpdates,
  };
}
