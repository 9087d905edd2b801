import { type Node, parseSync } from 'oxc-parser';
import { tooDeeplyNested } from '../../project/nesting.js';
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

/** `COMMIT` / `END` (with an optional `WORK`/`TRANSACTION` and `;`): the run's transaction ends here. */
const COMMIT_STATEMENT = /^\s*(COMMIT|END)(\s+(WORK|TRANSACTION))?\s*;?\s*$/i;

/** The text of a plain string literal (see `isPlainLiteral`). */
function literalText(node: Node): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** What a TypeORM migration's `up` does with its query runner, as far as discovery cares. */
export interface UpAnalysis {
  /**
   * Calls whose SQL exists only when they run: query runner schema builders (`createTable(new Table(…))`,
   * `addColumn`, `createIndex`, `createForeignKey`…), entity manager and query builder use
   * (`queryRunner.manager.…`), and `query(…)` with a computed SQL argument. Read-only guards (`hasColumn`,
   * `hasTable`, `getTable`…) and transaction control are not counted.
   */
  readonly runtimeCalls: number;
  /**
   * `up` calls `queryRunner.commitTransaction()` (or sends `COMMIT` itself with `queryRunner.query`): the
   * TypeORM idiom for leaving the run's transaction to build an index CONCURRENTLY (and
   * `startTransaction()` or `BEGIN` after it), so its statements do not run in it.
   */
  readonly commitsRunTransaction: boolean;
}

/**
 * Reads a TypeORM migration's `up` method. The receiver is `up`'s first parameter, whatever it is named.
 *
 * @example analyseUp('m.ts', "class M { async up(qr) { await qr.addColumn('users', column); } }").runtimeCalls // 1
 */
export function analyseUp(path: string, text: string): UpAnalysis {
  // Too deep a file would overflow the native parser's stack (see nesting.ts).
  if (tooDeeplyNested(text) !== undefined) return { runtimeCalls: 0, commitsRunTransaction: false };
  const parsed = parseSync(path, text, { showSemanticErrors: false });
  if (parsed.errors.length > 0) return { runtimeCalls: 0, commitsRunTransaction: false };
  let runtimeCalls = 0;
  let commitsRunTransaction = false;
  walkAst(parsed.program, (node) => {
    if (node.type !== 'MethodDefinition' || node.key.type !== 'Identifier' || node.key.name !== 'up') return undefined;
    const runner = parameterName(node.value.params[0]);
    if (runner === undefined) return false;
    walkAst(node.value, (inner) => {
      if (inner.type !== 'CallExpression' || inner.callee.type !== 'MemberExpression' || inner.callee.property.type !== 'Identifier') return;
      const receiver = dottedName(inner.callee.object);
      if (receiver === undefined || (receiver !== runner && !receiver.startsWith(`${runner}.`))) return;
      const method = inner.callee.property.name;
      if (receiver === runner && method === 'commitTransaction') commitsRunTransaction = true;
      if (TYPEORM_READ_ONLY_METHODS.has(method)) return;
      const first = inner.arguments[0];
      if (receiver === runner && method === 'query' && first?.type !== 'SpreadElement' && isPlainLiteral(text, first)) {
        if (first !== undefined && COMMIT_STATEMENT.test(literalText(first) ?? '')) commitsRunTransaction = true;
        return;
      }
      runtimeCalls++;
    });
    return false;
  });
  return { runtimeCalls, commitsRunTransaction };
}

/**
 * The number of calls in `up` whose SQL exists only when it runs (see `UpAnalysis.runtimeCalls`).
 *
 * @example countRuntimeCalls('m.ts', "class M { async up(qr) { await qr.addColumn('users', column); } }") // 1
 */
export function countRuntimeCalls(path: string, text: string): number {
  return analyseUp(path, text).runtimeCalls;
}

/**
 * TypeORM: classes implementing `MigrationInterface`, ordered by the timestamp in their name. The default
 * `migrationsTransactionMode: "all"` wraps the whole run in one transaction; a migration with
 * `transaction = false` opts out, and one whose `up` calls `queryRunner.commitTransaction()` (or sends `COMMIT`) leaves it. A migration whose `up` makes any call that builds SQL at run time is
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
      const { runtimeCalls, commitsRunTransaction } = analyseUp(path, text);
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+[_-]?/, ''),
        framework: 'typeorm',
        path,
        language: languageOf(path),
        ...(runtimeCalls > 0 ? { unconvertedCalls: runtimeCalls } : codeMigrationFields(path, text)),
        transaction: optOut || commitsRunTransaction ? 'none' : 'per-run',
        ...(commitsRunTransaction && !optOut ? { runnerCommitsAfter: true } : {}),
        transactionReason: optOut
          ? 'the migration sets transaction = false'
          : commitsRunTransaction
            ? 'up() commits the run\'s transaction (queryRunner.commitTransaction() or COMMIT) before its statements'
            : 'typeorm runs all pending migrations in one transaction (migrationsTransactionMode "all")',
      };
    });
    sets.push({ framework: 'typeorm', dir, transaction: 'per-run', migrations, hasDowns: true });
  }
  return sets;
}
