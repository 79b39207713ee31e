// The audit entries the server's routes and services append, built here so that each hook in their
// code is one call.

import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json';
import type { MutationResult } from '../../shared/sync-protocol';
import { ApiError } from '../errors';
import type { CountyContext } from '../county/context';
import type { AccountsTable } from '../db/schema';
import { appendAudit, appendAuditCollapsed, type AuditArea, type AuditBy, type AuditEvent } from './chain';

/** Who acts when the command line on the server machine changes something. */
export const COMMAND_LINE: AuditBy = { actor: 'command line', role: null, area: null };

/** The area of an account row, as its columns hold it. */
export function accountAuditArea(row: Pick<AccountsTable, 'area_level' | 'area_code'>): AuditArea {
  return { level: row.area_level, code: row.area_code };
}

export function townshipAuditArea(code: string): AuditArea {
  return { level: 'township', code };
}

/**
 * Runs a sign-in (`signIn` checks the password and the policy, throwing the refusal) and records its
 * outcome: a success with the account's role and area, a failure under the user name tried, one entry
 * a minute per name, with the refusal's code. The client address is personal: kept beside the chain.
 */
export async function auditedSignIn<T extends Pick<AccountsTable, 'username' | 'role' | 'area_level' | 'area_code'>>(
  ctx: CountyContext,
  attempt: { channel: 'county-page' | 'tablet'; username: string; address: string; device: { deviceId: string; townshipCode: string } | null },
  signIn: () => Promise<T>,
): Promise<T> {
  const channel = { channel: attempt.channel, ...(attempt.device ? { deviceId: attempt.device.deviceId } : {}) };
  let account: T;
  try {
    account = await signIn();
  } catch (err) {
    const code = err instanceof ApiError ? err.code : 'error';
    const known = await ctx.db.selectFrom('accounts').select(['area_level', 'area_code']).where('username', '=', attempt.username).executeTakeFirst();
    await appendAuditCollapsed(
      ctx.db,
      {
        action: 'sign-in.failure',
        actor: attempt.device ? `device:${attempt.device.deviceId}` : 'anonymous',
        role: null,
        area: known ? accountAuditArea(known) : attempt.device ? townshipAuditArea(attempt.device.townshipCode) : null,
        // A name no account has may be a password typed in the wrong field: it stays out of the chain,
        // with the redactable values, and such failures collapse into one entry a minute.
        subject: known ? attempt.username : 'unknown-account',
        detail: { ...channel, refusal: code },
        personal: known ? { address: attempt.address } : { address: attempt.address, username: attempt.username.slice(0, 64) },
      },
      ctx.now(),
    );
    throw err;
  }
  await appendAudit(
    ctx.db,
    { action: 'sign-in.success', actor: account.username, role: account.role, area: accountAuditArea(account), subject: account.username, detail: channel, personal: { address: attempt.address } },
    ctx.now(),
  );
  return account;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The mutations of a push the server accepted (applied, or kept as a conflicting version): one entry each. */
export function acceptedMutationEvents(
  device: { deviceId: string; townshipCode: string },
  mutations: readonly { mutationId: string; seq: number; kind: string; caseId: string; revision: number; baseRevision: number | null; clerk: string; at: string; facts: unknown; registration: unknown }[],
  results: readonly MutationResult[],
): AuditEvent[] {
  const byId = new Map(mutations.map((m) => [m.mutationId, m]));
  const events: AuditEvent[] = [];
  for (const r of results) {
    const m = byId.get(r.mutationId);
    if (!m || (r.outcome !== 'applied' && r.outcome !== 'conflict')) continue;
    events.push({
      action: `tablet.${m.kind}`,
      actor: `device:${device.deviceId}`,
      role: null,
      area: townshipAuditArea(device.townshipCode),
      subject: m.caseId,
      // Digests of what the case holds: the chain can confirm a version without holding its personal data.
      detail: {
        mutationId: m.mutationId,
        seq: m.seq,
        revision: m.revision,
        baseRevision: m.baseRevision,
        outcome: r.outcome,
        serverRevision: r.serverRevision,
        factsSha256: sha256(canonicalJson(m.facts)),
        registrationSha256: sha256(canonicalJson(m.registration)),
      },
      personal: { clerk: m.clerk },
      occurredAt: m.at,
    });
  }
  return events;
}
