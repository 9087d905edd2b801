// Protects against SQL injection: client values spliced into SQL text instead of passed as parameters. Docs: docs/rules/security/sql-injection.md
import type { Expression, Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { methodCall, walkAst } from '../../project/ast.js';
import { constantStrings, nodeSite, nodeText, parseGated, serverCodeFiles } from '../../project/code-scope.js';
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
const UPPER_CONSTANT = /^[A-Z][A-Z0-9_]*$/;

/** Database clients and query builders: a package depending on one can execute SQL. */
const DB_CLIENTS = ['pg', 'mysql2', 'mysql', 'knex', 'sequelize', 'typeorm', '@prisma/client', 'prisma', 'drizzle-orm', 'postgres', 'better-sqlite3', 'sqlite3', 'sqlite', '@databases/pg', 'pg-promise', 'slonik', 'mssql', 'oracledb', 'kysely', '@mikro-orm/core', '@libsql/client', '@neondatabase/serverless', '@vercel/postgres'];

type Messages = { interpolated: { sink: string } };

interface FileFacts {
  readonly constants: Set<string>;
  readonly initializers: Map<string, Expression>;
}

function facts(source: ParsedSource): FileFacts {
  const initializers = new Map<string, Expression>();
  walkAst(source.program, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init !== null) initializers.set(node.id.name, node.init);
  });
  return { constants: constantStrings(source), initializers };
}

/** True when the expression's value cannot come from a request: literals, UPPER_CASE constants, const strings, ternaries of those, placeholder lists. */
function isConstant(node: Node, file: FileFacts, source: ParsedSource, depth = 0): boolean {
  if (depth > 4) return false;
  switch (node.type) {
    case 'Literal':
      return true;
    case 'Identifier': {
      if (UPPER_CONSTANT.test(node.name) || file.constants.has(node.name)) return true;
      const init = file.initializers.get(node.name);
      return init !== undefined && isConstant(init, file, source, depth + 1);
    }
    case 'MemberExpression':
      return node.object.type === 'Identifier' && UPPER_CONSTANT.test(node.object.name);
    case 'TemplateLiteral':
      return node.expressions.every((expression) => isConstant(expression, file, source, depth + 1));
    case 'BinaryExpression':
      return isConstant(node.left, file, source, depth + 1) && isConstant(node.right, file, source, depth + 1);
    case 'ConditionalExpression':
      return isConstant(node.consequent, file, source, depth + 1) && isConstant(node.alternate, file, source, depth + 1);
    case 'LogicalExpression':
      return isConstant(node.left, file, source, depth + 1) && isConstant(node.right, file, source, depth + 1);
    case 'ParenthesizedExpression':
      return isConstant(node.expression, file, source, depth + 1);
    case 'CallExpression': {
      // `ids.map((_, i) => `$${i + 1}`).join(', ')`: a list of placeholders, not values.
      const text = nodeText(source, node);
      return /\.join\s*\(/.test(text) && /\.map\s*\(/.test(text) && /['"`]\s*\??\$?\??\s*['"`]|`\$\$\{|'\$'\s*\+|['"`]\?['"`]/.test(text);
    }
    default:
      return false;
  }
}

/** The SQL text of a string-building expression with at least one non-constant part, or undefined. */
function dynamicSql(node: Node, file: FileFacts, source: ParsedSource, depth = 0): string | undefined {
  if (depth > 2) return undefined;
  if (node.type === 'Identifier') {
    const init = file.initializers.get(node.name);
    return init === undefined ? undefined : dynamicSql(init, file, source, depth + 1);
  }
  if (node.type === 'TemplateLiteral') {
    if (node.expressions.length === 0 || isConstant(node, file, source)) return undefined;
    return node.quasis.map((quasi) => quasi.value.raw).join(' ');
  }
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    if (isConstant(node, file, source)) return undefined;
    const text = nodeText(source, node);
    // Concatenation of literal SQL with a value: the literal parts carry the keywords.
    return /['"`]/.test(text) ? text : undefined;
  }
  return undefined;
}

export default defineScanRule({
  id: 'security/sql-injection',
  title: 'SQL is never built from interpolated values',
  description:
    'SQL assembled with template literals or string concatenation runs whatever the value contains: one quote in a request field reads or deletes every row. Values must travel as bind parameters.',
  category: 'security',
  severity: 'critical',
  checklist: 'input-validation',
  docs: 'docs/rules/security/sql-injection.md',
  fix: "Pass values as parameters: pool.query('SELECT … WHERE email = $1', [email]), Prisma's tagged $queryRaw`…${email}`, knex whereRaw('email = ?', [email]). Identifiers (sort columns) come from an allow-list.",
  options: noOptions,
  messages: {
    interpolated: ({ sink }: Messages['interpolated']) => `SQL passed to ${sink}() is built from interpolated values`,
  },
  check(ctx) {
    const { project } = ctx;
    // SQL runs on the server: server packages' scopes and any package with a database client.
    const files = serverCodeFiles(project, DB_CLIENTS);
    for (const source of parseGated(project, files, (text) => mayBuildStrings(text) && DYNAMIC_ARGUMENT.test(text) && (SQL_VERB.test(text) || SQL_ONLY_GATE.test(text)) && GATE.test(text))) {
      const file = facts(source);
      walkAst(source.program, (node) => {
        if (node.type !== 'CallExpression') return;
        const call = methodCall(node);
        const first = node.arguments[0];
        if (call === undefined || !SINKS.has(call.method) || first === undefined) return;
        const sql = dynamicSql(first, file, source);
        if (sql === undefined) return;
        const words = GENERIC_SINKS.test(call.method) ? SQL_STATEMENT : SQL_ONLY_SINKS.test(call.method) ? /[\s\S]/ : SQL_WORDS;
        if (!words.test(sql)) return;
        ctx.report({
          messageId: 'interpolated',
          data: { sink: call.method },
          location: nodeSite(source, first),
          detail:
            `The first argument of .${call.method}() is SQL text built with ${first.type === 'TemplateLiteral' ? 'a template literal' : first.type === 'Identifier' ? `a variable (${first.name}) assigned from a template literal or concatenation` : 'string concatenation'} ` +
            'that includes a value which is not a literal, an UPPER_CASE constant or a placeholder list.',
        });
      });
    }
  },
});

