// Protects against TRUNCATE … CASCADE silently emptying every referencing table. docs/migrations.md#ban-truncate-cascade
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-truncate-cascade',
  squawk: true,
  title: 'TRUNCATE … CASCADE',
  description: 'TRUNCATE … CASCADE also empties every table that references the truncated ones, recursively.',
  severity: 'critical',
  fix: 'Truncate the intended tables explicitly (list them), without CASCADE.',
  messages: { cascade: () => 'TRUNCATE … CASCADE empties every referencing table too' },
  history: (count) => appliedMigrations(count, 'truncates with CASCADE', 'truncate with CASCADE'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('TruncateStmt' in entry.node) || entry.node.TruncateStmt.behavior !== 'DROP_CASCADE') continue;
      ctx.report({ messageId: 'cascade', data: undefined, location: statementLocation(file, entry.statement), detail: `Found CASCADE in: ${quote(entry.statement)}` });
    }
  },
});
