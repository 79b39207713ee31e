// Debian's Chromium for the browser tests and the Lighthouse bench. Never a downloaded browser:
// playwright-core only drives the system binary, with the flags known to work on this machine.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

/** The flags of shared/notes/toolchain.md: headless in a container, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export type ChromiumAvailability = { available: true; path: string } | { available: false; reason: string };

/**
 * Whether the browser tests can run. With CI=true a missing browser throws (a skipped suite must
 * not pass as green); otherwise the caller skips, after `warnChromiumMissing` has said so loudly.
 */
export function checkChromium(): ChromiumAvailability {
  if (existsSync(CHROMIUM_PATH)) return { available: true, path: CHROMIUM_PATH };
  const reason = `Chromium not found at ${CHROMIUM_PATH}. Install it with: ${CHROMIUM_INSTALL_COMMAND}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and the browser tests cannot run. ${reason}`);
  return { available: false, reason };
}

export function warnChromiumMissing(reason: string, what = 'browser end-to-end tests'): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! SKIPPED: ${what}\n!! ${reason}\n${line}\n`);
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const check = checkChromium();
  if (!check.available) throw new Error(check.reason);
  return chromium.launch({ ...options, executablePath: check.path, headless: true, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}
