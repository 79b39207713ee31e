import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: two levels up from src/server, wherever the process was started from. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || pkg.version === '') {
    throw new Error(`package.json at ${packageRoot} has no "version"`);
  }
  return pkg.version;
}

/** The program's version as package.json states it; reported by /api/health and recorded in the database. */
export const appVersion: string = readVersion();
