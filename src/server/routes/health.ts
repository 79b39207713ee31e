import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';
import { appVersion } from '../package-info';
import { META } from '../db/schema';

export interface HealthBody {
  status: 'ok';
  db: 'sqlite' | 'postgres';
  version: string;
}

export function registerHealth(app: FastifyInstance): void {
  app.get('/api/health', async (): Promise<HealthBody> => {
    // A real read of a migrated table: proves the connection, the schema and the file/permissions.
    let row: { value: string } | undefined;
    try {
      row = await app.appDb.db
        .selectFrom('server_meta')
        .select('value')
        .where('key', '=', META.schemaVersion)
        .executeTakeFirst();
    } catch (err) {
      // Anyone may ask: the answer says no more than that; the cause goes to the log.
      throw new ApiError(503, 'database-unavailable', 'The database does not answer; the server log has the cause', { cause: err });
    }
    if (row === undefined) {
      throw new ApiError(503, 'database-not-migrated', 'The database has no recorded schema version');
    }
    return { status: 'ok', db: app.appDb.kind, version: appVersion };
  });
}
