import type { Kysely, Migration } from 'kysely';
import { determinationSha256 } from '../../county/determination-record';

// The server's determination of a version is no longer stored whole (~8.5 KB of JSON with its trace,
// most of the ingest's writes): it is recomputed on demand from the version's facts and the published
// parameter set. What was computed at receipt stays checkable through the SHA-256 of its canonical
// JSON and the program version that computed it (county/determination-record.ts).
//
// Rows written before keep their determination, so nothing computed then is lost; each gets the
// digest of what it holds and, as the program that computed it, the version that last recorded
// itself in server_meta (the program now starting records itself only after migrating).

interface Legacy {
  server_meta: { key: string; value: string };
  server_determinations: {
    version_id: string;
    parameters_version: string;
    determination: string | null;
    determination_sha256: string | null;
    program_version: string | null;
  };
}

const PAGE = 500;

export const determinationDigest: Migration = {
  async up(untyped: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await untyped.schema.alterTable('server_determinations').addColumn('determination_sha256', 'varchar(64)').execute();
    await untyped.schema.alterTable('server_determinations').addColumn('program_version', 'varchar(50)').execute();

    const db = untyped as Kysely<Legacy>;
    const recorded = await db.selectFrom('server_meta').select('value').where('key', '=', 'app_version').executeTakeFirst();
    const programVersion = recorded?.value ?? 'unknown';
    let after: { version_id: string; parameters_version: string } | null = null;
    for (;;) {
      const page: Legacy['server_determinations'][] = await db
        .selectFrom('server_determinations')
        .selectAll()
        .where('determination', 'is not', null)
        .$if(after !== null, (q) =>
          q.where((eb) =>
            eb.or([
              eb('version_id', '>', after!.version_id),
              eb.and([eb('version_id', '=', after!.version_id), eb('parameters_version', '>', after!.parameters_version)]),
            ]),
          ),
        )
        .orderBy('version_id')
        .orderBy('parameters_version')
        .limit(PAGE)
        .execute();
      for (const row of page) {
        await db
          .updateTable('server_determinations')
          .set({ determination_sha256: determinationSha256(JSON.parse(row.determination!)), program_version: programVersion })
          .where('version_id', '=', row.version_id)
          .where('parameters_version', '=', row.parameters_version)
          .execute();
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!;
    }
  },
  async down(db: Kysely<unknown>) {
    // Versions received since keep their figures; their whole determination stays recomputable.
    await db.schema.alterTable('server_determinations').dropColumn('program_version').execute();
    await db.schema.alterTable('server_determinations').dropColumn('determination_sha256').execute();
  },
};
