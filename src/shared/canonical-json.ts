// One canonical JSON for the tablet and the server: both compare parameter documents by it, and the
// server's determination digests are hashes of it, so the two sides must never write it differently.

/**
 * The canonical JSON of a JSON value (RFC 8785, JCS, for the values a determination holds): object
 * keys sorted by UTF-16 code units, no whitespace, strings and numbers as JSON.stringify writes them,
 * undefined members left out as JSON.stringify does. Independent of the order the engine builds its
 * objects in, so a digest stays comparable across refactorings and other implementations can check it.
 * Stored digests depend on this exact form: never change it.
 */
export function canonicalJson(value: unknown): string {
  const out = new Pieces();
  writeCanonical(value, out);
  return out.join();
}

/**
 * The pieces of one canonical JSON, joined once: a flat string (hashing a rope of thousands of
 * concatenations cost as much as building it) and no intermediate strings. The array is kept from
 * one determination to the next rather than grown anew each time: it was most of the garbage.
 */
class Pieces {
  private static spare: { items: string[]; used: number } | null = null;
  private readonly items: string[];
  /** How many items the last user of the array left in it. */
  private readonly used: number;
  private n = 0;

  constructor() {
    ({ items: this.items, used: this.used } = Pieces.spare ?? { items: [], used: 0 });
    Pieces.spare = null;
  }

  push(piece: string): void {
    this.items[this.n++] = piece;
  }

  get length(): number {
    return this.n;
  }

  slice(start: number): string {
    return this.items.slice(start, this.n).join('');
  }

  join(): string {
    const { items, n } = this;
    for (let i = n; i < this.used; i++) items[i] = '';
    const s = items.join('');
    Pieces.spare = { items, used: n };
    return s;
  }
}

function writeCanonical(value: unknown, out: Pieces): void {
  switch (typeof value) {
    case 'string':
      if (NEEDS_ESCAPE.test(value)) out.push(JSON.stringify(value));
      else {
        out.push('"');
        out.push(value);
        out.push('"');
      }
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  // The parameter uses in a trace are the published set's own deep-frozen objects, the same in
  // every determination: written once. (A quarter of a determination's bytes.)
  const cached = frozenJson.get(value);
  if (cached !== undefined) {
    out.push(cached);
    return;
  }
  const start = out.length;
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out.push(',');
      if (item === undefined) out.push('null');
      else writeCanonical(item, out);
    }
    out.push(']');
  } else {
    const record = value as Record<string, unknown>;
    const keys = sortedKeys(record);
    let first = true;
    out.push('{');
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(keyJson(key));
      writeCanonical(item, out);
    }
    out.push('}');
  }
  if (Object.isFrozen(value) && deeplyFrozen(value)) frozenJson.set(value, out.slice(start));
}

/** Own keys in UTF-16 code-unit order: an insertion sort in place (a few keys; sort() copies). */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

const frozenJson = new WeakMap<object, string>();

function deeplyFrozen(value: object): boolean {
  for (const item of Object.values(value)) {
    if (typeof item === 'object' && item !== null && !(Object.isFrozen(item) && deeplyFrozen(item))) return false;
  }
  return true;
}

// What JSON.stringify escapes in a string (quote, backslash, control characters, lone surrogates).
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// A determination repeats the same few dozen keys thousands of times.
const quotedKeys = new Map<string, string>();
function keyJson(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < 4096) quotedKeys.set(key, quoted);
  }
  return quoted;
}
