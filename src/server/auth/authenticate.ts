// Who is asking: a device (bearer credential), a county account (session cookie), or nobody. This
// resolves identities only; what they may do is decided in policy.ts.

import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { ANONYMOUS, type Principal } from './policy';
import { randomToken, sha256Hex } from './secrets';

export const SESSION_COOKIE = 'jiexu_session';
export const SESSION_HOURS = 12;

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

export async function deviceOf(db: Kysely<Database>, request: FastifyRequest): Promise<Principal> {
  const token = bearer(request);
  if (token === null) return ANONYMOUS;
  const row = await db
    .selectFrom('devices')
    .select(['device_id', 'township_code', 'revoked_at'])
    .where('credential_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row) return ANONYMOUS;
  return { kind: 'device', deviceId: row.device_id, townshipCode: row.township_code, revokedAt: row.revoked_at };
}

/** A cookie's value; one that is not valid percent-encoding is no session of ours, as if absent. */
function cookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export async function accountOf(db: Kysely<Database>, request: FastifyRequest, now: Date): Promise<Principal> {
  const token = cookie(request, SESSION_COOKIE);
  if (token === null) return ANONYMOUS;
  const row = await db
    .selectFrom('admin_sessions')
    .innerJoin('accounts', 'accounts.id', 'admin_sessions.account_id')
    .select(['accounts.id', 'accounts.username', 'accounts.role', 'accounts.township_code', 'accounts.area_level', 'accounts.area_code', 'accounts.active', 'accounts.must_change_password', 'admin_sessions.expires_at'])
    .where('admin_sessions.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || Date.parse(row.expires_at) <= now.getTime()) return ANONYMOUS;
  return {
    kind: 'account',
    accountId: row.id,
    username: row.username,
    role: row.role,
    area: { level: row.area_level, code: row.area_code },
    townshipCode: row.township_code,
    active: row.active === 1,
    mustChangePassword: row.must_change_password === 1,
  };
}

/** A new session for an account; returns the cookie value (stored only as its hash). */
export async function openSession(db: Kysely<Database>, accountId: string, now: Date): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken('ses');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await db.insertInto('admin_sessions').values({ token_hash: sha256Hex(token), account_id: accountId, created_at: now.toISOString(), expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

/** The hash of the request's session token, or null without one (to keep that session when others end). */
export function sessionTokenHash(request: FastifyRequest): string | null {
  const token = cookie(request, SESSION_COOKIE);
  return token === null ? null : sha256Hex(token);
}

export async function closeSession(db: Kysely<Database>, request: FastifyRequest): Promise<void> {
  const token = cookie(request, SESSION_COOKIE);
  if (token !== null) await db.deleteFrom('admin_sessions').where('token_hash', '=', sha256Hex(token)).execute();
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  // SameSite=Strict and JSON-only admin routes keep other sites from acting with the cookie.
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/api/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}
