import { describe, expect, it } from 'vitest';
import { countRuntimeCalls } from './typeorm.js';

describe('TypeORM calls that build SQL at run time', () => {
  it('counts query runner builders, manager use and computed query() SQL on up’s first parameter, not literal queries', () => {
    const text = [
      "import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';",
      'export class Mixed1700000000000 implements MigrationInterface {',
      '  public async up(runner: QueryRunner): Promise<void> {',
      "    await runner.query(`CREATE TABLE \"a\" (\"id\" int)`);",
      "    await runner.addColumn('a', new TableColumn({ name: 'b', type: 'text' }));",
      "    await runner.query(`UPDATE \"a\" SET \"b\" = '${'x'}'`);",
      "    await runner.manager.createQueryBuilder().update('a').set({ b: 'y' }).execute();",
      '    await runner.startTransaction();',
      "    await other.createTable(new Table({ name: 'c' }));",
      '  }',
      '  public async down(runner: QueryRunner): Promise<void> {',
      "    await runner.dropColumn('a', 'b');",
      '  }',
      '}',
    ].join('\n');
    expect(countRuntimeCalls('m.ts', text)).toBe(3);
  });

  it('counts nothing in a migration made of literal queries', () => {
    const text = "export class Init { async up(queryRunner) { await queryRunner.query('CREATE TABLE t (id int)'); } }";
    expect(countRuntimeCalls('m.js', text)).toBe(0);
  });
});
