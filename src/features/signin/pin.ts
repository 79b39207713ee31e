// The clerk's 6-digit PIN for offline sign-in. A PIN has only a million values: its verifier is an
// Argon2id hash (memory-hard, so an offline search on a stolen tablet is slow even on GPUs), with a
// random salt per clerk and tablet, and wrong guesses are limited (clerk-credentials-repository.ts).

/** OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
export const PIN_KDF = { memorySize: 19 * 1024, iterations: 2, parallelism: 1, hashLength: 32 } as const;

export const PIN_LENGTH = 6;

export type PinProblem = 'pin-format' | 'pin-too-simple' | 'pin-mismatch';

/** Why a new PIN cannot be used, or null. Guessable PINs (111111, 123456, 654321) are refused. */
export function pinProblem(pin: string, confirmation?: string): PinProblem | null {
  if (!/^\d{6}$/.test(pin)) return 'pin-format';
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => d - digits[i]!);
  if (steps.every((s) => s === 0) || steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'pin-too-simple';
  if (confirmation !== undefined && confirmation !== pin) return 'pin-mismatch';
  return null;
}

export function pinProblemZh(problem: PinProblem): string {
  switch (problem) {
    case 'pin-format':
      return 'PIN 须为6位数字。';
    case 'pin-too-simple':
      return 'PIN 过于简单（如111111、123456），请换一个。';
    case 'pin-mismatch':
      return '两次输入的 PIN 不一致。';
  }
}

const argon2 = () => import('./argon2');

/** The verifier of a new PIN: an encoded Argon2id hash with a fresh random salt. */
export async function makePinVerifier(pin: string): Promise<string> {
  const { argon2id } = await argon2();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return argon2id({ password: pin, salt, ...PIN_KDF, outputType: 'encoded' });
}

/** Whether `pin` matches the verifier (the parameters and salt are read from the verifier). */
export async function checkPin(verifier: string, pin: string): Promise<boolean> {
  if (!/^\d{6}$/.test(pin)) return false;
  const { argon2Verify } = await argon2();
  return argon2Verify({ password: pin, hash: verifier });
}

/** The verifier of a county password, kept so that it opens a shift offline: as strong as the PIN's. */
export async function makePasswordVerifier(password: string): Promise<string> {
  const { argon2id } = await argon2();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return argon2id({ password, salt, ...PIN_KDF, outputType: 'encoded' });
}

export async function checkPassword(verifier: string, password: string): Promise<boolean> {
  if (password === '') return false;
  const { argon2Verify } = await argon2();
  return argon2Verify({ password, hash: verifier });
}
