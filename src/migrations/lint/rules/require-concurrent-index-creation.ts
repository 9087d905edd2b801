// Protects against CREATE INDEX blocking every write to a live table for the whole build. docs/migrations.md#require-concurrent-index-creation
import { relationKey } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, eachStatement, perProject, quote, statementLocation } from '../context.js';

/** Tables the migrations create, and whether with PARTITION BY. */
const tableKinds = perProject((project): ReadonlyMap<string, 'partitioned' | 'plain'> => {
  const kinds = new Map<string, 'partitioned' | 'plain'>();
  for (const { entry } of eachStatement(project)) {
    if ('CreateStmt' in entry.node) kinds.set(relationKey(entry.node.CreateStmt.relation), entry.node.CreateStmt.partspec === undefined ? 'plain' : 'partitioned');
  }
  return kinds;
});

export default defineMigrationRule({
  name: 'require-concurrent-index-creation',
  squawk: true,
  title: 'Index built without CONCURRENTLY',
  description: 'CREATE INDEX on an existing table without CONCURRENTLY takes a SHARE lock: writes wait for the whole build.',
  severity: 'high',
  fix: 'Use CREATE INDEX CONCURRENTLY in a migration the runner does not wrap in a transaction (and check for an INVALID index if it fails).',
  messages: { nonConcurrent: ({ table }: { table: string }) => `CREATE INDEX on existing table ${table} blocks writes until the index is built` },
  history: (count) => appliedMigrations(count, 'creates an index without CONCURRENTLY', 'create indexes without CONCURRENTLY'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('IndexStmt' in entry.node) || entry.node.IndexStmt.concurrent === true) continue;
      // `ON ONLY` on a partitioned table indexes the parent alone, which holds no rows (instant), and
      // CONCURRENTLY is not allowed there: the partitions are indexed CONCURRENTLY and attached. Nobody writes
      // ONLY for a plain table, so it is taken as partitioned unless the migrations created it plain.
      if (entry.node.IndexStmt.relation?.inh !== true && tableKinds(ctx.project).get(relationKey(entry.node.IndexStmt.relation)) !== 'plain') continue;
      const table = relationKey(entry.node.IndexStmt.relation);
      if (!entry.isExisting(table)) continue;
      ctx.report({
        messageId: 'nonConcurrent',
        data: { table },
        location: statementLocation(file, entry.statement),
        detail: `Looked for CONCURRENTLY in: ${quote(entry.statement)}. ${table} is not created in this migration, so it may hold rows.`,
      });
    }
  },
});
