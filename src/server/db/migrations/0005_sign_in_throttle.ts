import type { Kysely, Migration } from 'kysely';

// Counts of failed guesses at passwords and enrolment codes (auth/throttle.ts), in the database so
// that a lock survives a restart and holds across server processes sharing one PostgreSQL.
export const signInThrottle: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sign_in_throttle')
      .addColumn('kind', 'varchar(24)', (c) => c.notNull())
      .addColumn('subject', 'varchar(64)', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('locked_until', 'varchar(32)')
      .addPrimaryKeyConstraint('sign_in_throttle_pk', ['kind', 'subject'])
      .execute();
    // Old counts are pruned by this.
    await db.schema.createIndex('sign_in_throttle_last_failure').on('sign_in_throttle').column('last_failure_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('sign_in_throttle').execute();
  },
};
