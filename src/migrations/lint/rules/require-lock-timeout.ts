// Protects against a DDL statement queueing behind a long transaction and blocking everyone behind it. docs/migrations.md#require-lock-timeout
import { appliedMigrations, defineMigrationRule } from '../context.js';
import { reportMissingTimeout } from '../timeouts.js';

export default defineMigrationRule({
  name: 'require-lock-timeout',
  squawk: true,
  title: 'Blocking lock without lock_timeout',
  description:
    'A statement that needs a strong lock waits behind any long-running transaction, and every query that arrives meanwhile queues behind it. lock_timeout turns that outage into a failed, retryable migration.',
  severity: 'medium',
  fix: "SET lock_timeout = '2s'; at the top of the migration (or in the runner's connection settings), and retry the migration when it times out.",
  messages: {
    missing: ({ lock }: { lock: string }) => `no lock_timeout is set before a statement that takes ${lock}`,
    missingBoth: ({ lock }: { lock: string }) => `neither lock_timeout nor statement_timeout is set before a statement that takes ${lock}`,
  },
  history: (count) => appliedMigrations(count, 'takes a blocking lock without lock_timeout', 'take blocking locks without lock_timeout'),
  check(ctx) {
    reportMissingTimeout(ctx, 'lock_timeout');
  },
});
