// The clerks who may sign in on this tablet without a network: each signed in online once here and
// then chose a PIN. Only the PIN's verifier is kept (an Argon2id hash made by the sign-in feature),
// with the count of wrong PINs: after MAX_PIN_FAILURES the clerk is locked until he signs in online
// again. Several clerks share a tablet, each under his county user name.

import type { ClerkPublic } from '../shared/sync-protocol';
import type { JiexuDb } from './db';
import { StorageError } from './errors';

const PREFIX = 'clerk.credential/';
/** Clerks of a tablet not enrolled at a county: a name and a PIN set on this tablet, nothing else. */
const LOCAL_PREFIX = 'clerk.local/';

/** Where a clerk's PIN verifier is kept in the meta table. */
export function clerkCredentialKey(username: string): string {
  return `${PREFIX}${username.trim().toLowerCase()}`;
}

/** Wrong PINs in a row before the clerk must sign in online again. */
export const MAX_PIN_FAILURES = 5;

export interface ClerkCredential {
  /** The county user name (the account's id on the tablet). */
  username: string;
  displayName: string;
  townshipCode: string | null;
  /** An Argon2id hash in the PHC encoded form ($argon2id$v=19$m=…,t=…,p=…$salt$hash). */
  pinVerifier: string;
  /** The same of his county password, kept at his last online sign-in so that it opens a shift offline. */
  passwordVerifier?: string;
  onlineSignInAt: string;
  failedAttempts: number;
  /** Set at the last allowed wrong PIN; cleared only by an online sign-in. */
  lockedAt: string | null;
  lastSignInAt: string | null;
}

/** What a sign-in screen lists: never a verifier. */
export type ClerkOnTablet = Omit<ClerkCredential, 'pinVerifier' | 'passwordVerifier'> & { hasPassword: boolean };

export type PinFailure = { locked: boolean; attemptsLeft: number };

export interface ClerkCredentialsRepository {
  /** Clerks who can sign in offline on this tablet, by display name. */
  list(): Promise<ClerkOnTablet[]>;
  get(username: string): Promise<ClerkCredential | undefined>;
  /**
   * After an online sign-in: stores the clerk's public data and his new PIN verifier, and clears
   * failures and any lock. Throws `invalid-pin-verifier` unless the verifier is an Argon2id hash.
   */
  saveOnlineSignIn(clerk: ClerkPublic, pinVerifier: string, passwordVerifier?: string): Promise<ClerkOnTablet>;
  /**
   * The password was given (online, with the verifier of it to keep, or offline against the kept one):
   * the count of wrong PINs and any PIN lock are cleared.
   */
  recordPasswordSignIn(username: string, update?: { clerk: ClerkPublic; passwordVerifier: string }): Promise<void>;
  /** A clerk of a tablet not enrolled: his name and the verifier of the PIN he chose (clearing any lock). */
  saveLocalClerk(displayName: string, pinVerifier: string): Promise<ClerkOnTablet>;
  /** A wrong PIN: counted; the MAX_PIN_FAILURES-th locks the clerk. */
  recordFailure(username: string): Promise<PinFailure>;
  recordSuccess(username: string): Promise<void>;
  /** Forgets a clerk on this tablet (he can sign in online again). */
  remove(username: string): Promise<void>;
}

const ENCODED_ARGON2ID = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Why a verifier is not acceptable (null when it is): Argon2id, ≥ 19 MiB, ≥ 2 iterations. */
export function pinVerifierProblem(verifier: unknown): string | null {
  const m = typeof verifier === 'string' ? ENCODED_ARGON2ID.exec(verifier) : null;
  if (!m) return 'expected an encoded Argon2id hash';
  if (Number(m[1]) < 19 * 1024) return 'Argon2id memory below 19 MiB';
  if (Number(m[2]) < 2) return 'Argon2id iterations below 2';
  return null;
}

function isCredential(v: unknown): v is ClerkCredential {
  const c = v as ClerkCredential | undefined;
  return typeof c === 'object' && c !== null && typeof c.username === 'string' && typeof c.pinVerifier === 'string' && typeof c.failedAttempts === 'number';
}

function publicOf(c: ClerkCredential): ClerkOnTablet {
  const { pinVerifier: _pin, passwordVerifier, ...rest } = c;
  return { ...rest, hasPassword: passwordVerifier !== undefined };
}

function checkVerifier(path: string, verifier: string): void {
  const problem = pinVerifierProblem(verifier);
  if (problem) throw new StorageError('invalid-pin-verifier', `${path}: ${problem}`, { problems: [{ path, message: problem }] });
}

/**
 * `scope: 'local'` keeps the clerks of a tablet not enrolled apart from county accounts: a county
 * sync never touches them, and a county sign-in never lists them.
 */
export function createClerkCredentialsRepository(db: JiexuDb, options: { now?: () => Date; scope?: 'county' | 'local' } = {}): ClerkCredentialsRepository {
  const now = options.now ?? (() => new Date());
  const prefix = options.scope === 'local' ? LOCAL_PREFIX : PREFIX;
  const key = (username: string) => `${prefix}${username.trim().toLowerCase()}`;

  async function get(username: string): Promise<ClerkCredential | undefined> {
    const row = await db.meta.get(key(username));
    return isCredential(row?.value) ? row.value : undefined;
  }

  return {
    async list() {
      const rows = await db.meta.where('key').startsWith(prefix).toArray();
      return rows
        .map((r) => r.value)
        .filter(isCredential)
        .map(publicOf)
        .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-Hans-CN'));
    },

    get,

    async saveOnlineSignIn(clerk, pinVerifier, passwordVerifier) {
      checkVerifier('pinVerifier', pinVerifier);
      if (passwordVerifier !== undefined) checkVerifier('passwordVerifier', passwordVerifier);
      const at = now().toISOString();
      const credential: ClerkCredential = {
        username: clerk.username.trim().toLowerCase(),
        displayName: clerk.displayName,
        townshipCode: clerk.townshipCode,
        pinVerifier,
        ...(passwordVerifier !== undefined ? { passwordVerifier } : {}),
        onlineSignInAt: at,
        failedAttempts: 0,
        lockedAt: null,
        lastSignInAt: at,
      };
      await db.meta.put({ key: key(clerk.username), value: credential });
      return publicOf(credential);
    },

    async recordPasswordSignIn(username, update) {
      if (update) checkVerifier('passwordVerifier', update.passwordVerifier);
      await db.transaction('rw', db.meta, async () => {
        const c = await get(username);
        if (!c) return;
        const at = now().toISOString();
        const online = update ? { displayName: update.clerk.displayName, townshipCode: update.clerk.townshipCode, passwordVerifier: update.passwordVerifier, onlineSignInAt: at } : {};
        await db.meta.put({ key: key(username), value: { ...c, ...online, failedAttempts: 0, lockedAt: null, lastSignInAt: at } });
      });
    },

    async saveLocalClerk(displayName, pinVerifier) {
      checkVerifier('pinVerifier', pinVerifier);
      const at = now().toISOString();
      const name = displayName.normalize('NFKC').trim().replace(/\s+/g, ' ');
      const credential: ClerkCredential = { username: name, displayName: name, townshipCode: null, pinVerifier, onlineSignInAt: at, failedAttempts: 0, lockedAt: null, lastSignInAt: null };
      await db.meta.put({ key: key(name), value: credential });
      return publicOf(credential);
    },

    async recordFailure(username) {
      return db.transaction('rw', db.meta, async () => {
        const c = await get(username);
        if (!c) return { locked: true, attemptsLeft: 0 };
        const failedAttempts = c.failedAttempts + 1;
        const locked = c.lockedAt !== null || failedAttempts >= MAX_PIN_FAILURES;
        await db.meta.put({ key: key(username), value: { ...c, failedAttempts, lockedAt: c.lockedAt ?? (locked ? now().toISOString() : null) } });
        return { locked, attemptsLeft: Math.max(0, MAX_PIN_FAILURES - failedAttempts) };
      });
    },

    async recordSuccess(username) {
      await db.transaction('rw', db.meta, async () => {
        const c = await get(username);
        // A lock is lifted only by the password (or a new local PIN), never by a PIN.
        if (!c || c.lockedAt !== null) return;
        await db.meta.put({ key: key(username), value: { ...c, failedAttempts: 0, lastSignInAt: now().toISOString() } });
      });
    },

    async remove(username) {
      await db.meta.delete(key(username));
    },
  };
}
