// The real command line, spawned as a user runs it (determination-format.md).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS } from '../../src/domain';
import { at, flatten, loadExamples, REPO_ROOT } from '../domain/support/examples';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnRun(cmd: string, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const npmEvaluate = (args: string[], stdin?: string) => spawnRun('npm', ['run', '--silent', 'evaluate', '--', ...args], stdin);
const tsxEvaluate = (args: string[], stdin?: string) => spawnRun(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli/evaluate.ts', ...args], stdin);

const examples = loadExamples();
const dir = mkdtempSync(join(tmpdir(), 'jiexu-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function mismatches(actual: unknown, expected: Record<string, unknown>): string[] {
  return flatten(expected)
    .filter(([path]) => path !== 'outOfScopeReasons')
    .filter(([path, v]) => JSON.stringify(at(actual, path)) !== JSON.stringify(v))
    .map(([path, v]) => `${path}: expected ${JSON.stringify(v)}, got ${JSON.stringify(at(actual, path))}`);
}

const ex01 = examples.find((e) => e.name === '01-deemed-basic')!;
const caseText = (over: (c: Record<string, Record<string, unknown>>) => void) => {
  const c = JSON.parse(JSON.stringify(ex01.caseJson)) as Record<string, Record<string, unknown>>;
  over(c);
  return JSON.stringify(c);
};

describe('npm run --silent evaluate -- FILE', { timeout: 60_000 }, () => {
  it('prints the determination of a good case as JSON and exits 0', async () => {
    const r = await npmEvaluate([ex01.casePath]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mismatches(JSON.parse(r.stdout), ex01.expected)).toEqual([]);
  });

  it('exits 2 with nothing on stdout and one field-named line per problem on stderr', async () => {
    const bad = file(
      'bad.json',
      caseText((c) => {
        c.person!.idNumber = '15292119700105122X';
        c.person!.femaleCategory = null;
        c.service!.enlistment = '1988-02-30';
        c.placement!.countyCode = '159999';
        c.pension!.periods = [{ from: '2001-06', to: '1993-01' }];
        (c as Record<string, unknown>).asOf = '2019-08-01';
      }),
    );
    const r = await npmEvaluate([bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'service.enlistment: not a date (expected YYYY-MM-DD or YYYY-MM)',
      'placement.countyCode: unknown county code "159999"',
      'asOf: must not be before applicationDate (2019-08-20)',
      'person.femaleCategory: required for a female applicant ("cadre" or "worker")',
      'pension.periods[0].from: must not be after to (1993-01)',
    ]);
  });

  it('exits 2 on malformed JSON', async () => {
    const r = await tsxEvaluate([file('broken.json', '{"asOf": "2019-09-15",')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\(root\): malformed JSON \(.+\)\n$/);
  });

  it('exits 2 when no wage covers the as-of year (not-in-force)', async () => {
    const r = await tsxEvaluate([file('nif.json', caseText((c) => ((c as Record<string, unknown>).asOf = '2031-01-10')))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("asOf: not-in-force: the wage for year 2030 has not been published in this device's parameters; sync or ask the county office\n");
  });

  it('exits 0 with inScope false for a well-formed case that does not qualify', async () => {
    const r = await tsxEvaluate([file('oos.json', caseText((c) => (c.service!.discharge = '1988-01')))]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { inScope: boolean; outOfScopeReasons: string[] };
    expect(d.inScope).toBe(false);
    expect(d.outOfScopeReasons).toEqual(['bad-service-dates']);
  });

  it('exits 2 for a file it cannot read, and for wrong usage', async () => {
    const missing = await tsxEvaluate([join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read (ENOENT)');
    const usage = await tsxEvaluate([]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: evaluate');
  });

  it('reads another parameter set with --params (a county’s published pack)', async () => {
    const pack = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)) as typeof DEFAULT_PARAMETERS;
    pack.version = 'county-test-1';
    pack.wages.region.push({ year: 2030, value: '10000.00', unit: 'CNY/month', source: 'test', provisional: false });
    const params = file('pack.json', JSON.stringify(pack));
    const r = await tsxEvaluate(['--params', params, file('c2031.json', caseText((c) => ((c as Record<string, unknown>).asOf = '2031-01-10')))]);
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout) as { parametersVersion: string; pension: { baseMonthly: string } };
    expect(d.parametersVersion).toBe('county-test-1');
    expect(d.pension.baseMonthly).toBe('6000.00');
    const badPack = await tsxEvaluate(['--params', file('badpack.json', '{"format": "x"}'), ex01.casePath]);
    expect(badPack.code).toBe(2);
    expect(badPack.stderr).toContain('--params format:');
  });
});

describe('npm run --silent evaluate -- --ndjson', { timeout: 60_000 }, () => {
  it('gives one determination a line for every worked example, and exits 0', async () => {
    const input = examples.map((e) => JSON.stringify(e.caseJson)).join('\n') + '\n';
    const r = await npmEvaluate(['--ndjson'], input);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(examples.length);
    examples.forEach((e, i) => expect(mismatches(JSON.parse(lines[i]!), e.expected), e.name).toEqual([])) ;
  });

  it('answers a bad line with {"error": [...]} on its own line, goes on, and exits 2', async () => {
    const good = JSON.stringify(ex01.caseJson);
    const missingCategory = caseText((c) => {
      c.person!.idNumber = '15292119700105122X';
      c.person!.femaleCategory = null;
    });
    const input = [good, 'not json', missingCategory, caseText((c) => ((c as Record<string, unknown>).asOf = '2031-01-10')), good].join('\n');
    const r = await tsxEvaluate(['--ndjson'], input);
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(mismatches(lines[0], ex01.expected)).toEqual([]);
    expect((lines[1]!.error as string[])[0]).toMatch(/^\(root\): malformed JSON/);
    expect(lines[2]).toEqual({ error: ['person.femaleCategory: required for a female applicant ("cadre" or "worker")'] });
    expect((lines[3]!.error as string[])[0]).toMatch(/^asOf: not-in-force: the wage for year 2030/);
    expect(mismatches(lines[4], ex01.expected)).toEqual([]);
    expect(r.stderr).toContain('line 3: person.femaleCategory: required for a female applicant');
  });
});
