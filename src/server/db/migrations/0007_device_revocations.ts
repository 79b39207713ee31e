import type { Kysely, Migration } from 'kysely';

// Every revocation of a device, with who revoked it, when and why, kept when the device is enrolled
// again (which clears the revocation on the device's own row): a lost tablet's history is never erased.
export const deviceRevocations: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('device_revocations')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('device_id', 'varchar(16)', (c) => c.notNull())
      .addColumn('revoked_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revoked_by', 'varchar(64)', (c) => c.notNull())
      .addColumn('reason', 'varchar(500)', (c) => c.notNull())
      .addColumn('reenrolled_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('device_revocations_device').on('device_revocations').column('device_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('device_revocations').execute();
  },
};
