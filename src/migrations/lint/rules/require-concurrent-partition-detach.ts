// Protects against DETACH PARTITION taking ACCESS EXCLUSIVE on the partitioned table. docs/migrations.md#require-concurrent-partition-detach
import { alterTableCommands, appliedMigrations, defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-concurrent-partition-detach',
  squawk: true,
  title: 'DETACH PARTITION without CONCURRENTLY',
  description: 'DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the parent table: every query on any partition waits.',
  severity: 'high',
  fix: 'Use ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PG 14+) outside a transaction.',
  messages: { detach: ({ table }: { table: string }) => `DETACH PARTITION on ${table} without CONCURRENTLY locks the whole partitioned table` },
  history: (count) => appliedMigrations(count, 'detaches a partition without CONCURRENTLY', 'detach partitions without CONCURRENTLY'),
  check(ctx) {
    for (const { file, entry, table, command } of alterTableCommands(ctx.project)) {
      if (command.subtype !== 'AT_DetachPartition') continue;
      if (command.def !== undefined && 'PartitionCmd' in command.def && command.def.PartitionCmd.concurrent === true) continue;
      ctx.report({ messageId: 'detach', data: { table }, location: statementLocation(file, entry.statement), detail: `Looked for CONCURRENTLY in: ${quote(entry.statement)}` });
    }
  },
});
