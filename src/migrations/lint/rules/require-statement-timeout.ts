// Protects against a slow statement holding its lock for as long as it takes. docs/migrations.md#require-statement-timeout
import { blockingLock, describeStaticLock } from '../timeouts.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-statement-timeout',
  squawk: true,
  title: 'Blocking statement without statement_timeout',
  description: 'Without statement_timeout a statement holding a strong lock (a rewrite, a validation scan) keeps it for as long as it runs.',
  severity: 'medium',
  fix: "SET statement_timeout = '5min'; (a bound you accept as an outage) at the top of the migration, or in the runner's connection settings.",
  messages: { missing: ({ lock }: { lock: string }) => `no statement_timeout is set before a statement that takes ${lock}` },
  check(ctx) {
    if (ctx.project.timeoutsSetByRunner) return;
    // One finding per file, at the first statement that needs the timeout: one SET at the top fixes them all.
    for (const file of ctx.project.files) {
      const needing = file.statements.filter((entry) => !entry.statementTimeoutSet && blockingLock(entry) !== undefined);
      const first = needing[0];
      const lock = first === undefined ? undefined : blockingLock(first);
      if (first === undefined || lock === undefined) continue;
      ctx.report({
        messageId: 'missing',
        data: { lock: describeStaticLock(lock) },
        location: statementLocation(file, first.statement),
        detail: `Looked for SET statement_timeout in ${file.parsed.source.path} before: ${quote(first.statement)}${needing.length > 1 ? ` (and ${needing.length - 1} later statement(s) of this file that take a blocking lock)` : ''}`,
      });
    }
  },
});
