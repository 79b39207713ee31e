// A clerk's online sign-in on an enrolled tablet (POST /api/sync/clerk-sign-in): the county checks
// his password and that he belongs to the tablet's township. Once signed in here he sets a PIN for
// offline sign-in (features/signin).

import { clerkPublicSchema, parseSyncError, type ClerkPublic } from '../shared/sync-protocol';

export type ClerkSignInOutcome =
  | { ok: true; clerk: ClerkPublic }
  /** `wrong-credentials`, `too-many-attempts` (with retryAfterSeconds), `account-disabled`, `forbidden`, `device-revoked`, `unauthenticated`, `network`, `garbled-response`. */
  | { ok: false; code: string; message: string; retryAfterSeconds?: number };

export async function signInOnline(
  config: { serverUrl: string; credential: string; fetch: typeof fetch; timeoutMs: number },
  username: string,
  password: string,
): Promise<ClerkSignInOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  let status: number;
  let text: string;
  try {
    const res = await config.fetch(`${config.serverUrl.replace(/\/+$/, '')}/api/sync/clerk-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${config.credential}` },
      body: JSON.stringify({ username, password }),
      signal: controller.signal,
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    return { ok: false, code: 'network', message: controller.signal.aborted ? 'timeout' : `network: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, code: 'garbled-response', message: `status ${status}, not JSON` };
  }
  if (status >= 200 && status < 300) {
    const clerk = clerkPublicSchema.safeParse((body as { clerk?: unknown } | null)?.clerk);
    return clerk.success ? { ok: true, clerk: clerk.data } : { ok: false, code: 'garbled-response', message: 'not a clerk' };
  }
  const error = parseSyncError(body);
  if (!error) return { ok: false, code: 'network', message: `status ${status}` };
  return { ok: false, code: error.code, message: error.message, ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) };
}
