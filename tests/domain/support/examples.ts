// The worked examples, read from the project's verbatim copy of shared/spec/examples.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURE_DIR = join(REPO_ROOT, 'tests/fixtures/examples');
/** The spec's own folder, beside the project (absent when the project stands alone). */
export const SPEC_DIR = resolve(REPO_ROOT, '../shared/spec/examples');

export interface Example {
  name: string;
  caseJson: unknown;
  expected: Record<string, unknown>;
  casePath: string;
}

export function loadExamples(dir = FIXTURE_DIR): Example[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.case.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.case.json'.length);
      return {
        name,
        casePath: join(dir, f),
        caseJson: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown,
        expected: JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Record<string, unknown>,
      };
    });
}

/** `{a: {b: 1}}` → `[['a.b', 1]]`; null and arrays are leaves. */
export function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

/** The value at a dotted path, or undefined. */
export function at(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
