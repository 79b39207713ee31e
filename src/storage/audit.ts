// What changed between two versions of a case, field by field, for its history.

import type { FieldChange } from './types';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Leaf values by path (`facts.pension.periods[0].from`); empty arrays and objects are leaves. */
export function flattenFields(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flattenFields(v, `${prefix}[${i}]`, out));
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix !== '') out.set(prefix, {});
    for (const k of keys) flattenFields(value[k], prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    out.set(prefix, value === undefined ? null : value);
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Only empty arrays and objects reach here as non-scalars.
  return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && Array.isArray(a) === Array.isArray(b);
}

/** The fields that differ; `before` null lists every field of `after` (a new case). Sorted by path. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const a = before === null ? new Map<string, unknown>() : flattenFields(before);
  const b = flattenFields(after);
  const paths = new Set([...a.keys(), ...b.keys()]);
  const changes: FieldChange[] = [];
  for (const path of paths) {
    const x = a.has(path) ? a.get(path) : null;
    const y = b.has(path) ? b.get(path) : null;
    if (!(a.has(path) && b.has(path) && same(x, y))) {
      if (!(x === null && y === null)) changes.push({ path, before: x, after: y });
    }
  }
  return changes.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
}
