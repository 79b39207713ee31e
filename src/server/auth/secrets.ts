// Secrets at rest. Passwords: scrypt (memory-hard) with a per-password salt and the cost recorded
// in the hash, so it can be raised later. Device credentials, session tokens and enrolment codes
// are long random values: SHA-256 is enough for them (nothing to search), and it lets a request be
// looked up by the hash of what it presents.

import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 32 } as const;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: 128 * N * r * 2 });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a new password is refused, or null. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string' || password.length === 0) return 'required';
  if (password.length < 10) return 'at least 10 characters';
  if (password.length > 200) return 'at most 200 characters';
  return null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** 256 random bits, URL-safe. */
export function randomToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A one-time enrolment code a clerk can type from the county's screen: 12 Crockford base32
 * characters (60 bits) in groups of four, e.g. `7KQ2-MX3B-9TWD`.
 */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`;
}

/**
 * A one-time password an admin reads out or hands over on paper: 16 Crockford base32 characters
 * (80 bits) in groups of four. It passes passwordProblem, and the account must change it at first use.
 */
export function newOneTimePassword(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out.match(/.{4}/g)!.join('-');
}

/** As typed: case, spaces and dashes ignored, I/L read as 1 and O as 0 (Crockford). */
export function normaliseEnrolmentCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export function enrolmentCodeHash(code: string): string {
  return sha256Hex(`enrol:${normaliseEnrolmentCode(code)}`);
}
