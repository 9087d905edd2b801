// Protects against a DDL statement queueing behind a long transaction and blocking everyone behind it. docs/migrations.md#require-lock-timeout
import { blockingLock, describeStaticLock } from '../timeouts.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-lock-timeout',
  squawk: true,
  title: 'Blocking lock without lock_timeout',
  description:
    'A statement that needs a strong lock waits behind any long-running transaction, and every query that arrives meanwhile queues behind it. lock_timeout turns that outage into a failed, retryable migration.',
  severity: 'medium',
  fix: "SET lock_timeout = '2s'; at the top of the migration (or in the runner's connection settings), and retry the migration when it times out.",
  messages: { missing: ({ lock }: { lock: string }) => `no lock_timeout is set before a statement that takes ${lock}` },
  check(ctx) {
    if (ctx.project.timeoutsSetByRunner) return;
    // One finding per file, at the first statement that needs the timeout: one SET at the top fixes them all.
    for (const file of ctx.project.files) {
      const needing = file.statements.filter((entry) => !entry.lockTimeoutSet && blockingLock(entry) !== undefined);
      const first = needing[0];
      const lock = first === undefined ? undefined : blockingLock(first);
      if (first === undefined || lock === undefined) continue;
      ctx.report({
        messageId: 'missing',
        data: { lock: describeStaticLock(lock) },
        location: statementLocation(file, first.statement),
        detail: `Looked for SET lock_timeout in ${file.parsed.source.path} before: ${quote(first.statement)}${needing.length > 1 ? ` (and ${needing.length - 1} later statement(s) of this file that take a blocking lock)` : ''}`,
      });
    }
  },
});
