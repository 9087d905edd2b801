import type { Node } from 'libpg-query';
import type { SqlSource } from '../types.js';

/** 1-based line and column (UTF-16 code units, as editors and SARIF count them). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Inline suppressions written in the comments directly before a statement. */
export interface StatementIgnores {
  /** `-- squawk-ignore rule-a, rule-b` (squawk's names, without the `migrations/` prefix). */
  readonly squawk: ReadonlySet<string>;
  /** `-- shipready-ignore migrations/<name> -- reason`: rule id → reason. */
  readonly shipready: ReadonlyMap<string, string>;
}

export interface Statement {
  readonly index: number;
  readonly node: Node;
  /** The statement's text without leading comments and without the trailing `;`. */
  readonly text: string;
  /** UTF-16 offsets into the file text. */
  readonly start: number;
  readonly end: number;
  readonly startPosition: Position;
  readonly endPosition: Position;
  readonly ignores: StatementIgnores;
}

export interface SyntaxErrorInfo {
  readonly message: string;
  readonly position: Position;
}

export interface ParsedSql {
  readonly source: SqlSource;
  readonly statements: readonly Statement[];
  readonly syntaxError?: SyntaxErrorInfo;
  /** `-- squawk-ignore-file` / `-- shipready-ignore-file` suppressions for the whole file. */
  readonly fileIgnores: StatementIgnores;
  /** Maps a node `location` (a UTF-8 byte offset into the parsed section) to a file position. */
  locate(byteOffset: number): Position;
}

const BOM = '\uFEFF';

type PgParser = typeof import('libpg-query');

let loading: Promise<void> | undefined;
let loaded: PgParser | undefined;

/**
 * Loads the WASM parser once; every parse after this is synchronous. The module is imported here, not at the top:
 * importing it compiles its WebAssembly (about 40 ms), which a scan of a repository without SQL never needs.
 */
export function ensureParser(): Promise<void> {
  loading ??= import('libpg-query').then(async (module) => {
    await module.loadModule();
    loaded = module;
  });
  return loading;
}

/**
 * The Postgres parser, once `ensureParser()` has resolved.
 *
 * @example await ensureParser(); pgParser().parseSync('SELECT 1').stmts?.length // 1
 */
export function pgParser(): PgParser {
  if (loaded === undefined) throw new Error('the Postgres parser is used before ensureParser() resolved');
  return loaded;
}

/** Line start offsets of a text, for offset → line/column conversion by binary search. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

export function positionAt(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

/**
 * libpg-query reports statement and node locations in UTF-8 bytes; JavaScript strings index UTF-16 code
 * units. For pure-ASCII text they coincide; otherwise a byte → code-unit table is built once.
 */
function byteToCharMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return (byteOffset) => byteOffset;
  const table: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index) ?? 0;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let byte = 0; byte < bytes; byte++) table.push(index);
    if (code >= 0x10000) index++;
  }
  const length = text.length;
  return (byteOffset) => (byteOffset >= table.length ? length : (table[byteOffset] ?? length));
}

/** Skips whitespace and comments (nested block comments included) from `offset`. */
export function skipTrivia(text: string, offset: number, end: number): number {
  let index = offset;
  while (index < end) {
    const char = text[index];
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f') {
      index++;
    } else if (char === '-' && text[index + 1] === '-') {
      const newline = text.indexOf('\n', index);
      index = newline === -1 || newline > end ? end : newline + 1;
    } else if (char === '/' && text[index + 1] === '*') {
      let depth = 1;
      index += 2;
      while (index < end && depth > 0) {
        if (text[index] === '/' && text[index + 1] === '*') {
          depth++;
          index += 2;
        } else if (text[index] === '*' && text[index + 1] === '/') {
          depth--;
          index += 2;
        } else {
          index++;
        }
      }
    } else {
      break;
    }
  }
  return index;
}

const SQUAWK_IGNORE = /--\s*squawk-ignore(-file)?\b[ \t]*([^\n]*)/g;
/**
 * squawk also reads the directive from block comments (squawk_linter `ignore.rs`): the comment body
 * must start with it, names are comma separated and may wrap lines, and `--` starts a free-text reason.
 */
const SQUAWK_BLOCK_IGNORE = /\/\*\s*squawk-ignore(-file)?(?![a-z0-9-])([\s\S]*?)\*\//g;
const SHIPREADY_IGNORE = /--\s*shipready-ignore(-file)?[ \t]+(migrations\/[a-z0-9-]+(?:\s*,\s*migrations\/[a-z0-9-]+)*)(?:[ \t]+--[ \t]*([^\n]*))?/g;

interface MutableIgnores {
  squawk: Set<string>;
  shipready: Map<string, string>;
}

function collectIgnores(comments: string, statement: MutableIgnores, file: MutableIgnores): void {
  // Nearly every gap between statements is whitespace: skip the regular expressions there.
  if (!comments.includes('-ignore')) return;
  for (const match of comments.matchAll(SQUAWK_IGNORE)) {
    const target = match[1] === undefined ? statement : file;
    const rules = (match[2] ?? '').split(/[\s,]+/).filter((rule) => /^[a-z0-9-]+$/.test(rule));
    // A bare `squawk-ignore-file` silences every rule, as in squawk.
    if (rules.length === 0) target.squawk.add('*');
    for (const rule of rules) target.squawk.add(rule);
  }
  for (const match of comments.matchAll(SQUAWK_BLOCK_IGNORE)) {
    const target = match[1] === undefined ? statement : file;
    const body = match[2] ?? '';
    const dashes = body.indexOf('--');
    const rules = (dashes === -1 ? body : body.slice(0, dashes)).split(/[\s,]+/).filter((rule) => /^[a-z0-9-]+$/.test(rule));
    if (rules.length === 0) target.squawk.add('*');
    for (const rule of rules) target.squawk.add(rule);
  }
  for (const match of comments.matchAll(SHIPREADY_IGNORE)) {
    const target = match[1] === undefined ? statement : file;
    const reason = (match[3] ?? '').trim();
    for (const id of (match[2] ?? '').split(/\s*,\s*/)) target.shipready.set(id, reason === '' ? 'no reason given' : reason);
  }
}

/**
 * Parses one SQL section of a migration file with the real Postgres parser and maps every statement
 * back to file lines. Bad SQL never throws: it yields `syntaxError` with the file position.
 * Call `ensureParser()` once before.
 *
 * @example
 * await ensureParser();
 * const parsed = parseSql({ path: 'a.sql', text, start: 0, end: text.length });
 * parsed.statements[0]?.startPosition; // { line: 1, column: 1 }
 */
export function parseSql(source: SqlSource): ParsedSql {
  const rawSection = (source.parseText ?? source.text).slice(source.start, source.end);
  // Editors on Windows, Flyway and psql write or accept a UTF-8 byte-order mark that Postgres would read
  // as part of the first keyword. A space of the same UTF-16 length keeps every offset; editors do not
  // show the mark, so line 1 columns are counted without it.
  const hasBom = source.start === 0 && rawSection.startsWith(BOM);
  const sectionText = hasBom ? ` ${rawSection.slice(1)}` : rawSection;
  const generated = source.generatedLines;
  const starts = lineStarts(generated === undefined ? source.text : (source.parseText ?? source.text));
  const toChar = byteToCharMapper(sectionText);
  const toFile = (charOffset: number): Position => {
    const position = positionAt(starts, source.start + charOffset);
    if (generated !== undefined) return { line: generated[position.line - 1] ?? 1, column: 1 };
    return hasBom && position.line === 1 ? { line: 1, column: Math.max(1, position.column - 1) } : position;
  };
  const fileIgnores: MutableIgnores = { squawk: new Set(), shipready: new Map() };
  const locate = (byteOffset: number): Position => toFile(toChar(byteOffset));
  // libpg-query rejects an empty string ("Query cannot be empty") but accepts whitespace and comments;
  // an empty file (golang-migrate's `migrate create` writes 0-byte files) simply has no statements.
  if (skipTrivia(sectionText, 0, sectionText.length) === sectionText.length) {
    collectIgnores(sectionText, { squawk: new Set(), shipready: new Map() }, fileIgnores);
    return { source, statements: [], fileIgnores, locate };
  }
  let raw;
  try {
    raw = pgParser().parseSync(sectionText);
  } catch (error) {
    const { hasSqlDetails } = pgParser();
    if (!hasSqlDetails(error) && !(error instanceof Error)) throw new Error('libpg-query failed', { cause: error });
    const cursor = hasSqlDetails(error) ? (error.sqlDetails?.cursorPosition ?? 0) : 0;
    collectIgnores(sectionText, { squawk: new Set(), shipready: new Map() }, fileIgnores);
    // The parser's error cursor counts characters, not bytes (unlike statement locations).
    const message = error instanceof Error ? error.message : 'syntax error';
    return {
      source,
      statements: [],
      syntaxError: { message, position: toFile(Math.min(cursor, sectionText.length)) },
      fileIgnores,
      locate,
    };
  }
  const statements: Statement[] = [];
  let previousEnd = 0;
  for (const rawStatement of raw.stmts ?? []) {
    if (rawStatement.stmt === undefined) continue;
    const byteStart = rawStatement.stmt_location ?? 0;
    const rawStart = toChar(byteStart);
    const rawEnd = rawStatement.stmt_len === undefined || rawStatement.stmt_len === 0 ? sectionText.length : toChar(byteStart + rawStatement.stmt_len);
    const start = skipTrivia(sectionText, Math.min(previousEnd, rawStart), rawEnd);
    const ignores: MutableIgnores = { squawk: new Set(), shipready: new Map() };
    collectIgnores(sectionText.slice(previousEnd, start), ignores, fileIgnores);
    const text = sectionText.slice(start, rawEnd).trimEnd();
    statements.push({
      index: statements.length,
      node: rawStatement.stmt,
      text,
      start: source.start + start,
      end: source.start + start + text.length,
      startPosition: toFile(start),
      endPosition: toFile(start + Math.max(0, text.length - 1)),
      ignores,
    });
    previousEnd = rawEnd;
    if (sectionText[previousEnd] === ';') previousEnd++;
  }
  collectIgnores(sectionText.slice(previousEnd), { squawk: new Set(), shipready: new Map() }, fileIgnores);
  return { source, statements, fileIgnores, locate };
}
