// Protects against ALTER TYPE … ADD VALUE failing or its value being unusable inside a transaction. docs/migrations.md#enum-value-in-transaction
import type { Node } from 'libpg-query';
import { stringsOf } from '../../sql/ast.js';
import { defineMigrationRule, type LintedFile, type LintedStatement, quote, statementLocation } from '../context.js';

interface Located {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
}

/**
 * The statements after `position` that share its transaction: the rest of the file's transaction, and,
 * when the runner wraps the whole run in one transaction (Drizzle, TypeORM), the later migrations of the
 * set that run in it too.
 */
function* sameTransactionAfter(files: readonly LintedFile[], fileIndex: number, position: number): Generator<Located> {
  const file = files[fileIndex];
  const adding = file?.statements[position];
  if (file === undefined || adding === undefined) return;
  for (const entry of file.statements.slice(position + 1)) if (entry.transaction === adding.transaction) yield { file, entry };
  if (file.migration.transaction !== 'per-run') return;
  for (const later of files.slice(fileIndex + 1)) {
    if (later.set !== file.set || later.migration.transaction !== 'per-run') continue;
    for (const entry of later.statements) if (entry.runnerTransaction) yield { file: later, entry };
  }
}

/** Whether the parse tree holds the string constant `value` (a use of the label, not a comment on it). */
function hasStringConstant(node: unknown, value: string): boolean {
  if (Array.isArray(node)) return node.some((item) => hasStringConstant(item, value));
  if (typeof node !== 'object' || node === null) return false;
  for (const [key, child] of Object.entries(node)) {
    if (key === 'A_Const' && typeof child === 'object' && child !== null && 'sval' in child) {
      const sval: unknown = child.sval;
      if (typeof sval === 'object' && sval !== null && 'sval' in sval && sval.sval === value) return true;
    }
    if (hasStringConstant(child, value)) return true;
  }
  return false;
}

/** Statements that name labels without using them as values of the type. */
function definesLabels(node: Node): boolean {
  return 'AlterEnumStmt' in node || 'CreateEnumStmt' in node || 'CommentStmt' in node;
}

function firstUse(value: string, candidates: Iterable<Located>): Located | undefined {
  for (const candidate of candidates) if (!definesLabels(candidate.entry.node) && hasStringConstant(candidate.entry.node, value)) return candidate;
  return undefined;
}

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
    ctx.project.files.forEach((file, fileIndex) => {
      file.statements.forEach((entry, position) => {
        if (!('AlterEnumStmt' in entry.node) || entry.node.AlterEnumStmt.newVal === undefined || !entry.inTransaction) return;
        const type = stringsOf(entry.node.AlterEnumStmt.typeName).join('.');
        const value = entry.node.AlterEnumStmt.newVal;
        if (major < 12) {
          ctx.report({ messageId: 'oldVersion', data: { type, version: `PostgreSQL ${major} (from ${source})` }, location: statementLocation(file, entry.statement), detail: `${file.migration.transactionReason}: ${quote(entry.statement)}` });
          return;
        }
        const user = firstUse(value, sameTransactionAfter(ctx.project.files, fileIndex, position));
        if (user === undefined) return;
        const literal = `'${value.replace(/'/g, "''")}'`;
        ctx.report({
          messageId: 'usedTooEarly',
          data: { value },
          location: statementLocation(user.file, user.entry.statement),
          detail: `${file.migration.path} line ${entry.statement.startPosition.line} adds ${literal} to ${type} in the same transaction (${file.migration.transactionReason}): ${quote(user.entry.statement)}`,
        });
      });
    });
  },
});
