// Protects against a slow statement holding its lock for as long as it takes. docs/migrations.md#require-statement-timeout
import { appliedMigrations, defineMigrationRule } from '../context.js';
import { reportMissingTimeout } from '../timeouts.js';

export default defineMigrationRule({
  name: 'require-statement-timeout',
  squawk: true,
  title: 'Blocking statement without statement_timeout',
  description: 'Without statement_timeout a statement holding a strong lock (a rewrite, a validation scan) keeps it for as long as it runs.',
  severity: 'medium',
  fix: "SET statement_timeout = '5min'; (a bound you accept as an outage) at the top of the migration, or in the runner's connection settings.",
  // `missingBoth` is never reported here: require-lock-timeout reports a statement that lacks both (see timeouts.ts).
  messages: {
    missing: ({ lock }: { lock: string }) => `no statement_timeout is set before a statement that takes ${lock}`,
    missingBoth: ({ lock }: { lock: string }) => `neither lock_timeout nor statement_timeout is set before a statement that takes ${lock}`,
  },
  history: (count) => appliedMigrations(count, 'takes a blocking lock without statement_timeout', 'take blocking locks without statement_timeout'),
  check(ctx) {
    reportMissingTimeout(ctx, 'statement_timeout');
  },
});
