import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

// Each 报送 of a weekly report (server/reports/submissions.ts): the figures frozen as the canonical JSON
// that was submitted, with its hash and the audit entry that signs it. A later submission of the same
// week and area is the next version beside it; rows are never updated or deleted.
// cases_report: every column the reports group and filter cases by, so that a report reads the index
// alone and not the wide rows (facts JSON, which SQLite keeps before received_at in overflow pages:
// reading the columns after it walked them, tens of seconds over 200,000 cases). The engine's amounts
// in fen as generated columns of server_determinations (the database computes them from the figures
// JSON as each row is written, so no writer changes), indexed with what a report joins them by: a
// report sums them without parsing JSON case by case. Virtual on SQLite (ALTER TABLE can add no
// stored one; the index keeps the values), stored on PostgreSQL.
const FIGURE_COLUMNS = [
  ['engine_pension_unit_fen', 'pensionUnitAmount'],
  ['engine_pension_individual_fen', 'pensionIndividualAmount'],
  ['engine_medical_unit_fen', 'medicalUnitAmount'],
  ['engine_medical_individual_fen', 'medicalIndividualAmount'],
] as const;
export const reportSubmissions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('report_submissions')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('week_start', 'varchar(32)', (c) => c.notNull())
      .addColumn('area_level', 'varchar(16)', (c) => c.notNull())
      .addColumn('area_code', 'varchar(16)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('submitted_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('submitted_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('comment', 'text', (c) => c.notNull())
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .addColumn('audit_hash', 'varchar(64)', (c) => c.notNull())
      // Two submissions racing for the same version: one of them fails rather than both standing as it.
      .addUniqueConstraint('report_submissions_version', ['kind', 'area_level', 'area_code', 'week_start', 'version'])
      .execute();
    await db.schema
      .createIndex('cases_report')
      .on('cases')
      .columns(['township_code', 'status', 'received_at', 'id', 'current_version_id', 'unit_payer', 'lifecycle_status'])
      .execute();
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    for (const [column, key] of FIGURE_COLUMNS) {
      // The amounts are yuan with exactly two decimals (determination.ts): without the point, fen.
      const fen = sqlite ? sql.raw(`cast(replace(json_extract(figures, '$.${key}'), '.', '') as integer)`) : sql.raw(`replace(figures::json ->> '${key}', '.', '')::bigint`);
      await db.schema
        .alterTable('server_determinations')
        .addColumn(column, sqlite ? 'integer' : 'bigint', (c) => (sqlite ? c.generatedAlwaysAs(fen) : c.generatedAlwaysAs(fen).stored()))
        .execute();
    }
    await db.schema
      .createIndex('server_determinations_report')
      .on('server_determinations')
      .columns(['version_id', 'purpose', 'error', ...FIGURE_COLUMNS.map(([column]) => column)])
      .execute();
    // The steps a report counts, by case, read from the index alone.
    await db.schema.createIndex('case_steps_report').on('case_steps').columns(['case_id', 'void', 'at', 'to_status']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('case_steps_report').execute();
    await db.schema.dropIndex('server_determinations_report').execute();
    for (const [column] of FIGURE_COLUMNS) await db.schema.alterTable('server_determinations').dropColumn(column).execute();
    await db.schema.dropIndex('cases_report').execute();
    await db.schema.dropTable('report_submissions').execute();
  },
};
