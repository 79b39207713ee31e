// Reads vitest's JSON reports and prints the counts per suite, then one closing line
// "tests: N passed, N failed, N skipped" that CI reads.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const dir = process.argv[2];
const suiteOf = (file) => {
  const rel = relative(process.cwd(), file).replaceAll('\\', '/');
  const m = /^tests\/([^/]+)\//.exec(rel);
  const top = m ? m[1] : 'other';
  if (['domain', 'shared', 'cli'].includes(top)) return 'domain';
  if (['app', 'features', 'storage', 'sync'].includes(top)) return 'client';
  return top;
};

const suites = new Map();
let passed = 0, failed = 0, skipped = 0, reports = 0;
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  reports++;
  for (const file of report.testResults ?? []) {
    const s = suites.get(suiteOf(file.name)) ?? { passed: 0, failed: 0, skipped: 0, files: 0 };
    s.files++;
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) { s.failed++; failed++; }
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') { s.passed++; passed++; }
      else if (t.status === 'failed') { s.failed++; failed++; }
      else { s.skipped++; skipped++; }
    }
    suites.set(suiteOf(file.name), s);
  }
}
for (const [name, s] of [...suites].sort()) {
  console.log(`${name.padEnd(8)} ${String(s.files).padStart(3)} files  ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
}
if (reports === 0) { console.log('no test report was written'); process.exit(1); }
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
