// Protects against a slow statement holding its lock for as long as it takes. docs/migrations.md#require-statement-timeout
import { defineMigrationRule } from '../context.js';
import { reportMissingTimeout } from '../timeouts.js';

export default defineMigrationRule({
  name: 'require-statement-timeout',
  squawk: true,
  title: 'Blocking statement without statement_timeout',
  description: 'Without statement_timeout a statement holding a strong lock (a rewrite, a validation scan) keeps it for as long as it runs.',
  severity: 'medium',
  fix: "SET statement_timeout = '5min'; (a bound you accept as an outage) at the top of the migration, or in the runner's connection settings.",
  messages: { missing: ({ lock }: { lock: string }) => `no statement_timeout is set before a statement that takes ${lock}` },
  check(ctx) {
    reportMissingTimeout(ctx, 'statement_timeout', (entry) => entry.statementTimeoutSet);
  },
});
