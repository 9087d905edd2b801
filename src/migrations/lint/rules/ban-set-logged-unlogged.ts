// Protects against SET LOGGED / SET UNLOGGED rewriting the whole table under ACCESS EXCLUSIVE. docs/migrations.md#ban-set-logged-unlogged
import { appliedMigrations, defineMigrationRule, existingTableCommands, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-set-logged-unlogged',
  title: 'SET LOGGED / SET UNLOGGED',
  description: 'ALTER TABLE … SET LOGGED or SET UNLOGGED rewrites the table (and writes all of it to WAL for LOGGED) under ACCESS EXCLUSIVE; UNLOGGED tables also lose their data on a crash and are not replicated.',
  severity: 'high',
  fix: 'Create a new table with the wanted persistence, copy in batches and swap names in a short transaction; keep production tables LOGGED.',
  messages: { persistence: ({ table, mode }: { table: string; mode: string }) => `SET ${mode} rewrites ${table} under ACCESS EXCLUSIVE` },
  history: (count) => appliedMigrations(count, 'sets a table LOGGED or UNLOGGED', 'set tables LOGGED or UNLOGGED'),
  check(ctx) {
    for (const { file, entry, table, command } of existingTableCommands(ctx.project)) {
      if (command.subtype !== 'AT_SetLogged' && command.subtype !== 'AT_SetUnLogged') continue;
      const mode = command.subtype === 'AT_SetLogged' ? 'LOGGED' : 'UNLOGGED';
      ctx.report({ messageId: 'persistence', data: { table, mode }, location: statementLocation(file, entry.statement), detail: `Found SET ${mode} in: ${quote(entry.statement)}` });
    }
  },
});
