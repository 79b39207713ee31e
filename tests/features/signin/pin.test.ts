// The PIN verifier: Argon2id (WebAssembly, loaded lazily), a random salt each time, checked in full.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPin, makePinVerifier, PIN_KDF, pinProblem } from '../../../src/features/signin/pin';
import { pinVerifierProblem } from '../../../src/storage';

describe('a new PIN', () => {
  it.each([
    ['482916', null],
    ['48291', 'pin-format'],
    ['4829161', 'pin-format'],
    ['48a916', 'pin-format'],
    ['000000', 'pin-too-simple'],
    ['123456', 'pin-too-simple'],
    ['987654', 'pin-too-simple'],
  ])('%s → %s', (pin, problem) => {
    expect(pinProblem(pin)).toBe(problem);
  });

  it('must be typed the same twice', () => {
    expect(pinProblem('482916', '482917')).toBe('pin-mismatch');
    expect(pinProblem('482916', '482916')).toBeNull();
  });
});

describe('the PIN verifier', () => {
  it('is an Argon2id hash of at least 19 MiB and 2 iterations, with a new random salt each time', async () => {
    expect(PIN_KDF.memorySize).toBeGreaterThanOrEqual(19 * 1024);
    expect(PIN_KDF.iterations).toBeGreaterThanOrEqual(2);
    const a = await makePinVerifier('482916');
    const b = await makePinVerifier('482916');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('482916');
    expect(pinVerifierProblem(a)).toBeNull();
  });

  it('accepts the PIN and nothing else', async () => {
    const v = await makePinVerifier('482916');
    expect(await checkPin(v, '482916')).toBe(true);
    expect(await checkPin(v, '482917')).toBe(false);
    expect(await checkPin(v, '')).toBe(false);
  });

  it('a weak or foreign verifier is refused by the store', () => {
    expect(pinVerifierProblem('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toMatch(/memory/);
    expect(pinVerifierProblem('$argon2id$v=19$m=19456,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toMatch(/iterations/);
    expect(pinVerifierProblem('pbkdf2$1000$abc')).toMatch(/Argon2id/);
  });
});

describe('the first screen', () => {
  it('does not load the WebAssembly: hash-wasm is imported only by argon2.ts, and that only dynamically', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(name)) files.push(p);
      }
    };
    walk('src');
    const importers = files.filter((f) => /from\s+'hash-wasm'/.test(readFileSync(f, 'utf8')));
    expect(importers).toEqual([join('src', 'features', 'signin', 'argon2.ts')]);
    const staticArgon = files.filter((f) => /(import|export)[^;]*from\s+'\.\/argon2'/.test(readFileSync(f, 'utf8')));
    expect(staticArgon).toEqual([]);
    expect(readFileSync('src/features/signin/pin.ts', 'utf8')).toMatch(/import\('\.\/argon2'\)/);
  });
});
