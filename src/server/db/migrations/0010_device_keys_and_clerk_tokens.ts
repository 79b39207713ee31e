import type { Kysely, Migration } from 'kysely';

// Enrolment bound to the tablet's own key pair, signed clerk identity and per-case refusals.
// devices: the tablet's public key (JWK) and its thumbprint, shared by every device id the same tablet
// was enrolled under (each enrolment gets a new id; the ids of one key are one tablet), and the id the
// tablet numbered its cases with before this enrolment. enrolment_codes: the key a code was redeemed
// with, so that only that key can ask for the answer again. case_versions: the clerk a signed token
// proved; cases: the soft flag of an expired token. applied_mutations: why a mutation was refused, so
// that a repeated push gets the same answer. tablet_audit_received: the tablet audit entries already
// appended to the audit chain, so that a push repeated after a lost answer does not append them twice.
export const deviceKeysAndClerkTokens: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('devices').addColumn('public_key', 'text').execute();
    await db.schema.alterTable('devices').addColumn('key_thumbprint', 'varchar(64)').execute();
    await db.schema.alterTable('devices').addColumn('local_device_id', 'varchar(8)').execute();
    await db.schema.createIndex('devices_key_thumbprint').on('devices').column('key_thumbprint').execute();
    await db.schema.createIndex('devices_local_device_id').on('devices').column('local_device_id').execute();
    await db.schema.alterTable('enrolment_codes').addColumn('key_thumbprint', 'varchar(64)').execute();
    await db.schema.alterTable('case_versions').addColumn('clerk_verified', 'varchar(64)').execute();
    await db.schema.alterTable('cases').addColumn('clerk_token_expired', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('applied_mutations').addColumn('refusal', 'varchar(32)').execute();
    await db.schema
      .createTable('tablet_audit_received')
      .addColumn('entry_id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('device_id', 'varchar(8)', (c) => c.notNull())
      .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('tablet_audit_received').execute();
    await db.schema.alterTable('applied_mutations').dropColumn('refusal').execute();
    await db.schema.alterTable('cases').dropColumn('clerk_token_expired').execute();
    await db.schema.alterTable('case_versions').dropColumn('clerk_verified').execute();
    await db.schema.alterTable('enrolment_codes').dropColumn('key_thumbprint').execute();
    await db.schema.dropIndex('devices_local_device_id').execute();
    await db.schema.dropIndex('devices_key_thumbprint').execute();
    await db.schema.alterTable('devices').dropColumn('local_device_id').execute();
    await db.schema.alterTable('devices').dropColumn('key_thumbprint').execute();
    await db.schema.alterTable('devices').dropColumn('public_key').execute();
  },
};
