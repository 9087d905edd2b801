// Protects against seeds that silently skip: plain inserts or "already seeded" early returns, so changed seed data never reaches an existing database. Docs: docs/rules/data/seed-not-idempotent.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { methodCall, walkAst } from '../../project/ast.js';
import { nodeSite, nodeText, siteAt, type CodeSite } from '../../project/code-scope.js';
import { isSourcePath, isTestPath, type ParsedSource } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Seed scripts by convention: seed.ts, prisma/seed.ts, seeds/…, seeders/… (Knex, Sequelize), db/seed.sql. */
const SEED_PATH = /(?:^|\/)(?:seeds?|seeders?|seeding)\/|(?:^|\/)[^/]*seed[^/]*\.(?:[cm]?[jt]s|sql)$/i;
const UPSERT_SQL = /\bON\s+CONFLICT\b|\bON\s+DUPLICATE\s+KEY\b|\bINSERT\s+(?:OR\s+)?(?:IGNORE|REPLACE)\b|\bMERGE\s+INTO\b|\bWHERE\s+NOT\s+EXISTS\b|\bREPLACE\s+INTO\b/i;
const INSERT_SQL = /\bINSERT\s+INTO\b/i;
/** ORM insert calls; `create` is the Prisma/Sequelize/Mongoose single insert. */
const INSERT_METHODS = new Set(['create', 'createMany', 'insert', 'insertMany', 'bulkCreate', 'bulkInsert', 'insertInto']);
/** What turns an insert into an upsert (or a conflict-tolerant insert) in the same statement. */
const CONFLICT_HANDLING = /onConflict|onDuplicateKeyUpdate|skipDuplicates|updateOnDuplicate|ignoreDuplicates|\.orIgnore\s*\(|\.orUpdate\s*\(|\.merge\s*\(|\.ignore\s*\(|upsert/;
/** A seed that empties its tables first re-applies changed data on every run: inserts after it are fine. */
const RESETS_TABLES = /\bTRUNCATE\b|\bDELETE\s+FROM\b|\.truncate\s*\(|\.deleteMany\s*\(|\.del\s*\(\s*\)|\.destroy\s*\(\s*\{\s*(?:where\s*:\s*\{\s*\}\s*,\s*)?truncate|\bDROP\s+(?:TABLE|SCHEMA)\b|\.clear\s*\(\s*\)|dropDatabase\s*\(/i;
const GUARD_TEST = /\bcount\b|_count|\.length\b|exist|already|seeded|isEmpty|\bany\b/i;

type Messages = { plainInsert: { count: number }; skipsWhenSeeded: Record<string, never> };

function statementOf(node: Node, ancestors: readonly Node[]): Node {
  for (let index = ancestors.length - 1; index >= 0; index -= 1) {
    const ancestor = ancestors[index];
    if (ancestor !== undefined && (ancestor.type === 'ExpressionStatement' || ancestor.type === 'VariableDeclaration' || ancestor.type === 'ReturnStatement')) return ancestor;
  }
  return node;
}

function scanSource(source: ParsedSource): { inserts: CodeSite[]; guard: CodeSite | undefined } {
  const inserts: CodeSite[] = [];
  let guard: CodeSite | undefined;
  walkAst(source.program, (node, ancestors) => {
    if (node.type === 'IfStatement' && guard === undefined && GUARD_TEST.test(nodeText(source, node.test))) {
      const consequent = nodeText(source, node.consequent);
      if (/\breturn\b|process\.exit\s*\(/.test(consequent)) guard = nodeSite(source, node);
      return;
    }
    if ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateLiteral') {
      const text = nodeText(source, node);
      if (INSERT_SQL.test(text) && !UPSERT_SQL.test(text)) inserts.push(nodeSite(source, node));
      return;
    }
    if (node.type !== 'CallExpression') return;
    const call = methodCall(node);
    if (call === undefined || !INSERT_METHODS.has(call.method)) return;
    if (CONFLICT_HANDLING.test(nodeText(source, statementOf(node, ancestors)))) return;
    inserts.push(nodeSite(source, node));
  });
  return { inserts, guard };
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
  applies: (project) => project.files.some((file) => SEED_PATH.test(file.path) && !isTestPath(file.path)),
  check(ctx) {
    const { project } = ctx;
    for (const file of project.files) {
      if (!SEED_PATH.test(file.path) || isTestPath(file.path)) continue;
      const text = project.text(file.path);
      if (text === undefined) continue;
      let inserts: CodeSite[] = [];
      let guard: CodeSite | undefined;
      if (file.path.toLowerCase().endsWith('.sql')) {
        // One statement per `;`: a plain INSERT is one without a conflict clause.
        let offset = 0;
        for (const statement of text.split(';')) {
          const match = INSERT_SQL.exec(statement);
          if (match !== null && !UPSERT_SQL.test(statement)) inserts.push(siteAt(file.path, text, offset + match.index, offset + match.index + match[0].length));
          offset += statement.length + 1;
        }
      } else if (isSourcePath(file.path)) {
        if (!/insert|create|bulk/i.test(text)) continue;
        const source = project.parseSource(file.path);
        if (source === undefined) continue;
        ({ inserts, guard } = scanSource(source));
        if (inserts.length === 0) guard = undefined;
      }
      if (RESETS_TABLES.test(text)) {
        inserts = [];
        guard = undefined;
      }
      if (guard !== undefined) {
        ctx.report({
          messageId: 'skipsWhenSeeded',
          data: {},
          location: guard,
          detail: `${file.path} is a seed script (by its path); this condition checks for existing data (count/length/exists) and returns or exits before the inserts run.`,
          key: 'guard',
        });
      }
      const first = inserts[0];
      if (first !== undefined) {
        ctx.report({
          messageId: 'plainInsert',
          data: { count: inserts.length },
          location: first,
          detail:
            `${file.path} is a seed script (by its path). Found ${inserts.length} insert(s) (INSERT INTO without ON CONFLICT/ON DUPLICATE KEY/INSERT IGNORE/MERGE, or create/createMany/insert/bulkCreate without upsert, skipDuplicates, onConflict…) at line(s) ` +
            `${inserts.slice(0, 8).map((site) => site.line).join(', ')}${inserts.length > 8 ? ', …' : ''}.`,
          key: 'insert',
        });
      }
    }
  },
});
