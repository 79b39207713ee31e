// `npm run admin -- COMMAND [--option value …]`: county administration from the command line, on the
// same database as the server (DATA_DIR / DATABASE_URL). The first admin account is made here.
//
//   create-admin --username NAME --area AREA [--display-name NAME]   password from JIEXU_ADMIN_PASSWORD, or asked on a terminal
//   create-township --code 150102001 --name 某某街道
//   create-clerk --username NAME --township CODE [--display-name NAME]   password as for create-admin (JIEXU_CLERK_PASSWORD)
//   create-account --username NAME --role ROLE --area AREA [--display-name NAME]   (JIEXU_ACCOUNT_PASSWORD)
//   reset-password --username NAME | revoke-sessions --username NAME
//   create-enrolment-code --township CODE [--hours 72]
//   list-townships | list-devices | list-accounts
//   revoke-device --device DEVICEID [--reason TEXT]
//   disable-account --username NAME | enable-account --username NAME
//   unlock --username NAME | --address IP   lift a lock after repeated wrong passwords / codes
//   list-sign-in-locks
//   audit-verify   recompute the audit chain: OK with its head, or the first broken link (exit 1)
//   audit-redact --seq N --reason TEXT   remove an audit entry's personal values where the law requires it

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
  resetPassword,
  revokeDevice,
  revokeSessions,
  setAccountActive,
  unlockAccount,
  unlockAddress,
} from '../server/county/administration';
import { auditHeadForExport, AuditValuesError, redactAuditValues } from '../server/audit/chain';
import { COMMAND_LINE } from '../server/audit/events';
import { verifyAuditChain } from '../server/audit/verify';
import { formatArea, isTabletRole, parseArea, ROLES, type Area } from '../shared/roles';

const USAGE = `Usage: npm run admin -- COMMAND [options]

  create-admin --username NAME --area AREA [--display-name NAME]
      The password is read from JIEXU_ADMIN_PASSWORD, or asked for when run on a terminal.
      AREA: county:150102, league:150100 or region:150000 (a bare code says its level by its
      shape: 9 digits a township, 150000 the region, 6 digits ending in 00 a 盟市, else a county).
  create-township --code 150102001 --name 某某街道
  create-clerk --username NAME --township CODE [--display-name NAME]
      A window clerk. The password is read from JIEXU_CLERK_PASSWORD, or asked for on a terminal.
  create-account --username NAME --role ROLE --area AREA [--display-name NAME]
      ROLE: ${ROLES.join(', ')}.
      The password is read from JIEXU_ACCOUNT_PASSWORD, or asked for on a terminal.
  reset-password --username NAME
      Prints a one-time password: the account must change it at its first sign-in (county page).
  revoke-sessions --username NAME
      Ends the account's county-page sessions; a clerk's tablets forget his PIN at their next sync.
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
  audit-verify
      Recomputes every hash of the audit chain. Prints OK with the number of entries and the head
      (seq and hash: compare it with a copy kept elsewhere), or names the first broken link and exits 1.
  audit-redact --seq N --reason TEXT
      Removes the personal values of audit entry N (the entry stays; the removal is an entry too).

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

function areaOption(options: Record<string, string>): Area {
  const text = required(options, 'area');
  const area = parseArea(text);
  if (area === null) throw new UsageError(`--area: "${text}" is not an area (e.g. county:150102, league:150100, region:150000)`);
  return area;
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
      const area = areaOption(options);
      const a = await createAccount(ctx, { username: required(options, 'username'), displayName: options['display-name'], password: await password('JIEXU_ADMIN_PASSWORD'), role: 'admin', area });
      return `Created administrator ${a.username} of ${formatArea(a.area)}.`;
    }
    case 'create-account': {
      const role = required(options, 'role');
      const area = areaOption(options);
      const a = await createAccount(ctx, { username: required(options, 'username'), displayName: options['display-name'], password: await password('JIEXU_ACCOUNT_PASSWORD'), role, area });
      return `Created ${a.role} ${a.username} (${a.displayName}) of ${formatArea(a.area)}.`;
    }
    case 'reset-password': {
      const r = await resetPassword(ctx, required(options, 'username'));
      return `One-time password of ${r.username}: ${r.oneTimePassword}\nIt is not stored: hand it over now. The account must change it at its first sign-in on the county page.`;
    }
    case 'revoke-sessions': {
      const r = await revokeSessions(ctx, required(options, 'username'));
      return `Ended ${r.sessionsEnded} county-page session(s) of ${r.username}${r.tabletPinsRevoked ? '; its tablets forget its PIN at their next sync' : ''}.`;
    }
    case 'create-clerk': {
      const a = await createAccount(ctx, {
        username: required(options, 'username'),
        displayName: options['display-name'],
        password: await password('JIEXU_CLERK_PASSWORD'),
        role: 'window-clerk',
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
        ? `Account ${a.username} is enabled; ${isTabletRole(a.role) ? 'he signs in online once on a tablet to set a new PIN.' : 'it may sign in again.'}`
        : `Account ${a.username} is disabled: it signs in nowhere${isTabletRole(a.role) ? ', and its tablets forget its PIN at their next sync' : ''}.`;
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
      return (
        (await listAccounts(ctx))
          .map((a) => `${a.username}\t${a.role}\t${formatArea(a.area)}\t${a.displayName}${a.active ? '' : '\t(disabled)'}${a.mustChangePassword ? '\t(one-time password)' : ''}`)
          .join('\n') || '(no accounts)'
      );
    case 'list-devices':
      return (
        (await listDevices(ctx)).map((d) => `${d.deviceId}\t${d.townshipCode}\tlast seq ${d.lastSeq}\t${d.revokedAt ? `revoked ${d.revokedAt}` : `enrolled ${d.enrolledAt}`}`).join('\n') ||
        '(no devices)'
      );
    case 'audit-verify': {
      const result = await verifyAuditChain(ctx.db);
      const head = await auditHeadForExport(ctx.db);
      const headLine = `head seq ${head.seq} hash ${head.hash}${head.at ? ` appended ${head.at}` : ''}`;
      if (result.ok) return `OK: ${result.count} audit entries verified; ${headLine}`;
      throw new ApiError(409, 'audit-chain-broken', `BROKEN at entry ${result.broken.seq} (${result.broken.reason}): ${result.broken.message}\n${result.count} entries read; ${headLine}`);
    }
    case 'audit-redact': {
      const seq = /^\d+$/.test(required(options, 'seq')) ? Number(options.seq) : NaN;
      if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError('--seq must be an entry number (1, 2, …)');
      try {
        const r = await redactAuditValues(ctx.db, seq, COMMAND_LINE, required(options, 'reason'), ctx.now());
        return `Removed the personal values of audit entry ${seq}; the removal is entry ${r.seq}.`;
      } catch (err) {
        if (err instanceof AuditValuesError) throw new ApiError(409, err.code, err.message);
        throw err;
      }
    }
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
