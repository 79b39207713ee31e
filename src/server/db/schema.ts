/** Tables as the server's Kysely queries see them. Each migration that adds a table adds it here. */
export interface ServerMetaTable {
  key: string;
  value: string;
  /** ISO 8601 UTC. */
  updated_at: string;
}

export interface Database {
  server_meta: ServerMetaTable;
}

/** Keys of server_meta that the server itself maintains. */
export const META = {
  databaseCreatedAt: 'database_created_at',
  schemaVersion: 'schema_version',
  appVersion: 'app_version',
} as const;
