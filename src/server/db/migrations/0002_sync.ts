import { SqliteAdapter, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';

// Day-end sync: townships, accounts and admin sessions, enrolment codes, devices, synced
// cases with every received version, applied mutations, the server's own determinations, links
// between possible duplicates, published parameter sets, and the change log that pull reads.
// Flags are integers 0/1 and JSON is text, so both databases store and return the same values.

const ts = 'varchar(32)';

export const sync: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const flag = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(0);

    await db.schema
      .createTable('townships')
      .addColumn('code', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('county_code', 'varchar(6)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('username', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('display_name', 'varchar(100)', (c) => c.notNull())
      .addColumn('role', 'varchar(16)', (c) => c.notNull())
      .addColumn('township_code', 'varchar(12)', (c) => c.references('townships.code'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('admin_sessions')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('accounts.id'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('enrolment_codes')
      .addColumn('code_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('township_code', 'varchar(12)', (c) => c.notNull().references('townships.code'))
      .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .addColumn('redeemed_at', ts)
      .addColumn('redeemed_by_device', 'varchar(8)')
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('device_id', 'varchar(8)', (c) => c.primaryKey())
      .addColumn('township_code', 'varchar(12)', (c) => c.notNull().references('townships.code'))
      .addColumn('credential_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('enrolled_at', ts, (c) => c.notNull())
      .addColumn('revoked_at', ts)
      .addColumn('revoked_by', 'varchar(64)')
      .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_seen_at', ts)
      .addColumn('app_version', 'varchar(50)')
      .execute();

    await db.schema
      .createTable('cases')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('case_number', 'varchar(40)', (c) => c.notNull().unique())
      .addColumn('device_id', 'varchar(8)', (c) => c.notNull().references('devices.device_id'))
      .addColumn('township_code', 'varchar(12)', (c) => c.notNull())
      .addColumn('id_number', 'varchar(32)', (c) => c.notNull())
      .addColumn('name', 'varchar(100)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('county_status', 'varchar(32)', (c) => c.notNull())
      .addColumn('correction_request', 'text')
      .addColumn('facts', 'text', (c) => c.notNull())
      .addColumn('registration', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('current_version_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('parameters_version', 'varchar(100)', (c) => c.notNull())
      .addColumn('conflict', 'integer', flag)
      .addColumn('possible_duplicate', 'integer', flag)
      .addColumn('figures_differ', 'integer', flag)
      .addColumn('received_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('updated_by', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_id_number').on('cases').column('id_number').execute();
    await db.schema.createIndex('cases_township').on('cases').columns(['township_code', 'updated_at']).execute();

    await db.schema
      .createTable('case_versions')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('case_id', 'varchar(36)', (c) => c.notNull().references('cases.id'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('base_revision', 'integer')
      .addColumn('source', 'varchar(16)', (c) => c.notNull())
      .addColumn('mutation_id', 'varchar(36)')
      .addColumn('device_id', 'varchar(8)')
      .addColumn('actor', 'varchar(64)', (c) => c.notNull())
      .addColumn('at', ts, (c) => c.notNull())
      .addColumn('received_at', ts, (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('facts', 'text', (c) => c.notNull())
      .addColumn('registration', 'text', (c) => c.notNull())
      .addColumn('figures', 'text')
      .addColumn('conflicting', 'integer', flag)
      .execute();
    await db.schema.createIndex('case_versions_case').on('case_versions').columns(['case_id', 'received_at']).execute();

    await db.schema
      .createTable('applied_mutations')
      .addColumn('mutation_id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('device_id', 'varchar(8)', (c) => c.notNull().references('devices.device_id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('case_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('server_revision', 'integer', (c) => c.notNull())
      .addColumn('received_at', ts, (c) => c.notNull())
      .addUniqueConstraint('applied_mutations_device_seq', ['device_id', 'seq'])
      .execute();

    await db.schema
      .createTable('server_determinations')
      .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('case_versions.id'))
      .addColumn('parameters_version', 'varchar(100)', (c) => c.notNull())
      .addColumn('case_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      .addColumn('figures', 'text')
      .addColumn('determination', 'text')
      .addColumn('error', 'text')
      .addColumn('figures_differ', 'integer', flag)
      .addColumn('computed_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('server_determinations_pk', ['version_id', 'parameters_version'])
      .execute();
    await db.schema.createIndex('server_determinations_case').on('server_determinations').column('case_id').execute();

    await db.schema
      .createTable('case_links')
      .addColumn('case_a', 'varchar(36)', (c) => c.notNull().references('cases.id'))
      .addColumn('case_b', 'varchar(36)', (c) => c.notNull().references('cases.id'))
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addPrimaryKeyConstraint('case_links_pk', ['case_a', 'case_b', 'kind'])
      .execute();

    await db.schema
      .createTable('parameter_sets')
      .addColumn('version', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('issued', 'varchar(10)', (c) => c.notNull())
      .addColumn('published_at', ts, (c) => c.notNull())
      .addColumn('published_by', 'varchar(64)', (c) => c.notNull())
      .execute();

    // Pull reads this log by id. Writers take a table lock on PostgreSQL (SQLite writers are
    // serialised anyway), so ids become visible in order and a cursor never skips a change.
    await db.schema
      .createTable('change_log')
      .addColumn('id', sqlite ? 'integer' : 'serial', (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('township_code', 'varchar(12)')
      .addColumn('ref', 'varchar(100)', (c) => c.notNull())
      .addColumn('at', ts, (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of [
      'change_log',
      'parameter_sets',
      'case_links',
      'server_determinations',
      'applied_mutations',
      'case_versions',
      'cases',
      'devices',
      'enrolment_codes',
      'admin_sessions',
      'accounts',
      'townships',
    ]) {
      await db.schema.dropTable(t).execute();
    }
  },
};
