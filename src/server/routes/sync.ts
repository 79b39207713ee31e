// The tablets' API: enrolment, push, pull and clerk sign-in. Bodies may be gzip-compressed.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  SUPPORTED_CASE_SCHEMA_VERSIONS,
  SUPPORTED_ENROL_PROTOCOL_VERSIONS,
  SUPPORTED_PROTOCOL_VERSIONS,
  parseEnrolRequest,
  parsePullRequest,
  parsePushRequest,
  type Parsed,
} from '../../shared/sync-protocol';
import { deviceOf } from '../auth/authenticate';
import { authorize, type Principal } from '../auth/policy';
import { beginAttempt, enrolmentKeys } from '../auth/attempts';
import { checkPassword } from '../auth/sign-in';
import { CLERK_TOKEN_DAYS, clerkTokenSecret, signClerkToken } from '../auth/clerk-token';
import { clearPinRevocation } from '../county/administration';
import { redeemEnrolmentCode } from '../county/enrolment';
import { ingestPush } from '../county/ingest';
import { pullChanges } from '../county/pull';
import { ApiError } from '../errors';
import { auditedSignIn } from '../audit/events';

/** The parsed value, or the refusal: version codes first (请更新应用), then field-named problems. */
function accept<T>(parsed: Parsed<T>, invalidCode: 'invalid-batch' | 'invalid-request', protocols: readonly number[] = SUPPORTED_PROTOCOL_VERSIONS): T {
  if (parsed.ok) return parsed.value;
  const lines = parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  if (parsed.code === 'protocol-mismatch') {
    throw new ApiError(400, 'protocol-mismatch', `Protocol version mismatch (${lines}); update the app`, { details: { supported: [...protocols], problems: parsed.problems } });
  }
  if (parsed.code === 'schema-mismatch') {
    throw new ApiError(400, 'schema-mismatch', `Case schema version mismatch (${lines}); update the app`, { details: { supported: [...SUPPORTED_CASE_SCHEMA_VERSIONS], problems: parsed.problems } });
  }
  throw new ApiError(422, invalidCode, `The request was refused, nothing was applied: ${lines}`, { details: { problems: parsed.problems } });
}

function claimedDevice(body: unknown, principal: Principal): string {
  const id = typeof body === 'object' && body !== null ? (body as { deviceId?: unknown }).deviceId : undefined;
  if (typeof id === 'string') return id;
  return principal.kind === 'device' ? principal.deviceId : '';
}

function protocolFirst(body: unknown): void {
  // A peer of another protocol may not even send credentials the way this one reads them.
  const r = parsePushRequest(typeof body === 'object' && body !== null ? { protocol: (body as { protocol?: unknown }).protocol } : body);
  if (!r.ok && r.code === 'protocol-mismatch') accept(r, 'invalid-request');
}

async function device(app: FastifyInstance, request: FastifyRequest, type: 'sync.push' | 'sync.pull'): Promise<Principal & { kind: 'device' }> {
  protocolFirst(request.body);
  const principal = await deviceOf(app.county.db, request);
  authorize(principal, { type, claimedDeviceId: claimedDevice(request.body, principal) });
  return principal as Principal & { kind: 'device' };
}

const CODE_GUESS_REFUSALS: ReadonlySet<string> = new Set(['enrolment-code-invalid', 'enrolment-code-used', 'enrolment-code-expired']);

export function registerSync(app: FastifyInstance): void {
  app.post('/api/enrol', async (request) => {
    const req = accept(parseEnrolRequest(request.body), 'invalid-request', SUPPORTED_ENROL_PROTOCOL_VERSIONS);
    const attempt = await beginAttempt(app.county, 'enrolment', enrolmentKeys(request.ip));
    try {
      const enrolled = await redeemEnrolmentCode(app.county, req);
      await attempt.notCounted();
      return enrolled;
    } catch (err) {
      // A code that is unknown, used or expired was a guess; any other refusal gives the attempt back.
      if (!(err instanceof ApiError && CODE_GUESS_REFUSALS.has(err.code))) await attempt.notCounted().catch(() => {});
      throw err;
    }
  });

  // A full batch (MAX_BATCH cases, ~2–3 KB of JSON each) decompresses to a few MB.
  app.post('/api/sync/push', { bodyLimit: 8 * 1024 * 1024 }, async (request) => {
    const principal = await device(app, request, 'sync.push');
    const req = accept(parsePushRequest(request.body), 'invalid-batch');
    return ingestPush(app.county, principal, req);
  });

  const pull = async (request: FastifyRequest, input: unknown) => {
    const principal = await device(app, request, 'sync.pull');
    return pullChanges(app.county, principal, accept(parsePullRequest(input), 'invalid-request'));
  };
  app.post('/api/sync/pull', async (request) => pull(request, request.body));
  app.get('/api/sync/pull', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : v);
    const input = { protocol: num(q.protocol), appVersion: q.appVersion, schemaVersion: num(q.schemaVersion), deviceId: q.deviceId, cursor: q.cursor ?? null };
    (request as { body?: unknown }).body = input;
    return pull(request, input);
  });

  // A clerk signs in online once on a tablet of his township; the tablet then keeps a PIN verifier.
  app.post('/api/sync/clerk-sign-in', async (request) => {
    const principal = await deviceOf(app.county.db, request);
    authorize(principal, { type: 'clerk.sign-in.device' });
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as { username?: unknown; password?: unknown };
    const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const signingOn = principal as Principal & { kind: 'device' };
    const clerk = await auditedSignIn(app.county, { channel: 'tablet', username, address: request.ip, device: signingOn }, async () => {
      const checked = await checkPassword(app.county, request.log, { username, password, address: request.ip });
      authorize(principal, { type: 'clerk.sign-in', clerk: checked && { role: checked.role, townshipCode: checked.township_code, active: checked.active === 1, mustChangePassword: checked.must_change_password === 1 } });
      return checked!;
    });
    // Signed in online again after an admin revoked his sessions: his PIN may be kept again.
    await clearPinRevocation(app.county, clerk!.id);
    const device = principal as Principal & { kind: 'device' };
    const now = app.county.now();
    const expiresAt = new Date(now.getTime() + CLERK_TOKEN_DAYS * 86_400_000).toISOString();
    // What his changes carry from now on, offline too: the proof that he signed in here.
    const token = signClerkToken(await clerkTokenSecret(app.county.db, now), {
      username: clerk!.username,
      townshipCode: device.townshipCode,
      deviceId: device.deviceId,
      issuedAt: now.toISOString(),
      expiresAt,
    });
    return {
      clerk: { username: clerk!.username, displayName: clerk!.display_name, townshipCode: clerk!.township_code, active: clerk!.active === 1 },
      clerkToken: { token, expiresAt },
    };
  });
}
