import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { inlineParameters } from './runner.js';

/** The prepareValue of shipready's own pg (a dependency): the runner gets the project's, resolved from typeorm. */
function pgPrepareValue(): (value: unknown) => unknown {
  const pg: unknown = createRequire(import.meta.url)('pg');
  const utils: unknown = typeof pg === 'object' && pg !== null && 'utils' in pg ? pg.utils : undefined;
  const prepare: unknown = typeof utils === 'object' && utils !== null && 'prepareValue' in utils ? utils.prepareValue : undefined;
  if (typeof prepare !== 'function') throw new Error('pg has no utils.prepareValue');
  return (value) => prepare(value);
}

const prepareValue = pgPrepareValue();

describe('inlining query parameters into captured SQL', () => {
  it('writes each parameter as the text pg sends for it, quoted as an untyped literal', () => {
    const sql = 'INSERT INTO t (a, b, c, d, e, f) VALUES ($1, $2, $3, $4, $5, $6)';
    expect(inlineParameters(sql, ["it's", 3, true, null, undefined, { k: 'v' }], prepareValue)).toBe(
      `INSERT INTO t (a, b, c, d, e, f) VALUES ('it''s', '3', 'true', NULL, NULL, '{"k":"v"}')`,
    );
  });

  it('writes arrays as Postgres array literals, so = ANY($1) still parses and runs', () => {
    expect(inlineParameters('DELETE FROM t WHERE id = ANY($1) AND tag = ANY($2)', [[1, 2], ['a"b', null]], prepareValue)).toBe(
      `DELETE FROM t WHERE id = ANY('{"1","2"}') AND tag = ANY('{"a\\"b",NULL}')`,
    );
  });

  it('writes NaN, Infinity and bytes as literals Postgres accepts', () => {
    expect(inlineParameters('SELECT $1, $2, $3', [Number.NaN, -Infinity, Buffer.from([0xde, 0xad])], prepareValue)).toBe(`SELECT 'NaN', '-Infinity', '\\xdead'`);
  });

  it('leaves placeholders in strings, quoted identifiers, comments and dollar-quoted bodies alone', () => {
    const sql = `SELECT '$1', "$1", $1 -- $1\n/* $1 */ , $fn$ $1 $fn$, $$ $2 $$, $2, $3`;
    expect(inlineParameters(sql, ['x', 7], prepareValue)).toBe(`SELECT '$1', "$1", 'x' -- $1\n/* $1 */ , $fn$ $1 $fn$, $$ $2 $$, '7', $3`);
  });

  it('reads E-strings with backslash escapes, nested comments and identifiers as Postgres does', () => {
    const sql = `SELECT E'it\\'s $1', e'\\\\', $1, /* a /* $1 */ $1 */ $2, col$1, name'$2'`;
    expect(inlineParameters(sql, ['x', 'y'], prepareValue)).toBe(`SELECT E'it\\'s $1', e'\\\\', 'x', /* a /* $1 */ $1 */ 'y', col$1, name'$2'`);
  });
});
