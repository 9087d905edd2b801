import { beforeAll, describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { lintSets } from '../lint/index.js';
import { ensureParser, parseSql } from './parse.js';

beforeAll(ensureParser);

function parse(text: string, start = 0, end = text.length) {
  return parseSql({ path: 'm.sql', text, start, end });
}

describe('parseSql', () => {
  it('maps UTF-8 byte offsets to lines and UTF-16 columns', () => {
    const parsed = parse("-- café ☕ 𝄞\nSELECT 'é😀';  CREATE TABLE t (a int);\n");
    expect(parsed.statements.map((statement) => statement.startPosition)).toEqual([
      { line: 2, column: 1 },
      { line: 2, column: 16 },
    ]);
    expect(parsed.statements[1]?.text).toBe('CREATE TABLE t (a int)');
  });

  it('offsets sections that start mid-file', () => {
    const text = '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n';
    const start = text.indexOf('-- migrate:down') + '-- migrate:down'.length;
    expect(parse(text, start).statements[0]?.startPosition).toEqual({ line: 4, column: 1 });
  });

  it('locates syntax errors by character, not byte', () => {
    const parsed = parse("SELECT 'ééé';\nSELEC 1;");
    expect(parsed.statements).toEqual([]);
    expect(parsed.syntaxError?.position).toEqual({ line: 2, column: 1 });
  });

  it('collects squawk-ignore and shipready-ignore comments for the next statement only', () => {
    const parsed = parse(
      '-- squawk-ignore ban-drop-column, renaming-column\nALTER TABLE a DROP COLUMN b;\n-- shipready-ignore migrations/ban-drop-table -- archived in ticket 12\nDROP TABLE c;\nDROP TABLE d;',
    );
    expect([...(parsed.statements[0]?.ignores.squawk ?? [])]).toEqual(['ban-drop-column', 'renaming-column']);
    expect([...(parsed.statements[1]?.ignores.shipready ?? [])]).toEqual([['migrations/ban-drop-table', 'archived in ticket 12']]);
    expect(parsed.statements[2]?.ignores.shipready.size).toBe(0);
  });

  it('reads an empty or comment-only text as zero statements, not a syntax error', () => {
    for (const text of ['', '  \n\t\n', '-- placeholder\n/* nothing yet */\n']) {
      const parsed = parse(text);
      expect(parsed.syntaxError, JSON.stringify(text)).toBeUndefined();
      expect(parsed.statements).toEqual([]);
    }
    expect([...parse('-- squawk-ignore-file ban-drop-table\n').fileIgnores.squawk]).toEqual(['ban-drop-table']);
  });

  it('ignores a UTF-8 byte-order mark and keeps positions as editors show them', () => {
    const parsed = parse('\uFEFFCREATE TABLE d (id int);\nCREATE TABLE e (id int);');
    expect(parsed.syntaxError).toBeUndefined();
    expect(parsed.statements.map((statement) => [statement.text, statement.startPosition])).toEqual([
      ['CREATE TABLE d (id int)', { line: 1, column: 1 }],
      ['CREATE TABLE e (id int)', { line: 2, column: 1 }],
    ]);
    expect(parse('\uFEFFSELEC 1;').syntaxError?.position).toEqual({ line: 1, column: 1 });
    expect(parse('\uFEFFSELECT 1; SELEC 1;').syntaxError?.position).toEqual(parse('SELECT 1; SELEC 1;').syntaxError?.position);
  });

  it('honours squawk-ignore in block comments, for the next statement or the whole file', () => {
    const parsed = parse(
      '/* squawk-ignore ban-drop-column,\n   renaming-column -- agreed with the team */\nALTER TABLE a DROP COLUMN b;\nDROP TABLE c;\n/* squawk-ignore-file ban-drop-table */\nDROP TABLE d;',
    );
    expect([...(parsed.statements[0]?.ignores.squawk ?? [])]).toEqual(['ban-drop-column', 'renaming-column']);
    expect(parsed.statements[1]?.ignores.squawk.size).toBe(0);
    expect([...parsed.fileIgnores.squawk]).toEqual(['ban-drop-table']);
    expect([...(parse('/* squawk-ignore */ DROP TABLE c;').statements[0]?.ignores.squawk ?? [])]).toEqual(['*']);
    expect(parse('/* squawk-ignored-by-nobody x */ DROP TABLE c;').statements[0]?.ignores.squawk.size).toBe(0);
  });
});

describe('suppressions in lint results', () => {
  it('marks ignored findings as suppressed and leaves the others active', async () => {
    const text = '-- shipready-ignore migrations/ban-drop-table -- archived\nDROP TABLE c;\n-- squawk-ignore ban-drop-table\nDROP TABLE e;\nDROP TABLE d;\n';
    const sets = discoverInIndex(createFileIndex(['migrations/1_x.sql'], () => text));
    const outcome = await lintSets(sets, { pgVersion: { major: 16, source: 'test' } });
    const drops = outcome.findings.filter((finding) => finding.ruleId === 'migrations/ban-drop-table');
    expect(drops.map((finding) => [finding.location?.kind === 'file' ? finding.location.line : 0, finding.suppression?.reason])).toEqual([
      [2, 'archived'],
      [4, 'squawk-ignore comment'],
      [5, undefined],
    ]);
  });

  it('suppresses a finding under a squawk-ignore block comment', async () => {
    const text = '/* squawk-ignore ban-drop-table */\nDROP TABLE e;\nDROP TABLE d;\n';
    const sets = discoverInIndex(createFileIndex(['migrations/1_x.sql'], () => text));
    const outcome = await lintSets(sets, { pgVersion: { major: 16, source: 'test' } });
    const drops = outcome.findings.filter((finding) => finding.ruleId === 'migrations/ban-drop-table');
    expect(drops.map((finding) => [finding.location?.kind === 'file' ? finding.location.line : 0, finding.suppression?.reason])).toEqual([
      [2, 'squawk-ignore comment'],
      [3, undefined],
    ]);
  });
});
