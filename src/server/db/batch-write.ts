import { sql, type Insertable, type Kysely, type RawBuilder, type Updateable } from 'kysely';
import type { DatabaseKind } from './database';
import type { Database } from './schema';

// A transaction's writes in as few statements as the database allows. On PostgreSQL each table's
// rows go in one INSERT … SELECT FROM unnest(…) (an array per column instead of a parameter per
// value: the server parses and plans it in a fraction of the time a multi-row VALUES list takes,
// about half the server's CPU for the sync ingest's rows), updates of many rows likewise, and all
// of them travel as one statement of data-modifying WITH queries: one round trip instead of one per
// table. Foreign keys are checked at the end of that statement, so a row may reference another
// inserted by the same statement. SQLite runs in-process, where a statement costs no round trip:
// multi-row VALUES and one UPDATE per row, in the order given.

export type Table = keyof Database & string;

export interface RowsInsert<T extends Table = Table> {
  op: 'insert';
  table: T;
  rows: readonly Insertable<Database[T]>[];
  /** A unique key whose existing rows are kept (the new row left out), as ON CONFLICT (…) DO NOTHING. */
  conflictDoNothing?: readonly (keyof Database[T] & string)[];
}

export interface RowsUpdate<T extends Table = Table> {
  op: 'update';
  table: T;
  /** The column that names a row (its primary key). */
  key: keyof Database[T] & string;
  /** Key value → the columns to set in that row. */
  changes: ReadonlyMap<string, Updateable<Database[T]>>;
}

export interface RowsDelete<T extends Table = Table> {
  op: 'delete';
  table: T;
  /** The rows to delete, each named by the same columns (a key): a missing row is no error. */
  keys: readonly Partial<Insertable<Database[T]>>[];
}

export type RowsWrite = { [T in Table]: RowsInsert<T> | RowsUpdate<T> | RowsDelete<T> }[Table];

// The same, as the code below reads them: one table's rows, whichever table.
type Insert = { op: 'insert'; table: Table; rows: readonly Record<string, unknown>[]; conflictDoNothing?: readonly string[] };
type Update = { op: 'update'; table: Table; key: string; changes: ReadonlyMap<string, Record<string, unknown>> };
type Delete = { op: 'delete'; table: Table; keys: readonly Record<string, unknown>[] };
type Write = Insert | Update | Delete;

const size = (w: Write): number => (w.op === 'insert' ? w.rows.length : w.op === 'update' ? w.changes.size : w.keys.length);

/** Rows per VALUES list: well below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const ROWS_PER_VALUES = 200;

/**
 * Writes in the order given (on PostgreSQL, in one statement): nothing for an empty list. In one
 * statement every part sees the rows as they were before it, so no two parts may touch the same row.
 */
export async function writeRows(trx: Kysely<Database>, kind: DatabaseKind, writes: readonly RowsWrite[]): Promise<void> {
  const pending = (writes as readonly Write[]).filter((w) => size(w) > 0);
  if (pending.length === 0) return;
  const columns = new Map(pending.map((w) => [w, w.op === 'insert' ? uniformColumns(w.rows) : w.op === 'delete' ? uniformColumns(w.keys) : null]));
  // A row that leaves a column to its default cannot be an array element (VALUES has DEFAULT).
  if (kind === 'postgres' && pending.every((w) => w.op === 'update' || columns.get(w) !== null)) {
    const statements: RawBuilder<unknown>[] = [];
    for (const w of pending) {
      if (w.op === 'insert') statements.push(await unnestInsert(trx, w, columns.get(w)!));
      else if (w.op === 'delete') statements.push(await unnestDelete(trx, w, columns.get(w)!));
      else statements.push(...(await unnestUpdates(trx, w)));
    }
    if (statements.length === 0) return;
    const last = statements.at(-1)!;
    const before = statements.slice(0, -1);
    await (before.length === 0 ? last : sql`with ${sql.join(before.map((s, i) => sql`${sql.raw(`w${i}`)} as (${s})`))} ${last}`).execute(trx);
    return;
  }
  for (const w of pending) {
    if (w.op === 'insert') await valuesInsert(trx, w);
    else if (w.op === 'delete') {
      for (const key of w.keys) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is generic here; key is Insertable<Database[T]>
        await trx.deleteFrom(w.table).where((eb) => eb.and(key as any)).execute();
      }
    } else {
      for (const [key, set] of w.changes) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is generic here; set is Updateable<Database[T]>
        await trx.updateTable(w.table).set(set as any).where(w.key as any, '=', key).execute();
      }
    }
  }
}

async function valuesInsert(trx: Kysely<Database>, w: Insert): Promise<void> {
  // SQLite has no DEFAULT in a VALUES list: rows that leave out other columns go in apart.
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of w.rows) {
    const signature = Object.keys(row)
      .filter((c) => row[c] !== undefined)
      .join(',');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = []));
    group.push(row);
  }
  for (const rows of groups.values()) {
    for (let i = 0; i < rows.length; i += ROWS_PER_VALUES) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is generic here; rows are Insertable<Database[T]>
      const q = trx.insertInto(w.table).values(rows.slice(i, i + ROWS_PER_VALUES) as any);
      await (w.conflictDoNothing ? q.onConflict((oc) => oc.columns(w.conflictDoNothing as never).doNothing()) : q).execute();
    }
  }
}

/** The rows' columns when every row names the same ones with no undefined value, else null. */
function uniformColumns(rows: readonly object[]): string[] | null {
  const columns = Object.keys(rows[0]!);
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return null;
    for (const c of columns) if ((row as Record<string, unknown>)[c] === undefined) return null;
  }
  return columns;
}

// Column types come from the database, so a column a migration adds needs nothing here. Every
// database this program opens is migrated by the same list first, so a table's types are the same
// in each: one read per table for the life of the process.
const columnTypes = new Map<string, ReadonlyMap<string, string>>();

async function typesOf(trx: Kysely<Database>, table: Table, columns: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const known = columnTypes.get(table);
  if (known && columns.every((c) => known.has(c))) return known;
  const rows = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, null) as type
    from pg_attribute
    where attrelid = to_regclass(${table}) and attnum > 0 and not attisdropped`.execute(trx);
  const types = new Map(rows.rows.map((r) => [r.name, r.type]));
  const missing = columns.filter((c) => !types.has(c));
  if (missing.length > 0) throw new Error(`Table ${table} has no column ${missing.join(', ')}`);
  columnTypes.set(table, types);
  return types;
}

/**
 * A PostgreSQL array literal of the values, for one text parameter cast to the column's array type:
 * what pg would write for a JavaScript array, without its per-element conversions. JSON quotes and
 * escapes strings exactly as an array literal does (`"…"`, `\"`, `\\`), and an unquoted null is
 * NULL, so JSON.stringify (native) writes it, unless a string holds a character JSON would write
 * as another escape (a control character, a lone surrogate): those take the slow way.
 */
export function pgArrayLiteral(values: readonly unknown[]): string {
  let plain = true;
  for (const v of values) {
    if (typeof v === 'string') {
      if (plain && JSON_ESCAPES_OTHERWISE.test(v)) plain = false;
    } else if (!(v === null || v === undefined || (typeof v === 'number' && Number.isFinite(v)))) {
      throw new TypeError(`no array element for a ${typeof v} (${String(v)})`);
    }
  }
  if (plain) {
    const json = JSON.stringify(values);
    return `{${json.slice(1, -1)}}`;
  }
  const items = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) items[i] = 'NULL';
    else if (typeof v === 'number') items[i] = String(v);
    else items[i] = `"${(v as string).replace(/[\\"]/g, '\\$&')}"`;
  }
  return `{${items.join(',')}}`;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const JSON_ESCAPES_OTHERWISE = /[\u0000-\u001f\ud800-\udfff]/;

function arrays(rows: readonly Record<string, unknown>[], columns: readonly string[], types: ReadonlyMap<string, string>): RawBuilder<unknown>[] {
  return columns.map((c) => sql`${pgArrayLiteral(rows.map((r) => r[c]))}::${sql.raw(types.get(c)!)}[]`);
}

async function unnestInsert(trx: Kysely<Database>, w: Insert, columns: readonly string[]): Promise<RawBuilder<unknown>> {
  const rows = w.rows;
  const types = await typesOf(trx, w.table, columns);
  const conflict = w.conflictDoNothing ? sql` on conflict (${sql.join(w.conflictDoNothing.map((c) => sql.ref(c)))}) do nothing` : sql``;
  return sql`insert into ${sql.table(w.table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays(rows, columns, types))})${conflict}`;
}

async function unnestDelete(trx: Kysely<Database>, w: Delete, columns: readonly string[]): Promise<RawBuilder<unknown>> {
  const types = await typesOf(trx, w.table, columns);
  const match = columns.map((c) => sql`t.${sql.ref(c)} = v.${sql.ref(c)}`);
  return sql`delete from ${sql.table(w.table)} as t using unnest(${sql.join(arrays(w.keys, columns, types))}) as v(${sql.join(columns.map((c) => sql.ref(c)))}) where ${sql.join(match, sql` and `)}`;
}

/** One UPDATE … FROM unnest(…) per set of columns changed. */
async function unnestUpdates(trx: Kysely<Database>, w: Update): Promise<RawBuilder<unknown>[]> {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const [key, set] of w.changes) {
    const row: Record<string, unknown> = { ...set, [w.key]: key };
    for (const c of Object.keys(row)) if (row[c] === undefined) delete row[c];
    const signature = Object.keys(row).sort().join(',');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = []));
    group.push(row);
  }
  const out: RawBuilder<unknown>[] = [];
  for (const [signature, rows] of groups) {
    const columns = signature.split(',');
    if (columns.length < 2) continue;
    const types = await typesOf(trx, w.table, columns);
    const set = columns.filter((c) => c !== w.key).map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`);
    out.push(
      sql`update ${sql.table(w.table)} as t set ${sql.join(set)} from unnest(${sql.join(arrays(rows, columns, types))}) as v(${sql.join(columns.map((c) => sql.ref(c)))}) where t.${sql.ref(w.key)} = v.${sql.ref(w.key)}`,
    );
  }
  return out;
}
