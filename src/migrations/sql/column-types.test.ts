import type { TypeName } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnDefOf } from './ast.js';
import { isBinaryCoercible, keepsEveryValue } from './column-types.js';
import { ensureParser, parseSql } from './parse.js';

beforeAll(async () => {
  await ensureParser();
});

/** The TypeName the parser gives for a type written in SQL. */
function typeOf(sql: string): TypeName {
  const text = `CREATE TABLE t (c ${sql});`;
  const node = parseSql({ path: 'types.sql', text, start: 0, end: text.length }).statements[0]?.node;
  const element = node !== undefined && 'CreateStmt' in node ? node.CreateStmt.tableElts?.[0] : undefined;
  const typeName = columnDefOf(element)?.typeName;
  if (typeName === undefined) throw new Error(`no type in ${text}`);
  return typeName;
}

describe('keepsEveryValue', () => {
  it.each([
    ['integer', 'bigint'],
    ['smallint', 'integer'],
    ['integer', 'numeric'],
    ['integer', 'numeric(12,2)'],
    ['real', 'double precision'],
    ['numeric(10,2)', 'numeric(12,3)'],
    ['date', 'timestamptz'],
    ['varchar(10)', 'varchar(20)'],
    ['varchar(10)', 'text'],
  ])('%s → %s keeps every value', (from, to) => {
    expect(keepsEveryValue(typeOf(from), typeOf(to))).toBe(true);
  });

  it.each([
    ['bigint', 'integer'],
    ['integer', 'numeric(9,0)'],
    ['numeric(12,2)', 'numeric(12,3)'],
    ['varchar(20)', 'varchar(10)'],
    ['text', 'varchar(10)'],
    ['timestamptz', 'date'],
    ['text', 'integer'],
    ['double precision', 'real'],
  ])('%s → %s may lose values', (from, to) => {
    expect(keepsEveryValue(typeOf(from), typeOf(to))).toBe(false);
  });

  it('counts int → bigint as a rewrite that keeps every value', () => {
    expect(isBinaryCoercible(typeOf('integer'), typeOf('bigint'))).toBe(false);
    expect(keepsEveryValue(typeOf('integer'), typeOf('bigint'))).toBe(true);
  });
});
