// The version of the county list built into this program, on its own so that the tablet's first
// screen can compare it without loading the sync protocol's schemas.
import { once } from '../domain/once';
import { counties } from '../domain/regions';

/** FNV-1a, 32 bits: a stable fingerprint in browser and server alike (not a security measure). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The version of the county list built into this program: tablet and server compare theirs. */
export const countyListVersion = once(() => `gb2260-${counties().length}-${fnv1a(counties().map((c) => `${c.code}${c.name}`).join('|'))}`);
