import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';
import { namePinyinSearchText } from '../../../shared/pinyin';

// The county reviewer's queue (county/case-queue.ts) filters and searches every case of an area, so
// what it filters by is a column of its own rather than JSON read row by row:
// cases.unit_payer — who pays the unit's share by the server's determination (unit / superior /
// fiscal; null: none, e.g. out of scope), backfilled from the stored figures of the latest
// non-conflicting tablet version; cases.application_late and cases.provisional_parameters — from the
// server's determination at receipt, also kept per determination (server_determinations) so that a
// resolved conflict takes the chosen version's; null for cases received before this migration (their
// determinations were not kept whole, so it is not known); cases.name_pinyin — the name's pinyin
// readings for search, made with the shared pinyin function (tablet and server read names alike).
// The index holds the queue's order and every column it filters and searches by: a page walks it in
// received order and the total counts it, neither reading the wide rows (facts JSON) of the table.
const BACKFILL_BATCH = 500;

export const caseQueue: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema.alterTable('cases').addColumn('unit_payer', 'varchar(16)').execute();
    await db.schema.alterTable('cases').addColumn('application_late', 'integer').execute();
    await db.schema.alterTable('cases').addColumn('provisional_parameters', 'integer').execute();
    await db.schema.alterTable('cases').addColumn('name_pinyin', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('server_determinations').addColumn('application_late', 'integer').execute();
    await db.schema.alterTable('server_determinations').addColumn('provisional', 'integer').execute();

    const payerOf = sqlite
      ? sql`coalesce(json_extract(d.figures, '$.pensionUnitPayer'), json_extract(d.figures, '$.medicalUnitPayer'))`
      : sql`coalesce(d.figures::json ->> 'pensionUnitPayer', d.figures::json ->> 'medicalUnitPayer')`;
    await sql`
      update cases set unit_payer = (
        select ${payerOf} from server_determinations d join case_versions v on v.id = d.version_id
        where d.case_id = cases.id and d.purpose = 'tablet-set' and d.figures is not null and v.conflicting = 0
        order by v.revision desc limit 1
      )`.execute(db);

    // Keyset over the primary key: each batch reads the next names, whatever was updated before.
    let after = '';
    for (;;) {
      const rows = await sql<{ id: string; name: string }>`select id, name from cases where id > ${after} order by id limit ${BACKFILL_BATCH}`.execute(db);
      if (rows.rows.length === 0) break;
      for (const r of rows.rows) {
        await sql`update cases set name_pinyin = ${await namePinyinSearchText(r.name)} where id = ${r.id}`.execute(db);
      }
      after = rows.rows.at(-1)!.id;
    }

    await db.schema
      .createIndex('cases_queue')
      .on('cases')
      .columns([
        'received_at',
        'id',
        'township_code',
        'lifecycle_status',
        'unit_payer',
        'conflict',
        'possible_duplicate',
        'figures_differ',
        'application_late',
        'provisional_parameters',
        'clerk_unverified',
        'id_number',
        'case_number',
        'name',
        'name_pinyin',
      ])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('cases_queue').execute();
    await db.schema.alterTable('server_determinations').dropColumn('provisional').execute();
    await db.schema.alterTable('server_determinations').dropColumn('application_late').execute();
    await db.schema.alterTable('cases').dropColumn('name_pinyin').execute();
    await db.schema.alterTable('cases').dropColumn('provisional_parameters').execute();
    await db.schema.alterTable('cases').dropColumn('application_late').execute();
    await db.schema.alterTable('cases').dropColumn('unit_payer').execute();
  },
};
