import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

// Roles scoped by area, and the account lifecycle. Every account gets an area, stored as
// (area_level, area_code) because a 盟市 code and a county code both have 6 digits. Existing accounts
// keep what they could do: a 'clerk' becomes a 'window-clerk' of his township; an 'admin' stays an
// admin whose area is the county of the existing townships when they all lie in one county, else
// the whole region (150000), so that no admin loses a township he administered. Written out here
// rather than imported, so that this migration does the same on every database whatever the code
// does later.
//
// must_change_password: set by an admin's reset (a one-time password), cleared when the account
// changes it; until then the account may only change its password. pin_revoked: set when an
// admin revokes a tablet clerk's sessions, so that his tablets forget his PIN at their next pull;
// cleared by his next online sign-in on a tablet.

export const rolesAndAreas: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    // 'region-task-force' is longer than the 16 characters 0002 allowed; SQLite ignores the length.
    if (!sqlite) await sql`alter table accounts alter column role type varchar(32)`.execute(db);
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('accounts').addColumn('area_level', 'varchar(16)').execute();
    await db.schema.alterTable('accounts').addColumn('area_code', 'varchar(12)').execute();
    await db.schema.alterTable('accounts').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('accounts').addColumn('pin_revoked', 'integer', (c) => c.notNull().defaultTo(0)).execute();

    await sql`update accounts set role = 'window-clerk', area_level = 'township', area_code = township_code where role = 'clerk'`.execute(db);
    const counties = await sql<{ county_code: string }>`select distinct county_code from townships`.execute(db);
    const [level, code] = counties.rows.length === 1 ? ['county', counties.rows[0]!.county_code] : ['region', '150000'];
    await sql`update accounts set area_level = ${level}, area_code = ${code} where role = 'admin'`.execute(db);
    await db.schema.createIndex('accounts_area').on('accounts').columns(['area_level', 'area_code']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('accounts_area').execute();
    // The roles 0007 knew: tablet roles become clerks; the read-only and reviewer roles had no
    // equivalent, and an administrator's powers would be more than they were given, so they are kept disabled.
    await sql`update accounts set role = 'clerk' where role in ('window-clerk', 'outreach-worker')`.execute(db);
    await sql`update accounts set role = 'admin', active = 0 where role not in ('clerk', 'admin')`.execute(db);
    await db.schema.alterTable('accounts').dropColumn('pin_revoked').execute();
    await db.schema.alterTable('accounts').dropColumn('must_change_password').execute();
    await db.schema.alterTable('accounts').dropColumn('area_code').execute();
    await db.schema.alterTable('accounts').dropColumn('area_level').execute();
  },
};
