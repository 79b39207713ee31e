import { sql, type Kysely, type Migration } from 'kysely';

// The signed case lifecycle at the county (src/shared/case-lifecycle.ts). cases.lifecycle_status: where
// the case is; existing cases start as 'synced', or 'correction-requested' where the county had already
// asked for a correction. case_steps: every signed step, never updated except to be marked void when a
// tablet's correction after 退回补正 sends the case back to 'synced' (the row is kept). Status values are
// written out here rather than imported, so that this migration does the same whatever the code does later.
export const caseLifecycle: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('cases').addColumn('lifecycle_status', 'varchar(32)', (c) => c.notNull().defaultTo('synced')).execute();
    await sql`update cases set lifecycle_status = 'correction-requested' where county_status = 'correction-requested'`.execute(db);
    // The county queue filters a township's cases by status.
    await db.schema.createIndex('cases_township_lifecycle').on('cases').columns(['township_code', 'lifecycle_status']).execute();

    await db.schema
      .createTable('case_steps')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
      .addColumn('step', 'varchar(32)', (c) => c.notNull())
      .addColumn('from_status', 'varchar(32)', (c) => c.notNull())
      .addColumn('to_status', 'varchar(32)', (c) => c.notNull())
      .addColumn('actor', 'varchar(64)', (c) => c.notNull())
      // Null, as in the audit chain, for a step the program itself signs on a user's behalf (a command line).
      .addColumn('role', 'varchar(32)')
      .addColumn('area_level', 'varchar(16)')
      .addColumn('area_code', 'varchar(16)')
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addColumn('comment', 'text', (c) => c.notNull())
      // 核查通过's sub-checks (JSON), null for every other step.
      .addColumn('checks', 'text')
      .addColumn('reason_for_veteran', 'text')
      .addColumn('void', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('voided_by_step', 'varchar(36)')
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .addColumn('audit_hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('case_steps_case').on('case_steps').columns(['case_id', 'at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('case_steps').execute();
    await db.schema.dropIndex('cases_township_lifecycle').execute();
    await db.schema.alterTable('cases').dropColumn('lifecycle_status').execute();
  },
};
