import { readFile } from 'node:fs/promises';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ServerConfig } from './config';
import { openDatabase, type AppDatabase } from './db/database';
import { migrateToLatest, type MigrationOutcome } from './db/migrate';
import { ApiError, StartupError, errorBody } from './errors';
import { registerHealth } from './routes/health';
import type { CountyContext } from './county/context';
import { DEFAULT_QUEUE_SETTINGS } from './county/overdue';
import { registerApiCompression } from './http/compression';
import { registerAdmin } from './routes/admin';
import { registerSync } from './routes/sync';
import { registerInputGuard, registerSecurityHeaders } from './security';
import { registerStatic } from './static';

declare module 'fastify' {
  interface FastifyInstance {
    /** The migrated database; closed when the server closes. */
    appDb: AppDatabase;
    /** What migrating at start did. */
    migration: MigrationOutcome;
    /** Database, dialect and clock for the county services (sync, enrolment, administration). */
    county: CountyContext;
  }
}

export interface ServerOptions {
  /** The server's clock (tests move it); the real clock by default. */
  now?: () => Date;
}

async function readTls(config: ServerConfig): Promise<{ cert: Buffer; key: Buffer } | null> {
  if (config.tls === null) return null;
  const read = async (what: string, variable: string, file: string) => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new StartupError('tls-file-unreadable', `Cannot read the TLS ${what} ${file} (${variable}): ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    cert: await read('certificate', 'TLS_CERT', config.tls.certFile),
    key: await read('private key', 'TLS_KEY', config.tls.keyFile),
  };
}

function clientErrorCode(error: FastifyError, status: number): string {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return 'unsupported-media-type';
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return 'payload-too-large';
  if (error.validation) return 'invalid-request';
  if (status === 404) return 'not-found';
  if (status === 405) return 'method-not-allowed';
  return 'bad-request';
}

/**
 * The county server: opens the configured database, migrates it (refusing one written by a newer
 * version), and serves the API under /api and the built PWA from config.distDir. The caller listens
 * (or uses app.inject); closing the app closes the database.
 */
export async function buildServer(config: ServerConfig, serverOptions: ServerOptions = {}): Promise<FastifyInstance> {
  const tls = await readTls(config);
  const options = {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    // One line per request drowns the startup and error lines a county administrator reads.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    forceCloseConnections: 'idle' as const,
    // request.ip (failed sign-ins are counted per address) is the client's, not a reverse proxy's.
    ...(config.trustProxy && config.trustProxy.length > 0 ? { trustProxy: config.trustProxy } : {}),
    return503OnClosing: true,
    // Errors raised before routing (a URL that is not valid percent-encoding) get the same JSON shape.
    frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
      void reply.code(status).send(errorBody(status === 400 ? 'bad-request' : clientErrorCode(error, status), error.message));
    },
  };
  let app: FastifyInstance;
  try {
    // Fastify types http and https instances apart; the app's routes do not care which it is.
    app = (tls ? Fastify({ ...options, https: tls }) : Fastify(options)) as unknown as FastifyInstance;
  } catch (err) {
    throw new StartupError(
      'tls-invalid',
      `TLS_CERT ${config.tls?.certFile} and TLS_KEY ${config.tls?.keyFile} are not a usable certificate and key: ${(err as Error).message}`,
      { cause: err },
    );
  }

  let appDb: AppDatabase;
  try {
    appDb = await openDatabase(config.database);
  } catch (err) {
    await app.close().catch(() => {});
    throw err;
  }
  let migration: MigrationOutcome;
  try {
    migration = await migrateToLatest(appDb);
  } catch (err) {
    await appDb.destroy().catch(() => {});
    await app.close().catch(() => {});
    throw err;
  }

  app.decorate('appDb', appDb);
  app.decorate('migration', migration);
  app.decorate('county', { db: appDb.db, kind: appDb.kind, now: serverOptions.now ?? (() => new Date()), queue: config.queue ?? DEFAULT_QUEUE_SETTINGS });
  app.addHook('onClose', async () => {
    await appDb.destroy();
  });

  registerSecurityHeaders(app);
  registerInputGuard(app);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) {
      reply.header('Cache-Control', 'no-store');
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      if (error.details.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.details.retryAfterSeconds));
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) {
      return reply.code(status).send(errorBody(clientErrorCode(error, status), error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal-error', 'The server failed to handle the request; the log has details'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0];
    return reply.code(404).send(errorBody('not-found', `No route for ${request.method} ${path}`));
  });

  registerApiCompression(app);
  registerHealth(app);
  registerSync(app);
  registerAdmin(app);
  app.all('/api', unknownApi);
  app.all('/api/*', unknownApi);
  registerStatic(app, config.distDir);

  return app;
}

async function unknownApi(request: { method: string; url: string }): Promise<never> {
  const path = request.url.split('?', 1)[0];
  throw new ApiError(404, 'not-found', `No API endpoint ${request.method} ${path}`);
}
