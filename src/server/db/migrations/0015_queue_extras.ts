import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

// The reviewer's queue extras and the queue at 200,000 cases.
// cases.lifecycle_since: when the case entered its lifecycle status (the overdue queue asks how long it
// has waited there): backfilled from its last step in force, else its receipt.
// On PostgreSQL only, for the queue's speed (county/case-queue.ts): the ID-number and case-number suffix
// searches read an index of the reversed text (text_pattern_ops: a LIKE prefix uses it whatever the
// database's collation); and an index that leads with the township holds every column the queue
// filters and searches by, so that the true total is counted from the index alone rather than from
// the wide rows. SQLite's planner walks the received-order index of 0012 and stops after a page;
// another covering index there would tempt it into reading every row of an area and sorting them.
export const queueExtras: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema.alterTable('cases').addColumn('lifecycle_since', 'varchar(32)').execute();
    await sql`
      update cases set lifecycle_since = coalesce(
        (select max(s.at) from case_steps s where s.case_id = cases.id and s.void = 0 and s.to_status = cases.lifecycle_status),
        received_at)`.execute(db);
    await db.schema.createIndex('cases_township_lifecycle_since').on('cases').columns(['township_code', 'lifecycle_status', 'lifecycle_since']).execute();
    if (sqlite) return;
    await sql`create index cases_id_number_reversed on cases (reverse(id_number) text_pattern_ops)`.execute(db);
    await sql`create index cases_case_number_reversed on cases (reverse(case_number) text_pattern_ops)`.execute(db);
    await db.schema
      .createIndex('cases_area_filters')
      .on('cases')
      .columns([
        'township_code',
        'lifecycle_status',
        'unit_payer',
        'conflict',
        'possible_duplicate',
        'figures_differ',
        'application_late',
        'provisional_parameters',
        'clerk_unverified',
        'name_pinyin',
        'name',
      ])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (!sqlite) {
      await db.schema.dropIndex('cases_area_filters').execute();
      await db.schema.dropIndex('cases_case_number_reversed').execute();
      await db.schema.dropIndex('cases_id_number_reversed').execute();
    }
    await db.schema.dropIndex('cases_township_lifecycle_since').execute();
    await db.schema.alterTable('cases').dropColumn('lifecycle_since').execute();
  },
};
