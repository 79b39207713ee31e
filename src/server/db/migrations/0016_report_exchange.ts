import type { Kysely, Migration } from 'kysely';

// Signed weekly reports between servers (reports/exchange.ts), for leagues whose counties run their
// own servers. report_signing_keys: this server's own key pair, made once on first use (one row, id
// 'weekly-report'); the private key stays in the database like the other secrets the server keeps.
// county_report_keys: the public keys a league's admin registered, one county each, by fingerprint.
// imported_weekly_reports: every signed file imported, once each (by the SHA-256 of its signed
// payload); a later version of the same county and week supersedes the one shown, and both are kept.
export const reportExchange: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('report_signing_keys')
      .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('algorithm', 'varchar(16)', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('county_report_keys')
      .addColumn('fingerprint', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('county_code', 'varchar(16)', (c) => c.notNull())
      .addColumn('algorithm', 'varchar(16)', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('registered_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('registered_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('county_report_keys_county').on('county_report_keys').column('county_code').execute();

    await db.schema
      .createTable('imported_weekly_reports')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('county_code', 'varchar(16)', (c) => c.notNull())
      .addColumn('week_start', 'varchar(32)', (c) => c.notNull())
      .addColumn('generated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('payload_sha256', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('key_fingerprint', 'varchar(64)', (c) => c.notNull())
      .addColumn('imported_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('imported_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('superseded_by', 'varchar(36)')
      .addColumn('audit_seq', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('imported_weekly_reports_week').on('imported_weekly_reports').columns(['week_start', 'county_code']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('imported_weekly_reports').execute();
    await db.schema.dropTable('county_report_keys').execute();
    await db.schema.dropTable('report_signing_keys').execute();
  },
};
