// 报送: a weekly report submitted is frozen as the canonical JSON of its figures at that moment, hashed
// and signed into the audit chain by whoever submits it. A later submission of the same week and area
// is the next version beside it; nothing submitted is ever changed, and it reads back exactly as frozen.

import { createHash, randomUUID } from 'node:crypto';
import { appendAudit, type AuditBy } from '../audit/chain';
import type { CountyContext } from '../county/context';
import type { ReportSubmissionsTable } from '../db/schema';
import { ApiError } from '../errors';
import { canonicalJson } from '../../shared/canonical-json';
import type { ReportSubmission, ReportSubmissionWithReport, WeeklyReport } from '../../shared/reports';
import { areaContains, areaPrefix, type Area } from '../../shared/roles';
import { reportingWeekAt } from './weeks';
import { weeklyReport } from './weekly';

const COMMENT_MAX = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function submission(r: ReportSubmissionsTable): ReportSubmission {
  return {
    id: r.id,
    weekStart: r.week_start,
    area: { level: r.area_level, code: r.area_code },
    version: Number(r.version),
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    comment: r.comment,
    sha256: r.sha256,
    auditSeq: Number(r.audit_seq),
    auditHash: r.audit_hash,
  };
}

export function parseSubmitComment(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ApiError(422, 'invalid-request', 'comment: expected text', { details: { problems: [{ path: 'comment', message: 'expected text' }] } });
  const c = value.trim();
  if (c.length > COMMENT_MAX) throw new ApiError(422, 'invalid-request', `comment: at most ${COMMENT_MAX} characters`, { details: { problems: [{ path: 'comment', message: `at most ${COMMENT_MAX} characters` }] } });
  return c;
}

/** Freezes the weekly report of `area` for the week holding `instant`, as it stands now. */
export async function submitWeeklyReport(ctx: CountyContext, area: Area, instant: Date, comment: string, by: AuditBy & { actor: string }): Promise<ReportSubmission> {
  const report: WeeklyReport = await weeklyReport(ctx, area, instant);
  const json = canonicalJson(report);
  const sha256 = createHash('sha256').update(json, 'utf8').digest('hex');
  const id = randomUUID();
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('report_submissions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('kind', '=', 'weekly')
      .where('area_level', '=', area.level)
      .where('area_code', '=', area.code)
      .where('week_start', '=', report.week.start)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const entry = await appendAudit(
      trx,
      { ...by, action: 'report.submit', subject: id, area, detail: { kind: 'weekly', weekStart: report.week.start, area, version, sha256 } },
      now,
    );
    const row: ReportSubmissionsTable = {
      id,
      kind: 'weekly',
      week_start: report.week.start,
      area_level: area.level,
      area_code: area.code,
      version,
      report: json,
      sha256,
      submitted_by: by.actor,
      submitted_at: now.toISOString(),
      comment,
      audit_seq: entry.seq,
      audit_hash: entry.hash,
    };
    await trx.insertInto('report_submissions').values(row).execute();
    return submission(row);
  });
}

/** The submissions of reports of areas within `area`, newest first; of one week when `instant` is given. */
export async function listSubmissions(ctx: CountyContext, area: Area, instant: Date | null): Promise<ReportSubmission[]> {
  let q = ctx.db
    .selectFrom('report_submissions')
    .select(['id', 'kind', 'week_start', 'area_level', 'area_code', 'version', 'sha256', 'submitted_by', 'submitted_at', 'comment', 'audit_seq', 'audit_hash'])
    .where('area_code', 'like', `${areaPrefix(area)}%`)
    .orderBy('submitted_at', 'desc')
    .orderBy('version', 'desc');
  if (instant) q = q.where('week_start', '=', reportingWeekAt(instant).start);
  const rows = await q.execute();
  // The prefix narrows; a 盟市's code and its counties' share one, so each area is still checked whole.
  return rows.map((r) => submission({ ...r, report: '' })).filter((s) => areaContains(area, s.area));
}

/** The area of a submission (null: no such submission), for the policy's target check. */
export async function submissionArea(ctx: CountyContext, id: string): Promise<Area | null> {
  // Ids are UUIDs: anything else (a NUL PostgreSQL cannot even compare) is no submission.
  if (!UUID.test(id)) return null;
  const row = await ctx.db.selectFrom('report_submissions').select(['area_level', 'area_code']).where('id', '=', id).executeTakeFirst();
  return row ? { level: row.area_level, code: row.area_code } : null;
}

export async function readSubmission(ctx: CountyContext, id: string): Promise<ReportSubmissionWithReport | null> {
  if (!UUID.test(id)) return null;
  const row = await ctx.db.selectFrom('report_submissions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return { ...submission(row), report: JSON.parse(row.report) as WeeklyReport };
}
