// `npm run --silent evaluate -- CASE.json` and `npm run --silent evaluate -- --ndjson < F`
// (determination-format.md). Exit 0 on success; exit 2 for input that is malformed or that no
// parameter covers, with one `field.path: what is wrong` line per problem on stderr.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DEFAULT_PARAMETERS, RULE_SETS, isJiexuError, parseParameterSet, type Determination, type ParameterSet } from '../domain';
import { parseCaseFacts, problemLines } from '../shared/case';

const USAGE = 'usage: evaluate [--params PARAMS.json] CASE.json\n       evaluate [--params PARAMS.json] --ndjson < CASES.ndjson';

type Outcome = { ok: true; determination: Determination } | { ok: false; lines: string[] };

function evaluateText(text: string, params: ParameterSet): Outcome {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return { ok: false, lines: [`(root): malformed JSON (${(e as Error).message})`] };
  }
  const parsed = parseCaseFacts(input);
  if (!parsed.ok) return { ok: false, lines: problemLines(parsed.problems) };
  try {
    return { ok: true, determination: RULE_SETS.evaluate(parsed.facts, { nm43: params }) };
  } catch (e) {
    if (isJiexuError(e)) {
      // A parameter gap is named by the field that asked for it (the as-of date) and its code.
      return { ok: false, lines: e.code === 'not-in-force' ? [`${e.details.path ?? 'asOf'}: not-in-force: ${e.message}`] : e.lines() };
    }
    throw e;
  }
}

function loadParams(file: string | undefined): ParameterSet {
  if (file === undefined) return DEFAULT_PARAMETERS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError([`--params: cannot read ${file} as JSON (${(e as Error).message})`]);
  }
  try {
    return parseParameterSet(raw);
  } catch (e) {
    if (isJiexuError(e)) throw new UsageError(e.lines().map((l) => `--params ${l}`));
    throw e;
  }
}

class UsageError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

async function runNdjson(params: ParameterSet): Promise<number> {
  let exit = 0;
  let lineNo = 0;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    lineNo += 1;
    if (line.trim() === '') continue;
    const out = evaluateText(line, params);
    if (out.ok) {
      process.stdout.write(`${JSON.stringify(out.determination)}\n`);
    } else {
      exit = 2;
      process.stdout.write(`${JSON.stringify({ error: out.lines })}\n`);
      for (const l of out.lines) process.stderr.write(`line ${lineNo}: ${l}\n`);
    }
  }
  return exit;
}

function runFile(file: string, params: ParameterSet): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
    return 2;
  }
  const out = evaluateText(text, params);
  if (!out.ok) {
    for (const l of out.lines) process.stderr.write(`${l}\n`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(out.determination, null, 2)}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let ndjson = false;
  let paramsFile: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--ndjson') ndjson = true;
    else if (a === '--params') paramsFile = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (a.startsWith('--')) throw new UsageError([`unknown option ${a}`, USAGE]);
    else files.push(a);
  }
  if (paramsFile === undefined && argv.includes('--params')) throw new UsageError(['--params: a file name is required', USAGE]);
  if (ndjson ? files.length !== 0 : files.length !== 1) throw new UsageError([USAGE]);
  const params = loadParams(paramsFile);
  return ndjson ? runNdjson(params) : runFile(files[0]!, params);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      for (const l of e.lines) process.stderr.write(`${l}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`evaluate: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  },
);
