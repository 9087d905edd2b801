// Protects against schema changes hidden from review and linting inside DO blocks. docs/migrations.md#ddl-in-do-block
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

const DDL = /\b(ALTER\s+(TABLE|TYPE|DOMAIN|INDEX)|CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+(TABLE|COLUMN|INDEX)|TRUNCATE|RENAME)\b/i;

export default defineMigrationRule({
  name: 'ddl-in-do-block',
  title: 'DDL inside a DO block',
  description: 'Schema changes inside DO $$ … $$ (often EXECUTE strings) take the same locks as plain DDL, but linters and reviewers cannot see them.',
  severity: 'medium',
  fix: 'Write the DDL as plain statements (use IF [NOT] EXISTS for idempotence) so it can be linted and its locks reviewed.',
  messages: { hidden: ({ keyword }: { keyword: string }) => `DO block runs ${keyword}, hidden from static checks` },
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('DoStmt' in entry.node)) continue;
      let body = '';
      for (const arg of entry.node.DoStmt.args ?? []) {
        if ('DefElem' in arg && arg.DefElem.defname === 'as' && arg.DefElem.arg !== undefined && 'String' in arg.DefElem.arg) body = arg.DefElem.arg.String.sval ?? '';
      }
      const match = DDL.exec(body);
      if (match === null) continue;
      ctx.report({
        messageId: 'hidden',
        data: { keyword: match[0].replace(/\s+/g, ' ').toUpperCase() },
        location: statementLocation(file, entry.statement),
        detail: `Searched the DO body for ALTER/CREATE INDEX/DROP/TRUNCATE/RENAME: ${quote(entry.statement)}`,
      });
    }
  },
});
