// Protects against pages that run one query per row: an awaited query inside a loop over another query's results. Docs: docs/rules/performance/n-plus-one.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { methodCall, walkAst } from '../../project/ast.js';
import { isFunctionNode, nodeSite, parseGated, serverCodeFiles, type CodeSite } from '../../project/code-scope.js';
import type { ParsedSource } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Receivers that are database clients by convention (Prisma, Drizzle, Knex, pg, mysql2, TypeORM, Sequelize, Mongoose models are not guessed). */
const DB_RECEIVER = /^(?:prisma|db|database|knex|pool|pg|client|sql|conn|connection|trx|tx|orm|em|entityManager|manager|dataSource|sequelize|\w*[Rr]epository|\w*[Rr]epo)$/;
/** ORM methods that always query. */
const ORM_METHODS = new Set(['findMany', 'findFirst', 'findUnique', 'findFirstOrThrow', 'findUniqueOrThrow', 'findOne', 'findOneBy', 'findOneOrFail', 'findBy', 'findByPk', 'findAll', 'findAndCountAll', 'findAndCount']);
/** Methods of a database client that query. */
const CLIENT_METHODS = new Set(['query', 'find', 'findOneByOrFail', 'execute', 'select', 'insert', 'update', 'delete', 'count', 'aggregate', 'raw', 'first', 'where', 'from', 'one', 'oneOrNone', 'many', 'manyOrNone', 'any', 'none', 'get', 'all', 'run', '$queryRaw', '$queryRawUnsafe', ...ORM_METHODS]);
const GATE = /\b(?:findMany|findFirst|findUnique|findOne|findAll|findByPk|findBy|query|execute|select|\$queryRaw)\b/;
/** A loop that can await per item: for…of/in, an async map/forEach callback, or Promise.all over a map. */
const LOOP_GATE = /\bfor\s*\([^;)]*\b(?:of|in)\b|\.(?:map|forEach)\s*\(\s*async\b|Promise\.all\s*\(\s*[\w$.]+\.map\s*\(/;

/** Database clients, ORMs and query builders. */
const DB_CLIENTS = ['pg', 'mysql2', 'mysql', 'knex', 'sequelize', 'typeorm', '@prisma/client', 'prisma', 'drizzle-orm', 'postgres', 'better-sqlite3', 'sqlite3', 'pg-promise', 'slonik', 'mssql', 'kysely', '@mikro-orm/core', 'mongoose', 'mongodb', '@libsql/client', '@neondatabase/serverless', '@vercel/postgres'];

type Messages = { queryInLoop: { outer: string } };

/** The first named receiver of a call chain: `this.prisma.user.findMany()` → prisma, `db.select().from(t)` → db. */
function rootReceiver(node: Node): string | undefined {
  let current: Node = node;
  let name: string | undefined;
  for (let depth = 0; depth < 12; depth += 1) {
    if (current.type === 'CallExpression') current = current.callee;
    else if (current.type === 'MemberExpression') {
      if (current.object.type === 'ThisExpression' && current.property.type === 'Identifier') return current.property.name;
      current = current.object;
    } else if (current.type === 'TSNonNullExpression' || current.type === 'ParenthesizedExpression') current = current.expression;
    else break;
  }
  if (current.type === 'Identifier') name = current.name;
  return name;
}

function isDbCall(node: Node | null | undefined): boolean {
  if (node === null || node === undefined) return false;
  if (node.type === 'AwaitExpression') return isDbCall(node.argument);
  if (node.type === 'TaggedTemplateExpression') {
    const tag = node.tag;
    return (tag.type === 'Identifier' && tag.name === 'sql') || (tag.type === 'MemberExpression' && tag.property.type === 'Identifier' && /^\$(?:queryRaw|executeRaw)$/.test(tag.property.name));
  }
  if (node.type !== 'CallExpression') return false;
  const call = methodCall(node);
  if (call === undefined) return false;
  if (ORM_METHODS.has(call.method)) return true;
  const root = rootReceiver(node);
  return root !== undefined && DB_RECEIVER.test(root) && CLIENT_METHODS.has(call.method);
}

/** Names bound to the result of an awaited query anywhere in the file (`const users = await …`, `const { rows } = await …`). */
function queryResults(source: ParsedSource): Map<string, string> {
  const names = new Map<string, string>();
  walkAst(source.program, (node) => {
    if (node.type !== 'VariableDeclarator' || node.init === null || !isDbCall(node.init)) return;
    const site = source.lineIndex.position(node.start).line;
    if (node.id.type === 'Identifier') names.set(node.id.name, `line ${site}`);
    if (node.id.type === 'ObjectPattern') {
      for (const property of node.id.properties) {
        if (property.type === 'Property' && property.value.type === 'Identifier') names.set(property.value.name, `line ${site}`);
      }
    }
  });
  return names;
}

function iterableRoot(node: Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression') return iterableRoot(node.object);
  if (node.type === 'AwaitExpression') return undefined;
  return undefined;
}

/** The first query awaited (or returned from a map callback) inside `body`, not inside a nested function other than `callback`. */
function innerQuery(body: Node, isCallback: boolean): Node | undefined {
  let found: Node | undefined;
  // `rows.map((row) => db.query(…))`: an expression-bodied arrow returns the query.
  if (isCallback && body.type === 'ArrowFunctionExpression' && body.body.type !== 'BlockStatement' && isDbCall(body.body)) return body.body;
  walkAst(body, (node) => {
    if (found !== undefined) return false;
    if (node !== body && isFunctionNode(node)) return false;
    if (node.type === 'AwaitExpression' && isDbCall(node.argument)) {
      found = node.argument;
      return false;
    }
    if (isCallback && node.type === 'ReturnStatement' && isDbCall(node.argument)) {
      found = node.argument ?? undefined;
      return false;
    }
    return undefined;
  });
  return found;
}

export default defineScanRule({
  id: 'performance/n-plus-one',
  title: 'No query per row of another query',
  description:
    'Loading 50 projects and then their owners one by one is 51 round trips: fine with twelve rows on localhost, seconds per page and a saturated pool in production.',
  category: 'performance',
  severity: 'medium',
  checklist: 'query-performance',
  docs: 'docs/rules/performance/n-plus-one.md',
  fix: 'Fetch the related rows in the same query (JOIN, Prisma include/select, Drizzle with, TypeORM relations) or in one batched query (WHERE id = ANY($1), findMany({ where: { id: { in: ids } } })).',
  options: noOptions,
  messages: {
    queryInLoop: ({ outer }: Messages['queryInLoop']) => `A query runs once per row of ${outer}`,
  },
  check(ctx) {
    const { project } = ctx;
    // Queries run on the server: server packages' scopes and any package with a database client.
    const files = serverCodeFiles(project, DB_CLIENTS);
    for (const source of parseGated(project, files, (text) => LOOP_GATE.test(text) && GATE.test(text) && text.includes('await'))) {
      const results = queryResults(source);
      if (results.size === 0) continue;
      const findings: Array<{ site: CodeSite; outer: string; from: string }> = [];
      walkAst(source.program, (node) => {
        let iterable: Node | undefined;
        let body: Node | undefined;
        let isCallback = false;
        if (node.type === 'ForOfStatement' || node.type === 'ForInStatement') {
          iterable = node.right;
          body = node.body;
        } else if (node.type === 'CallExpression') {
          const call = methodCall(node);
          const callback = node.arguments[0];
          if (call !== undefined && (call.method === 'map' || call.method === 'forEach') && callback !== undefined && isFunctionNode(callback)) {
            iterable = call.object;
            body = callback;
            isCallback = true;
          }
        }
        if (iterable === undefined || body === undefined) return;
        const name = iterableRoot(iterable);
        const from = name === undefined ? undefined : results.get(name);
        if (name === undefined || from === undefined) return;
        const inner = innerQuery(body, isCallback);
        if (inner === undefined) return;
        findings.push({ site: nodeSite(source, inner), outer: name, from });
      });
      for (const finding of findings) {
        ctx.report({
          messageId: 'queryInLoop',
          data: { outer: finding.outer },
          location: finding.site,
          detail: `${finding.outer} holds the result of a query (${finding.from}); this query runs inside a loop (for…of, .map or .forEach) over it, once per row. Recognised clients: Prisma, Drizzle, Knex, TypeORM, Sequelize, pg/mysql2 (receivers named prisma, db, knex, pool, client, sql, …Repository).`,
          key: `${finding.site.line}:${finding.site.column}`,
        });
      }
    }
  },
});
