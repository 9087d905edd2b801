// Protects against a slow statement holding its lock for as long as it takes. docs/migrations.md#require-statement-timeout
import { blockingLock, describeStaticLock } from '../timeouts.js';
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

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
    for (const { file, entry } of eachStatement(ctx.project)) {
      const lock = blockingLock(entry);
      if (lock === undefined || entry.statementTimeoutSet) continue;
      ctx.report({
        messageId: 'missing',
        data: { lock: describeStaticLock(lock) },
        location: statementLocation(file, entry.statement),
        detail: `Looked for SET statement_timeout earlier in ${file.parsed.source.path} before: ${quote(entry.statement)}`,
      });
    }
  },
});
