// `npm run bench` — every *.bench.ts beside this file contributes figures. Each figure is reported
// with a floor measured in the same run, so that the ratio means something on a shared, noisy machine.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, in the same unit (null when a figure has none). */
  floor: number | null;
  /** value / floor, or null. */
  ratio: number | null;
  note?: string;
}

export interface BenchModule {
  title: string;
  /** wants(name): whether the command line asked for figures of that name (a bench may skip the others). */
  run(wants: (name: string) => boolean): Promise<BenchFigure[]>;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));

// `sync` picks sync.bench.ts with all its figures; `sync.ingest` picks the same file, and only the
// figures whose names start with it.
const base = (file: string) => file.replace(/\.bench\.ts$/, '');
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o) || o.startsWith(`${base(f)}.`)))
  .sort();
const wantsIn = (file: string) => (name: string) =>
  only.length === 0 || only.some((o) => file.startsWith(o) || (o.startsWith(`${base(file)}.`) && (name.startsWith(o) || o.startsWith(`${name}.`))));

const round = (n: number | null) => (n === null ? null : Number(n.toPrecision(4)));
let failed = false;
if (!json) {
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
}
for (const file of files) {
  const mod = (await import(join(here, file))) as { default: BenchModule };
  let figures: BenchFigure[];
  try {
    const wants = wantsIn(file);
    figures = (await mod.default.run(wants)).filter((f) => wants(f.name));
  } catch (err) {
    failed = true;
    console.error(`bench ${file} failed: ${(err as Error).stack ?? String(err)}`);
    continue;
  }
  if (json) {
    for (const f of figures) {
      console.log(JSON.stringify({ name: f.name, value: round(f.value), unit: f.unit, floor: round(f.floor), ratio: round(f.ratio), ...(f.note ? { note: f.note } : {}) }));
    }
  } else {
    console.log(`\n${mod.default.title}`);
    console.table(figures.map((f) => ({ name: f.name, value: round(f.value), unit: f.unit, floor: round(f.floor), ratio: round(f.ratio), note: f.note ?? '' })));
  }
}
process.exit(failed ? 1 : 0);
