import { type Node, parseSync } from 'oxc-parser';
import { tooDeeplyNested } from '../../project/nesting.js';
import { dottedName, walkAst } from '../../project/ast.js';
import type { Framework, Migration, MigrationSet, SqlSource, TransactionMode } from '../types.js';
import { claimEach, codeMigrationIdentity, type FileIndex, groupByDir, isCodeFile, unclaimed } from './common.js';

/**
 * Calls whose first argument is raw SQL: TypeORM `queryRunner.query`, Knex `knex.raw` / `knex.schema.raw`,
 * node-pg-migrate `pgm.sql`, MikroORM `this.addSql`, Kysely `sql.raw`, Sequelize `queryInterface.sequelize.query`.
 */
const SQL_METHODS = new Set(['query', 'raw', 'sql', 'addSql']);
/**
 * Receivers of builder calls that produce SQL only at run time: node-pg-migrate `pgm.addColumn`, Knex
 * `knex.schema.createTable`, Kysely `db.schema.createTable` / `db.insertInto`, Sequelize
 * `queryInterface.addColumn` / `queryInterface.bulkInsert`.
 */
const BUILDERS = /^(pgm|knex\.schema|knex|this\.knex\.schema|db\.schema|db|queryInterface)$/;

export interface CodeSql {
  readonly up?: SqlSource;
  readonly down?: SqlSource;
  /** Builder calls in `up` that were not converted. */
  readonly unconvertedCalls: number;
}

interface Range {
  readonly start: number;
  readonly end: number;
}

function functionBody(node: Node | null | undefined): Range | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'FunctionDeclaration') return { start: node.start, end: node.end };
  return undefined;
}

/** Where the `up` and `down` functions are: class methods, `exports.up = …`, `export function up`, `export const up = …`. */
function directionRanges(program: Node): { up?: Range; down?: Range } {
  const ranges: { up?: Range; down?: Range } = {};
  const set = (name: string | undefined, range: Range | undefined): void => {
    if (range === undefined || (name !== 'up' && name !== 'down') || ranges[name] !== undefined) return;
    ranges[name] = range;
  };
  walkAst(program, (node) => {
    if (node.type === 'MethodDefinition' && node.key.type === 'Identifier') set(node.key.name, functionBody(node.value));
    if (node.type === 'FunctionDeclaration') set(node.id?.name, functionBody(node));
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier') set(node.id.name, functionBody(node.init));
    if (node.type === 'AssignmentExpression') {
      const target = dottedName(node.left);
      set(target === 'exports.up' || target === 'module.exports.up' ? 'up' : target === 'exports.down' || target === 'module.exports.down' ? 'down' : undefined, functionBody(node.right));
    }
    if (node.type === 'Property' && node.key.type === 'Identifier') set(node.key.name, functionBody(node.value));
  });
  return ranges;
}

/** The literal's content span when it is SQL we can parse as written (no interpolation, no escapes). */
function literalContent(text: string, node: Node | undefined): Range | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'TemplateLiteral' && node.expressions.length > 0) return undefined;
  if (node.type !== 'TemplateLiteral' && !(node.type === 'Literal' && typeof node.value === 'string')) return undefined;
  const content = { start: node.start + 1, end: node.end - 1 };
  return text.slice(content.start, content.end).includes('\\') ? undefined : content;
}

function maskedSource(path: string, text: string, literals: readonly Range[]): SqlSource | undefined {
  if (literals.length === 0) return undefined;
  const chars: string[] = text.split('').map((char) => (char === '\n' || char === '\r' ? char : ' '));
  for (const literal of literals) {
    for (let index = literal.start; index < literal.end; index++) chars[index] = text[index] ?? ' ';
    // The closing quote becomes the statement separator, so consecutive calls parse as separate statements.
    chars[literal.end] = ';';
  }
  return { path, text, start: 0, end: text.length, parseText: chars.join('') };
}

/**
 * Reads the SQL a JS/TS migration runs from its string literals, without executing it: the literal
 * arguments of `queryRunner.query(…)`, `knex.raw(…)` and `pgm.sql(…)` inside `up` and `down`.
 * Builder calls (`pgm.addColumn`, `knex.schema.createTable`) are counted, not converted.
 *
 * @example extractCodeSql('src/migrations/1700-Init.ts', text).up?.parseText
 */
export function extractCodeSql(path: string, text: string): CodeSql {
  let program: Node;
  // Too deep a file would overflow the native parser's stack (see nesting.ts); it holds no SQL worth that risk.
  if (tooDeeplyNested(text) !== undefined) return { unconvertedCalls: 0 };
  try {
    const result = parseSync(path, text, { showSemanticErrors: false });
    if (result.errors.length > 0) return { unconvertedCalls: 0 };
    program = result.program;
  } catch {
    return { unconvertedCalls: 0 };
  }
  const ranges = directionRanges(program);
  const literals: Record<'up' | 'down', Range[]> = { up: [], down: [] };
  let unconvertedCalls = 0;
  const directionOf = (node: Node): 'up' | 'down' | undefined =>
    (['up', 'down'] as const).find((name) => {
      const range = ranges[name];
      return range !== undefined && node.start >= range.start && node.end <= range.end;
    });
  walkAst(program, (node) => {
    // Kysely's raw SQL: sql`CREATE INDEX …`.execute(db).
    if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === 'sql') {
      const direction = directionOf(node);
      const content = literalContent(text, node.quasi);
      if (direction !== undefined && content !== undefined) literals[direction].push(content);
      // A template with ${…} is SQL made at run time: the literals alone would be an incomplete picture.
      else if (direction === 'up') unconvertedCalls++;
      return false;
    }
    if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression' || node.callee.property.type !== 'Identifier') return;
    const direction = directionOf(node);
    if (direction === undefined) return;
    const method = node.callee.property.name;
    const first = node.arguments[0];
    if (SQL_METHODS.has(method) && first !== undefined) {
      const content = first.type === 'SpreadElement' ? undefined : literalContent(text, first);
      if (content !== undefined) literals[direction].push(content);
      // SQL computed at run time (a variable, a template with ${…}): the literals alone would be incomplete.
      else if (direction === 'up') unconvertedCalls++;
      return false;
    }
    const receiver = dottedName(node.callee.object);
    if (direction === 'up' && receiver !== undefined && BUILDERS.test(receiver) && method !== 'noTransaction') unconvertedCalls++;
    return undefined;
  });
  const up = maskedSource(path, text, literals.up);
  const down = maskedSource(path, text, literals.down);
  return { ...(up === undefined ? {} : { up }), ...(down === undefined ? {} : { down }), unconvertedCalls };
}

/**
 * The SQL fields of a JS/TS migration: `up`/`down` when every schema change in `up` is a SQL string
 * literal, else only the count of builder calls that keep it from being linted and rehearsed.
 */
export function codeMigrationFields(path: string, text: string): { up?: SqlSource; down?: SqlSource; unconvertedCalls?: number } {
  const extracted = extractCodeSql(path, text);
  if (extracted.unconvertedCalls > 0) return { unconvertedCalls: extracted.unconvertedCalls };
  if (extracted.up === undefined) return {};
  return { up: extracted.up, ...(extracted.down === undefined ? {} : { down: extracted.down }), unconvertedCalls: 0 };
}

/**
 * The 1-based lines where a JS/TS migration's `up` and `down` functions start, for statements whose
 * producing call cannot be located.
 *
 * @example directionLines('m.js', 'exports.up = (knex) => {};').up // 1
 */
export function directionLines(path: string, text: string): { up?: number; down?: number } {
  if (tooDeeplyNested(text) !== undefined) return {};
  // oxc reports syntax errors as values; a throw here would be a parser bug and must surface.
  const result = parseSync(path, text, { showSemanticErrors: false });
  if (result.errors.length > 0) return {};
  const ranges = directionRanges(result.program);
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  return { ...(ranges.up === undefined ? {} : { up: lineOf(ranges.up.start) }), ...(ranges.down === undefined ? {} : { down: lineOf(ranges.down.start) }) };
}

/** What sets one JS/TS migration framework apart, for `detectCodeMigrations`. */
export interface CodeFramework {
  readonly framework: Framework;
  /** Whether a code file (in a migrations folder) is one of this framework's migrations. */
  isMigration(text: string): boolean;
  /** The files of one folder in the order the framework applies them. */
  order(paths: readonly string[]): string[];
  /** The set's default mode, and how a migration's own text changes it. */
  readonly transaction: TransactionMode;
  transactionOf(text: string): { readonly mode: TransactionMode; readonly reason: string };
}

/**
 * The migrations of a JS/TS framework whose files hold only `up`/`down` code: one set per folder, in the
 * framework's order, each migration's SQL read from its string literals (`codeMigrationFields`).
 *
 * @example detectCodeMigrations(index, { framework: 'kysely', isMigration: (text) => text.includes('kysely'), order: (paths) => [...paths].sort(), transaction: 'per-run', transactionOf: () => ({ mode: 'per-run', reason: 'one per run' }) })
 */
export function detectCodeMigrations(index: FileIndex, spec: CodeFramework): MigrationSet[] {
  const files = unclaimed(index).filter((path) => isCodeFile(path) && spec.isMigration(index.read(path) ?? ''));
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, spec.order(paths), (path, text) => {
      const { mode, reason } = spec.transactionOf(text);
      return { ...codeMigrationIdentity(path), framework: spec.framework, ...codeMigrationFields(path, text), transaction: mode, transactionReason: reason };
    });
    sets.push({ framework: spec.framework, dir, transaction: spec.transaction, migrations, hasDowns: true });
  }
  return sets;
}
