// Protects against primary keys whose index is built under ACCESS EXCLUSIVE. docs/migrations.md#adding-serial-primary-key-field
import { alterCommands, columnDefOf, constraintOf, constraintsOf, relationKey } from '../../sql/ast.js';
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'adding-serial-primary-key-field',
  squawk: true,
  title: 'PRIMARY KEY without USING INDEX',
  description: 'Adding a PRIMARY KEY to an existing table builds its unique index (and may rewrite for a new serial column) under ACCESS EXCLUSIVE.',
  severity: 'high',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY idx ON t (id); then ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX idx.',
  messages: { primaryKey: ({ table }: { table: string }) => `PRIMARY KEY on existing table ${table} builds its index under ACCESS EXCLUSIVE` },
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      const alter = alterCommands(entry.node);
      if (alter === undefined) continue;
      const table = relationKey(alter.relation);
      if (!entry.isExisting(table)) continue;
      for (const command of alter.commands) {
        const column = command.subtype === 'AT_AddColumn' ? columnDefOf(command.def) : undefined;
        const candidates = command.subtype === 'AT_AddConstraint' ? [constraintOf(command.def)] : column !== undefined ? constraintsOf(column) : [];
        for (const constraint of candidates) {
          if (constraint?.contype !== 'CONSTR_PRIMARY' || constraint.indexname !== undefined) continue;
          ctx.report({ messageId: 'primaryKey', data: { table }, location: statementLocation(file, entry.statement), detail: `Looked for USING INDEX in: ${quote(entry.statement)}` });
        }
      }
    }
  },
});
