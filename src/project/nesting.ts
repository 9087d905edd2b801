/**
 * How deeply a source text nests, estimated in one pass before a native parser sees it. oxc-parser recurses on
 * the thread's native stack: about 4,000 nested blocks (`if (a) {` × 4,000, 32 KB of text) or 50,000 prefix
 * operators overflow the default 8 MB stack and kill the process with SIGSEGV, which no `try` can catch. Real
 * code, minified bundles included, nests a few hundred levels at most.
 *
 * The estimate skips strings, template text, comments and regular expressions (told from division by the token
 * before them, as JavaScript tokenizers do), so brackets in data do not count. It is a guard, not a parser: the
 * CLI also runs the engine on a thread with a large stack (bin/shipready.js), so a text crafted to mislead the
 * estimate still cannot crash it.
 */

/** Bracket and template nesting beyond which a file is not parsed. */
export const MAX_NESTING = 1_000;
/** Operators in one run (no bracket, `,` or `;` between them) beyond which a file is not parsed: `!!!…a`, `a+a+…`. */
export const MAX_OPERATOR_RUN = 5_000;

export interface NestingEstimate {
  readonly depth: number;
  readonly operatorRun: number;
}

const OPERATOR = new Set(['+', '-', '*', '%', '!', '~', '&', '|', '^', '<', '>', '=', '?', ':', '.']);
/** After these characters a `/` starts a regular expression, not a division. */
const REGEX_AFTER = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code > 127;
}

/**
 * The deepest bracket nesting and the longest operator run of a JavaScript or TypeScript text.
 *
 * @example estimateNesting('f(a[0], { b: 1 })') // { depth: 2, operatorRun: 1 }
 */
export function estimateNesting(text: string): NestingEstimate {
  let depth = 0;
  let maxDepth = 0;
  let run = 0;
  let maxRun = 0;
  // Open template literals: the bracket depth at which each `${` was entered, so its `}` resumes the template.
  const templates: number[] = [];
  let previous = '';
  /** Where the word ending at the previous significant character starts (for `return /re/`). */
  let wordStart = -1;
  let wordEnd = -1;
  let index = 0;
  const length = text.length;
  const skipString = (quote: string): void => {
    for (index += 1; index < length; index++) {
      const char = text[index];
      if (char === '\\') index += 1;
      else if (char === quote || char === '\n') return;
    }
  };
  /** Scans template text from `index` (after the backtick or the `}` of a substitution) to the end or a `${`. */
  const skipTemplateText = (): void => {
    for (; index < length; index++) {
      const char = text[index];
      if (char === '\\') index += 1;
      else if (char === '`') return;
      else if (char === '$' && text[index + 1] === '{') {
        index += 1;
        templates.push(depth);
        depth += 1;
        maxDepth = Math.max(maxDepth, depth);
        return;
      }
    }
  };
  for (; index < length; index++) {
    const char = text[index] ?? '';
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') continue;
    if (char === '/' && text[index + 1] === '/') {
      const end = text.indexOf('\n', index);
      index = end < 0 ? length : end;
      continue;
    }
    if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end < 0 ? length : end + 1;
      continue;
    }
    if (char === '"' || char === "'") {
      skipString(char);
      previous = 'a';
      wordStart = -1;
      continue;
    }
    if (char === '`') {
      index += 1;
      skipTemplateText();
      previous = 'a';
      wordStart = -1;
      continue;
    }
    if (char === '/' && (previous === '' || REGEX_AFTER.has(previous) || (wordStart >= 0 && REGEX_AFTER_WORD.has(text.slice(wordStart, wordEnd + 1))))) {
      let inClass = false;
      for (index += 1; index < length; index++) {
        const inner = text[index];
        if (inner === '\\') index += 1;
        else if (inner === '[') inClass = true;
        else if (inner === ']') inClass = false;
        else if ((inner === '/' && !inClass) || inner === '\n') break;
      }
      previous = 'a';
      wordStart = -1;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      depth += 1;
      maxDepth = Math.max(maxDepth, depth);
      run = 0;
    } else if (char === ')' || char === ']' || char === '}') {
      depth = Math.max(0, depth - 1);
      run = 0;
      if (char === '}' && templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        index += 1;
        skipTemplateText();
        previous = 'a';
        wordStart = -1;
        continue;
      }
    } else if (char === ',' || char === ';') {
      run = 0;
    } else if (OPERATOR.has(char) || char === '/') {
      run += 1;
      maxRun = Math.max(maxRun, run);
    }
    if (isWordCode(char.charCodeAt(0))) {
      if (wordStart < 0 || wordEnd !== index - 1) wordStart = index;
      wordEnd = index;
    } else {
      wordStart = -1;
    }
    previous = char;
  }
  return { depth: maxDepth, operatorRun: maxRun };
}

/** Character codes of OPERATOR's members and `/`. */
const OPERATOR_CODES = new Set([...OPERATOR, '/'].map((char) => char.charCodeAt(0)));

/**
 * True when the text has too few brackets and operators to exceed either limit wherever they stand: every
 * level of nesting opens with `(`, `[` or `{` (a template's `${` too), and a run is made of operator characters.
 * One pass over character codes, a fifth of the estimate's cost, and it settles nearly every real file.
 */
function withinLimitsByCount(text: string): boolean {
  let openers = 0;
  let operators = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 40 || code === 91 || code === 123) openers += 1;
    else if (OPERATOR_CODES.has(code)) operators += 1;
  }
  return openers <= MAX_NESTING && operators <= MAX_OPERATOR_RUN;
}

/**
 * Why a text is too deeply nested to hand to a native parser, or undefined when it is not.
 *
 * @example tooDeeplyNested('['.repeat(5000)) // 'nesting 5000 levels deep (more than 1000)'
 */
export function tooDeeplyNested(text: string): string | undefined {
  if (withinLimitsByCount(text)) return undefined;
  const { depth, operatorRun } = estimateNesting(text);
  if (depth > MAX_NESTING) return `nesting ${depth} levels deep (more than ${MAX_NESTING})`;
  if (operatorRun > MAX_OPERATOR_RUN) return `a run of ${operatorRun} operators (more than ${MAX_OPERATOR_RUN})`;
  return undefined;
}
