import { describe, expect, it } from 'vitest';
import { lineIndexOf } from './line-index.js';

describe('lineIndexOf', () => {
  it('gives the same positions as counting newlines before the offset, for each of several texts', () => {
    const texts = ['a\nbc\n\nd', 'one line', '\n\n\nx', ...Array.from({ length: 10 }, (_, index) => `${'x\n'.repeat(index)}end`)];
    for (const text of texts) {
      for (let offset = 0; offset <= text.length; offset++) {
        const before = text.slice(0, offset);
        expect(lineIndexOf(text).position(offset)).toEqual({ line: before.split('\n').length, column: offset - before.lastIndexOf('\n') });
      }
    }
  });
});
