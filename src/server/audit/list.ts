import type { Kysely } from 'kysely';
import { AREA_LEVELS, areaContains, areaPrefix, type Area } from '../../shared/roles';
import type { Database } from '../db/schema';

export interface AuditEntryItem {
  seq: number;
  at: string;
  occurredAt: string | null;
  action: string;
  actor: string;
  role: string | null;
  area: Area | null;
  subject: string | null;
  detail: unknown;
  /** Present only for a reader who may read them: the values, or null once redacted. */
  personal?: Record<string, unknown> | null;
  /** When the personal values were redacted, if they were. */
  redactedAt?: string | null;
  prevHash: string;
  hash: string;
}

export const AUDIT_PAGE_MAX = 500;

/**
 * Entries after `after`, oldest first, of the areas within `area`. An entry of no area (a parameter
 * set, a name of no account) concerns the whole server: listed to those whose area holds every
 * township of it (`serverArea`), as the server's sign-in locks are.
 */
export async function listAuditEntries(
  db: Kysely<Database>,
  options: { area: Area; serverArea: Area; after: number; limit: number; withPersonal: boolean },
): Promise<AuditEntryItem[]> {
  const { area } = options;
  const levels = AREA_LEVELS.slice(0, AREA_LEVELS.indexOf(area.level) + 1);
  const prefix = areaPrefix(area);
  const whole = areaContains(area, options.serverArea);
  const rows = await db
    .selectFrom('audit_chain')
    .leftJoin('audit_values', 'audit_values.entry_seq', 'audit_chain.seq')
    .selectAll('audit_chain')
    .select(['audit_values.personal', 'audit_values.redacted_at'])
    .where('audit_chain.seq', '>', options.after)
    .where((eb) =>
      eb.or([
        eb.and([eb('audit_chain.area_level', 'in', levels), eb('audit_chain.area_code', 'like', `${prefix}%`)]),
        ...(whole ? [eb('audit_chain.area_level', 'is', null)] : []),
      ]),
    )
    .orderBy('audit_chain.seq')
    .limit(options.limit)
    .execute();
  return rows
    .map((r) => ({ r, entryArea: r.area_level === null || r.area_code === null ? null : { level: r.area_level, code: r.area_code } }))
    // The SQL is a prefix match; the containment rule itself decides (a league's code vs a county's).
    .filter(({ entryArea }) => entryArea === null || areaContains(area, entryArea))
    .map(({ r, entryArea }) => ({
      seq: r.seq,
      at: r.at,
      occurredAt: r.occurred_at,
      action: r.action,
      actor: r.actor,
      role: r.role,
      area: entryArea,
      subject: r.subject,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      ...(options.withPersonal && (r.personal !== null || r.redacted_at !== null)
        ? { personal: r.personal === null ? null : (JSON.parse(r.personal) as Record<string, unknown>), redactedAt: r.redacted_at }
        : {}),
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
}
