// The tablet's own ECDSA P-256 key pair, made once with WebCrypto. The private key is not extractable:
// IndexedDB keeps the CryptoKey object itself, so no script (nor a copy of the database's JSON) can
// read it out, only ask the browser to sign with it. Enrolment proves the tablet holds it, the server
// binds the enrolment code to its public half, and export bundles are signed with it.

import type { DevicePublicKey } from '../shared/sync-protocol';
import type { JiexuDb } from './db';

const DEVICE_KEY_KEY = 'device.key';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' } as const;

interface StoredDeviceKey {
  privateKey: CryptoKey;
  publicKey: DevicePublicKey;
  createdAt: string;
}

export interface DeviceKey {
  /** The public half as the enrolment request sends it. */
  publicKey: DevicePublicKey;
  /** ECDSA P-256 / SHA-256 over `bytes`: r‖s, 64 bytes (as WebCrypto gives it). */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

function isStored(v: unknown): v is StoredDeviceKey {
  const k = v as StoredDeviceKey | undefined;
  return typeof k === 'object' && k !== null && typeof k.privateKey === 'object' && k.privateKey !== null && typeof k.publicKey?.x === 'string' && typeof k.publicKey.y === 'string';
}

function keyOf(stored: StoredDeviceKey): DeviceKey {
  return {
    publicKey: stored.publicKey,
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign(SIGNATURE, stored.privateKey, bytes as Uint8Array<ArrayBuffer>)),
  };
}

/** The tablet's key pair, made on first call; two callers at once get the same one. */
export async function deviceKey(db: JiexuDb, now: () => Date = () => new Date()): Promise<DeviceKey> {
  const existing = (await db.meta.get(DEVICE_KEY_KEY))?.value;
  if (isStored(existing)) return keyOf(existing);
  // Made outside the transaction: IndexedDB commits a transaction that waits on anything else.
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const made: StoredDeviceKey = { privateKey: pair.privateKey, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! }, createdAt: now().toISOString() };
  const kept = await db.transaction('rw', db.meta, async () => {
    const row = (await db.meta.get(DEVICE_KEY_KEY))?.value;
    if (isStored(row)) return row;
    await db.meta.add({ key: DEVICE_KEY_KEY, value: made });
    return made;
  });
  return keyOf(kept);
}

/** Signs bytes (an export bundle) with the tablet's private key. */
export async function signWithDeviceKey(db: JiexuDb, bytes: Uint8Array): Promise<Uint8Array> {
  return (await deviceKey(db)).sign(bytes);
}
