/**
 * Where a value starts and ends, read from the syntax around it rather than from a character class: a
 * quoted value runs to its closing quote whatever it holds (`#`, `$`, `=`, spaces, escapes), an unquoted
 * env or YAML value to the end of the line or its comment. Masking by these spans is what keeps a password
 * such as `p#ss$word` from being printed in part.
 */

/** How unquoted values behave in a file: literals (env, YAML, shell), or code expressions (JS, TS, Python…). */
export type TextSyntax = 'env' | 'yaml' | 'shell' | 'json' | 'code' | 'markdown' | 'text';

const CODE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|py|rb|go|java|kt|kts|scala|php|cs|rs|swift|dart|ex|exs|groovy|gradle)$/i;

/**
 * The syntax of a file from its name; `text` for free text (messages, report lines), where unquoted values
 * are judged on their own.
 *
 * @example syntaxOf('apps/api/.env.production') // 'env'
 * @example syntaxOf('src/config.ts') // 'code'
 */
export function syntaxOf(file: string | undefined): TextSyntax {
  if (file === undefined) return 'text';
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (/^\.env(?:\..+)?$|\.env$|^\.envrc$|\.(?:ini|properties|cfg|conf|toml)$|^\.npmrc$|^\.pypirc$|^\.netrc$/i.test(name)) return 'env';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.json5?$|\.jsonc$|\.lock$/i.test(name)) return 'json';
  if (/\.(?:sh|bash|zsh|ps1)$|^Dockerfile|\.Dockerfile$|^Makefile$|^Procfile$/i.test(name)) return 'shell';
  if (/\.(?:md|mdx|markdown|rst|adoc|txt)$/i.test(name)) return 'markdown';
  if (CODE_FILE.test(name)) return 'code';
  return 'text';
}

/** A value read after `NAME =` / `NAME:`; offsets index the scanned text, the quotes excluded. */
export interface ValueSpan {
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly quote: '"' | "'" | '`' | undefined;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  const end = newline < 0 ? text.length : newline;
  return end > from && text[end - 1] === '\r' ? end - 1 : end;
}

/**
 * Reads the value that starts at `from` (just after the operator and its spaces). Quoted values end at the
 * first unescaped closing quote on the same line (backtick templates may span lines); unquoted ones end at
 * the line end, a ` #` comment (env, YAML, shell), or, in code and free text, at whitespace, a comma, a
 * semicolon or a closing bracket.
 *
 * @example readValue('PASS="p#ss$w=rd" # db', 5, 'env') // { start: 6, end: 15, value: 'p#ss$w=rd', quote: '"' }
 */
export function readValue(text: string, from: number, syntax: TextSyntax, operator = '='): ValueSpan | undefined {
  const first = text[from];
  if (first === undefined || first === '\n' || first === '\r') return undefined;
  if (first === '"' || first === "'" || first === '`') {
    const limit = first === '`' ? Math.min(text.length, from + 20_000) : lineEnd(text, from + 1);
    for (let at = from + 1; at < limit; at++) {
      const char = text[at];
      if (char === '\\') {
        at += 1;
        continue;
      }
      if (char === first) return { start: from + 1, end: at, value: text.slice(from + 1, at), quote: first };
    }
    return undefined;
  }
  const end = lineEnd(text, from);
  let stop = end;
  if (syntax === 'env' || syntax === 'yaml' || syntax === 'shell' || syntax === 'markdown') {
    const comment = text.slice(from, end).search(/\s#/);
    if (comment >= 0) stop = from + comment;
    // `NAME=value` inside YAML or prose is a shell word (`bash -c 'PGPASSWORD=test psql …'`), not a whole line.
    if (syntax === 'shell' || syntax === 'markdown' || (syntax === 'yaml' && operator === '=')) {
      const space = text.slice(from, stop).search(/\s/);
      if (space >= 0) stop = from + space;
    }
  } else {
    const delimiter = text.slice(from, end).search(/[\s,;)}\]]/);
    if (delimiter >= 0) stop = from + delimiter;
  }
  while (stop > from && /\s/.test(text[stop - 1] ?? '')) stop -= 1;
  if (stop <= from) return undefined;
  return { start: from, end: stop, value: text.slice(from, stop), quote: undefined };
}

/** A name and the value assigned to it. */
export interface Assignment {
  readonly name: string;
  readonly nameStart: number;
  readonly value: ValueSpan;
}

/** Secret words that a name must contain for its value to be read at all (the cheap gate of the scan). */
export const SECRET_NAME_WORDS = /secret|token|passw|passphrase|pwd|api[-_]?key|apikey|private[-_]?key|access[-_]?key|auth[-_]?key|signing[-_]?key|encryption[-_]?key|master[-_]?key|credential|client[-_]?key|_key\b|pass\b/gi;
/**
 * The literals `SECRET_NAME_WORDS` matches, spelled out for the one-pass keyword gate (`keyword-gate.ts`):
 * `api[-_]?key` is apikey, api-key and api_key; `_key\b` and `pass\b` end a word.
 */
export const SECRET_NAME_LITERALS: ReadonlyArray<{ readonly literal: string; readonly wordEnd?: boolean }> = [
  ...['secret', 'token', 'passw', 'passphrase', 'pwd', 'credential'].map((literal) => ({ literal })),
  ...['api', 'private', 'access', 'auth', 'signing', 'encryption', 'master', 'client'].flatMap((word) => ['', '-', '_'].map((separator) => ({ literal: `${word}${separator}key` }))),
  { literal: '_key', wordEnd: true },
  { literal: 'pass', wordEnd: true },
];
const NAME_CHAR = /[\w$.-]/;

/**
 * Every `NAME = value`, `NAME: value`, `"name": "value"`, `NAME := value` and `export NAME=value` whose
 * name contains a secret word, found by looking for the words first (most text has none) and then reading
 * the name around each and the value after its operator.
 *
 * @example assignmentsIn('JWT_SECRET="a#b"', 'env')[0]?.value.value // 'a#b'
 */
export function assignmentsIn(text: string, syntax: TextSyntax): Assignment[] {
  const found: Assignment[] = [];
  let lastNameStart = -1;
  SECRET_NAME_WORDS.lastIndex = 0;
  for (let hit = SECRET_NAME_WORDS.exec(text); hit !== null; hit = SECRET_NAME_WORDS.exec(text)) {
    let start = hit.index;
    while (start > 0 && NAME_CHAR.test(text[start - 1] ?? '')) start -= 1;
    let end = hit.index + hit[0].length;
    while (end < text.length && NAME_CHAR.test(text[end] ?? '')) end += 1;
    SECRET_NAME_WORDS.lastIndex = Math.max(SECRET_NAME_WORDS.lastIndex, end);
    if (start === lastNameStart) continue;
    const name = text.slice(start, end).replace(/^[.-]+|[.-]+$/g, '');
    let at = end;
    const closing = text[at];
    if ((closing === '"' || closing === "'") && text[start - 1] === closing) at += 1;
    else if (closing === ']' || closing === '"' || closing === "'") continue;
    while (text[at] === ' ' || text[at] === '\t') at += 1;
    const operator = /^(?::=|=>|\?\?=|\|\|=|=(?!=)|:(?![:/]))/.exec(text.slice(at, at + 3));
    if (operator === null) continue;
    at += operator[0].length;
    while (text[at] === ' ' || text[at] === '\t') at += 1;
    const value = readValue(text, at, syntax, operator[0]);
    if (value === undefined) continue;
    lastNameStart = start;
    found.push({ name, nameStart: start, value });
  }
  return found;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * True when `offset` is inside a comment: a `//`, `#` or `*` line, a trailing comment before it on the line,
 * or an open `/* … *\/` block (JSDoc, `@swagger` and `@openapi` blocks included).
 */
export function isInComment(text: string, offset: number, syntax: TextSyntax): boolean {
  const lineStart = lineStartOf(text, offset);
  const before = text.slice(lineStart, offset);
  const trimmed = before.trimStart();
  if (syntax === 'env' || syntax === 'yaml' || syntax === 'shell') return trimmed.startsWith('#') || /\s#/.test(before);
  if (syntax !== 'code' && syntax !== 'text') return false;
  if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*') || /(?:^|\s)\/\/(?!\/)/.test(before)) return true;
  const open = text.lastIndexOf('/*', offset);
  return open >= 0 && text.lastIndexOf('*/', offset) < open;
}

const EXAMPLE_KEY = /^\s*(?:\*\s*)?(?:-\s*)?["']?(?:examples?|x-examples?|sample|@example)["']?\s*:?/i;

/**
 * True when the value sits under an `example:`/`examples:` key (OpenAPI in YAML or in a JSDoc `@swagger`
 * block) or after an `@example` tag: documentation of what a response looks like.
 */
export function isUnderExampleKey(text: string, offset: number): boolean {
  const lineStart = lineStartOf(text, offset);
  const indentOf = (line: string): number => line.replace(/^\s*\*?/, (lead) => lead.replace('*', ' ')).search(/\S|$/);
  let indent = indentOf(text.slice(lineStart, offset));
  let cursor = lineStart;
  for (let steps = 0; steps < 40 && cursor > 0; steps++) {
    const previousStart = lineStartOf(text, cursor - 1);
    const line = text.slice(previousStart, cursor - 1);
    cursor = previousStart;
    if (line.trim() === '' || line.trim() === '*') continue;
    const lineIndent = indentOf(line);
    if (/^\s*\*?\s*@example\b/.test(line)) return true;
    if (lineIndent >= indent) continue;
    if (EXAMPLE_KEY.test(line)) return true;
    indent = lineIndent;
    if (indent === 0) return false;
  }
  return false;
}

/** The line holding `offset` and the one above it, for comments about the value (`// not a secret`). */
export function surroundingLines(text: string, offset: number): string {
  const lineStart = lineStartOf(text, offset);
  const previousStart = lineStart > 0 ? lineStartOf(text, lineStart - 1) : lineStart;
  return text.slice(previousStart, lineEnd(text, offset));
}
