// Protects against SQL injection: client values spliced into SQL text instead of passed as parameters. Docs: docs/rules/security/sql-injection.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { methodCall, walkAst } from '../../project/ast.js';
import { isFunctionNode, nodeSite, nodeText, parseGated, serverCodeFiles } from '../../project/code-scope.js';
import { createDataFlow, worstOrigin, type Origin } from '../../project/data-flow.js';
import type { ParsedSource } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Methods that execute their first argument as SQL text. */
const SINKS: ReadonlySet<string> = new Set([
  'query', 'execute', 'raw', 'whereRaw', 'orWhereRaw', 'havingRaw', 'orderByRaw', 'groupByRaw', 'joinRaw', 'fromRaw', 'selectRaw', 'unsafe',
  '$queryRawUnsafe', '$executeRawUnsafe', 'queryRawUnsafe', 'executeRawUnsafe', 'exec', 'all', 'get', 'run', 'prepare',
]);
/** Sinks whose name alone says SQL; the generic ones (`get`, `all`, `run`, `exec`) also need SQL keywords in the text. */
const GATE = /\.(?:query|execute|raw|whereRaw|orWhereRaw|havingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|exec|all|get|run|prepare)\s*\(/;
/** A sink whose first argument is built (template with substitutions, concatenation) or a variable: only such files are parsed. */
const DYNAMIC_ARGUMENT = /\.(?:query|execute|raw|\w+Raw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|queryRawUnsafe|executeRawUnsafe|exec|all|get|run|prepare)\s*\(\s*(?:`[^`]*\$\{|['"][^'"\n]*['"]\s*\+|[\w$.]+\s*[,)+])/;
/** Cheap file gate: an SQL verb anywhere (the precise SQL_WORDS check runs per call). */
const SQL_VERB = /\b(?:SELECT|INSERT|UPDATE|DELETE|select|insert|update|delete)\b/;
/** Cheapest gate (plain substring checks): SQL can only be built here if the file interpolates or concatenates strings. */
function mayBuildStrings(text: string): boolean {
  return text.includes('${') || text.includes("' +") || text.includes('" +') || text.includes('` +') || text.includes("+ '") || text.includes('+ "');
}
const SQL_WORDS = /\b(?:select\s[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|where|order\s+by|group\s+by|values\s*\()\b/i;
/** Sinks that only ever take SQL: no keyword check needed (`whereRaw(`owner_id = ${owner}`)`). */
const SQL_ONLY_SINKS = /^(?:whereRaw|orWhereRaw|havingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|queryRawUnsafe|executeRawUnsafe)$/;
const SQL_ONLY_GATE = /(?:Raw|Unsafe|\.unsafe)\s*\(/;
/** `get`/`all`/`run`/`exec`/`prepare` are common names outside SQL: they need a whole statement. */
const SQL_STATEMENT = /\b(?:select\s[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from)\b/i;
const GENERIC_SINKS = /^(?:exec|all|get|run|prepare)$/;

/** Database clients and query builders: a package depending on one can execute SQL. */
const DB_CLIENTS = ['pg', 'mysql2', 'mysql', 'knex', 'sequelize', 'typeorm', '@prisma/client', 'prisma', 'drizzle-orm', 'postgres', 'better-sqlite3', 'sqlite3', 'sqlite', '@databases/pg', 'pg-promise', 'slonik', 'mssql', 'oracledb', 'kysely', '@mikro-orm/core', '@libsql/client', '@neondatabase/serverless', '@vercel/postgres'];

type Messages = { fromRequest: { sink: string }; unproven: { sink: string } };

/** The text a variable of the enclosing function is given (initialiser and assignments), for the SQL keyword check. */
function valueText(source: ParsedSource, name: string, scope: Node, depth: number): { text: string; built: boolean } {
  const parts: string[] = [];
  let built = false;
  walkAst(scope, (inner) => {
    const value = inner.type === 'VariableDeclarator' && inner.id.type === 'Identifier' && inner.id.name === name ? inner.init : inner.type === 'AssignmentExpression' && inner.left.type === 'Identifier' && inner.left.name === name ? inner.right : null;
    if (value === null || value === undefined) return undefined;
    const found = sqlText(source, value, scope, depth + 1);
    if (found.built || (inner.type === 'AssignmentExpression' && inner.operator === '+=')) built = true;
    parts.push(found.text);
    return undefined;
  });
  return { text: parts.join(' '), built };
}

/** The static SQL text of an expression (template quasis, literals, the values of the variables it splices) and whether it is built from values. */
function sqlText(source: ParsedSource, node: Node, scope: Node, depth: number): { text: string; built: boolean } {
  if (depth > 3) return { text: '', built: false };
  if (node.type === 'TemplateLiteral') {
    const spliced = node.expressions.map((expression) => (expression.type === 'Identifier' ? valueText(source, expression.name, scope, depth).text : ''));
    return { text: [...node.quasis.map((quasi) => quasi.value.raw), ...spliced].join(' '), built: node.expressions.length > 0 };
  }
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const text = nodeText(source, node);
    // Concatenation of literal SQL with a value: the literal parts carry the keywords.
    return { text, built: /['"`]/.test(text) };
  }
  if (node.type === 'Identifier') return valueText(source, node.name, scope, depth);
  return { text: nodeText(source, node), built: false };
}

/**
 * The SQL text of a sink's first argument when it is built (a template literal with substitutions, a `+`
 * concatenation, or a variable of the enclosing function given such a value), else undefined: constant SQL and
 * SQL passed in from elsewhere (a wrapper's parameter) are not judged here.
 */
function builtSql(source: ParsedSource, node: Node, ancestors: readonly Node[]): string | undefined {
  const scope = [...ancestors].reverse().find((ancestor) => isFunctionNode(ancestor)) ?? source.program;
  const found = sqlText(source, node, scope, 0);
  return found.built ? found.text : undefined;
}

export default defineScanRule({
  id: 'security/sql-injection',
  title: 'SQL is never built from request input',
  description:
    'SQL assembled with template literals or string concatenation runs whatever the value contains: one quote in a request field reads or deletes every row. Values must travel as bind parameters, identifiers come from an allow-list.',
  category: 'security',
  severity: 'critical',
  checklist: 'input-validation',
  docs: 'docs/rules/security/sql-injection.md',
  fix: "Pass values as parameters: pool.query('SELECT … WHERE email = $1', [email]), Prisma's tagged $queryRaw`…${email}`, knex whereRaw('email = ?', [email]). Identifiers (sort columns) come from an allow-list or are quoted (sql.identifier, format('%I'), escapeIdentifier).",
  options: noOptions,
  messages: {
    fromRequest: ({ sink }: Messages['fromRequest']) => `SQL passed to ${sink}() is built from request input`,
    unproven: ({ sink }: Messages['unproven']) => `SQL passed to ${sink}() is built from a value that was not shown to be safe`,
  },
  check(ctx) {
    const { project } = ctx;
    // SQL runs on the server: server packages' scopes and any package with a database client. Production source only: scripts, seeds, migrations and tests have other roles.
    const files = serverCodeFiles(project, DB_CLIENTS);
    const flow = createDataFlow(project, serverCodeFiles(project));
    for (const source of parseGated(project, files, (text) => mayBuildStrings(text) && DYNAMIC_ARGUMENT.test(text) && (SQL_VERB.test(text) || SQL_ONLY_GATE.test(text)) && GATE.test(text))) {
      walkAst(source.program, (node, ancestors) => {
        if (node.type !== 'CallExpression') return;
        const call = methodCall(node);
        const first = node.arguments[0];
        if (call === undefined || !SINKS.has(call.method) || first === undefined || first.type === 'SpreadElement') return;
        const sql = builtSql(source, first, ancestors);
        if (sql === undefined) return;
        const words = GENERIC_SINKS.test(call.method) ? SQL_STATEMENT : SQL_ONLY_SINKS.test(call.method) ? /[\s\S]/ : SQL_WORDS;
        if (!words.test(sql)) return;
        const origins = flow.originsOf(source, first);
        const worst: Origin = worstOrigin(origins);
        // Only a demonstrated flow from the request is critical; a value not followed to its source is worth a look (medium); schema-parsed input whose schema was not read, low.
        const severity: Severity | undefined = worst.kind === 'request' ? 'critical' : worst.kind === 'unknown' ? 'medium' : worst.kind === 'validated' ? 'low' : undefined;
        if (severity === undefined) return;
        ctx.report({
          messageId: worst.kind === 'request' ? 'fromRequest' : 'unproven',
          data: { sink: call.method },
          location: nodeSite(source, first),
          severity,
          detail:
            `The first argument of .${call.method}() is SQL text built with ${first.type === 'TemplateLiteral' ? 'a template literal' : first.type === 'Identifier' ? `a variable (${first.name}) built from a template literal or concatenation` : 'string concatenation'}. ` +
            (worst.kind === 'request'
              ? `Request input reaches it unparameterised: ${worst.why}.`
              : worst.kind === 'validated'
                ? `It includes schema-parsed input (${worst.why}); whether the schema restricts it to safe values (an enum, a number) was not checked.`
                : `Not proven safe: ${worst.why}. Literals, constants, numbers, union-typed or enum values, Object.keys of code's own objects, placeholder lists, escapes (sql.identifier, format('%I'), escapeIdentifier), configuration and session values were recognised as safe; request input was looked for through variables, helpers of the file and the callers of its functions.`),
          key: `${nodeSite(source, first).line}:${nodeSite(source, first).column}`,
        });
      });
    }
  },
});
