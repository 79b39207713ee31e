import type { Kysely, Migration } from 'kysely';

// The clerk's county account on each synced version ("every case records the clerk who
// registered it"). Tablets of the previous version send none, so every column is nullable or has a
// default. A version whose account the server could not verify keeps the account as sent and the
// reason; the case carries the flag the county page filters by.

export const clerkAccounts: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('case_versions').addColumn('clerk_account', 'varchar(64)').execute();
    await db.schema.alterTable('case_versions').addColumn('clerk_problem', 'varchar(32)').execute();
    await db.schema.alterTable('cases').addColumn('registered_by_account', 'varchar(64)').execute();
    await db.schema.alterTable('cases').addColumn('clerk_unverified', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('cases').dropColumn('clerk_unverified').execute();
    await db.schema.alterTable('cases').dropColumn('registered_by_account').execute();
    await db.schema.alterTable('case_versions').dropColumn('clerk_problem').execute();
    await db.schema.alterTable('case_versions').dropColumn('clerk_account').execute();
  },
};
