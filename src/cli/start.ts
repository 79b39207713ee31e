// `npm start`: build the PWA if needed, migrate the database, serve on HOST:PORT until SIGINT/SIGTERM.
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../server/app';
import { DEFAULT_DIST_DIR, loadConfig, type ServerConfig } from '../server/config';
import { StartupError } from '../server/errors';
import { appVersion } from '../server/package-info';
import { buildIfStale } from './build-if-stale';

function fail(message: string): never {
  console.error(`\nJiexu cannot start: ${message}\n`);
  process.exit(1);
}

function lanAddresses(): string[] {
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (!a.internal && a.family === 'IPv4') found.push(a.address);
    }
  }
  return found;
}

function printUrls(config: ServerConfig, port: number): void {
  const scheme = config.tls ? 'https' : 'http';
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const shown = wildcard ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`\nJiexu ${appVersion} is running (${config.database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database).`);
  console.log(`Open ${scheme}://${shown}:${port}/`);
  if (wildcard) {
    const lan = lanAddresses();
    if (lan.length > 0) {
      console.log('On the county network:');
      for (const ip of lan) console.log(`  ${scheme}://${ip}:${port}/`);
    }
    if (!config.tls) {
      console.log(
        'Note: tablets reaching this server by a network address need HTTPS (the offline app and WebCrypto\n' +
          'work only in a secure context). Make a certificate with `npm run cert -- --host <this address>` and\n' +
          'set TLS_CERT and TLS_KEY, or put a reverse proxy that terminates TLS in front of this server.',
      );
    }
  }
  console.log('Stop with Ctrl+C.\n');
}

function handleSignals(app: FastifyInstance): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    console.log(`${signal}: closing connections and the database…`);
    // A hung connection must not keep a stopping service alive forever.
    setTimeout(() => {
      console.error('Shutdown took longer than 10 s: exiting');
      process.exit(1);
    }, 10_000).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`Shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    fail((err as Error).message);
  }

  // A custom DIST_DIR is someone else's build (tests, a packaged release): never overwrite it.
  if (process.env.JIEXU_SKIP_BUILD !== '1' && config.distDir === DEFAULT_DIST_DIR) {
    try {
      await buildIfStale();
    } catch (err) {
      fail(`building the app failed: ${(err as Error).message}`);
    }
  }

  let app: FastifyInstance;
  try {
    app = await buildServer(config);
  } catch (err) {
    if (err instanceof StartupError) fail(err.message);
    throw err;
  }
  if (app.migration.applied.length > 0) {
    console.log(`Database ${app.appDb.description}: applied ${app.migration.applied.join(', ')}`);
  }

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close().catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${config.port} on ${config.host} is already in use: stop the other program or set PORT`);
    if (code === 'EADDRNOTAVAIL') fail(`HOST=${config.host} is not an address of this machine`);
    if (code === 'EACCES') fail(`not allowed to listen on port ${config.port} (ports below 1024 need privileges): set PORT`);
    fail(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  }
  handleSignals(app);
  printUrls(config, (app.server.address() as AddressInfo).port);
}

main().catch((err: unknown) => {
  console.error(`Jiexu stopped on an unexpected error: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
