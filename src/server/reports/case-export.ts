// The queue's case list as a spreadsheet (GET /api/admin/cases/export.xlsx): every case that matches
// the same filters as GET /api/admin/cases, read through the queue's own function, so the sheet holds
// exactly what the screen pages through. It carries personal data: one audit
// entry per export names the filter and how many rows left the server.

import type { AuditBy } from '../audit/chain';
import { appendAudit } from '../audit/chain';
import { listTownships } from '../county/administration';
import { caseQueue, parseQueueQuery, type CaseQueueFilter } from '../county/case-queue';
import type { CountyContext } from '../county/context';
import { ApiError } from '../errors';
import { formatArea, type Area } from '../../shared/roles';
import { caseListXlsx } from './xlsx';

/** Far more than a county's cases; a region's whole list is better filtered than mailed around. */
export const CASE_EXPORT_MAX_ROWS = 100_000;

/** The export's filter: the queue's query string, without paging (the export is every match). */
export function parseExportQuery(query: unknown, area: Area): CaseQueueFilter {
  const q = (typeof query === 'object' && query !== null ? query : {}) as Record<string, unknown>;
  for (const name of ['limit', 'offset']) {
    if (name in q) throw new ApiError(422, 'invalid-request', `${name}: not taken by the export, which holds every matching case`, { details: { problems: [{ path: name, message: 'not taken by the export, which holds every matching case' }] } });
  }
  return parseQueueQuery(query, area);
}

export async function exportCaseList(ctx: CountyContext, filter: CaseQueueFilter, by: AuditBy): Promise<{ buffer: Buffer; rows: number }> {
  // One query, not pages: a case received meanwhile would shift later pages by one and repeat a row.
  const { cases, total } = await caseQueue(ctx, { ...filter, limit: CASE_EXPORT_MAX_ROWS + 1, offset: 0 });
  if (cases.length > CASE_EXPORT_MAX_ROWS) {
    throw new ApiError(422, 'export-too-large', `filter: ${total} cases match, more than the ${CASE_EXPORT_MAX_ROWS} an export holds; narrow it by township or status`);
  }
  const townshipNames = new Map((await listTownships(ctx, filter.area)).map((t) => [t.code, t.name]));
  const now = ctx.now();
  const buffer = await caseListXlsx({ cases, filter, townshipNames, exportedAt: now.toISOString(), area: formatArea(filter.area) });
  const { q, area, ...rest } = filter;
  await appendAudit(
    ctx.db,
    {
      ...by,
      action: 'case.export',
      subject: null,
      area,
      // The search text may be a name or an ID number: kept with the personal values, not in the chain.
      detail: { format: 'xlsx', filter: { ...rest, search: q !== undefined }, rows: cases.length },
      ...(q === undefined ? {} : { personal: { q } }),
    },
    now,
  );
  return { buffer, rows: cases.length };
}
