import { sql, type Kysely, type Migration } from 'kysely';

// The audit log: an append-only chain of entries, each hashing the one before, so that a row changed,
// removed, added or moved afterwards is found by recomputing it (src/server/audit/chain.ts). Personal
// values live beside the chain, keyed by entry and scoped by area, so that the law's deletion of a
// value removes it there while the chain, holding only a salted digest of it, stays whole.
export const auditChain: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('audit_chain')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'varchar(32)', (c) => c.notNull())
      .addColumn('occurred_at', 'varchar(40)')
      .addColumn('action', 'varchar(64)', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('role', 'varchar(32)')
      .addColumn('area_level', 'varchar(16)')
      .addColumn('area_code', 'varchar(16)')
      .addColumn('subject', 'text')
      .addColumn('detail', 'text')
      .addColumn('personal_sha256', 'varchar(64)')
      .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    // Collapsing repeated sign-in failures looks up a subject's latest entry of an action.
    await db.schema.createIndex('audit_chain_subject').on('audit_chain').columns(['subject', 'action', 'at']).execute();

    // One row: the last entry appended. Every append locks it first, which serialises appends on both
    // databases, and a chain cut short at its end is told from a whole one by comparing with it.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('at', 'varchar(32)')
      .execute();
    await sql`insert into audit_head (id, seq, hash, at) values (1, 0, ${'0'.repeat(64)}, null)`.execute(db);

    await db.schema
      .createTable('audit_values')
      .addColumn('entry_seq', 'integer', (c) => c.primaryKey())
      .addColumn('area_level', 'varchar(16)')
      .addColumn('area_code', 'varchar(16)')
      .addColumn('salt', 'varchar(64)')
      .addColumn('personal', 'text')
      .addColumn('redacted_at', 'varchar(32)')
      .addColumn('redacted_by_seq', 'integer')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('audit_values').execute();
    await db.schema.dropTable('audit_head').execute();
    await db.schema.dropTable('audit_chain').execute();
  },
};
