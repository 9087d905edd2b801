import { type Node, parseSync } from 'oxc-parser';
import { dottedName, walkAst } from '../../project/ast.js';
import type { Migration, MigrationSet } from '../types.js';
import { TYPEORM_READ_ONLY_METHODS } from '../typeorm-read-only.js';
import { codeMigrationFields } from './code-sql.js';
import { baseOf, claimEach, compareVersions, type FileIndex, groupByDir, languageOf, unclaimed } from './common.js';

function parameterName(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'TSParameterProperty') return parameterName(node.parameter);
  if (node.type === 'AssignmentPattern') return parameterName(node.left);
  return undefined;
}

/** A `query(…)` argument that `extractCodeSql` reads as written: a string literal without interpolation or escapes. */
function isPlainLiteral(text: string, node: Node | undefined): boolean {
  if (node === undefined) return false;
  const plain = (node.type === 'Literal' && typeof node.value === 'string') || (node.type === 'TemplateLiteral' && node.expressions.length === 0);
  return plain && !text.slice(node.start, node.end).includes('\\');
}

/**
 * The calls in a TypeORM migration's `up` whose SQL exists only when it runs: query runner schema
 * builders (`queryRunner.createTable(new Table(…))`, `addColumn`, `createIndex`, `createForeignKey`…),
 * entity manager and query builder use (`queryRunner.manager.…`), and `query(…)` with a computed SQL
 * argument. Read-only guards (`hasColumn`, `hasTable`, `getTable`…) and transaction control are not
 * counted. The receiver is `up`'s first parameter, whatever it is named.
 *
 * @example countRuntimeCalls('m.ts', "class M { async up(qr) { await qr.addColumn('users', column); } }") // 1
 */
export function countRuntimeCalls(path: string, text: string): number {
  const parsed = parseSync(path, text, { showSemanticErrors: false });
  if (parsed.errors.length > 0) return 0;
  let count = 0;
  walkAst(parsed.program, (node) => {
    if (node.type !== 'MethodDefinition' || node.key.type !== 'Identifier' || node.key.name !== 'up') return undefined;
    const runner = parameterName(node.value.params[0]);
    if (runner === undefined) return false;
    walkAst(node.value, (inner) => {
      if (inner.type !== 'CallExpression' || inner.callee.type !== 'MemberExpression' || inner.callee.property.type !== 'Identifier') return;
      const receiver = dottedName(inner.callee.object);
      if (receiver === undefined || (receiver !== runner && !receiver.startsWith(`${runner}.`))) return;
      const method = inner.callee.property.name;
      if (TYPEORM_READ_ONLY_METHODS.has(method)) return;
      const first = inner.arguments[0];
      if (receiver === runner && method === 'query' && first?.type !== 'SpreadElement' && isPlainLiteral(text, first)) return;
      count++;
    });
    return false;
  });
  return count;
}

/**
 * TypeORM: classes implementing `MigrationInterface`, ordered by the timestamp in their name. The default
 * `migrationsTransactionMode: "all"` wraps the whole run in one transaction; a migration with
 * `transaction = false` opts out. A migration whose `up` makes any call that builds SQL at run time is
 * read as not convertible (`unconvertedCalls`), even when it also passes literals to `query(…)`: its
 * literals alone would be an incomplete picture. `--run-js` captures it by running it.
 *
 * @example detectTypeorm(index).map((set) => set.migrations.length)
 */
export function detectTypeorm(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => /\.(c|m)?(j|t)s$/.test(path) && /MigrationInterface/.test(index.read(path) ?? ''));
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort((a, b) => compareVersions(baseOf(a), baseOf(b))), (path, text) => {
      const base = baseOf(path).replace(/\.[^.]+$/, '');
      const optOut = /\btransaction\s*=\s*false/.test(text);
      const runtimeCalls = countRuntimeCalls(path, text);
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+[_-]?/, ''),
        framework: 'typeorm',
        path,
        language: languageOf(path),
        ...(runtimeCalls > 0 ? { unconvertedCalls: runtimeCalls } : codeMigrationFields(path, text)),
        transaction: optOut ? 'none' : 'per-run',
        transactionReason: optOut ? 'the migration sets transaction = false' : 'typeorm runs all pending migrations in one transaction (migrationsTransactionMode "all")',
      };
    });
    sets.push({ framework: 'typeorm', dir, transaction: 'per-run', migrations, hasDowns: true });
  }
  return sets;
}
