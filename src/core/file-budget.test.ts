import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { walkAst } from '../project/ast.js';
import { Project } from '../project/project.js';
import { defineScanRule } from '../rules/support.js';
import { runRules } from './engine.js';
import { noOptions } from './rule.js';

/** Walks every production source file's tree and reports each file once: the shape of most AST rules. */
const walker = defineScanRule({
  id: 'test/walks-every-file',
  title: 't',
  description: 'd',
  category: 'reliability',
  severity: 'low',
  docs: 'd.md',
  fix: 'f',
  options: noOptions,
  messages: { walked: ({ file }: { file: string }) => `walked ${file}` },
  check(ctx) {
    for (const file of ctx.project.productionSourceFiles()) {
      const source = ctx.project.parseSource(file.path);
      if (source === undefined) continue;
      walkAst(source.program, () => undefined);
      ctx.report({ messageId: 'walked', data: { file: file.path }, location: { path: file.path, line: 1 } });
    }
  },
});

/** A clock that moves one unit each time it is read: a file costs time in proportion to its syntax tree. */
function countingClock(): () => number {
  let time = 0;
  return () => (time += 1);
}

describe('the per-file time budget', () => {
  it('skips the file a rule runs out of time on, with a note naming both, and keeps its findings on the other files', async () => {
    // 30,000 statements make 60,000 nodes: about 60 clock reads, past a budget of 50; the small files take one or two.
    const tree = makeTree({ 'src/a.ts': 'a;\n', 'src/big.ts': 'a;\n'.repeat(30_000), 'src/z.ts': 'z;\n' });
    try {
      const opened = Project.open(tree.dir);
      if (!opened.ok) throw new Error(opened.error.message);
      const outcome = await runRules([walker], opened.value, opened.value, { docsBaseUrl: '', fileBudgetMs: 50, now: countingClock() });
      expect(outcome.findings.map((finding) => (finding.location?.kind === 'file' ? finding.location.path : ''))).toEqual(['src/a.ts', 'src/z.ts']);
      expect(outcome.notes.map((note) => [note.kind, note.path, note.message.split(' ')[0]])).toEqual([['rule-error', 'src/big.ts', 'test/walks-every-file']]);
      // Its silence about src/big.ts is no evidence: the rule no longer counts as applied.
      expect(outcome.applied.has('test/walks-every-file')).toBe(false);
      // Hidden from that rule only: the tree is still there for the next.
      expect(opened.value.parseSource('src/big.ts')).toBeDefined();
    } finally {
      tree.cleanup();
    }
  });

  it('leaves every file to a rule that stays within the budget', async () => {
    const tree = makeTree({ 'src/a.ts': 'a;\n', 'src/big.ts': 'a;\n'.repeat(30_000) });
    try {
      const opened = Project.open(tree.dir);
      if (!opened.ok) throw new Error(opened.error.message);
      const outcome = await runRules([walker], opened.value, opened.value, { docsBaseUrl: '', fileBudgetMs: 1_000, now: countingClock() });
      expect(outcome.findings).toHaveLength(2);
      expect(outcome.notes).toEqual([]);
      expect(outcome.applied.has('test/walks-every-file')).toBe(true);
    } finally {
      tree.cleanup();
    }
  });
});
