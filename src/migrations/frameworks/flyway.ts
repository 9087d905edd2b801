import type { Migration, MigrationSet, SqlSource, TransactionMode } from '../types.js';
import { baseOf, compareDottedVersions, type FileIndex, groupByDir, unclaimed, wholeFile } from './common.js';

const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;

interface Token {
  readonly kind: 'word' | 'quoted' | 'placeholder' | 'semicolon' | 'other';
  readonly start: number;
  readonly end: number;
}

/** Flyway's default placeholder syntax, `${name}` (built-ins are `${flyway:defaultSchema}`, `${flyway:user}`…). */
const PLACEHOLDER = /\$\{[^{}\s;'"$]+\}/y;
const DOLLAR_QUOTE = /\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;
const WORD_CHAR = /[\w\u0080-\uffff$]/;

/** End of a `'…'` (or `E'…'` with backslash escapes) literal or a `"…"` identifier opened at `start`. */
function closeQuote(text: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (backslashEscapes && char === '\\') index += 2;
    else if (char === quote && text[index + 1] === quote) index += 2;
    else if (char === quote) return index + 1;
    else index++;
  }
  return text.length;
}

/** End of a nested `/* … *\/` comment opened at `start`. */
function closeBlockComment(text: string, start: number): number {
  let depth = 1;
  let index = start + 2;
  while (index < text.length && depth > 0) {
    if (text.startsWith('/*', index)) {
      depth++;
      index += 2;
    } else if (text.startsWith('*/', index)) {
      depth--;
      index += 2;
    } else {
      index++;
    }
  }
  return index;
}

/**
 * Splits a Flyway script into the tokens Flyway's own parser cares about: words, quoted names, placeholders
 * and `;`. Comments are dropped; string literals and dollar-quoted bodies become one `other` token, so a
 * `;` or `${…}` inside them is never mistaken for code.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    const start = index;
    if (/\s/.test(char) || char === '\uFEFF') {
      index++;
      continue;
    }
    if (text.startsWith('--', index)) {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? text.length : newline + 1;
      continue;
    }
    if (text.startsWith('/*', index)) {
      index = closeBlockComment(text, index);
      continue;
    }
    if (char === "'") {
      const escaped = /[eE]/.test(text[index - 1] ?? '') && !WORD_CHAR.test(text[index - 2] ?? '');
      index = closeQuote(text, index, "'", escaped);
      tokens.push({ kind: 'other', start, end: index });
      continue;
    }
    if (char === '"') {
      index = closeQuote(text, index, '"', false);
      tokens.push({ kind: 'quoted', start, end: index });
      continue;
    }
    if (char === '$') {
      PLACEHOLDER.lastIndex = index;
      const placeholder = PLACEHOLDER.exec(text);
      if (placeholder !== null) {
        index += placeholder[0].length;
        tokens.push({ kind: 'placeholder', start, end: index });
        continue;
      }
      DOLLAR_QUOTE.lastIndex = index;
      const tag = DOLLAR_QUOTE.exec(text);
      if (tag !== null) {
        const close = text.indexOf(tag[0], index + tag[0].length);
        index = close === -1 ? text.length : close + tag[0].length;
        tokens.push({ kind: 'other', start, end: index });
        continue;
      }
    }
    if (char === ';') {
      tokens.push({ kind: 'semicolon', start, end: index + 1 });
      index++;
      continue;
    }
    if (WORD_CHAR.test(char) && char !== '$') {
      // `$` continues an identifier (`a$1`) but `${` starts a placeholder glued to it (`users_${suffix}`).
      while (index < text.length && WORD_CHAR.test(text[index] ?? '') && !text.startsWith('${', index)) index++;
      // The `E` of `E'…'` belongs to the literal that follows.
      if (text[index] === "'" && index - start === 1 && /[eE]/.test(char)) continue;
      tokens.push({ kind: 'word', start, end: index });
      continue;
    }
    tokens.push({ kind: 'other', start, end: index + 1 });
    index++;
  }
  return tokens;
}

/**
 * A same-length stand-in for a placeholder that parses where Flyway users put placeholders: an identifier
 * (schema, role, table name part) or a value. `${flyway:defaultSchema}` becomes `public` padded with
 * spaces (Postgres allows `public   .users`) so tables resolve as they would on a default setup.
 */
function standIn(text: string, token: Token): string {
  const name = text.slice(token.start, token.end);
  const length = token.end - token.start;
  const glued = WORD_CHAR.test(text[token.start - 1] ?? '') || WORD_CHAR.test(text[token.end] ?? '');
  if (name === '${flyway:defaultSchema}' && !glued) return 'public'.padEnd(length, ' ');
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Replaces Flyway placeholders outside comments, string literals and quoted names with same-length
 * stand-ins, so the script parses and every finding keeps its line and column; undefined when the
 * script has none.
 *
 * @example
 * maskFlywayPlaceholders('GRANT SELECT ON t TO ${appUser};'); // 'GRANT SELECT ON t TO __appUser_;'
 */
export function maskFlywayPlaceholders(text: string): string | undefined {
  const placeholders = tokenize(text).filter((token) => token.kind === 'placeholder');
  if (placeholders.length === 0) return undefined;
  let masked = '';
  let previous = 0;
  for (const token of placeholders) {
    masked += text.slice(previous, token.start) + standIn(text, token);
    previous = token.end;
  }
  return masked + text.slice(previous);
}

/**
 * What Flyway's `PostgreSQLParser.detectCanExecuteInTransaction` treats as non-transactional, matched
 * against the first keywords of a statement (Flyway stops looking after 10). `ALTER TYPE … ADD VALUE` is
 * only on the list when the database is older than PostgreSQL 12, which discovery cannot know; it is
 * treated as transactional (the PostgreSQL 12+ behaviour).
 */
const NON_TRANSACTIONAL = [
  /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)$/,
  /^ALTER SYSTEM$/,
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY$/,
  /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)$/,
  /^VACUUM$/,
  /^DISCARD ALL$/,
];
const DETECTION_CUTOFF = 10;

interface StatementKinds {
  /** The keywords that made Flyway treat a statement as non-transactional, e.g. `CREATE INDEX CONCURRENTLY`. */
  readonly nonTransactional: string[];
  readonly hasTransactional: boolean;
}

/** Sorts a script's statements the way Flyway does before choosing whether to run it in a transaction. */
function classifyStatements(text: string): StatementKinds {
  const nonTransactional: string[] = [];
  let hasTransactional = false;
  let keywords: string[] = [];
  let isEmpty = true;
  const finish = (): void => {
    if (!isEmpty) {
      let found: string | undefined;
      for (let count = 1; count <= Math.min(keywords.length, DETECTION_CUTOFF) && found === undefined; count++) {
        const simplified = keywords.slice(0, count).join(' ');
        if (NON_TRANSACTIONAL.some((pattern) => pattern.test(simplified))) found = simplified;
      }
      if (found === undefined) hasTransactional = true;
      else nonTransactional.push(found);
    }
    keywords = [];
    isEmpty = true;
  };
  for (const token of tokenize(text)) {
    if (token.kind === 'semicolon') {
      finish();
      continue;
    }
    isEmpty = false;
    if (token.kind === 'word') keywords.push(text.slice(token.start, token.end).toUpperCase());
    else if (token.kind === 'quoted' || token.kind === 'placeholder') keywords.push('"');
  }
  finish();
  return { nonTransactional, hasTransactional };
}

/**
 * Flyway's choice for one script: an explicit `executeInTransaction` in `<file>.conf` wins; otherwise a
 * script whose statements all cannot run in a transaction runs without one, and a script mixing both is
 * refused unless `mixed=true` (then it also runs without one).
 */
function transactionOf(file: string, text: string, conf: string | undefined): { transaction: TransactionMode; transactionReason: string } {
  const explicit = conf === undefined ? null : /^\s*executeInTransaction\s*=\s*(true|false)\s*$/im.exec(conf);
  if (explicit !== null) {
    const value = (explicit[1] ?? '').toLowerCase();
    return value === 'false'
      ? { transaction: 'none', transactionReason: `${file}.conf sets executeInTransaction=false` }
      : { transaction: 'per-file', transactionReason: `${file}.conf sets executeInTransaction=true` };
  }
  const kinds = classifyStatements(text);
  const detected = [...new Set(kinds.nonTransactional)].join(', ');
  if (detected === '') return { transaction: 'per-file', transactionReason: 'flyway runs each migration in its own transaction' };
  if (!kinds.hasTransactional) {
    return { transaction: 'none', transactionReason: `flyway runs ${file} outside a transaction: it detects ${detected}, which cannot run in one` };
  }
  return {
    transaction: 'per-file',
    transactionReason: `flyway refuses ${file} unless mixed=true, as it mixes ${detected} with statements that run in a transaction ("Detected both transactional and non-transactional statements within the same migration")`,
  };
}

/** The file as a SQL source, with placeholders masked for the parser when it has any. */
function flywaySource(path: string, text: string): SqlSource {
  const parseText = maskFlywayPlaceholders(text);
  return parseText === undefined ? wholeFile(path, text) : { ...wholeFile(path, text), parseText };
}

/**
 * Flyway: `V<version>__<desc>.sql` in version order, `U<version>__` undo files, then `R__` repeatables
 * ordered by description. Each migration runs in its own transaction unless its `<file>.conf` says
 * `executeInTransaction=false` or Flyway detects statements that cannot run in one (see `transactionOf`).
 * Placeholders (`${name}`) are masked for the parser.
 *
 * @example
 * detectFlyway(index)[0]?.migrations.map((migration) => migration.id); // ['V1', 'V1.1', 'R__views']
 */
export function detectFlyway(index: FileIndex): MigrationSet[] {
  const sets: MigrationSet[] = [];
  const files = unclaimed(index).filter((path) => VERSIONED.test(baseOf(path)) || REPEATABLE.test(baseOf(path)));
  for (const [dir, paths] of groupByDir(files)) {
    const undo = new Map<string, string>();
    const versioned: Array<{ version: string; name: string; path: string }> = [];
    const repeatable: Array<{ name: string; path: string }> = [];
    for (const path of paths) {
      const base = baseOf(path);
      const match = VERSIONED.exec(base);
      if (match !== null) {
        const [, kind, version = '', name = ''] = match;
        if (kind === 'U') undo.set(version, path);
        else versioned.push({ version, name, path });
        continue;
      }
      const repeat = REPEATABLE.exec(base);
      if (repeat !== null) repeatable.push({ name: repeat[1] ?? base, path });
    }
    if (versioned.length === 0 && repeatable.length === 0) continue;
    versioned.sort((a, b) => compareDottedVersions(a.version, b.version));
    repeatable.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const migrations: Migration[] = [];
    const add = (id: string, name: string, path: string, isRepeatable: boolean, undoPath?: string): void => {
      const text = index.read(path);
      if (text === undefined) return;
      index.claimed.add(path);
      const conf = index.read(`${path}.conf`);
      const undoText = undoPath === undefined ? undefined : index.read(undoPath);
      if (undoPath !== undefined) index.claimed.add(undoPath);
      migrations.push({
        id,
        name: name.replace(/_/g, ' '),
        framework: 'flyway',
        path,
        language: 'sql',
        up: flywaySource(path, text),
        ...(undoPath !== undefined && undoText !== undefined ? { down: flywaySource(undoPath, undoText) } : {}),
        ...(isRepeatable ? { repeatable: true } : {}),
        ...transactionOf(baseOf(path), text, conf),
      });
    };
    for (const entry of versioned) add(`V${entry.version}`, entry.name, entry.path, false, undo.get(entry.version));
    for (const entry of repeatable) add(`R__${entry.name}`, entry.name, entry.path, true);
    sets.push({ framework: 'flyway', dir, transaction: 'per-file', migrations, hasDowns: undo.size > 0 });
  }
  return sets;
}
