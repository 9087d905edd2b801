// Protects against a migration that drops a whole database. docs/migrations.md#ban-drop-database
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-drop-database',
  squawk: true,
  title: 'Database dropped',
  description: 'DROP DATABASE in a migration destroys every table in it.',
  severity: 'critical',
  fix: 'Remove DROP DATABASE from migrations; drop databases by hand, after a backup.',
  messages: { drop: ({ database }: { database: string }) => `database ${database} is dropped by a migration` },
  history: (count) => appliedMigrations(count, 'drops a database', 'drop databases'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('DropdbStmt' in entry.node)) continue;
      ctx.report({ messageId: 'drop', data: { database: entry.node.DropdbStmt.dbname ?? '' }, location: statementLocation(file, entry.statement), detail: `Found DROP DATABASE in: ${quote(entry.statement)}` });
    }
  },
});
