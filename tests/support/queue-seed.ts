// Cases for the county queue's tests and bench, written with one INSERT … SELECT over a generated
// series (not through sync: 200,000 pushes would take the bench an hour). Every column the queue
// filters by varies with the row number, received_at repeats every three rows (ties the order must
// break by id), and names come from a small table with their pinyin made by the server's own function.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/server/db/schema';
import type { DatabaseKind } from '../../src/server/db/database';
import { namePinyinSearchText } from '../../src/shared/pinyin';
import { LIFECYCLE_STATUSES } from '../../src/shared/case-lifecycle';

export const SEED_NAMES = ['张三', '李四', '王芳', '单田芳', '巴特尔·其其格', '刘德华', '赵丽颖', '乌云娜', '吕布', '孙悟空', '周杰', '吴刚', '郑和', '钱学森', '欧阳修', '苏和'];

export interface SeedOptions {
  /** Rows numbered from `from` (inclusive) to `from + count` (exclusive). */
  from: number;
  count: number;
  /** The townships the rows go to in turn; the device id must be enrolled in the first. */
  townships: string[];
  deviceId: string;
  /** JSON of the facts column: what a real row carries makes the rows as wide as real ones. */
  factsJson?: string;
}

/** A device row for the seeded cases to reference. */
export async function seedDevice(db: Kysely<Database>, deviceId: string, townshipCode: string): Promise<void> {
  await db
    .insertInto('devices')
    .values({ device_id: deviceId, township_code: townshipCode, credential_hash: `seed-${deviceId}`.padEnd(64, '0'), enrolled_at: '2024-01-01T00:00:00.000Z', last_seq: 0 })
    .execute();
}

export async function seedQueueCases(pool: Kysely<Database>, kind: DatabaseKind, o: SeedOptions): Promise<void> {
  // One connection: the temporary tables are the connection's own.
  await pool.connection().execute((db) => seedOn(db, kind, o));
}

async function seedOn(db: Kysely<Database>, kind: DatabaseKind, o: SeedOptions): Promise<void> {
  await sql`create temporary table if not exists seed_names (k integer primary key, name varchar(100) not null, pinyin text not null)`.execute(db);
  await sql`delete from seed_names`.execute(db);
  for (const [k, name] of SEED_NAMES.entries()) {
    await sql`insert into seed_names (k, name, pinyin) values (${k}, ${name}, ${await namePinyinSearchText(name)})`.execute(db);
  }
  await sql`create temporary table if not exists seed_townships (k integer primary key, code varchar(12) not null)`.execute(db);
  await sql`delete from seed_townships`.execute(db);
  for (const [k, code] of o.townships.entries()) await sql`insert into seed_townships (k, code) values (${k}, ${code})`.execute(db);

  const statuses = sql.raw(`case ${LIFECYCLE_STATUSES.map((s, k) => `when i % ${LIFECYCLE_STATUSES.length} = ${k} then '${s}'`).join(' ')} end`);
  const pg = kind === 'postgres';
  const hex = (width: number) => (pg ? sql.raw(`lpad(to_hex(i), ${width}, '0')`) : sql.raw(`printf('%0${width}x', i)`));
  const idNumber = pg ? sql.raw(`'1501021970' || lpad(i::text, 8, '0')`) : sql.raw(`'1501021970' || printf('%08d', i)`);
  // Three rows a second: received_at ties that the order must break by id.
  const receivedAt = pg
    ? sql.raw(`to_char(timestamp '2024-01-01' + (i / 3) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
    : sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || (i / 3) || ' seconds')`);
  const series = pg
    ? sql`select generate_series(${o.from}::int, ${o.from + o.count - 1}::int) as i`
    : // better-sqlite3 binds numbers as REAL: cast, or i / 3 and i + 100000 would not be whole.
      sql`with recursive s(i) as (select cast(${o.from} as integer) union all select i + 1 from s where i < ${o.from + o.count - 1}) select i from s`;
  const facts = o.factsJson ?? '{}';
  await sql`
    insert into cases (id, case_number, device_id, township_code, id_number, name, status, county_status, correction_request, facts, registration,
      revision, current_version_id, parameters_version, conflict, possible_duplicate, figures_differ, received_at, updated_at, updated_by,
      clerk_unverified, lifecycle_status, unit_payer, application_late, provisional_parameters, name_pinyin)
    select ${hex(8)} || '-0000-4000-8000-' || ${hex(12)}, '150102-' || ${o.deviceId} || '-' || (i + 100000), ${o.deviceId}, t.code, ${idNumber}, n.name,
      'registered', 'received', null, ${facts}, '{}', 1, 'seed', 'nm43-2019', (case when i % 97 = 0 then 1 else 0 end), (case when i % 89 = 0 then 1 else 0 end),
      (case when i % 83 = 0 then 1 else 0 end), ${receivedAt}, ${receivedAt}, 'seed', (case when i % 79 = 0 then 1 else 0 end), ${statuses},
      (case i % 4 when 0 then null when 1 then 'unit' when 2 then 'superior' else 'fiscal' end), (case when i % 7 = 0 then 1 else 0 end),
      (case when i % 11 = 0 then 1 else 0 end), n.pinyin
    from (${series}) g
    join seed_names n on n.k = i % ${SEED_NAMES.length}
    join seed_townships t on t.k = i % ${o.townships.length}`.execute(db);
}
