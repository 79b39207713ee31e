import type { Kysely, Migration } from 'kysely';

// Timestamps are ISO 8601 UTC text so that SQLite and PostgreSQL store and return the same thing.
export const serverMeta: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('server_meta')
      .addColumn('key', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
      .execute();
    const now = new Date().toISOString();
    await (db as Kysely<{ server_meta: { key: string; value: string; updated_at: string } }>)
      .insertInto('server_meta')
      .values({ key: 'database_created_at', value: now, updated_at: now })
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('server_meta').execute();
  },
};
