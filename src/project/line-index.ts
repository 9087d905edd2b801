/** Converts UTF-16 offsets (what oxc, `yaml` and JS strings use) to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    this.starts = [0];
    for (let index = 0; index < text.length; index++) {
      if (text.charCodeAt(index) === 10) this.starts.push(index + 1);
    }
  }

  /** @example new LineIndex('a\nbc').position(3) // { line: 2, column: 2 } */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] ?? 0) + 1 };
  }

  /** Offset where the 1-based `line` starts; undefined past the last line. @example new LineIndex('a\nbc').lineStart(2) // 2 */
  lineStart(line: number): number | undefined {
    return line < 1 ? undefined : this.starts[line - 1];
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** Texts whose index was built most recently: rules convert many offsets of one file, then move to the next. */
const recent = new Map<string, LineIndex>();
const RECENT_TEXTS = 8;

/**
 * A `LineIndex` for `text`, shared by every caller converting offsets of the same text. Slicing the text before
 * each offset and counting its newlines made positions O(offset) each, so a file with thousands of matches
 * cost thousands of passes over it; with the index each position is a binary search.
 *
 * @example lineIndexOf(text).position(match.index) // { line: 12, column: 5 }
 */
export function lineIndexOf(text: string): LineIndex {
  const cached = recent.get(text);
  if (cached !== undefined) return cached;
  const index = new LineIndex(text);
  recent.set(text, index);
  if (recent.size > RECENT_TEXTS) {
    const oldest = recent.keys().next().value;
    if (oldest !== undefined) recent.delete(oldest);
  }
  return index;
}
