// The county page's API: sign-in, townships, enrolment codes, devices, accounts, synced cases with
// their flags, conflict resolution, correction requests, parameter sets. Every route asks the
// policy (auth/policy.ts) before it acts.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountOf, closeSession, openSession, SESSION_HOURS, sessionCookie } from '../auth/authenticate';
import { authorize, type AdminOperation, type Principal } from '../auth/policy';
import { checkPassword } from '../auth/sign-in';
import { CASE_FLAG_FILTERS, caseDetail, listCases, requestCorrection, resolveConflict, type CaseFlagFilter } from '../county/case-review';
import {
  createAccount,
  setAccountActive,
  createEnrolmentCode,
  createTownship,
  listAccounts,
  listDevices,
  listSignInLocks,
  listTownships,
  publishParameterSet,
  revokeDevice,
  unlockAccount,
  unlockAddress,
} from '../county/administration';
import { ApiError } from '../errors';

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

export function registerAdmin(app: FastifyInstance): void {
  const as = async (request: FastifyRequest, operation: AdminOperation): Promise<Principal & { kind: 'account' }> => {
    const principal = await accountOf(app.county.db, request, app.county.now());
    authorize(principal, { type: 'admin', operation });
    return principal as Principal & { kind: 'account' };
  };

  app.post('/api/admin/login', async (request, reply) => {
    const b = body(request);
    const username = typeof b.username === 'string' ? b.username.trim().toLowerCase() : '';
    const password = typeof b.password === 'string' ? b.password : '';
    const account = await checkPassword(app.county, request.log, { username, password, address: request.ip });
    if (!account) throw new ApiError(401, 'wrong-credentials', 'Unknown user name or wrong password');
    authorize({ kind: 'anonymous' }, { type: 'account.sign-in', account: { role: account.role, active: account.active === 1 } });
    const session = await openSession(app.county.db, account.id, app.county.now());
    reply.header('Set-Cookie', sessionCookie(session.token, SESSION_HOURS * 3600, request.protocol === 'https'));
    return { username: account.username, displayName: account.display_name, role: account.role, expiresAt: session.expiresAt };
  });

  app.post('/api/admin/logout', async (request, reply) => {
    await closeSession(app.county.db, request);
    reply.header('Set-Cookie', sessionCookie('', 0, request.protocol === 'https'));
    return { ok: true };
  });

  app.get('/api/admin/townships', async (request) => {
    await as(request, 'township.list');
    return { townships: await listTownships(app.county) };
  });
  app.post('/api/admin/townships', async (request, reply) => {
    await as(request, 'township.create');
    const b = body(request);
    reply.code(201);
    return createTownship(app.county, { code: b.code, name: b.name });
  });

  app.post('/api/admin/enrolment-codes', async (request, reply) => {
    const who = await as(request, 'enrolment-code.create');
    const b = body(request);
    reply.code(201);
    return createEnrolmentCode(app.county, { townshipCode: b.townshipCode, hours: b.hours }, who.username);
  });

  app.get('/api/admin/devices', async (request) => {
    await as(request, 'device.list');
    return { devices: await listDevices(app.county) };
  });
  app.post('/api/admin/devices/:deviceId/revoke', async (request) => {
    const who = await as(request, 'device.revoke');
    // The reason is optional, and so is a body that would carry it.
    return revokeDevice(app.county, (request.params as { deviceId: string }).deviceId, who.username, objectBody(request)?.reason ?? '');
  });

  app.get('/api/admin/accounts', async (request) => {
    await as(request, 'account.list');
    return { accounts: await listAccounts(app.county) };
  });
  app.post('/api/admin/accounts', async (request, reply) => {
    await as(request, 'account.create');
    const b = body(request);
    const role = b.role === undefined ? 'clerk' : b.role;
    if (role !== 'clerk' && role !== 'admin') throw new ApiError(422, 'invalid-request', 'role: must be "clerk" or "admin"', { details: { problems: [{ path: 'role', message: 'must be "clerk" or "admin"' }] } });
    reply.code(201);
    return createAccount(app.county, { username: b.username, displayName: b.displayName, password: b.password, role, townshipCode: b.townshipCode });
  });

  // Locks after repeated wrong passwords (auth/throttle.ts): the admin may lift one sooner.
  app.post('/api/admin/accounts/:username/disable', async (request) => {
    const admin = await as(request, 'account.set-active');
    return setAccountActive(app.county, (request.params as { username: string }).username, false, admin.username);
  });
  app.post('/api/admin/accounts/:username/enable', async (request) => {
    const admin = await as(request, 'account.set-active');
    return setAccountActive(app.county, (request.params as { username: string }).username, true, admin.username);
  });
  app.get('/api/admin/sign-in-locks', async (request) => {
    await as(request, 'sign-in-lock.list');
    return { locks: await listSignInLocks(app.county) };
  });
  app.post('/api/admin/accounts/:username/unlock', async (request) => {
    await as(request, 'sign-in-lock.clear');
    return unlockAccount(app.county, (request.params as { username: string }).username);
  });
  app.post('/api/admin/addresses/:address/unlock', async (request) => {
    await as(request, 'sign-in-lock.clear');
    return unlockAddress(app.county, (request.params as { address: string }).address);
  });

  app.get('/api/admin/cases', async (request) => {
    await as(request, 'case.list');
    const q = request.query as Record<string, string | undefined>;
    const flags: readonly CaseFlagFilter[] = CASE_FLAG_FILTERS;
    const flag = flags.find((f) => f === q.flag);
    if (q.flag !== undefined && flag === undefined) throw new ApiError(422, 'invalid-request', `flag: must be one of ${flags.join(', ')}`, { details: { problems: [{ path: 'flag', message: `must be one of ${flags.join(', ')}` }] } });
    return {
      cases: await listCases(app.county, {
        ...(flag ? { flag } : {}),
        ...(q.township ? { townshipCode: q.township } : {}),
        ...(q.limit && /^\d+$/.test(q.limit) ? { limit: Number(q.limit) } : {}),
        ...(q.offset && /^\d+$/.test(q.offset) ? { offset: Number(q.offset) } : {}),
      }),
    };
  });
  app.get('/api/admin/cases/:id', async (request) => {
    await as(request, 'case.read');
    return caseDetail(app.county, (request.params as { id: string }).id);
  });
  app.post('/api/admin/cases/:id/resolve', async (request) => {
    const who = await as(request, 'case.resolve-conflict');
    return resolveConflict(app.county, (request.params as { id: string }).id, body(request).versionId, who.username);
  });
  app.post('/api/admin/cases/:id/correction-request', async (request) => {
    const who = await as(request, 'case.request-correction');
    return requestCorrection(app.county, (request.params as { id: string }).id, body(request).message, who.username);
  });

  app.post('/api/admin/parameter-sets', async (request, reply) => {
    const who = await as(request, 'parameter-set.publish');
    reply.code(201);
    return publishParameterSet(app.county, body(request).document, who.username);
  });
}
