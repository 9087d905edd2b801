// Protects against a DDL statement queueing behind a long transaction and blocking everyone behind it. docs/migrations.md#require-lock-timeout
import { blockingLock, describeStaticLock } from '../timeouts.js';
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

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
    for (const { file, entry } of eachStatement(ctx.project)) {
      const lock = blockingLock(entry);
      if (lock === undefined || entry.lockTimeoutSet) continue;
      ctx.report({
        messageId: 'missing',
        data: { lock: describeStaticLock(lock) },
        location: statementLocation(file, entry.statement),
        detail: `Looked for SET lock_timeout earlier in ${file.parsed.source.path} before: ${quote(entry.statement)}`,
      });
    }
  },
});
