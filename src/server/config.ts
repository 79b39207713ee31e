import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { StartupError } from './errors';
import { packageRoot } from './package-info';
import { queueSettingsFrom, type QueueSettings } from './county/overdue';

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

export interface TlsConfig {
  certFile: string;
  keyFile: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  /** HTTPS when set; plain HTTP otherwise (e.g. behind a reverse proxy that terminates TLS). */
  tls: TlsConfig | null;
  /** The built PWA to serve. */
  distDir: string;
  /** Fastify's logger: false in tests, a level for the real process. */
  logLevel: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /**
   * Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For names the client: failed
   * sign-ins are counted per client address, which behind a proxy is otherwise the proxy's. Empty: none.
   */
  trustProxy?: string[];
  /** The overdue queue's days per status and the days after which an unsynced tablet is raised (county/overdue.ts); defaults when absent. */
  queue?: QueueSettings;
}

export const SQLITE_FILE_NAME = 'jiexu.sqlite';
export const DEFAULT_DIST_DIR = resolve(packageRoot, 'dist');

const LOG_LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parsePort(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new StartupError('invalid-config', `PORT must be a whole number from 0 to 65535, not "${raw}"`);
  }
  return Number(raw);
}

/**
 * Reads HOST, PORT, DATA_DIR, DATABASE_URL, TLS_CERT, TLS_KEY, DIST_DIR, LOG_LEVEL, TRUST_PROXY, OVERDUE_DAYS and STALE_DEVICE_DAYS. Relative paths
 * are taken from the current directory, as a shell user expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ServerConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));

  const host = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  const port = parsePort(nonEmpty(env, 'PORT') ?? '8080');
  const dataDir = abs(nonEmpty(env, 'DATA_DIR') ?? './data');

  const databaseUrl = nonEmpty(env, 'DATABASE_URL');
  let database: DatabaseConfig;
  if (databaseUrl === undefined) {
    database = { kind: 'sqlite', file: resolve(dataDir, SQLITE_FILE_NAME) };
  } else if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    database = { kind: 'postgres', url: databaseUrl };
  } else {
    throw new StartupError(
      'invalid-config',
      'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite database)',
    );
  }

  const certFile = nonEmpty(env, 'TLS_CERT');
  const keyFile = nonEmpty(env, 'TLS_KEY');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new StartupError(
      'invalid-config',
      `TLS_CERT and TLS_KEY must be set together (only ${certFile === undefined ? 'TLS_KEY' : 'TLS_CERT'} is set)`,
    );
  }
  const tls = certFile !== undefined && keyFile !== undefined ? { certFile: abs(certFile), keyFile: abs(keyFile) } : null;

  const distDir = abs(nonEmpty(env, 'DIST_DIR') ?? DEFAULT_DIST_DIR);

  const rawLevel = nonEmpty(env, 'LOG_LEVEL') ?? 'info';
  const logLevel = LOG_LEVELS.find((l) => l === rawLevel);
  if (logLevel === undefined) {
    throw new StartupError('invalid-config', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${rawLevel}"`);
  }

  const trustProxy = (nonEmpty(env, 'TRUST_PROXY') ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  for (const a of trustProxy) {
    const [ip, bits, extra] = a.split('/');
    const version = isIP(ip ?? '');
    const maxBits = version === 6 ? 128 : 32;
    if (version === 0 || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits))) {
      throw new StartupError('invalid-config', `TRUST_PROXY must list proxy addresses or CIDR ranges separated by commas (e.g. 127.0.0.1,10.0.0.0/8), not "${a}"`);
    }
  }

  return { host, port, dataDir, database, tls, distDir, logLevel, ...(trustProxy.length > 0 ? { trustProxy } : {}), queue: queueSettingsFrom(env) };
}

/** The database URL with any password hidden, for messages and logs. */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `SQLite ${database.file}`;
  try {
    const url = new URL(database.url);
    if (url.password !== '') url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a valid URL)';
  }
}
