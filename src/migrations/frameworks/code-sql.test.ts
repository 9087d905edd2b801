import { describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { lintSets } from '../lint/index.js';
import { rehearseMigrations } from '../rehearse/index.js';
import { extractCodeSql } from './code-sql.js';

const TYPEORM = `import { MigrationInterface, QueryRunner } from 'typeorm';

// Généré par TypeORM 😀
export class AddEmail1700000000001 implements MigrationInterface {
  name = 'AddEmail1700000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "users" ADD "email" character varying NOT NULL\`);
    await queryRunner.query(
      \`CREATE INDEX "IDX_users_email" ON "users" ("email")\`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP INDEX "public"."IDX_users_email"\`);
    await queryRunner.query(\`ALTER TABLE "users" DROP COLUMN "email"\`);
  }
}
`;

const INIT = `export class Init1700000000000 implements MigrationInterface {
  async up(queryRunner) {
    await queryRunner.query('CREATE TABLE "users" ("id" SERIAL NOT NULL, CONSTRAINT "PK_users" PRIMARY KEY ("id"))');
  }
  async down(queryRunner) {
    await queryRunner.query('DROP TABLE "users"');
  }
}
`;

const FILES: Record<string, string> = { 'src/migrations/1700000000000-Init.ts': INIT, 'src/migrations/1700000000001-AddEmail.ts': TYPEORM };

describe('extractCodeSql', () => {
  it('reads SQL literals of up and down without executing the file, keeping file positions', () => {
    const extracted = extractCodeSql('m.ts', TYPEORM);
    expect(extracted.unconvertedCalls).toBe(0);
    expect(extracted.up?.parseText?.length).toBe(TYPEORM.length);
    expect(extracted.up?.parseText?.split('\n')[9]?.trim()).toBe('CREATE INDEX "IDX_users_email" ON "users" ("email");');
  });

  it('counts schema-builder calls it cannot convert', () => {
    const knex = 'exports.up = (knex) => knex.schema.createTable("a", (t) => t.increments()).then(() => knex.raw("CREATE INDEX a_idx ON a (id)"));\nexports.down = (knex) => knex.schema.dropTable("a");';
    expect(extractCodeSql('m.js', knex).unconvertedCalls).toBe(1);
  });

  it('skips interpolated templates and escaped strings', () => {
    const code = 'export async function up(pgm) { pgm.sql(`ALTER TABLE ${"t"} ADD x int`); pgm.sql(\'SELECT \\\'a\\\'\'); }';
    expect(extractCodeSql('m.ts', code).up).toBeUndefined();
  });
});

describe('TypeORM migrations from string literals', () => {
  const sets = discoverInIndex(createFileIndex(Object.keys(FILES), (path) => FILES[path]));

  it('lints them at their line in the .ts file', async () => {
    const outcome = await lintSets(sets, { pgVersion: { major: 16, source: 'test' } });
    const at = (ruleId: string) => outcome.findings.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.location?.kind === 'file' && [finding.location.path, finding.location.line]);
    expect(at('migrations/adding-required-field')).toEqual([['src/migrations/1700000000001-AddEmail.ts', 8]]);
    expect(at('migrations/require-concurrent-index-creation')).toEqual([['src/migrations/1700000000001-AddEmail.ts', 10]]);
  });

  it('rehearses them, down migrations included', async () => {
    const result = await rehearseMigrations(sets, { rows: 100 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs.map((run) => [run.migration.id, run.error?.message, run.reversibility?.missing.length, run.reversibility?.extra.length])).toEqual([
      ['1700000000000', undefined, 0, 0],
      ['1700000000001', 'column "email" of relation "users" contains null values', undefined, undefined],
    ]);
    // TypeORM commits once per run: the first migration's lock is held through the second one too.
    const [first, second] = result.value.runs;
    const applied = (run: typeof first): number => (run?.statements ?? []).reduce((total, statement) => total + (statement.estimatedMs ?? statement.ms), 0);
    expect(first?.statements[0]?.heldMs).toBeCloseTo(applied(first) + applied(second), 5);
  });
});
