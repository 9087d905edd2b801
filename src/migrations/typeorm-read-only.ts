// Shared by discovery (frameworks/typeorm.ts) and the capture runner, which must agree on it.

/**
 * TypeORM query runner methods that change no schema and send no SQL of the migration's own: connection
 * and transaction control, and the read-only guards and lookups (`if (await qr.hasColumn(…)) return;`).
 * The statements they send (information_schema and pg_catalog reads, `START TRANSACTION`, `SAVEPOINT`…)
 * are TypeORM's bookkeeping. Checked against typeorm 1.1.1's `PostgresQueryRunner` and `BaseQueryRunner`.
 *
 * @example TYPEORM_READ_ONLY_METHODS.has('hasColumn') // true; 'addColumn' and 'clearTable' are not
 */
export const TYPEORM_READ_ONLY_METHODS: ReadonlySet<string> = new Set([
  'connect',
  'release',
  'releasePostgresConnection',
  'startTransaction',
  'commitTransaction',
  'rollbackTransaction',
  'getDatabases',
  'getSchemas',
  'hasDatabase',
  'getCurrentDatabase',
  'hasSchema',
  'getCurrentSchema',
  'hasTable',
  'hasColumn',
  'hasEnumType',
  'hasSupportForPartitionedTables',
  'getVersion',
  'getTable',
  'getTables',
  'getView',
  'getViews',
  'getCachedTable',
  'getCachedView',
  'loadTables',
  'loadViews',
  'getUserDefinedTypeName',
  'getTableNameWithSchema',
]);
