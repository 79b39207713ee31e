// The clerk token: what the server signs at a clerk's online sign-in on a tablet (his user name, the
// tablet's township and device id, an expiry), kept on the tablet and sent with each change he makes,
// so that the county knows a change came from a clerk who proved his password on that tablet, even
// when it was made offline weeks later. HMAC-SHA256 with a secret only this server holds (server_meta):
// the tablet cannot make or alter one, and nothing but this server needs to check one.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** How long a token proves its clerk: a month of offline work between online sign-ins. */
export const CLERK_TOKEN_DAYS = 30;

const SECRET_KEY = 'clerk_token_secret';
const PREFIX = 'ct1';

export interface ClerkTokenClaims {
  username: string;
  townshipCode: string;
  deviceId: string;
  issuedAt: string;
  expiresAt: string;
}

/** The server's signing secret, made on first use (every process of the server then reads the same row). */
export async function clerkTokenSecret(db: Kysely<Database>, now: Date): Promise<Buffer> {
  const read = async () => (await db.selectFrom('server_meta').select('value').where('key', '=', SECRET_KEY).executeTakeFirst())?.value;
  let value = await read();
  if (value === undefined) {
    await db
      .insertInto('server_meta')
      .values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url'), updated_at: now.toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    value = await read();
  }
  return Buffer.from(value!, 'base64url');
}

function mac(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${payload}`).digest('base64url');
}

export function signClerkToken(secret: Buffer, claims: ClerkTokenClaims): string {
  const payload = Buffer.from(JSON.stringify({ u: claims.username, t: claims.townshipCode, d: claims.deviceId, iat: claims.issuedAt, exp: claims.expiresAt }), 'utf8').toString('base64url');
  return `${PREFIX}.${payload}.${mac(secret, payload)}`;
}

/** The claims of a token this server signed, or null for anything else (altered, another server's, garbage). */
export function verifyClerkToken(secret: Buffer, token: string): ClerkTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const expected = Buffer.from(mac(secret, parts[1]!), 'utf8');
  const given = Buffer.from(parts[2]!, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const c = claims as { u?: unknown; t?: unknown; d?: unknown; iat?: unknown; exp?: unknown };
  if (typeof c.u !== 'string' || typeof c.t !== 'string' || typeof c.d !== 'string' || typeof c.iat !== 'string' || typeof c.exp !== 'string') return null;
  return { username: c.u, townshipCode: c.t, deviceId: c.d, issuedAt: c.iat, expiresAt: c.exp };
}
