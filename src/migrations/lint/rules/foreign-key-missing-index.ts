// Protects against foreign keys without an index on the referencing columns (slow deletes, lock escalation). docs/migrations.md#foreign-key-missing-index
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'foreign-key-missing-index',
  title: 'Foreign key without a supporting index',
  description:
    'Postgres does not index the referencing side of a foreign key. Without an index every DELETE or key UPDATE on the parent scans the child table, and joins on the key scan too.',
  severity: 'medium',
  fix: 'CREATE INDEX CONCURRENTLY ON <child> (<fk columns>) in a migration of its own.',
  messages: { missing: ({ table, columns, target }: { table: string; columns: string; target: string }) => `foreign key ${table} (${columns}) → ${target} has no index starting with those columns` },
  // The schema as it stands, not what a migration did: one finding per key still unindexed after the last migration.
  history: (count) => (count === 1 ? '1 foreign key declared in an applied migration has no index in the final schema' : `${count} foreign keys declared in applied migrations have no index in the final schema`),
  historyCounts: 'findings',
  check(ctx) {
    const files = new Map(ctx.project.files.map((file) => [file.parsed.source.path, file]));
    // Judged on the schema after every migration of the set: a key whose table or column was dropped later is
    // gone, one that got an index later is covered, and one renamed later is named as it is now. Each key is its
    // own finding (each needs its own index), so the history summary counts keys.
    for (const { schema } of ctx.project.schemas) {
      for (const key of schema.unindexedForeignKeys()) {
        const file = files.get(key.declaredBy.path);
        const entry = file?.statements.find((candidate) => candidate.statement === key.declaredBy.statement);
        if (file === undefined || entry === undefined) continue;
        const current = `${key.table} (${key.columns.join(', ')})`;
        ctx.report({
          messageId: 'missing',
          data: { table: key.table, columns: key.columns.join(', '), target: key.target },
          location: statementLocation(file, entry.statement),
          key: key.columns.join(','),
          detail: `Replayed every migration of the set (DROP and RENAME applied) and looked for an index, primary key or unique constraint on ${key.table} starting with (${key.columns.join(', ')}); found none.${key.declaredAs === current ? '' : ` Declared as ${key.declaredAs}, renamed since.`} The key is declared in: ${quote(entry.statement)}`,
        });
      }
    }
  },
});
