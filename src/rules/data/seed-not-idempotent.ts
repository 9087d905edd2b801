// Protects against seeds that fail, duplicate or silently skip on a database that already has data, so changed seed data never reaches it. Docs: docs/rules/data/seed-not-idempotent.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import { dottedName, methodCall, propertyName, walkAst } from '../../project/ast.js';
import { isFunctionNode, nodeSite, nodeText, siteAt, type CodeSite } from '../../project/code-scope.js';
import { productionCommands } from '../../project/entrypoints.js';
import { isSourcePath, type ParsedSource, type Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { invokedNames } from '../../project/test-commands.js';
import { defineScanRule } from '../support.js';

const UPSERT_SQL = /\bON\s+CONFLICT\b|\bON\s+DUPLICATE\s+KEY\b|\bINSERT\s+(?:OR\s+)?(?:IGNORE|REPLACE)\b|\bMERGE\s+INTO\b|\bWHERE\s+NOT\s+EXISTS\b|\bREPLACE\s+INTO\b/i;
const INSERT_SQL = /\bINSERT\s+INTO\b/i;
/** What turns an insert into an upsert (or a conflict-tolerant insert) in the same statement. */
const CONFLICT_HANDLING = /onConflict|onDuplicateKeyUpdate|skipDuplicates|updateOnDuplicate|ignoreDuplicates|\.orIgnore\s*\(|\.orUpdate\s*\(|\.merge\s*\(|\.ignore\s*\(|upsert/;
/** A seed that empties its tables first re-applies changed data on every run: inserts after it are fine. */
const RESETS_TABLES = /\bTRUNCATE\b|\bDELETE\s+FROM\b|\.truncate\s*\(|\.deleteMany\s*\(|\.del\s*\(\s*\)|\.destroy\s*\(\s*\{\s*(?:where\s*:\s*\{\s*\}\s*,\s*)?truncate|\bDROP\s+(?:TABLE|SCHEMA)\b|\.clear\s*\(\s*\)|dropDatabase\s*\(|migrate\s+reset/i;
/** Cheap gate: a seed that can write through an ORM or SQL at all. */
const WRITE_GATE = /\.(?:create|createMany|createManyAndReturn|insert|insertMany|bulkCreate|bulkInsert|save)\s*\(|INSERT\s+INTO/i;
/** Words of a condition that asks whether data is already there. */
const GUARD_WORDS = /\bcount\b|_count|\.length\b|exist|already|seeded|isEmpty|\bany\b|found/i;
/** A condition that looks at a whole table (how many rows), not at one record. */
const TABLE_CHECK = /\bcount\b|_count|\.length\b|COUNT\s*\(|seeded|isEmpty/i;
/** Receivers through which seeds write to a database: Prisma clients and transactions, TypeORM managers, Knex, Sequelize's queryInterface, Drizzle. */
const DB_ROOT = /^(?:prisma|\w*Prisma\w*|db|database|client|dbClient|tx|trx|transaction|orm|em|entityManager|manager|dataSource|conn|connection|knex|queryInterface|sequelize)$/;
/** TypeORM repositories: `create()` builds an entity in memory; `save()`/`insert()` write. */
const REPOSITORY = /^(?:repository|repo|\w+Repository|\w+Repo)$/;
/** Mongoose and Sequelize models by convention (`User`, `userModel`, `this.model`). */
const MODEL = /^(?:model|\w+Model|[A-Z][A-Za-z0-9]*)$/;
/** Names that are PascalCase but never a model: factories, SDKs, globals. */
const NOT_A_MODEL = /^(?:NestFactory|Object|Promise|Array|Date|Math|JSON|Reflect|Buffer|Stripe|Test|Bun|Deno|Intl|Map|Set|URL|React|Nest\w*|[A-Z][A-Z0-9_]+)$/;
/** Commands that run a seed: `prisma db seed`, `knex seed:run`, `sequelize db:seed:all`, `npm run seed`, a seed file by path. */
const SEED_COMMAND = /\bprisma\s+db\s+seed\b|\bknex\b[^\n;&|]*\bseed:run\b|\bsequelize(?:-cli)?\b[^\n;&|]*\bdb:seed\b|\bseed(?:[-_.:][\w:.-]*)?\b/i;
/** Entry points of seed modules: Knex `seed`, Sequelize `up`, a `main`/`run`/`seedDatabase` the runner calls. */
const ENTRY_NAME = /^(?:seed|up|run|main|seedDatabase|default)$/;

type Messages = { plainInsert: { count: number }; skipsWhenSeeded: Record<string, never> };

interface Write {
  readonly site: CodeSite;
  /** Guarded by an existence check, or after a "skip all" guard: never runs twice for the same record. */
  readonly guarded: boolean;
}

interface SkipGuard {
  readonly site: CodeSite;
  /** Writes after the guard in the same function, directly or through helpers of the file. */
  readonly writesAfter: number;
  readonly tableCheck: boolean;
}

/** The leftmost name of a call chain: `prisma.user.create` → prisma, `this.repository.save` → repository. */
function rootName(node: Node): string | undefined {
  let current: Node = node;
  for (let depth = 0; depth < 12; depth += 1) {
    if (current.type === 'CallExpression') current = current.callee;
    else if (current.type === 'MemberExpression') {
      if (current.object.type === 'ThisExpression' && current.property.type === 'Identifier') return current.property.name;
      current = current.object;
    } else if (current.type === 'TSNonNullExpression' || current.type === 'ParenthesizedExpression' || current.type === 'AwaitExpression') {
      current = current.type === 'AwaitExpression' ? current.argument : current.expression;
    } else break;
  }
  return current.type === 'Identifier' ? current.name : undefined;
}

/** True when an object literal (the call's argument) sets `key: true`. */
function setsFlag(node: Node | undefined, key: string): boolean {
  if (node?.type !== 'ObjectExpression') return false;
  return node.properties.some((property) => propertyName(property) === key && property.type === 'Property' && property.value.type === 'Literal' && property.value.value === true);
}

/** True when an object literal argument names a primary key (`id`), which makes TypeORM `save` an update when the row exists. */
function hasIdKey(node: Node | undefined): boolean {
  if (node === undefined) return false;
  if (node.type === 'ObjectExpression') return node.properties.some((property) => propertyName(property) === 'id' || propertyName(property) === '_id');
  if (node.type === 'ArrayExpression') return node.elements.length > 0 && node.elements.every((element) => element !== null && hasIdKey(element));
  if (node.type === 'CallExpression') return node.arguments.some((argument) => hasIdKey(argument));
  return false;
}

/**
 * Whether a call writes rows that a second run would duplicate or fail on, given the packages the seed uses.
 * Returns the kind of write, or undefined for calls that are not database inserts (`NestFactory.create`, a
 * Stripe `customers.create`, TypeORM `repository.create` which only builds an entity in memory).
 */
function insertKind(node: Node, usesModels: boolean, newModels: ReadonlySet<string>): string | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const call = methodCall(node);
  if (call === undefined) return undefined;
  const root = rootName(call.object);
  if (root === undefined) return undefined;
  const args = node.arguments;
  const isChainedModel = call.object.type === 'MemberExpression';
  switch (call.method) {
    case 'create':
      // Prisma `prisma.user.create`, Mongoose/Sequelize `User.create` / `this.userModel.create`.
      if (isChainedModel && DB_ROOT.test(root) && call.object.type === 'MemberExpression' && call.object.object.type !== 'ThisExpression') return 'Prisma create';
      if (REPOSITORY.test(root)) return undefined;
      if (usesModels && MODEL.test(root) && !NOT_A_MODEL.test(root) && !isChainedModel) return 'model create';
      if (usesModels && call.object.type === 'MemberExpression' && call.object.object.type === 'ThisExpression' && MODEL.test(root)) return 'model create';
      return undefined;
    case 'createMany':
    case 'createManyAndReturn':
      if (!isChainedModel || !DB_ROOT.test(root)) return undefined;
      return setsFlag(args[0], 'skipDuplicates') ? undefined : `Prisma ${call.method}`;
    case 'insert':
      // Drizzle `db.insert(t).values(…)`, Knex `knex('t').insert(…)`, TypeORM `repository.insert(…)`.
      if (DB_ROOT.test(root) || root === 'knex') return 'insert';
      return REPOSITORY.test(root) ? 'repository insert' : undefined;
    case 'insertMany':
      return usesModels && (MODEL.test(root) || DB_ROOT.test(root)) && !NOT_A_MODEL.test(root) ? 'insertMany' : undefined;
    case 'bulkCreate':
      // `ignoreDuplicates` / `updateOnDuplicate` in the options are found in the statement's text.
      return (usesModels && MODEL.test(root) && !NOT_A_MODEL.test(root)) || DB_ROOT.test(root) ? 'bulkCreate' : undefined;
    case 'bulkInsert':
      return root === 'queryInterface' || DB_ROOT.test(root) ? 'bulkInsert' : undefined;
    case 'save':
      // TypeORM `save` of an entity with its primary key selects first and updates: an upsert by id.
      if (REPOSITORY.test(root) || root === 'manager' || root === 'em' || root === 'entityManager' || root === 'dataSource') return hasIdKey(args[args.length - 1]) ? undefined : 'repository save';
      // Mongoose `new this.model({...}).save()` / `doc.save()` of a document built from a model.
      if (call.object.type === 'Identifier' && newModels.has(call.object.name)) return 'document save';
      return undefined;
    default:
      return undefined;
  }
}

/** The statement that holds `node`: the text in which an upsert option (`.onConflictDoNothing()`, `skipDuplicates`) would appear. */
function statementOf(node: Node, ancestors: readonly Node[]): Node {
  for (let index = ancestors.length - 1; index >= 0; index -= 1) {
    const ancestor = ancestors[index];
    if (ancestor !== undefined && (ancestor.type === 'ExpressionStatement' || ancestor.type === 'VariableDeclaration' || ancestor.type === 'ReturnStatement')) return ancestor;
    if (ancestor !== undefined && isFunctionNode(ancestor)) break;
  }
  return node;
}

/** True when `consequent` leaves the function (or the loop iteration) without going through a nested function. */
function exits(consequent: Node, kinds: ReadonlySet<string>): boolean {
  let found = false;
  walkAst(consequent, (node) => {
    if (found) return false;
    if (node !== consequent && isFunctionNode(node)) return false;
    if (kinds.has(node.type)) found = true;
    if (node.type === 'CallExpression' && dottedName(node.callee) === 'process.exit' && kinds.has('ReturnStatement')) found = true;
    return undefined;
  });
  return found;
}

const EXIT_FUNCTION: ReadonlySet<string> = new Set(['ReturnStatement', 'ThrowStatement']);
const EXIT_ITERATION: ReadonlySet<string> = new Set(['ReturnStatement', 'ThrowStatement', 'ContinueStatement']);

/** Names bound to an awaited call (`const admin = await repo.findOne(…)`), with the call's text: a condition on them checks the database. */
function awaitedNames(source: ParsedSource): Map<string, string> {
  const names = new Map<string, string>();
  walkAst(source.program, (node) => {
    if (node.type !== 'VariableDeclarator' || node.init === null) return;
    const init = node.init.type === 'AwaitExpression' ? node.init.argument : undefined;
    if (init === undefined) return;
    const text = nodeText(source, init);
    if (node.id.type === 'Identifier') names.set(node.id.name, text);
    if (node.id.type === 'ObjectPattern' || node.id.type === 'ArrayPattern') for (const match of nodeText(source, node.id).matchAll(/[A-Za-z_$][\w$]*/g)) names.set(match[0], text);
  });
  return names;
}

/** `if (!program) return` / `if (count === 0) throw`: a precondition on missing data, not a skip on existing data. */
const MISSING_DATA = /^\s*!(?!=)|={2,3}\s*(?:0|null|undefined|false)\b|<\s*1\b|\.length\s*={2,3}\s*0\b/;

/** Generated records (faker, typeorm-seeding factories): a second run adds more fake rows, by design. */
const GENERATED_DATA = /\bfaker\b|\bfactory\s*\(|\.make(?:Many)?\s*\(|Math\.random\s*\(/;

function isExistenceCheck(source: ParsedSource, test: Node, awaited: ReadonlyMap<string, string>): boolean {
  const text = nodeText(source, test);
  if (GUARD_WORDS.test(text) || /\b(?:find\w*|count\w*|exists?\w*|get\w+)\s*\(/.test(text)) return true;
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) if (awaited.has(match[0])) return true;
  return false;
}

/** True when the condition counts a table's rows, directly or through the awaited query it reads (`const users = await prisma.user.count()`). */
function isTableCheck(source: ParsedSource, test: Node, awaited: ReadonlyMap<string, string>): boolean {
  const text = nodeText(source, test);
  if (TABLE_CHECK.test(text)) return true;
  for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const query = awaited.get(match[0]);
    if (query !== undefined && (/\.count\s*\(|COUNT\s*\(/i.test(query) || /\.(?:findFirst|findOne)\s*\(\s*\)/.test(query))) return true;
  }
  return false;
}

interface FileAnalysis {
  readonly writes: Write[];
  readonly guards: SkipGuard[];
}

/**
 * Walks the seed's entry points (module top level, functions it calls there, exported `seed`/`up`/`run`/
 * `main`/`seedDatabase`, class `run()` methods) and same-file helpers they call, collecting database writes
 * and "skip everything" guards. Writes inside parameterised helpers nobody in the file calls are factories
 * (for tests or other seeds) and are judged where they are called.
 */
function analyse(source: ParsedSource, usesModels: boolean): FileAnalysis {
  const functions = new Map<string, Node>();
  const entries: Node[] = [];
  const awaited = awaitedNames(source);
  const newModels = new Set<string>();
  walkAst(source.program, (node) => {
    if (node.type === 'FunctionDeclaration' && node.id !== null) functions.set(node.id.name, node);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init !== null) {
      if (isFunctionNode(node.init)) functions.set(node.id.name, node.init);
      if (node.init.type === 'NewExpression' || (node.init.type === 'AwaitExpression' && node.init.argument.type === 'NewExpression')) newModels.add(node.id.name);
    }
    if (node.type === 'MethodDefinition' && node.key.type === 'Identifier') functions.set(`this.${node.key.name}`, node.value);
    // Class `run()` (NestJS seed services), exported object members (`module.exports = { up }`), `exports.seed = …`.
    if (node.type === 'MethodDefinition' && node.key.type === 'Identifier' && ENTRY_NAME.test(node.key.name)) entries.push(node.value);
    if (node.type === 'Property' && node.key.type === 'Identifier' && ENTRY_NAME.test(node.key.name) && isFunctionNode(node.value)) entries.push(node.value);
    if (node.type === 'AssignmentExpression' && isFunctionNode(node.right)) {
      const target = dottedName(node.left);
      if (target !== undefined && /^(?:module\.)?exports\.\w+$/.test(target) && ENTRY_NAME.test(target.split('.').pop() ?? '')) entries.push(node.right);
    }
    if (node.type === 'ExportDefaultDeclaration' && isFunctionNode(node.declaration)) entries.push(node.declaration);
  });
  for (const statement of source.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : undefined;
    if (declaration?.type === 'FunctionDeclaration' && declaration.id !== null && ENTRY_NAME.test(declaration.id.name)) entries.push(declaration);
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier' && ENTRY_NAME.test(declarator.id.name) && declarator.init !== null && isFunctionNode(declarator.init)) entries.push(declarator.init);
      }
    }
  }

  const writes: Write[] = [];
  const guards: SkipGuard[] = [];
  const visited = new Set<Node>();
  const initializers = new Map<string, Node>();
  walkAst(source.program, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init !== null && !initializers.has(node.id.name)) initializers.set(node.id.name, node.init);
  });
  const isGenerated = (call: Node): boolean => {
    if (call.type !== 'CallExpression') return false;
    return call.arguments.some((argument) => {
      const init = argument.type === 'Identifier' ? initializers.get(argument.name) : undefined;
      return GENERATED_DATA.test(nodeText(source, argument)) || (init !== undefined && GENERATED_DATA.test(nodeText(source, init)));
    });
  };

  /** Walks `root` (a function body or the program), counting writes; returns how many writes it reaches. */
  const walkScope = (root: Node, guardedFromOutside: boolean, depth: number): number => {
    if (visited.has(root) && depth > 0) return 0;
    visited.add(root);
    let count = 0;
    // Statements after a "skip all" guard of this scope run at most once per database.
    const skipAfter: Array<{ end: number; guard: SkipGuard & { writesAfter: number } }> = [];
    const perRecordAfter: number[] = [];
    walkAst(root, (node, ancestors) => {
      if (node !== root && isFunctionNode(node)) {
        // Callbacks run inline (`users.map(async (u) => …)`, `$transaction(async (tx) => …)`); declared helpers run when called.
        const parent = ancestors[ancestors.length - 1];
        return parent?.type === 'CallExpression' || parent?.type === 'NewExpression' ? undefined : false;
      }
      if (node.type === 'IfStatement' && isExistenceCheck(source, node.test, awaited)) {
        const inLoop = ancestors.some((ancestor) => /^(?:For|ForOf|ForIn|While|DoWhile)Statement$/.test(ancestor.type)) || ancestors.some((ancestor) => isFunctionNode(ancestor) && ancestor !== root);
        if (!inLoop && exits(node.consequent, EXIT_FUNCTION) && !MISSING_DATA.test(nodeText(source, node.test))) {
          const guard = { site: nodeSite(source, node), writesAfter: 0, tableCheck: isTableCheck(source, node.test, awaited) };
          guards.push(guard);
          skipAfter.push({ end: node.end, guard });
          return false;
        }
        if (exits(node.consequent, EXIT_ITERATION)) perRecordAfter.push(node.end);
      }
      const kind = insertKind(node, usesModels, newModels);
      const sqlInsert = (node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateLiteral' ? INSERT_SQL.test(nodeText(source, node)) && !UPSERT_SQL.test(nodeText(source, node)) : false;
      let reached = 0;
      if ((kind !== undefined && !CONFLICT_HANDLING.test(nodeText(source, statementOf(node, ancestors))) && !isGenerated(node)) || sqlInsert) {
        const guarded =
          guardedFromOutside ||
          ancestors.some((ancestor) => (ancestor.type === 'IfStatement' || ancestor.type === 'ConditionalExpression') && isExistenceCheck(source, ancestor.test, awaited) && !(ancestor.test.start <= node.start && node.end <= ancestor.test.end)) ||
          ancestors.some((ancestor) => ancestor.type === 'LogicalExpression' && isExistenceCheck(source, ancestor.left, awaited)) ||
          perRecordAfter.some((end) => end < node.start) ||
          skipAfter.some((entry) => entry.end < node.start);
        writes.push({ site: nodeSite(source, node), guarded });
        reached = 1;
      } else if (node.type === 'CallExpression' && depth < 3) {
        const callee = dottedName(node.callee);
        const helper = callee === undefined ? undefined : functions.get(callee);
        if (helper !== undefined) {
          const guarded =
            guardedFromOutside ||
            ancestors.some((ancestor) => (ancestor.type === 'IfStatement' || ancestor.type === 'ConditionalExpression') && isExistenceCheck(source, ancestor.test, awaited)) ||
            perRecordAfter.some((end) => end < node.start) ||
            skipAfter.some((entry) => entry.end < node.start);
          reached = walkScope(helper, guarded, depth + 1);
        }
      }
      if (reached > 0) {
        count += reached;
        for (const entry of skipAfter) if (entry.end < node.start) entry.guard.writesAfter += reached;
      }
      return undefined;
    });
    return count;
  };

  // The module's own statements, then the entries it does not call itself.
  walkScope(source.program, false, 0);
  for (const entry of entries) if (!visited.has(entry)) walkScope(entry, false, 1);
  return { writes, guards };
}

/**
 * Where a seed runs by itself (deploy, release, container start), if anywhere: then a non-idempotent seed hits real
 * databases, and the accounts it creates exist in production.
 *
 * @example automaticSeedRun(project)?.where // 'Procfile'
 */
export function automaticSeedRun(project: Project): { file: string; line: number; where: string; text: string } | undefined {
  const npmScripts = new Map<string, string[]>();
  for (const unit of shellUnits(project)) if (unit.kind === 'npm') npmScripts.set(unit.name, [...(npmScripts.get(unit.name) ?? []), unit.text]);
  const runsSeed = (text: string, depth: number): boolean => {
    if (SEED_COMMAND.test(text)) return true;
    if (depth > 2) return false;
    return invokedNames(text).some((name) => (npmScripts.get(name) ?? []).some((script) => runsSeed(script, depth + 1)));
  };
  for (const command of productionCommands(project)) {
    // `build` scripts run in CI and on hosting platforms, but a seed there is rare and usually a guard; only start/deploy/release paths count.
    if (/npm script "(?:pre|post)?build/.test(command.where)) continue;
    if (runsSeed(command.text, 0)) return { file: command.file, line: command.line, where: command.where, text: command.text };
  }
  return undefined;
}

function sqlInserts(file: string, text: string): CodeSite[] {
  const inserts: CodeSite[] = [];
  // One statement per `;`: a plain INSERT is one without a conflict clause.
  let offset = 0;
  for (const statement of text.split(';')) {
    const match = INSERT_SQL.exec(statement);
    if (match !== null && !UPSERT_SQL.test(statement)) inserts.push(siteAt(file, text, offset + match.index, offset + match.index + match[0].length));
    offset += statement.length + 1;
  }
  return inserts;
}

export default defineScanRule({
  id: 'data/seed-not-idempotent',
  title: 'Seed scripts upsert instead of inserting or skipping',
  description:
    'A seed that skips when data exists, or inserts fixed rows that fail or duplicate on the second run, never updates a database volume that already has the old seed: "I changed the seed email but login still fails".',
  category: 'data',
  severity: 'medium',
  checklist: 'migration-strategy',
  docs: 'docs/rules/data/seed-not-idempotent.md',
  fix: 'Make every seed statement an upsert keyed on a natural key: INSERT … ON CONFLICT (email) DO UPDATE, prisma.user.upsert, db.insert(t).values(v).onConflictDoUpdate(…), knex insert(…).onConflict(…).merge(); remove the "already seeded" early return.',
  options: noOptions,
  messages: {
    plainInsert: ({ count }: Messages['plainInsert']) => `The seed inserts fixed records with ${count} plain insert(s) instead of upserts`,
    skipsWhenSeeded: () => 'The seed skips all work when data already exists, so changed seed data never reaches an existing database',
  },
  applies: (project) => project.files.some((file) => project.fileRole(file.path) === 'seed'),
  check(ctx) {
    const { project } = ctx;
    const seeds = project.files.filter((file) => project.fileRole(file.path) === 'seed' && (isSourcePath(file.path) || file.path.toLowerCase().endsWith('.sql')));
    if (seeds.length === 0) return;
    const automatic = automaticSeedRun(project);
    // A seed run by hand on a developer's database costs a reset; one run on every deploy or container start hits every environment.
    const severity: Severity = automatic === undefined ? 'low' : 'medium';
    const context = automatic === undefined ? 'No start, deploy, release or container command runs a seed, so it runs by hand (low).' : `${automatic.where} (${automatic.file}:${automatic.line}) runs a seed on deploy or start (medium).`;
    for (const file of seeds) {
      const text = project.text(file.path);
      if (text === undefined || !WRITE_GATE.test(text) || RESETS_TABLES.test(text)) continue;
      let writes: Write[];
      let guards: SkipGuard[] = [];
      if (file.path.toLowerCase().endsWith('.sql')) {
        writes = sqlInserts(file.path, text).map((site) => ({ site, guarded: false }));
      } else {
        const source = project.parseSource(file.path);
        if (source === undefined) continue;
        const pkg = project.packageOf(file.path);
        const usesModels = pkg !== undefined && (pkg.allDependencies.has('mongoose') || pkg.allDependencies.has('sequelize') || pkg.allDependencies.has('@nestjs/mongoose'));
        ({ writes, guards } = analyse(source, usesModels));
      }
      // "Skips all work": the guard returns before several writes, or before any write when it counts a table's rows.
      for (const guard of guards) {
        if (guard.writesAfter === 0 || (guard.writesAfter < 2 && !guard.tableCheck)) continue;
        ctx.report({
          messageId: 'skipsWhenSeeded',
          data: {},
          location: guard.site,
          severity,
          detail: `${file.path} is a seed script; this condition checks for existing data and returns or exits before ${guard.writesAfter} write(s) that follow it, so a database seeded once never receives changed seed data. ${context}`,
          key: `guard:${guard.site.line}`,
        });
      }
      const plain = writes.filter((write) => !write.guarded);
      const first = plain[0];
      if (first === undefined) continue;
      ctx.report({
        messageId: 'plainInsert',
        data: { count: plain.length },
        location: first.site,
        severity,
        detail:
          `${file.path} is a seed script. Found ${plain.length} insert(s) that a second run would duplicate or fail on (INSERT INTO without ON CONFLICT/ON DUPLICATE KEY/INSERT IGNORE/MERGE; Prisma create/createMany without skipDuplicates; ` +
          `Drizzle/Knex insert without onConflict…; TypeORM save/insert without a primary key; Sequelize bulkCreate without ignoreDuplicates/updateOnDuplicate; Mongoose create/insertMany), none inside an existence check, at line(s) ` +
          `${plain.slice(0, 8).map((write) => write.site.line).join(', ')}${plain.length > 8 ? ', …' : ''}. ${context}`,
        key: 'insert',
      });
    }
  },
});
