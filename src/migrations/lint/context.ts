import type { AlterTableCmd, Constraint, Node } from 'libpg-query';
import type { ReportLocation, RuleContext } from '../../core/rule.js';
import { defineRule, noOptions, type RegisteredRule } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { type LockMode, type StaticLock, staticLocks } from '../locks.js';
import { type AlterCommands, alterCommands, columnDefOf, constraintOf, constraintsOf, relationKey, stringsOf } from '../sql/ast.js';
import type { SchemaModel } from './schema.js';
import type { ParsedSql, Statement } from '../sql/parse.js';
import type { Migration, MigrationSet } from '../types.js';

/** The Postgres major version rules assume, and where it came from (flag, compose file, CI, default). */
export interface PgVersion {
  readonly major: number;
  readonly source: string;
}

export interface LintedStatement {
  readonly statement: Statement;
  readonly node: Node;
  /** True when the statement runs inside a transaction block (opened by the runner or the file). */
  readonly inTransaction: boolean;
  /** True when the runner, not the file, opened that transaction. */
  readonly runnerTransaction: boolean;
  /**
   * Which transaction of the file the statement runs in (0 for the runner's, then one number per BEGIN),
   * so rules can tell "same transaction" from "both in some transaction"; undefined outside any.
   */
  readonly transaction: number | undefined;
  readonly lockTimeoutSet: boolean;
  readonly statementTimeoutSet: boolean;
  /** The ALTER TABLE commands of the statement (undefined for anything else), worked out once for all rules. */
  readonly alter: AlterCommands | undefined;
  /** The table locks the statement takes by the documentation, worked out once for all rules. */
  readonly locks: readonly StaticLock[];
  /** The earlier statement of the same transaction that took ACCESS EXCLUSIVE on an existing table. */
  readonly heldAccessExclusive?: { readonly relation: string; readonly statement: Statement };
  /** False for tables created earlier in the same file: they hold no rows and no other session sees them. */
  isExisting(relation: string): boolean;
}

export interface LintedFile {
  readonly set: MigrationSet;
  readonly migration: Migration;
  readonly parsed: ParsedSql;
  readonly statements: readonly LintedStatement[];
}

/** What migration rules see: every parsed up migration, in order, and the assumed Postgres version. */
export interface MigrationProject {
  readonly files: readonly LintedFile[];
  readonly pgVersion: PgVersion;
  /** The runner or config sets lock_timeout/statement_timeout, so files need not. */
  readonly timeoutsSetByRunner: boolean;
  /** Each linted set with the schema it leaves after its last migration (DROP and RENAME applied). */
  readonly schemas: ReadonlyArray<{ readonly set: MigrationSet; readonly schema: SchemaModel }>;
  /**
   * Ids of the migration rules switched on, so that rules that share a concern (the two timeouts, a validated
   * foreign key) report it once and the other one only when the first is off.
   */
  readonly enabledRules: ReadonlySet<string>;
}

/** The table or materialised view a statement creates, and whether it says IF NOT EXISTS. */
function createdRelation(node: Node): { readonly relation: string; readonly ifNotExists: boolean } | undefined {
  if ('CreateStmt' in node) return { relation: relationKey(node.CreateStmt.relation), ifNotExists: node.CreateStmt.if_not_exists === true };
  if ('CreateTableAsStmt' in node) return { relation: relationKey(node.CreateTableAsStmt.into?.rel), ifNotExists: node.CreateTableAsStmt.if_not_exists === true };
  return undefined;
}

function isBegin(kind: string | undefined): boolean {
  return kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START';
}

/** How a statement changes a timeout setting. */
interface SettingChange {
  readonly name: string;
  /** False for 0, DEFAULT and RESET: the timeout is off again. */
  readonly enables: boolean;
  /** SET LOCAL / set_config(…, true): only until the transaction ends. */
  readonly local: boolean;
}

/** A constant's value as text (`0` for the integer zero, which the parser leaves out of its JSON). */
function constantText(node: Node | undefined): string | undefined {
  if (node === undefined || !('A_Const' in node)) return undefined;
  const constant = node.A_Const;
  if (constant.sval !== undefined) return constant.sval.sval ?? '';
  if (constant.ival !== undefined) return String(constant.ival.ival ?? 0);
  if (constant.boolval !== undefined) return String(constant.boolval.boolval ?? false);
  return undefined;
}

function isZero(value: string | undefined): boolean {
  return value !== undefined && /^\s*0+\s*(ms|s|min|h|d)?\s*$/i.test(value);
}

/** `SET [LOCAL] name = value`, `SET name TO DEFAULT`, `RESET name` and `SELECT set_config('name', 'value', is_local)`. */
function settingChange(node: Node): SettingChange | undefined {
  if ('VariableSetStmt' in node) {
    const set = node.VariableSetStmt;
    const name = set.name?.toLowerCase();
    if (name === undefined) return undefined;
    const local = set.is_local === true;
    if (set.kind === 'VAR_SET_VALUE') return { name, enables: !isZero(constantText(set.args?.[0])), local };
    if (set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET') return { name, enables: false, local };
    return undefined;
  }
  const target = 'SelectStmt' in node && node.SelectStmt.targetList?.length === 1 ? node.SelectStmt.targetList[0] : undefined;
  const call = target !== undefined && 'ResTarget' in target && target.ResTarget.val !== undefined && 'FuncCall' in target.ResTarget.val ? target.ResTarget.val.FuncCall : undefined;
  if (call === undefined || stringsOf(call.funcname).join('.') !== 'set_config' || call.args?.length !== 3) return undefined;
  const name = constantText(call.args[0])?.toLowerCase();
  if (name === undefined) return undefined;
  return { name, enables: !isZero(constantText(call.args[1])), local: constantText(call.args[2]) === 'true' };
}

/**
 * Annotates each statement with what the runner and the file around it do: transaction state, tables
 * created earlier in the file, timeouts set, and an ACCESS EXCLUSIVE lock still held. `schema` is the set's
 * schema before this file; each statement is applied to it in turn, so the next file sees what this one left.
 */
export function annotate(set: MigrationSet, migration: Migration, parsed: ParsedSql, schema?: SchemaModel): LintedFile {
  const statements: LintedStatement[] = [];
  /** Relation → order in which the file created it. */
  const createdAt = new Map<string, number>();
  let createdCount = 0;
  const runnerTransaction =
    migration.transaction === 'per-file' || migration.transaction === 'per-run' || (migration.transaction === 'per-file-implicit' && parsed.statements.length > 1);
  let explicit = false;
  let transactionsOpened = 0;
  /** Whether a timeout is in force, and for how long: the session, or the current transaction block. */
  let lockTimeout: 'session' | 'local' | undefined;
  let statementTimeout: 'session' | 'local' | undefined;
  let held: LintedStatement['heldAccessExclusive'];
  for (const statement of parsed.statements) {
    const node = statement.node;
    // A table counts as new for this statement only if an earlier statement created it.
    const createdBefore = createdCount;
    const isExisting = (relation: string): boolean => {
      if (relation === '') return false;
      const at = createdAt.get(relation);
      return at === undefined || at >= createdBefore;
    };
    // A BEGIN belongs to the transaction it opens; inside the runner's, it opens nothing new.
    const opensTransaction = !runnerTransaction && !explicit && 'TransactionStmt' in node && isBegin(node.TransactionStmt.kind);
    if (opensTransaction) transactionsOpened++;
    const inTransaction = runnerTransaction || explicit;
    // DROP INDEX locks the index's table: the schema so far says which table that is.
    const locks = staticLocks(node, schema === undefined ? {} : { tableOfIndex: (index) => schema.tableOfIndex(index) });
    statements.push({
      statement,
      node,
      inTransaction,
      runnerTransaction,
      transaction: runnerTransaction ? 0 : explicit || opensTransaction ? transactionsOpened : undefined,
      lockTimeoutSet: lockTimeout !== undefined,
      statementTimeoutSet: statementTimeout !== undefined,
      alter: alterCommands(node),
      locks,
      ...(held === undefined ? {} : { heldAccessExclusive: held }),
      isExisting,
    });
    const change = settingChange(node);
    // SET LOCAL outside a transaction block only warns; inside one it lasts until the block ends.
    if (change !== undefined && (!change.local || inTransaction)) {
      if (change.name === 'lock_timeout') lockTimeout = change.enables ? (change.local ? 'local' : 'session') : undefined;
      if (change.name === 'statement_timeout') statementTimeout = change.enables ? (change.local ? 'local' : 'session') : undefined;
    }
    const created = createdRelation(node);
    // IF NOT EXISTS over a table an earlier migration created leaves that (populated) table in place.
    const createsNothing = created === undefined || created.relation === '' || (created.ifNotExists && schema?.has(created.relation) === true);
    if (created !== undefined && !createsNothing && !createdAt.has(created.relation)) {
      createdAt.set(created.relation, createdCount);
      createdCount++;
    }
    if ('TransactionStmt' in node) {
      const kind = node.TransactionStmt.kind;
      if (isBegin(kind)) explicit = true;
      if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') {
        explicit = false;
        held = undefined;
        if (lockTimeout === 'local') lockTimeout = undefined;
        if (statementTimeout === 'local') statementTimeout = undefined;
      }
    }
    if (inTransaction && held === undefined) {
      const lock = locks.find((entry) => entry.mode === ('AccessExclusiveLock' satisfies LockMode) && isExisting(entry.relation));
      if (lock !== undefined) held = { relation: lock.relation, statement };
    }
    if (!inTransaction) held = undefined;
    schema?.apply(node, { path: parsed.source.path, statement });
  }
  return { set, migration, parsed, statements };
}

/**
 * Derives a value from the project once and shares it: 38 rules walk the same statement lists, so each
 * list is built on first use and kept for as long as the project lives.
 *
 * @example const declared = perProject((project) => collect(project)); declared(ctx.project);
 */
export function perProject<Value>(derive: (project: MigrationProject) => Value): (project: MigrationProject) => Value {
  const cache = new WeakMap<MigrationProject, { readonly value: Value }>();
  return (project) => {
    const cached = cache.get(project);
    if (cached !== undefined) return cached.value;
    const value = derive(project);
    cache.set(project, { value });
    return value;
  };
}

/** Every statement of every linted file, in run order. */
export const eachStatement = perProject((project): ReadonlyArray<{ file: LintedFile; entry: LintedStatement }> =>
  project.files.flatMap((file) => file.statements.map((entry) => ({ file, entry }))),
);

export function statementLocation(file: LintedFile, statement: Statement): ReportLocation {
  return {
    path: file.parsed.source.path,
    line: statement.startPosition.line,
    column: statement.startPosition.column,
    endLine: statement.endPosition.line,
    endColumn: statement.endPosition.column + 1,
  };
}

/**
 * Location of a node inside a statement (e.g. one ADD COLUMN of a multi-line ALTER TABLE), from its
 * `location` byte offset; falls back to the statement start when the parser gave none.
 */
export function nodeLocation(file: LintedFile, statement: Statement, byteOffset: number | undefined): ReportLocation {
  if (byteOffset === undefined || byteOffset < 0) return statementLocation(file, statement);
  const position = file.parsed.locate(byteOffset);
  return { path: file.parsed.source.path, line: position.line, column: position.column };
}

/** Items of one statement, in the order the statements run. */
export interface StatementGroup<Item> {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
  readonly items: readonly Item[];
}

/**
 * Groups items by the statement they belong to, in run order, so that a rule reports one finding per statement
 * (listing its columns or tables) instead of one per column of a multi-column ALTER TABLE.
 *
 * @example for (const { file, entry, items } of byStatement(found)) ctx.report({ …, data: { columns: items.map((item) => item.column).join(', ') } });
 */
export function byStatement<Item extends { readonly file: LintedFile; readonly entry: LintedStatement }>(items: Iterable<Item>): Array<StatementGroup<Item>> {
  const groups = new Map<LintedStatement, { file: LintedFile; entry: LintedStatement; items: Item[] }>();
  for (const item of items) {
    const group = groups.get(item.entry);
    if (group === undefined) groups.set(item.entry, { file: item.file, entry: item.entry, items: [item] });
    else group.items.push(item);
  }
  return [...groups.values()];
}

/**
 * `a`, `a and b`, `a, b and c`: names in a message.
 *
 * @example listNames(['email', 'name']) // 'email and name'
 */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

const EVIDENCE_MAX = 240;

/** The statement as evidence, on one line and cut to a readable length. */
export function quote(statement: Statement): string {
  const flat = statement.text.replace(/\s+/g, ' ');
  return flat.length > EVIDENCE_MAX ? `${flat.slice(0, EVIDENCE_MAX)}…` : flat;
}

export interface MigrationRuleSpec<Messages extends Record<string, unknown>> {
  /** The id without the `migrations/` prefix; squawk's name where the meaning matches. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly fix: string;
  readonly enabledByDefault?: boolean;
  /** True when squawk has a rule of the same name and meaning. */
  readonly squawk?: boolean;
  readonly messages: { readonly [K in keyof Messages]: (data: Messages[K]) => string };
  /**
   * The summary of this rule's findings in the applied history (message id `history`), given how many
   * applied migrations have one — or, with `historyCounts: 'findings'`, how many findings there are.
   */
  readonly history: (count: number) => string;
  /** What the history summary counts: migrations (default), or findings for rules about the schema as it stands. */
  readonly historyCounts?: 'migrations' | 'findings';
  check(ctx: RuleContext<MigrationProject, Messages, undefined>): void;
}

export type MigrationRule = RegisteredRule<MigrationProject> & {
  readonly squawk: boolean;
  readonly name: string;
  readonly history: (count: number) => string;
  readonly historyCounts: 'migrations' | 'findings';
};

/**
 * `137 applied migrations create …` / `1 applied migration creates …`: the wording of history summaries.
 *
 * @example appliedMigrations(2, 'drops a table', 'drop tables') // '2 applied migrations drop tables'
 */
export function appliedMigrations(count: number, one: string, many: string): string {
  return count === 1 ? `1 applied migration ${one}` : `${count} applied migrations ${many}`;
}

/**
 * Declares a migration lint rule: id `migrations/<name>`, category `data`, evidences the
 * `migration-strategy` checklist item, documented in docs/migrations.md.
 *
 * @example
 * export default defineMigrationRule({ name: 'ban-drop-table', title: 'Dropping a table', description: '…',
 *   severity: 'high', fix: '…', messages: { drop: ({ table }: { table: string }) => `drops ${table}` },
 *   history: (count) => appliedMigrations(count, 'drops a table', 'drop tables'),
 *   check(ctx) { for (const { file, entry } of eachStatement(ctx.project)) { … } } });
 */
export function defineMigrationRule<Messages extends Record<string, unknown>>(spec: MigrationRuleSpec<Messages>): MigrationRule {
  const rule = defineRule<MigrationProject, Messages, undefined>({
    id: `migrations/${spec.name}`,
    title: spec.title,
    description: spec.description,
    category: 'data',
    severity: spec.severity,
    checklist: 'migration-strategy',
    docs: `docs/migrations.md#${spec.name}`,
    fix: spec.fix,
    ...(spec.enabledByDefault === undefined ? {} : { enabledByDefault: spec.enabledByDefault }),
    options: noOptions,
    messages: spec.messages,
    check: spec.check,
  });
  return { ...rule, squawk: spec.squawk ?? false, name: spec.name, history: spec.history, historyCounts: spec.historyCounts ?? 'migrations' };
}

/** One command of an ALTER TABLE, with where it stands and the table it changes. */
export interface TableCommand {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
  readonly table: string;
  readonly command: AlterTableCmd;
}

/**
 * Every ALTER TABLE command of every statement, in run order.
 *
 * @example for (const { table, command } of alterTableCommands(ctx.project)) if (command.subtype === 'AT_SetNotNull') …
 */
export const alterTableCommands = perProject((project): ReadonlyArray<TableCommand> =>
  eachStatement(project).flatMap(({ file, entry }) => {
    const alter = entry.alter;
    if (alter === undefined) return [];
    const table = relationKey(alter.relation);
    return alter.commands.map((command) => ({ file, entry, table, command }));
  }),
);

/**
 * Every ALTER TABLE command on a table that existed before this statement: a table created in the same
 * migration holds no rows yet, so its locks and rewrites cost nothing.
 *
 * @example for (const { file, entry, table, command } of existingTableCommands(ctx.project)) if (command.subtype === 'AT_DropColumn') …
 */
export const existingTableCommands = perProject((project): ReadonlyArray<TableCommand> =>
  alterTableCommands(project).filter(({ entry, table }) => entry.isExisting(table)),
);

/** The constraints an ALTER TABLE command adds: `ADD CONSTRAINT …`, or those declared with `ADD COLUMN`. */
export function addedConstraints(command: AlterTableCmd): Constraint[] {
  if (command.subtype === 'AT_AddConstraint') {
    const constraint = constraintOf(command.def);
    return constraint === undefined ? [] : [constraint];
  }
  const column = command.subtype === 'AT_AddColumn' ? columnDefOf(command.def) : undefined;
  return column === undefined ? [] : constraintsOf(column);
}
