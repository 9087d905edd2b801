// Protects against pages that run one query per row: an awaited query inside a loop over another query's results. Docs: docs/rules/performance/n-plus-one.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { methodCall, walkAst } from '../../project/ast.js';
import { importersOf, isBackgroundJobPath, isFunctionNode, nodeSite, nodeText, parseGated, serverCodeFiles, type CodeSite } from '../../project/code-scope.js';
import type { Severity } from '../../core/severity.js';
import type { ParsedSource } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Receivers that are database clients by convention (Prisma, Drizzle, Knex, pg, mysql2, TypeORM, Sequelize, Mongoose models are not guessed). */
const DB_RECEIVER = /^(?:prisma|db|database|knex|pool|pg|client|sql|conn|connection|trx|tx|orm|em|entityManager|manager|dataSource|sequelize|\w*[Rr]epository|\w*[Rr]epo)$/;
/** ORM methods that always query. */
const ORM_METHODS = new Set(['findMany', 'findFirst', 'findUnique', 'findFirstOrThrow', 'findUniqueOrThrow', 'findOne', 'findOneBy', 'findOneOrFail', 'findBy', 'findByPk', 'findAll', 'findAndCountAll', 'findAndCount']);
/** Methods of a database client that query. */
const CLIENT_METHODS = new Set(['query', 'find', 'findOneByOrFail', 'execute', 'select', 'insert', 'update', 'delete', 'count', 'aggregate', 'raw', 'first', 'where', 'from', 'one', 'oneOrNone', 'many', 'manyOrNone', 'any', 'none', 'get', 'all', 'run', '$queryRaw', '$queryRawUnsafe', ...ORM_METHODS]);
const GATE = /\b(?:findMany|findFirst|findUnique|findOne|findAll|findByPk|findBy|query|execute|select|\$queryRaw)\b/;
/** A loop that can await per item: for…of, an async map/forEach callback, or Promise.all over a map. */
const LOOP_GATE = /\bfor\s*\([^;)]*\bof\b|\.(?:map|forEach)\s*\(\s*async\b|Promise\.all\s*\(\s*[\w$.]+\.map\s*\(/;
/** Methods that only write: one per row is a batch-write smell (often one updateMany/bulk statement), not a read per row. */
const WRITE_METHODS = new Set(['update', 'updateMany', 'delete', 'deleteMany', 'create', 'createMany', 'insert', 'upsert', 'save', 'remove', 'destroy', 'increment', 'decrement', 'updateOne', 'deleteOne', 'insertOne', 'set', 'run', 'execute', 'none', '$executeRaw', '$executeRawUnsafe']);
/** SQL text that reads. */
const READ_SQL = /^\s*(?:select|with)\b/i;
/** A literal page size at or below this bounds the outer query: a handful of follow-up queries is not N+1. */
const SMALL_BATCH = 10;

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

/** True when a query call only writes (`update`, `delete`, `INSERT …`): per-row writes are reported at low. */
function isWrite(source: ParsedSource, node: Node): boolean {
  const call = node.type === 'AwaitExpression' ? node.argument : node;
  if (call.type === 'TaggedTemplateExpression') return !READ_SQL.test(call.quasi.quasis[0]?.value.raw ?? '');
  if (call.type !== 'CallExpression') return false;
  const method = methodCall(call)?.method;
  if (method === undefined) return false;
  if (method === 'query' || method === 'execute' || method === '$queryRawUnsafe') {
    const first = call.arguments[0];
    const text = first === undefined ? '' : nodeText(source, first).replace(/^[`'"]/, '');
    return /^\s*(?:insert|update|delete|merge|upsert)\b/i.test(text);
  }
  return WRITE_METHODS.has(method);
}

interface QueryResult {
  readonly line: number;
  /** The function (or program) that declares the name: the loop must be inside it. */
  readonly scope: Node;
  /** A literal `take`/`limit`/`first` at or below SMALL_BATCH. */
  readonly bounded: boolean;
  /** `where: { workflowId }`: the children of one parent row (a workflow's steps, an order's items), not a table. */
  readonly perParent: boolean;
}

/** A foreign key by its name: `workflowId`, `parent_id`, `orderID`. */
const FOREIGN_KEY = /^\w+(?:Id|_id|ID)$/;

/** True when the query's `where` is one equality on a foreign key (`{ where: { workflowId } }`, `findBy({ orderId })`). */
function isPerParent(init: Node): boolean {
  const call = init.type === 'AwaitExpression' ? init.argument : init;
  if (call.type !== 'CallExpression') return false;
  const options = call.arguments[0];
  if (options === undefined || options.type !== 'ObjectExpression') return false;
  const whereProperty = options.properties.find((property) => property.type === 'Property' && property.key.type === 'Identifier' && property.key.name === 'where');
  const where = whereProperty?.type === 'Property' ? whereProperty.value : methodCall(call)?.method === 'findBy' ? options : undefined;
  if (where === undefined || where.type !== 'ObjectExpression' || where.properties.length !== 1) return false;
  const [only] = where.properties;
  if (only === undefined || only.type !== 'Property' || only.key.type !== 'Identifier' || !FOREIGN_KEY.test(only.key.name)) return false;
  return only.value.type !== 'ObjectExpression' && only.value.type !== 'ArrayExpression';
}

/** The name a function is called by: its declaration, the variable or property it is assigned to, the method. */
function functionName(fn: Node, parent: Node | undefined): string | undefined {
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id !== null && fn.id !== undefined) return fn.id.name;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && parent.key.type === 'Identifier') return parent.key.name;
  return undefined;
}

/**
 * The name of the function around the loop when it calls itself: a recursive walk over a tree (sub-collections,
 * nested folders), where each level's query needs the rows of the level above.
 */
function recursiveFunction(ancestors: readonly Node[]): string | undefined {
  let index = ancestors.length - 1;
  for (; index >= 0; index -= 1) {
    const ancestor = ancestors[index];
    if (ancestor !== undefined && isFunctionNode(ancestor)) break;
  }
  const fn = ancestors[index];
  if (fn === undefined) return undefined;
  const name = functionName(fn, ancestors[index - 1]);
  if (name === undefined) return undefined;
  let calls = false;
  walkAst(fn, (node) => {
    if (calls) return false;
    if (node.type !== 'CallExpression') return undefined;
    const callee = node.callee;
    if ((callee.type === 'Identifier' && callee.name === name) || (callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression' && callee.property.type === 'Identifier' && callee.property.name === name)) calls = true;
    return undefined;
  });
  return calls ? name : undefined;
}

/** True when the `.map` call's results are awaited together: `Promise.all(rows.map(async (row) => …))`. */
function isParallel(mapCall: Node, ancestors: readonly Node[]): boolean {
  const parent = ancestors[ancestors.length - 1];
  if (parent?.type !== 'CallExpression' || !parent.arguments.some((argument) => argument === mapCall)) return false;
  const callee = parent.callee;
  return callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Promise' && callee.property.type === 'Identifier' && /^(?:all|allSettled)$/.test(callee.property.name);
}

/** Names bound to the result of an awaited query (`const users = await …`, `const { rows } = await …`), per declaring function. */
function queryResults(source: ParsedSource): Map<string, QueryResult[]> {
  const names = new Map<string, QueryResult[]>();
  const add = (name: string, result: QueryResult): void => {
    names.set(name, [...(names.get(name) ?? []), result]);
  };
  walkAst(source.program, (node, ancestors) => {
    if (node.type !== 'VariableDeclarator' || node.init === null || !isDbCall(node.init)) return;
    const scope = [...ancestors].reverse().find((ancestor) => isFunctionNode(ancestor)) ?? source.program;
    const limit = /\b(?:take|limit|first)\s*[:(]\s*(\d+)\b/.exec(nodeText(source, node.init));
    const result = { line: source.lineIndex.position(node.start).line, scope, bounded: limit?.[1] !== undefined && Number(limit[1]) <= SMALL_BATCH, perParent: isPerParent(node.init) };
    if (node.id.type === 'Identifier') add(node.id.name, result);
    if (node.id.type === 'ObjectPattern') {
      for (const property of node.id.properties) {
        if (property.type === 'Property' && property.value.type === 'Identifier') add(property.value.name, result);
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
    // Production request paths only: source files in a deployed service's scope (its own and its workspace dependencies'); scripts, seeds, migrations and tests have other roles.
    const files = serverCodeFiles(project);
    for (const source of parseGated(project, files, (text) => LOOP_GATE.test(text) && GATE.test(text) && text.includes('await'))) {
      const results = queryResults(source);
      if (results.size === 0) continue;
      // A helper only background jobs import (a cron route's batch function) runs where nobody waits either.
      let background: boolean | undefined = isBackgroundJobPath(source.path) ? true : undefined;
      const isBackground = (): boolean => {
        if (background === undefined) {
          const importers = importersOf(project, files, source.path);
          background = importers.length > 0 && importers.every((importer) => isBackgroundJobPath(importer));
        }
        return background;
      };
      const findings: Array<{ site: CodeSite; outer: string; from: string; severity: Severity; why: string }> = [];
      walkAst(source.program, (node, ancestors) => {
        let iterable: Node | undefined;
        let body: Node | undefined;
        let isCallback = false;
        let parallel = false;
        // `for…in` walks keys or indices, not rows.
        if (node.type === 'ForOfStatement') {
          iterable = node.right;
          body = node.body;
        } else if (node.type === 'CallExpression') {
          const call = methodCall(node);
          const callback = node.arguments[0];
          if (call !== undefined && (call.method === 'map' || call.method === 'forEach') && callback !== undefined && isFunctionNode(callback)) {
            iterable = call.object;
            body = callback;
            isCallback = true;
            parallel = isParallel(node, ancestors);
          }
        }
        if (iterable === undefined || body === undefined) return;
        const name = iterableRoot(iterable);
        const from = name === undefined ? undefined : results.get(name)?.find((result) => result.scope === source.program || ancestors.includes(result.scope));
        if (name === undefined || from === undefined) return;
        const inner = innerQuery(body, isCallback);
        if (inner === undefined) return;
        const write = isWrite(source, inner);
        const recursive = recursiveFunction(ancestors);
        const smallParallel = parallel && from.perParent;
        // A read per row on a request path is the N+1 that slows pages; per-row writes, small bounded batches, recursive
        // tree walks, parallel lookups over one parent's children and background jobs are worth a look, not a fix now.
        const severity: Severity = write || from.bounded || recursive !== undefined || smallParallel || isBackground() ? 'low' : 'medium';
        const why = write
          ? 'The query in the loop writes (update/delete/insert) a row-specific change: often one batched statement, sometimes unavoidable (low).'
          : from.bounded
            ? `The outer query is limited to at most ${SMALL_BATCH} rows (low).`
            : recursive !== undefined
              ? `The loop is a recursive walk over a tree (${recursive}() calls itself): each level's query needs the rows of the level above, so an \`in\` list cannot batch it; only a recursive CTE or loading the whole tree would (low).`
              : smallParallel
                ? 'The outer query reads the children of one parent row (one foreign-key equality) and the per-row queries run in parallel under Promise.all: a few concurrent round trips, not one per row in sequence (low).'
                : isBackground()
                  ? 'The file is a background job (cron, worker, queue path) or only background jobs import it: not a request path (low).'
                  : 'The loop reads once per row on a request path of a deployed service (medium).';
        findings.push({ site: nodeSite(source, inner), outer: name, from: `line ${from.line}`, severity, why });
      });
      for (const finding of findings) {
        ctx.report({
          messageId: 'queryInLoop',
          data: { outer: finding.outer },
          location: finding.site,
          severity: finding.severity,
          detail: `${finding.outer} holds the result of a query (${finding.from}); this query runs inside a loop (for…of, .map or .forEach) over it, once per row. ${finding.why} Recognised clients: Prisma, Drizzle, Knex, TypeORM, Sequelize, pg/mysql2 (receivers named prisma, db, knex, pool, client, sql, …Repository).`,
          key: `${finding.site.line}:${finding.site.column}`,
        });
      }
    }
  },
});
