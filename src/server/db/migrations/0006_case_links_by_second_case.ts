import type { Kysely, Migration } from 'kysely';

// A case's possible-duplicate links are found by either end of the pair (case_a < case_b); the
// primary key serves case_a, this index serves case_b, so relinking never scans the whole table.
export const caseLinksBySecondCase: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('case_links_case_b').on('case_links').column('case_b').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('case_links_case_b').execute();
  },
};
