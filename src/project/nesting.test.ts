import { describe, expect, it } from 'vitest';
import { makeTree } from '../../test/helpers.js';
import { estimateNesting, MAX_NESTING, tooDeeplyNested } from './nesting.js';
import { Project } from './project.js';

describe('estimateNesting', () => {
  it('counts brackets and template substitutions, not brackets in strings, comments or regular expressions', () => {
    expect(estimateNesting('f(a[0], { b: 1 })').depth).toBe(2);
    expect(estimateNesting('x = `a${ {a: [1]} }b${c}`').depth).toBe(3);
    expect(estimateNesting('const s = "(((((", t = \'[[[[\'; /* {{{{ */ // ((((\n').depth).toBe(0);
    expect(estimateNesting('if (/[(]+/.test(s)) return /\\(/.source;').depth).toBe(2);
    expect(estimateNesting('x = a / (b) / c').depth).toBe(1);
  });

  it('counts the longest run of operators between separators', () => {
    expect(estimateNesting('x = a + b * c; y = !d').operatorRun).toBe(3);
    expect(estimateNesting(`x = ${'!'.repeat(6000)}a`).operatorRun).toBe(6001);
  });
});

describe('tooDeeplyNested', () => {
  it('passes ordinary code and refuses nesting a native parser cannot survive on an 8 MB stack', () => {
    expect(tooDeeplyNested('function f() { if (a) { return [1, { b: 2 }]; } }')).toBeUndefined();
    expect(tooDeeplyNested(`function f() {${'if (a) {'.repeat(MAX_NESTING + 1)}${'}'.repeat(MAX_NESTING + 1)}}`)).toMatch(/^nesting \d+ levels deep/);
    expect(tooDeeplyNested(`x = 1${' + a'.repeat(6000)}`)).toMatch(/^a run of \d+ operators/);
    // More brackets and operators than the limits, but inside a string: the count alone cannot pass it, the estimate does.
    expect(tooDeeplyNested(`const s = "${'(['.repeat(MAX_NESTING)}${'+'.repeat(6000)}";`)).toBeUndefined();
  });

  it('leaves a too deeply nested file unparsed, with a note, instead of crashing the process', () => {
    const tree = makeTree({ 'src/deep.js': `app.get('/x', (req, res) => {${'if (a) {'.repeat(20_000)}${'}'.repeat(20_000)}});\n` });
    try {
      const opened = Project.open(tree.dir);
      if (!opened.ok) throw new Error(opened.error.message);
      expect(opened.value.parseSource('src/deep.js')).toBeUndefined();
      expect(opened.value.notes.map((note) => [note.kind, note.path])).toEqual([['parse-error', 'src/deep.js']]);
    } finally {
      tree.cleanup();
    }
  });
});
