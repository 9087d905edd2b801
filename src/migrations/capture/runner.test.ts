import { describe, expect, it } from 'vitest';
import { inlineParameters } from './runner.js';

describe('inlining query parameters into captured SQL', () => {
  it('writes each parameter as a literal of its type', () => {
    const sql = 'INSERT INTO t (a, b, c, d, e, f) VALUES ($1, $2, $3, $4, $5, $6)';
    expect(inlineParameters(sql, ["it's", 3, true, null, new Date('2024-01-02T03:04:05.000Z'), { k: 'v' }])).toBe(
      `INSERT INTO t (a, b, c, d, e, f) VALUES ('it''s', 3, TRUE, NULL, '2024-01-02T03:04:05.000Z', '{"k":"v"}')`,
    );
  });

  it('leaves placeholders in strings, quoted identifiers, comments and dollar-quoted bodies alone', () => {
    const sql = `SELECT '$1', "$1", $1 -- $1\n/* $1 */ , $fn$ $1 $fn$, $$ $2 $$, $2, $3`;
    expect(inlineParameters(sql, ['x', 7])).toBe(`SELECT '$1', "$1", 'x' -- $1\n/* $1 */ , $fn$ $1 $fn$, $$ $2 $$, 7, $3`);
  });
});
