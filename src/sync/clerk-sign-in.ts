// A clerk's online sign-in on an enrolled tablet (POST /api/sync/clerk-sign-in): the county checks
// his password and that he belongs to the tablet's township. Once signed in here he sets a PIN for
// offline sign-in (features/signin). The county also signs a token for him on this tablet, which the
// tablet keeps (DeviceRepository.saveClerkToken) and sends with each change he makes.

import { z } from '../domain/zod';
import { clerkPublicSchema, parseSyncError, type ClerkPublic } from '../shared/sync-protocol';

const clerkTokenSchema = z.object({ token: z.string().check(z.minLength(1), z.maxLength(1000)), expiresAt: z.string() });

export type ClerkSignInOutcome =
  /** clerkToken: null from a server of protocol 1. */
  | { ok: true; clerk: ClerkPublic; clerkToken: { token: string; expiresAt: string } | null }
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
    const token = clerkTokenSchema.safeParse((body as { clerkToken?: unknown } | null)?.clerkToken);
    return clerk.success ? { ok: true, clerk: clerk.data, clerkToken: token.success ? token.data : null } : { ok: false, code: 'garbled-response', message: 'not a clerk' };
  }
  const error = parseSyncError(body);
  if (!error) return { ok: false, code: 'network', message: `status ${status}` };
  return { ok: false, code: error.code, message: error.message, ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}) };
}
