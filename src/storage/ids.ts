// Identifiers made on the tablet, without a network.

/** Crockford base32: no I, L, O, U, so an id read aloud or copied by hand is not mistaken. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Length of a device id: 40 random bits, so thousands of tablets in a region practically never collide. */
export const DEVICE_ID_LENGTH = 8;
export const DEVICE_ID_PATTERN = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/;

export function randomDeviceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = DEVICE_ID_LENGTH - 1; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

let lastMs = -1;
let counter = 0;

/**
 * A UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then a counter that keeps ids made in the
 * same millisecond (or while the clock steps back) increasing, then random bits. The string sorts
 * like its creation time, so an index of ids is also an index of age: search can pick the newest
 * matches from primary keys alone, without reading records.
 */
export function uuidv7(nowMs: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = Math.max(0, Math.floor(nowMs));
  if (ms > lastMs) {
    // A random start with the top bit clear leaves room to count up within the millisecond.
    counter = ((bytes[6]! << 8) | bytes[7]!) & 0x7ff;
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      ms++;
      counter = 0;
    }
  }
  lastMs = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
