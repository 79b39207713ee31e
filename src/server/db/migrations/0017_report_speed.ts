import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

// cases_report_by_id: the cases a report counts steps of, in id order. Walking the cases in the order
// case_steps is keyed by keeps each step lookup beside the last one; walking them by township (as
// cases_report does) sends every lookup to a random page of a large index: about half a report's
// time on SQLite. PostgreSQL joins the two with a hash or merge join and needs no such index.
export const reportSpeed: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    await db.schema.createIndex('cases_report_by_id').on('cases').columns(['id', 'status', 'township_code']).execute();
  },
  async down(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    await db.schema.dropIndex('cases_report_by_id').execute();
  },
};
