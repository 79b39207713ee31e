import type { Kysely, Migration } from 'kysely';

// What the county records from outside bodies that are not users (NM43-1.4.b, 1.2.b): the insurance
// agencies' computed interruption months and amounts per track, each kept beside the engine's re-run
// figures, and the government's confirmation that a unit or its superior is gone or unable to pay.
// Rows are never updated except to point at the later row that supersedes them (both kept). Amounts
// are decimal strings in yuan to the fen so that neither database rounds them.
export const agencyFindingsAndPayers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('agency_findings')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
      .addColumn('track', 'varchar(16)', (c) => c.notNull())
      .addColumn('gap_months', 'integer', (c) => c.notNull())
      .addColumn('unit_amount', 'varchar(32)', (c) => c.notNull())
      .addColumn('individual_amount', 'varchar(32)', (c) => c.notNull())
      .addColumn('computed_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('agency_name', 'text', (c) => c.notNull())
      .addColumn('document_number', 'text', (c) => c.notNull())
      .addColumn('document_date', 'varchar(10)', (c) => c.notNull())
      .addColumn('recorded_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('engine_gap_months', 'integer')
      .addColumn('engine_unit_amount', 'varchar(32)')
      .addColumn('engine_individual_amount', 'varchar(32)')
      .addColumn('parameter_version', 'varchar(64)', (c) => c.notNull())
      .addColumn('differs', 'integer', (c) => c.notNull())
      .addColumn('difference_amount', 'varchar(32)', (c) => c.notNull())
      // Why the engine gave no figures (e.g. a refusal code), null when it did.
      .addColumn('engine_error', 'text')
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .addColumn('superseded_by', 'varchar(36)')
      .execute();
    await db.schema.createIndex('agency_findings_case').on('agency_findings').columns(['case_id', 'track', 'recorded_at']).execute();

    await db.schema
      .createTable('payer_confirmations')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
      .addColumn('payer', 'varchar(16)', (c) => c.notNull())
      .addColumn('government', 'text', (c) => c.notNull())
      .addColumn('confirmed_on', 'varchar(10)', (c) => c.notNull())
      .addColumn('document_number', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .addColumn('superseded_by', 'varchar(36)')
      .execute();
    await db.schema.createIndex('payer_confirmations_case').on('payer_confirmations').columns(['case_id', 'recorded_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('payer_confirmations').execute();
    await db.schema.dropTable('agency_findings').execute();
  },
};
