// Protects against ALTER TYPE … ADD VALUE failing or its value being unusable inside a transaction. docs/migrations.md#enum-value-in-transaction
import type { Node } from 'libpg-query';
import { isRecord, stringsOf, typeNameOf } from '../../sql/ast.js';
import { declaredColumns } from '../columns.js';
import { appliedMigrations, defineMigrationRule, type LintedFile, type LintedStatement, quote, statementLocation } from '../context.js';

interface Located {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
  /** In a later migration of the run, where an equal string is a use only if the statement touches the type. */
  readonly laterMigration: boolean;
}

/**
 * The statements after `position` that share its transaction: the rest of the file's transaction, and,
 * when the runner wraps the whole run in one transaction (Drizzle, TypeORM, MikroORM, Kysely), the later
 * migrations of the set up to the first one that runs outside it (which commits it).
 */
function* sameTransactionAfter(files: readonly LintedFile[], fileIndex: number, position: number): Generator<Located> {
  const file = files[fileIndex];
  const adding = file?.statements[position];
  if (file === undefined || adding === undefined) return;
  for (const entry of file.statements.slice(position + 1)) if (entry.transaction === adding.transaction) yield { file, entry, laterMigration: false };
  if (file.migration.transaction !== 'per-run') return;
  for (const later of files.slice(fileIndex + 1)) {
    if (later.set !== file.set) continue;
    if (later.migration.transaction !== 'per-run') return;
    for (const entry of later.statements) if (entry.runnerTransaction) yield { file: later, entry, laterMigration: true };
  }
}

/** Whether any node of the parse tree satisfies `test`. */
function someNode(node: unknown, test: (key: string, child: unknown) => boolean): boolean {
  if (Array.isArray(node)) return node.some((item) => someNode(item, test));
  if (typeof node !== 'object' || node === null) return false;
  return Object.entries(node).some(([key, child]) => test(key, child) || someNode(child, test));
}

/** Whether the parse tree holds the string constant `value` (a use of the label, not a comment on it). */
function hasStringConstant(node: unknown, value: string): boolean {
  return someNode(node, (key, child) => key === 'A_Const' && isRecord(child) && isRecord(child['sval']) && child['sval']['sval'] === value);
}

/** Whether the statement names the enum type (a cast, a column type) or a table with a column of that type. */
function touchesType(node: Node, type: string, tables: ReadonlySet<string>): boolean {
  return someNode(node, (key, child) => {
    // The parser wraps a node in its type name inside lists (`{ RangeVar: … }`) but not as a field (`relation`, `typeName`).
    if ((key === 'TypeName' || key === 'typeName') && isRecord(child)) {
      const names: unknown = child['names'];
      const last: unknown = Array.isArray(names) ? names[names.length - 1] : undefined;
      return isRecord(last) && isRecord(last['String']) && last['String']['sval'] === type;
    }
    return (key === 'RangeVar' || key === 'relation') && isRecord(child) && typeof child['relname'] === 'string' && tables.has(child['relname']);
  });
}

/** Statements that name labels without using them as values of the type. */
function definesLabels(node: Node): boolean {
  return 'AlterEnumStmt' in node || 'CreateEnumStmt' in node || 'CommentStmt' in node;
}

/**
 * The first statement that uses the new label. In the adding migration any equal string constant counts;
 * in a later migration of the run (where a label such as 'admin' may just be text in another table) only
 * in a statement that names the type or a table with a column of that type.
 */
function firstUse(value: string, type: string, tables: ReadonlySet<string>, candidates: Iterable<Located>): Located | undefined {
  for (const candidate of candidates) {
    const node = candidate.entry.node;
    if (definesLabels(node) || !hasStringConstant(node, value)) continue;
    if (!candidate.laterMigration || touchesType(node, type, tables)) return candidate;
  }
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
  history: (count) => appliedMigrations(count, 'uses or adds an enum value inside the transaction that adds it', 'use or add enum values inside the transaction that adds them'),
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
        const bareType = stringsOf(entry.node.AlterEnumStmt.typeName).pop() ?? type;
        const tables = new Set(declaredColumns(ctx.project).filter((declared) => typeNameOf(declared.typeName) === bareType).map((declared) => declared.table.slice(declared.table.lastIndexOf('.') + 1)));
        const user = firstUse(value, bareType, tables, sameTransactionAfter(ctx.project.files, fileIndex, position));
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
