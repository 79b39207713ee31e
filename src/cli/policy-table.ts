// `npx tsx src/cli/policy-table.ts`: rewrites the README's table of what each role may do from the
// policy table itself (src/server/auth/policy-table.ts), between its two markers. A test fails while
// the README's copy differs, so a change of the table comes with its documentation.

import { readFileSync, writeFileSync } from 'node:fs';
import { policyMarkdown } from '../server/auth/policy-table';

export const README_START = '<!-- policy-table:start -->';
export const README_END = '<!-- policy-table:end -->';

/** The README with its table replaced by the current one; null when the markers are missing. */
export function withPolicyTable(readme: string): string | null {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return null;
  return `${readme.slice(0, start + README_START.length)}\n${policyMarkdown()}\n${readme.slice(end)}`;
}

if (process.argv[1]?.endsWith('policy-table.ts')) {
  const file = new URL('../../README.md', import.meta.url);
  const next = withPolicyTable(readFileSync(file, 'utf8'));
  if (next === null) {
    console.error(`README.md has no ${README_START} … ${README_END} section to rewrite`);
    process.exit(1);
  }
  writeFileSync(file, next);
  console.log('README.md: the table of roles is the policy table’s.');
}
