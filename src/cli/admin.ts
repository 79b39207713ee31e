// `npm run admin -- COMMAND [--option value …]`: county administration from the command line, on the
// same database as the server (DATA_DIR / DATABASE_URL). The first admin account is made here.
//
//   create-admin --username NAME [--display-name NAME]   password from JIEXU_ADMIN_PASSWORD, or asked on a terminal
//   create-township --code 150102001 --name 某某街道
//   create-clerk --username NAME --township CODE [--display-name NAME]   password as for create-admin (JIEXU_CLERK_PASSWORD)
//   create-enrolment-code --township CODE [--hours 72]
//   list-townships | list-devices | list-accounts
//   revoke-device --device DEVICEID [--reason TEXT]
//   disable-account --username NAME | enable-account --username NAME
//   unlock --username NAME | --address IP   lift a lock after repeated wrong passwords / codes
//   list-sign-in-locks

import { createInterface } from 'node:readline';
import { loadConfig } from '../server/config';
import { openDatabase, type AppDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { ApiError, StartupError } from '../server/errors';
import type { CountyContext } from '../server/county/context';
import {
  createAccount,
  createEnrolmentCode,
  createTownship,
  listAccounts,
  listDevices,
  listSignInLocks,
  listTownships,
  revokeDevice,
  setAccountActive,
  unlockAccount,
  unlockAddress,
} from '../server/county/administration';

const USAGE = `Usage: npm run admin -- COMMAND [options]

  create-admin --username NAME [--display-name NAME]
      The password is read from JIEXU_ADMIN_PASSWORD, or asked for when run on a terminal.
  create-township --code 150102001 --name 某某街道
  create-clerk --username NAME --township CODE [--display-name NAME]
      The password is read from JIEXU_CLERK_PASSWORD, or asked for on a terminal.
  create-enrolment-code --township CODE [--hours 72]
  revoke-device --device DEVICEID [--reason TEXT]
      The revocation (who, when, why) is kept, also when the device is enrolled again.
  disable-account --username NAME | enable-account --username NAME
      A disabled account signs in nowhere; its county sessions end, and a clerk's tablets forget
      his PIN at their next sync. Enable it again to let him sign in (online first) once more.
  unlock --username NAME | unlock --address IP
      Lifts the lock after repeated wrong passwords (a user name) or wrong passwords and
      enrolment codes (a client address), before it runs out.
  list-townships | list-accounts | list-devices | list-sign-in-locks

Uses the server's database: DATA_DIR (SQLite, default ./data) or DATABASE_URL (PostgreSQL).`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { command: string; options: Record<string, string> } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') throw new UsageError('');
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const value = m[2] ?? rest[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    options[m[1]!] = value;
  }
  return { command, options };
}

function required(options: Record<string, string>, name: string): string {
  const v = options[name];
  if (v === undefined || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** The password from the environment, else asked twice on a terminal without echo. */
async function password(variable: string): Promise<string> {
  const fromEnv = process.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError(`set ${variable} (no terminal to ask for the password on)`);
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      out._writeToOutput = (s: string) => {
        if (s.includes(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Again: ');
  if (first !== second) throw new UsageError('the two passwords differ');
  return first;
}

async function run(ctx: CountyContext, command: string, options: Record<string, string>): Promise<string> {
  switch (command) {
    case 'create-admin': {
      const a = await createAccount(ctx, { username: required(options, 'username'), displayName: options['display-name'], password: await password('JIEXU_ADMIN_PASSWORD'), role: 'admin' });
      return `Created county administrator ${a.username}.`;
    }
    case 'create-clerk': {
      const a = await createAccount(ctx, {
        username: required(options, 'username'),
        displayName: options['display-name'],
        password: await password('JIEXU_CLERK_PASSWORD'),
        role: 'clerk',
        townshipCode: required(options, 'township'),
      });
      return `Created clerk ${a.username} (${a.displayName}) of township ${a.townshipCode}.`;
    }
    case 'create-township': {
      const t = await createTownship(ctx, { code: required(options, 'code'), name: required(options, 'name') });
      return `Created township ${t.code} ${t.name} (${t.countyName}).`;
    }
    case 'create-enrolment-code': {
      const hours = options.hours === undefined ? undefined : /^\d+$/.test(options.hours) ? Number(options.hours) : NaN;
      const c = await createEnrolmentCode(ctx, { townshipCode: required(options, 'township'), hours }, 'command line');
      return `Enrolment code for ${c.townshipCode} ${c.townshipName}: ${c.code}\nValid once, until ${c.expiresAt}. It is not stored: copy it now.`;
    }
    case 'revoke-device': {
      const d = await revokeDevice(ctx, required(options, 'device'), 'command line', options.reason ?? '');
      return `Device ${d.deviceId} is revoked (since ${d.revokedAt}); it is refused at its next request.`;
    }
    case 'disable-account':
    case 'enable-account': {
      const active = command === 'enable-account';
      const a = await setAccountActive(ctx, required(options, 'username'), active, 'command line');
      return active
        ? `Account ${a.username} is enabled; ${a.role === 'clerk' ? 'he signs in online once on a tablet to set a new PIN.' : 'it may sign in again.'}`
        : `Account ${a.username} is disabled: it signs in nowhere${a.role === 'clerk' ? ', and its tablets forget its PIN at their next sync' : ''}.`;
    }
    case 'unlock': {
      if ((options.username === undefined) === (options.address === undefined)) throw new UsageError('unlock needs --username NAME or --address IP (one of them)');
      if (options.username !== undefined) {
        const r = await unlockAccount(ctx, options.username);
        return r.wasLocked ? `User name ${r.username} is unlocked; its failed sign-ins are cleared.` : `User name ${r.username} was not locked; its failed sign-ins (if any) are cleared.`;
      }
      const r = await unlockAddress(ctx, options.address);
      return r.wasLocked ? `Address ${r.address} is unlocked; its failed attempts are cleared.` : `Address ${r.address} was not locked; its failed attempts (if any) are cleared.`;
    }
    case 'list-sign-in-locks':
      return (
        (await listSignInLocks(ctx)).map((k) => `${k.kind}\t${k.subject}\t${k.failures} failed\t${k.lockedUntil ? `locked until ${k.lockedUntil}` : `last ${k.lastFailureAt}`}`).join('\n') ||
        '(no failed sign-ins counted)'
      );
    case 'list-townships':
      return (await listTownships(ctx)).map((t) => `${t.code}\t${t.name}\t${t.countyName}`).join('\n') || '(no townships)';
    case 'list-accounts':
      return (await listAccounts(ctx)).map((a) => `${a.username}\t${a.role}\t${a.townshipCode ?? '-'}\t${a.displayName}${a.active ? '' : '\t(disabled)'}`).join('\n') || '(no accounts)';
    case 'list-devices':
      return (
        (await listDevices(ctx)).map((d) => `${d.deviceId}\t${d.townshipCode}\tlast seq ${d.lastSeq}\t${d.revokedAt ? `revoked ${d.revokedAt}` : `enrolled ${d.enrolledAt}`}`).join('\n') ||
        '(no devices)'
      );
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    const message = (err as Error).message;
    console.error(message ? `${message}\n\n${USAGE}` : USAGE);
    return message ? 2 : 0;
  }
  let appDb: AppDatabase | null = null;
  try {
    appDb = await openDatabase(loadConfig().database);
    await migrateToLatest(appDb);
    console.log(await run({ db: appDb.db, kind: appDb.kind, now: () => new Date() }, parsed.command, parsed.options));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ApiError) {
      const problems = err.details.problems;
      console.error(problems ? problems.map((p) => `${p.path}: ${p.message}`).join('\n') : err.message);
      return 1;
    }
    if (err instanceof StartupError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await appDb?.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`admin stopped on an unexpected error: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
