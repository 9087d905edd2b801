// Protects against DETACH PARTITION taking ACCESS EXCLUSIVE on the partitioned table. docs/migrations.md#require-concurrent-partition-detach
import { relationKey } from '../../sql/ast.js';
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-concurrent-partition-detach',
  squawk: true,
  title: 'DETACH PARTITION without CONCURRENTLY',
  description: 'DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the parent table: every query on any partition waits.',
  severity: 'high',
  fix: 'Use ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PG 14+) outside a transaction.',
  messages: { detach: ({ table }: { table: string }) => `DETACH PARTITION on ${table} without CONCURRENTLY locks the whole partitioned table` },
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      const alter = entry.alter;
      if (alter === undefined) continue;
      for (const command of alter.commands) {
        if (command.subtype !== 'AT_DetachPartition') continue;
        if (command.def !== undefined && 'PartitionCmd' in command.def && command.def.PartitionCmd.concurrent === true) continue;
        ctx.report({ messageId: 'detach', data: { table: relationKey(alter.relation) }, location: statementLocation(file, entry.statement), detail: `Looked for CONCURRENTLY in: ${quote(entry.statement)}` });
      }
    }
  },
});
