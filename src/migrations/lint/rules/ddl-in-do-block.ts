// Protects against schema changes hidden from review and linting inside DO blocks. docs/migrations.md#ddl-in-do-block
import type { Node } from 'libpg-query';
import { alterCommands, isRecord, relationKey } from '../../sql/ast.js';
import { pgParser } from '../../sql/parse.js';
import { appliedMigrations, defineMigrationRule, eachStatement, type LintedStatement, quote, statementLocation } from '../context.js';

const DDL = /\b(ALTER\s+(TABLE|TYPE|DOMAIN|INDEX)|CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+(TABLE|COLUMN|INDEX)|TRUNCATE|RENAME)\b/i;

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Collects the SQL of `PLpgSQL_stmt_execsql` statements under a list of PL/pgSQL statements. Returns false
 * for anything else that could run SQL out of sight (EXECUTE strings, PERFORM, loops, IF conditions…), so
 * the caller cannot vouch for the block. `null;` leaves no statement, RAISE runs no SQL.
 */
function collectSql(statements: unknown, into: string[]): boolean {
  for (const statement of listOf(statements)) {
    if (!isRecord(statement)) return false;
    const [kind, body] = Object.entries(statement)[0] ?? [];
    if (!isRecord(body)) return false;
    if (kind === 'PLpgSQL_stmt_block') {
      if (!collectSql(body.body, into)) return false;
      const handlers = isRecord(body.exceptions) && isRecord(body.exceptions.PLpgSQL_exception_block) ? body.exceptions.PLpgSQL_exception_block.exc_list : [];
      for (const handler of listOf(handlers)) {
        if (!isRecord(handler) || !isRecord(handler.PLpgSQL_exception) || !collectSql(handler.PLpgSQL_exception.action, into)) return false;
      }
    } else if (kind === 'PLpgSQL_stmt_execsql') {
      const expression = isRecord(body.sqlstmt) ? body.sqlstmt.PLpgSQL_expr : undefined;
      if (!isRecord(expression) || typeof expression.query !== 'string') return false;
      into.push(expression.query);
    } else if (kind !== 'PLpgSQL_stmt_return' && kind !== 'PLpgSQL_stmt_raise') {
      return false;
    }
  }
  return true;
}

/**
 * The plain SQL statements a `DO` block runs, read with libpg-query's PL/pgSQL parser; undefined when the
 * block is not PL/pgSQL, does not parse, or runs anything but plain SQL statements.
 */
function bodyStatements(doText: string): Node[] | undefined {
  const sql: string[] = [];
  const { hasSqlDetails, parsePlPgSQLSync, parseSync } = pgParser();
  try {
    // Typed as ParseResult but really the PL/pgSQL tree (`plpgsql_funcs`): read it as unknown, with guards.
    const parsed: unknown = parsePlPgSQLSync(doText);
    const functions = isRecord(parsed) ? listOf(parsed.plpgsql_funcs) : [];
    const first = functions[0];
    const action = functions.length === 1 && isRecord(first) && isRecord(first.PLpgSQL_function) ? first.PLpgSQL_function.action : undefined;
    if (action === undefined || !collectSql([action], sql)) return undefined;
    return sql.flatMap((query) => (parseSync(query).stmts ?? []).flatMap((raw) => (raw.stmt === undefined ? [] : [raw.stmt])));
  } catch (error) {
    // libpg-query throws an Error for SQL it rejects (as in parseSql); anything else is a bug.
    if (!hasSqlDetails(error) && !(error instanceof Error)) throw new Error('libpg-query failed', { cause: error });
    // A body the PL/pgSQL or SQL parser rejects cannot be vouched for; the rule falls back to its text search.
    return undefined;
  }
}

/** The table a statement changes, for the statements drizzle-kit and similar tools wrap in DO blocks. */
function changedTable(node: Node): string | undefined {
  const alter = alterCommands(node);
  if (alter !== undefined) return relationKey(alter.relation);
  if ('IndexStmt' in node && node.IndexStmt.concurrent !== true) return relationKey(node.IndexStmt.relation);
  return undefined;
}

/**
 * True when every statement of the DO block alters or indexes a table created earlier in the same file
 * (drizzle-kit's `DO $$ BEGIN ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …; EXCEPTION WHEN duplicate_object
 * THEN null; END $$;` after its CREATE TABLEs): such a table holds no rows and no other session sees it.
 * The referenced table of a foreign key only gets a brief SHARE ROW EXCLUSIVE lock, as with a plain
 * statement, which no rule reports either.
 */
function touchesOnlyNewTables(entry: LintedStatement, text: string): boolean {
  const statements = bodyStatements(text);
  if (statements === undefined || statements.length === 0) return false;
  return statements.every((node) => {
    const table = changedTable(node);
    return table !== undefined && table !== '' && !entry.isExisting(table);
  });
}

export default defineMigrationRule({
  name: 'ddl-in-do-block',
  title: 'DDL inside a DO block',
  description: 'Schema changes inside DO $$ … $$ (often EXECUTE strings) take the same locks as plain DDL, but linters and reviewers cannot see them.',
  severity: 'medium',
  fix: 'Write the DDL as plain statements (use IF [NOT] EXISTS for idempotence) so it can be linted and its locks reviewed.',
  messages: { hidden: ({ keyword }: { keyword: string }) => `DO block runs ${keyword}, hidden from static checks` },
  history: (count) => appliedMigrations(count, 'runs DDL inside a DO block', 'run DDL inside DO blocks'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('DoStmt' in entry.node)) continue;
      let body = '';
      for (const arg of entry.node.DoStmt.args ?? []) {
        if ('DefElem' in arg && arg.DefElem.defname === 'as' && arg.DefElem.arg !== undefined && 'String' in arg.DefElem.arg) body = arg.DefElem.arg.String.sval ?? '';
      }
      const match = DDL.exec(body);
      if (match === null || touchesOnlyNewTables(entry, entry.statement.text)) continue;
      ctx.report({
        messageId: 'hidden',
        data: { keyword: match[0].replace(/\s+/g, ' ').toUpperCase() },
        location: statementLocation(file, entry.statement),
        detail: `Searched the DO body for ALTER/CREATE INDEX/DROP/TRUNCATE/RENAME: ${quote(entry.statement)}`,
      });
    }
  },
});
