// The county page's API: sign-in, one's own password and session, townships, enrolment codes,
// devices, accounts, synced cases with their flags, conflict resolution, correction requests,
// parameter sets. Each route takes one action of the policy table (ADMIN_ROUTES): the policy checks
// the account's role before anything is read, then the area of the target; lists are filtered by
// the account's area.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountOf, closeSession, openSession, SESSION_HOURS, sessionCookie, sessionTokenHash } from '../auth/authenticate';
import { authorize, authorizeAccountManagement, decide, type AccountPrincipal } from '../auth/policy';
import { auditBy } from '../audit/actor';
import { appendAudit, appendAuditCollapsed, auditHead } from '../audit/chain';
import { auditedSignIn } from '../audit/events';
import { AUDIT_PAGE_MAX, listAuditEntries } from '../audit/list';
import { COUNTY_ACTIONS, grantOf, type CountyAction } from '../auth/policy-table';
import { checkPassword } from '../auth/sign-in';
import { chinaDate, parseBatchSendInput, parseStepInput, sendToAgencyBatch, takeStep } from '../county/case-lifecycle';
import { caseArea, caseDetail, requestCorrection, resolveConflict } from '../county/case-review';
import { parseAgencyFindingInput, parsePayerConfirmationInput, recordAgencyFinding, recordPayerConfirmation } from '../county/agency-findings';
import { commitAgencyResults, parseAgencyResultsRequest, previewAgencyResults } from '../county/agency-results';
import { caseQueue, parseQueueQuery } from '../county/case-queue';
import { DEFAULT_QUEUE_SETTINGS, overdueCutoffs } from '../county/overdue';
import { exportCaseList, parseExportQuery } from '../reports/case-export';
import { attachment, augustStatisticsXlsx, completionSummaryXlsx, weeklyReportXlsx, XLSX_CONTENT_TYPE } from '../reports/xlsx';
import { parseNoQuery, parseOptionalWeekQuery, parseWeekBody, parseWeekQuery, parseYearQuery } from '../reports/params';
import { closeReportReader } from '../reports/reader';
import { augustStatistics, completionSummary } from '../reports/statistics';
import { listSubmissions, parseSubmitComment, readSubmission, submissionArea, submitWeeklyReport } from '../reports/submissions';
import { weeklyReport } from '../reports/weekly';
import { countyKeyArea, importSignedWeekly, parseSignedExportQuery, registerCountyKey, signedWeeklyFile, signingKeyInfo } from '../reports/exchange';
import { listParameterSets, parameterSetDetail, parsePreviewPaging, previewParameterSet } from '../county/parameter-publishing';
import {
  accountAreaOf,
  createAccount,
  setAccountActive,
  createEnrolmentCode,
  createTownship,
  deviceArea,
  listAccounts,
  listDevices,
  listSignInLocks,
  listTownships,
  lockArea,
  moveClerk,
  publishableParameterSet,
  publishParameterSet,
  resetPassword,
  revokeDevice,
  revokeSessions,
  serverArea,
  setOwnPassword,
  townshipArea,
  unlockAccount,
  unlockAddress,
} from '../county/administration';
import { ApiError } from '../errors';
import type { SessionInfo } from '../../shared/admin-api';
import type { Area, Role } from '../../shared/roles';

type Body = Record<string, unknown>;

/** The request's JSON object body, or null when it has none. */
function objectBody(request: FastifyRequest): Body | null {
  const b = request.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Body) : null;
}

function body(request: FastifyRequest): Body {
  const b = objectBody(request);
  if (b === null) throw new ApiError(400, 'invalid-request', 'Expected a JSON object body');
  return b;
}

/**
 * Every route of the county page that acts as a signed-in account, with the action of the policy
 * table it takes. Login and logout take none (SESSION_ROUTES): they open and close the session.
 */
export const ADMIN_ROUTES = {
  'GET /api/admin/session': 'session.read',
  'POST /api/admin/password': 'password.change',
  'GET /api/admin/townships': 'township.list',
  'POST /api/admin/townships': 'township.create',
  'POST /api/admin/enrolment-codes': 'enrolment-code.create',
  'GET /api/admin/devices': 'device.list',
  'POST /api/admin/devices/:deviceId/revoke': 'device.revoke',
  'GET /api/admin/accounts': 'account.list',
  'POST /api/admin/accounts': 'account.create',
  'POST /api/admin/accounts/:username/disable': 'account.set-active',
  'POST /api/admin/accounts/:username/enable': 'account.set-active',
  'POST /api/admin/accounts/:username/reset-password': 'account.reset-password',
  'POST /api/admin/accounts/:username/revoke-sessions': 'account.revoke-sessions',
  'POST /api/admin/accounts/:username/move': 'account.move',
  'GET /api/admin/sign-in-locks': 'sign-in-lock.list',
  'POST /api/admin/accounts/:username/unlock': 'sign-in-lock.clear',
  'POST /api/admin/addresses/:address/unlock': 'sign-in-lock.clear',
  'GET /api/admin/cases': 'case.list',
  'GET /api/admin/cases/export.xlsx': 'case.export',
  'GET /api/admin/cases/:id': 'case.read',
  'POST /api/admin/cases/:id/resolve': 'case.resolve-conflict',
  'POST /api/admin/cases/:id/correction-request': 'case.request-correction',
  // The role may take some step; which one, from the case's status, is checked with the step asked for.
  'POST /api/admin/cases/:id/steps': 'case.step',
  // 送经办机构 for many verified cases at once; each case is judged by area and status as the single step.
  'POST /api/admin/cases/batch-steps': 'case.send-to-agency',
  'POST /api/admin/parameter-sets': 'parameter-set.publish',
  'GET /api/admin/parameter-sets': 'parameter-set.list',
  'GET /api/admin/parameter-sets/:version': 'parameter-set.read',
  'POST /api/admin/parameter-sets/preview': 'parameter-set.preview',
  'GET /api/admin/audit/head': 'audit.read-head',
  'GET /api/admin/audit': 'audit.list',
  // Signed weekly reports between a county's own server and its league's (reports/exchange.ts).
  'GET /api/admin/report-exchange/signing-key': 'report-exchange.key.read',
  'GET /api/admin/report-exchange/weekly': 'report-exchange.export',
  'POST /api/admin/report-exchange/county-keys': 'report-exchange.register-key',
  'POST /api/admin/report-exchange/imports': 'report-exchange.import',
  'GET /api/admin/reports/weekly': 'report.read',
  'GET /api/admin/reports/august-statistics': 'report.read',
  'GET /api/admin/reports/completion': 'report.read',
  // The same reports as .xlsx: the same action, the same function, the same figures.
  'GET /api/admin/reports/weekly.xlsx': 'report.read',
  'GET /api/admin/reports/august-statistics.xlsx': 'report.read',
  'GET /api/admin/reports/completion.xlsx': 'report.read',
  'POST /api/admin/reports/weekly/submit': 'report.submit',
  'GET /api/admin/reports/submissions': 'report.read',
  'GET /api/admin/reports/submissions/:id': 'report.read',
  'POST /api/admin/cases/:id/agency-findings': 'case.record-agency-finding',
  'POST /api/admin/cases/:id/payer-confirmations': 'case.record-payer-confirmation',
  'POST /api/admin/agency-results/preview': 'agency-results.preview',
  'POST /api/admin/agency-results/commit': 'agency-results.import',
} as const satisfies Record<string, CountyAction>;
export type AdminRoute = keyof typeof ADMIN_ROUTES;

export const SESSION_ROUTES = ['POST /api/admin/login', 'POST /api/admin/logout'] as const;

/** What a route's handler gets beside the request: who asks, and the check of the target's area. */
interface Guard {
  who: AccountPrincipal;
  /** Asks the policy about the target's area (null: there is no such target); throws the refusal. */
  target(area: Area | null): void;
}

function sessionInfo(account: { username: string; display_name: string; role: Role; area_level: Area['level']; area_code: string; must_change_password: number }): SessionInfo {
  return {
    username: account.username,
    displayName: account.display_name,
    role: account.role,
    area: { level: account.area_level, code: account.area_code },
    mustChangePassword: account.must_change_password === 1,
    actions: COUNTY_ACTIONS.filter((a) => grantOf(account.role, a) !== null),
  };
}

export function registerAdmin(app: FastifyInstance): void {
  const ctx = app.county;
  const route = (key: AdminRoute, handler: (request: FastifyRequest, reply: FastifyReply, guard: Guard) => Promise<unknown>) => {
    const [method, url] = key.split(' ') as ['GET' | 'POST', string];
    const action = ADMIN_ROUTES[key];
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        const principal = await accountOf(ctx.db, request, ctx.now());
        // The role first, before anything about the target is read: a refusal here says nothing of it.
        authorize(principal, { type: 'county', action });
        const who = principal as AccountPrincipal;
        return handler(request, reply, { who, target: (area) => authorize(who, { type: 'county', action, target: area }) });
      },
    });
  };
  const param = (request: FastifyRequest, name: string): string => (request.params as Record<string, string>)[name] ?? '';

  app.post('/api/admin/login', async (request, reply) => {
    const b = body(request);
    const username = typeof b.username === 'string' ? b.username.trim().toLowerCase() : '';
    const password = typeof b.password === 'string' ? b.password : '';
    const account = await auditedSignIn(ctx, { channel: 'county-page', username, address: request.ip, device: null }, async () => {
      const checked = await checkPassword(ctx, request.log, { username, password, address: request.ip });
      if (!checked) throw new ApiError(401, 'wrong-credentials', 'Unknown user name or wrong password');
      authorize({ kind: 'anonymous' }, { type: 'account.sign-in', account: { role: checked.role, active: checked.active === 1 } });
      return checked;
    });
    const session = await openSession(ctx.db, account.id, ctx.now());
    reply.header('Set-Cookie', sessionCookie(session.token, SESSION_HOURS * 3600, request.protocol === 'https'));
    return { ...sessionInfo(account), expiresAt: session.expiresAt };
  });

  app.post('/api/admin/logout', async (request, reply) => {
    const leaving = await accountOf(ctx.db, request, ctx.now());
    await closeSession(ctx.db, request);
    if (leaving.kind === 'account') await appendAudit(ctx.db, { ...auditBy(leaving), action: 'sign-out', subject: leaving.username }, ctx.now());
    reply.header('Set-Cookie', sessionCookie('', 0, request.protocol === 'https'));
    return { ok: true };
  });

  route('GET /api/admin/session', async (_request, _reply, { who }) => {
    const account = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', who.accountId).executeTakeFirstOrThrow();
    return sessionInfo(account);
  });

  // One's own password: the current one is checked and counted like a sign-in, so that a session left
  // open is not a way to guess it.
  route('POST /api/admin/password', async (request, _reply, { who }) => {
    const b = body(request);
    const current = typeof b.currentPassword === 'string' ? b.currentPassword : '';
    const checked = await checkPassword(ctx, request.log, { username: who.username, password: current, address: request.ip });
    if (!checked) {
      // A signed-in session guessing its own password is a sign-in failure of that account: recorded as one.
      await appendAuditCollapsed(ctx.db, { ...auditBy(who), action: 'password.change-failure', subject: who.username, detail: { refusal: 'wrong-current-password' }, personal: { address: request.ip } }, ctx.now());
      throw new ApiError(403, 'wrong-current-password', 'The current password is wrong');
    }
    if (b.newPassword === current) throw new ApiError(422, 'invalid-request', 'newPassword: must differ from the current one', { details: { problems: [{ path: 'newPassword', message: 'must differ from the current one' }] } });
    const account = await setOwnPassword(ctx, who.accountId, b.newPassword, sessionTokenHash(request), auditBy(who));
    return { username: account.username, mustChangePassword: account.mustChangePassword };
  });

  route('GET /api/admin/townships', async (_request, _reply, { who }) => ({ townships: await listTownships(ctx, who.area) }));
  route('POST /api/admin/townships', async (request, reply, { who, target }) => {
    const b = body(request);
    // A malformed code has no area: createTownship refuses it by name.
    const area = townshipArea(b.code);
    if (area) target(area);
    reply.code(201);
    return createTownship(ctx, { code: b.code, name: b.name }, auditBy(who));
  });

  route('POST /api/admin/enrolment-codes', async (request, reply, { who, target }) => {
    const b = body(request);
    const area = townshipArea(b.townshipCode);
    if (area) target(area);
    reply.code(201);
    return createEnrolmentCode(ctx, { townshipCode: b.townshipCode, hours: b.hours }, who.username, auditBy(who));
  });

  route('GET /api/admin/devices', async (_request, _reply, { who }) => ({
    devices: await listDevices(ctx, who.area),
    staleDeviceDays: (ctx.queue ?? DEFAULT_QUEUE_SETTINGS).staleDeviceDays,
  }));
  route('POST /api/admin/devices/:deviceId/revoke', async (request, _reply, { who, target }) => {
    const deviceId = param(request, 'deviceId');
    target(await deviceArea(ctx, deviceId));
    // The reason is optional, and so is a body that would carry it.
    return revokeDevice(ctx, deviceId, who.username, objectBody(request)?.reason ?? '', auditBy(who));
  });

  route('GET /api/admin/accounts', async (_request, _reply, { who }) => ({ accounts: await listAccounts(ctx, who.area) }));
  route('POST /api/admin/accounts', async (request, reply, { who, target }) => {
    const b = body(request);
    const input = { username: b.username, displayName: b.displayName, password: b.password, role: b.role ?? 'window-clerk', area: b.area, townshipCode: b.townshipCode };
    // The new account's area must lie within the admin's: no role of a wider area or another place.
    // Input that gives no area is refused by createAccount, naming every problem at once.
    let area: Area | undefined;
    try {
      area = accountAreaOf(input);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
    if (area) target(area);
    reply.code(201);
    return createAccount(ctx, input, auditBy(who));
  });

  /** The account's area within the caller's, and its role one he may manage (see authorizeAccountManagement). */
  const managedAccount = async (who: AccountPrincipal, target: (area: Area | null) => void, username: string): Promise<void> => {
    const row = await ctx.db.selectFrom('accounts').select(['username', 'role', 'area_level', 'area_code']).where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
    const area: Area | null = row ? { level: row.area_level, code: row.area_code } : null;
    target(area);
    authorizeAccountManagement(who, { username: row!.username, role: row!.role, area: area! });
  };

  route('POST /api/admin/accounts/:username/disable', async (request, _reply, { who, target }) => {
    await managedAccount(who, target, param(request, 'username'));
    return setAccountActive(ctx, param(request, 'username'), false, who.username, auditBy(who));
  });
  route('POST /api/admin/accounts/:username/enable', async (request, _reply, { who, target }) => {
    await managedAccount(who, target, param(request, 'username'));
    return setAccountActive(ctx, param(request, 'username'), true, who.username, auditBy(who));
  });
  route('POST /api/admin/accounts/:username/reset-password', async (request, _reply, { who, target }) => {
    await managedAccount(who, target, param(request, 'username'));
    return resetPassword(ctx, param(request, 'username'), auditBy(who));
  });
  route('POST /api/admin/accounts/:username/revoke-sessions', async (request, _reply, { who, target }) => {
    await managedAccount(who, target, param(request, 'username'));
    return revokeSessions(ctx, param(request, 'username'), auditBy(who));
  });
  // Both townships lie in the caller's area: a destination outside it answers like a missing one.
  route('POST /api/admin/accounts/:username/move', async (request, _reply, { who, target }) => {
    await managedAccount(who, target, param(request, 'username'));
    const townshipCode = body(request).townshipCode;
    const to = typeof townshipCode === 'string' ? await ctx.db.selectFrom('townships').select('code').where('code', '=', townshipCode.trim()).executeTakeFirst() : undefined;
    target(to ? { level: 'township', code: to.code } : null);
    return moveClerk(ctx, param(request, 'username'), townshipCode, auditBy(who));
  });

  // Locks after repeated wrong passwords (auth/throttle.ts): the admin may lift one sooner.
  route('GET /api/admin/sign-in-locks', async (_request, _reply, { who }) => ({ locks: await listSignInLocks(ctx, who.area) }));
  route('POST /api/admin/accounts/:username/unlock', async (request, _reply, { who, target }) => {
    target(await lockArea(ctx, param(request, 'username')));
    return unlockAccount(ctx, param(request, 'username'), auditBy(who));
  });
  route('POST /api/admin/addresses/:address/unlock', async (request, _reply, { who, target }) => {
    target(await serverArea(ctx));
    return unlockAddress(ctx, param(request, 'address'), auditBy(who));
  });

  // The reviewer's queue: a page of the area's cases that match, with how many match in all.
  route('GET /api/admin/cases', async (request, _reply, { who }) =>
    caseQueue(ctx, parseQueueQuery(request.query, who.area, overdueCutoffs(ctx.now(), (ctx.queue ?? DEFAULT_QUEUE_SETTINGS).overdueDays))),
  );
  // The same cases as the queue with the same filters, all of them, as .xlsx; one audit entry per export.
  route('GET /api/admin/cases/export.xlsx', async (request, reply, { who }) => {
    const { buffer } = await exportCaseList(ctx, parseExportQuery(request.query, who.area), auditBy(who));
    reply.header('Content-Type', XLSX_CONTENT_TYPE).header('Content-Disposition', attachment('cases.xlsx', '案件清单.xlsx'));
    return buffer;
  });
  route('GET /api/admin/cases/:id', async (request, _reply, { who, target }) => {
    const area = await caseArea(ctx, param(request, 'id'));
    target(area);
    const detail = await caseDetail(ctx, param(request, 'id'), who.area, who.role);
    // Every county reading of a veteran's personal data is on record, after it succeeded.
    await appendAudit(ctx.db, { ...auditBy(who), action: 'case.read', subject: param(request, 'id'), area }, ctx.now());
    return detail;
  });
  route('POST /api/admin/cases/:id/resolve', async (request, _reply, { who, target }) => {
    target(await caseArea(ctx, param(request, 'id')));
    return resolveConflict(ctx, param(request, 'id'), body(request).versionId, who.username, who.area, auditBy(who));
  });
  route('POST /api/admin/cases/:id/correction-request', async (request, _reply, { who, target }) => {
    target(await caseArea(ctx, param(request, 'id')));
    return requestCorrection(ctx, param(request, 'id'), body(request).message, who.username, who.area, auditBy(who), who);
  });
  // A signed step of the case's lifecycle (county/case-lifecycle.ts): the new status and the step.
  route('POST /api/admin/cases/:id/steps', async (request, _reply, { who, target }) => {
    target(await caseArea(ctx, param(request, 'id')));
    const input = parseStepInput(body(request), chinaDate(ctx.now()));
    return takeStep(ctx, param(request, 'id'), input, { principal: who, by: auditBy(who) });
  });
  // Many cases, no one target: a case outside the caller's area is reported by id like a missing one.
  route('POST /api/admin/cases/batch-steps', async (request, _reply, { who }) => sendToAgencyBatch(ctx, parseBatchSendInput(body(request)), who, auditBy(who)));
  // What the agencies and the government found (county/agency-findings.ts): recorded, never overwritten.
  route('POST /api/admin/cases/:id/agency-findings', async (request, reply, { who, target }) => {
    target(await caseArea(ctx, param(request, 'id')));
    const input = parseAgencyFindingInput(body(request), chinaDate(ctx.now()));
    reply.code(201);
    return recordAgencyFinding(ctx, param(request, 'id'), input, auditBy(who));
  });
  route('POST /api/admin/cases/:id/payer-confirmations', async (request, reply, { who, target }) => {
    target(await caseArea(ctx, param(request, 'id')));
    const input = parsePayerConfirmationInput(body(request), chinaDate(ctx.now()));
    reply.code(201);
    return recordPayerConfirmation(ctx, param(request, 'id'), input, auditBy(who));
  });
  // An agencies' results file: its rows match only cases of the caller's area, others answer as absent.
  route('POST /api/admin/agency-results/preview', async (request, _reply, { who, target }) => {
    target(who.area);
    return previewAgencyResults(ctx, parseAgencyResultsRequest(body(request)), who.area, chinaDate(ctx.now()));
  });
  route('POST /api/admin/agency-results/commit', async (request, _reply, { who, target }) => {
    target(who.area);
    return commitAgencyResults(ctx, parseAgencyResultsRequest(body(request)), who.area, chinaDate(ctx.now()), auditBy(who));
  });

  // A parameter set reaches every tablet of the server: its area is that of all the server's townships.
  route('POST /api/admin/parameter-sets', async (request, reply, { who, target }) => {
    target(await serverArea(ctx));
    reply.code(201);
    return publishParameterSet(ctx, body(request).document, who.username, auditBy(who));
  });
  route('GET /api/admin/parameter-sets', async () => ({ parameterSets: await listParameterSets(ctx) }));
  // Every area has every set: one that exists is within the caller's own, one that does not answers as foreign.
  route('GET /api/admin/parameter-sets/:version', async (request, _reply, { who, target }) => {
    const detail = await parameterSetDetail(ctx, param(request, 'version'));
    target(detail ? who.area : null);
    return detail;
  });
  // Over the open cases of the caller's own area, like a list: an admin of one county sees what a set
  // published for the whole server would change there. Nothing is written.
  route('POST /api/admin/parameter-sets/preview', async (request, _reply, { who }) => {
    const b = body(request);
    const paging = parsePreviewPaging(b);
    return previewParameterSet(ctx, await publishableParameterSet(ctx, b.document, who.area), who.area, paging);
  });

  // The audit chain (audit/chain.ts): its head for anyone to compare with a copy kept elsewhere, its
  // entries to those who audit, of their area, personal values to those who may read cases.
  route('GET /api/admin/audit/head', async () => auditHead(ctx.db));
  route('GET /api/admin/audit', async (request, _reply, { who }) => {
    const q = request.query as Record<string, string | undefined>;
    const number = (name: string, v: string | undefined, fallback: number, max: number): number => {
      if (v === undefined) return fallback;
      if (!/^\d{1,12}$/.test(v) || Number(v) > max) throw new ApiError(422, 'invalid-request', `${name}: a whole number from 0 to ${max}`, { details: { problems: [{ path: name, message: `a whole number from 0 to ${max}` }] } });
      return Number(v);
    };
    const after = number('after', q.after, 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, number('limit', q.limit, 100, AUDIT_PAGE_MAX));
    const withPersonal = decide(who, { type: 'county', action: 'case.read' }).allow;
    const entries = await listAuditEntries(ctx.db, { area: who.area, serverArea: await serverArea(ctx), after, limit, withPersonal });
    return { head: await auditHead(ctx.db), entries };
  });

  // Reports (reports/): counted from the cases of the caller's area; on SQLite in a worker thread, so
  // that a report over every case does not hold up tablets' sync.
  app.addHook('onClose', () => closeReportReader(ctx));
  route('GET /api/admin/reports/weekly', async (request, _reply, { who }) => weeklyReport(ctx, who.area, parseWeekQuery(request.query, ctx.now())));
  route('GET /api/admin/reports/august-statistics', async (request, _reply, { who }) => augustStatistics(ctx, who.area, parseYearQuery(request.query, ctx.now())));
  route('GET /api/admin/reports/completion', async (request, _reply, { who }) => {
    parseNoQuery(request.query);
    return completionSummary(ctx, who.area);
  });
  const xlsx = (reply: FastifyReply, buffer: Buffer, asciiName: string, name: string): Buffer => {
    reply.header('Content-Type', XLSX_CONTENT_TYPE).header('Content-Disposition', attachment(asciiName, name));
    return buffer;
  };
  route('GET /api/admin/reports/weekly.xlsx', async (request, reply, { who }) => {
    const report = await weeklyReport(ctx, who.area, parseWeekQuery(request.query, ctx.now()));
    return xlsx(reply, await weeklyReportXlsx(report), `weekly-${report.week.dueDate}.xlsx`, `周报-${report.week.dueDate}.xlsx`);
  });
  route('GET /api/admin/reports/august-statistics.xlsx', async (request, reply, { who }) => {
    const stats = await augustStatistics(ctx, who.area, parseYearQuery(request.query, ctx.now()));
    return xlsx(reply, await augustStatisticsXlsx(stats), `august-statistics-${stats.campaignYear}.xlsx`, `8月底统计-${stats.campaignYear}.xlsx`);
  });
  route('GET /api/admin/reports/completion.xlsx', async (request, reply, { who }) => {
    parseNoQuery(request.query);
    return xlsx(reply, await completionSummaryXlsx(await completionSummary(ctx, who.area)), 'completion.xlsx', '完成情况汇总.xlsx');
  });
  // 报送: the caller's area's report of the week (the current one unless named), frozen and signed.
  route('POST /api/admin/reports/weekly/submit', async (request, reply, { who, target }) => {
    target(who.area);
    const b = objectBody(request) ?? {};
    const instant = parseWeekBody(b.week, ctx.now());
    const comment = parseSubmitComment(b.comment);
    reply.code(201);
    return submitWeeklyReport(ctx, who.area, instant, comment, auditBy(who));
  });
  route('GET /api/admin/reports/submissions', async (request, _reply, { who }) => ({ submissions: await listSubmissions(ctx, who.area, parseOptionalWeekQuery(request.query)) }));
  route('GET /api/admin/reports/submissions/:id', async (request, _reply, { target }) => {
    target(await submissionArea(ctx, param(request, 'id')));
    return readSubmission(ctx, param(request, 'id'));
  });

  // The server's public key is given to the league like the township list: its area is the server's.
  route('GET /api/admin/report-exchange/signing-key', async (_request, _reply, { target }) => {
    target(await serverArea(ctx));
    return signingKeyInfo(ctx);
  });
  route('GET /api/admin/report-exchange/weekly', async (request, reply, { who, target }) => {
    const { county, week } = parseSignedExportQuery(request.query, who.area);
    target(county);
    const file = await signedWeeklyFile(ctx, county, parseWeekQuery(week === undefined ? {} : { week }, ctx.now()), auditBy(who));
    reply.header('Content-Disposition', attachment(`weekly-${county.code}-${file.payload.week.dueDate}.json`, `周报-${county.code}-${file.payload.week.dueDate}.json`));
    return file;
  });
  route('POST /api/admin/report-exchange/county-keys', async (request, reply, { who, target }) => {
    const b = body(request);
    // A code that is no county has no area: registerCountyKey refuses it by name.
    const area = countyKeyArea(b);
    if (area) target(area);
    const { key, created } = await registerCountyKey(ctx, b, auditBy(who));
    reply.code(created ? 201 : 200);
    return key;
  });
  // The county's area is read from the signed file: outside the caller's it is refused as not-in-area, naming it.
  route('POST /api/admin/report-exchange/imports', async (request, _reply, { who }) => importSignedWeekly(ctx, body(request), { area: who.area, by: auditBy(who) }));
}
