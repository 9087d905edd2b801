// Protects against ALTER TYPE … ADD VALUE failing or its value being unusable inside a transaction. docs/migrations.md#enum-value-in-transaction
import { stringsOf } from '../../sql/ast.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'enum-value-in-transaction',
  title: 'Enum value added inside a transaction',
  description:
    'Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block at all; from 12 on, the new value cannot be used until the transaction commits, so a later statement of the same transaction that uses it fails.',
  severity: 'high',
  fix: 'Add the enum value in its own migration (outside a transaction before PG 12) and use it in a later migration.',
  messages: {
    oldVersion: ({ type, version }: { type: string; version: string }) => `ALTER TYPE ${type} ADD VALUE fails inside a transaction on ${version}`,
    usedTooEarly: ({ value }: { value: string }) => `the new enum value '${value}' is used before the transaction that adds it commits`,
  },
  check(ctx) {
    const { major, source } = ctx.project.pgVersion;
    for (const file of ctx.project.files) {
      file.statements.forEach((entry, position) => {
        if (!('AlterEnumStmt' in entry.node) || entry.node.AlterEnumStmt.newVal === undefined || !entry.inTransaction) return;
        const type = stringsOf(entry.node.AlterEnumStmt.typeName).join('.');
        const value = entry.node.AlterEnumStmt.newVal;
        if (major < 12) {
          ctx.report({ messageId: 'oldVersion', data: { type, version: `PostgreSQL ${major} (from ${source})` }, location: statementLocation(file, entry.statement), detail: `${file.migration.transactionReason}: ${quote(entry.statement)}` });
          return;
        }
        const literal = `'${value.replace(/'/g, "''")}'`;
        const user = file.statements.slice(position + 1).find((later) => later.inTransaction && later.statement.text.includes(literal));
        if (user === undefined) return;
        ctx.report({
          messageId: 'usedTooEarly',
          data: { value },
          location: statementLocation(file, user.statement),
          detail: `Line ${entry.statement.startPosition.line} adds ${literal} to ${type} in the same transaction (${file.migration.transactionReason}): ${quote(user.statement)}`,
        });
      });
    }
  },
});
