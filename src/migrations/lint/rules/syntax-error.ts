// Protects against migrations that Postgres cannot parse (they fail at deploy time). docs/migrations.md#syntax-error
import { appliedMigrations, defineMigrationRule } from '../context.js';

export default defineMigrationRule({
  name: 'syntax-error',
  squawk: true,
  title: 'SQL the Postgres parser rejects',
  description: 'The migration does not parse with the PostgreSQL 18 parser; it will fail when applied, and no other rule can check it.',
  severity: 'high',
  fix: 'Fix the SQL at the reported position (run it against a local database to confirm).',
  messages: { syntax: ({ message }: { message: string }) => `Postgres cannot parse this migration: ${message}` },
  history: (count) => appliedMigrations(count, 'does not parse as PostgreSQL', 'do not parse as PostgreSQL'),
  check(ctx) {
    for (const file of ctx.project.files) {
      const error = file.parsed.syntaxError;
      if (error === undefined) continue;
      ctx.report({
        messageId: 'syntax',
        data: { message: error.message },
        location: { path: file.parsed.source.path, line: error.position.line, column: error.position.column },
        detail: `Parsed ${file.parsed.source.path} with libpg-query (the PostgreSQL 18 parser); other rules skipped this file.`,
      });
    }
  },
});
