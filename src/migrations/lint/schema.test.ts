import { beforeAll, describe, expect, it } from 'vitest';
import { ensureParser, parseSql } from '../sql/parse.js';
import { SchemaModel } from './schema.js';

beforeAll(async () => {
  await ensureParser();
});

/** Applies each migration (a SQL text) in order, as lint does for a set. */
function replay(...migrations: string[]): SchemaModel {
  const schema = new SchemaModel();
  migrations.forEach((text, index) => {
    const path = `migrations/${index + 1}.sql`;
    for (const statement of parseSql({ path, text, start: 0, end: text.length }).statements) schema.apply(statement.node, { path, statement });
  });
  return schema;
}

const INIT = 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), note text);\n';

describe('SchemaModel', () => {
  it('names an unindexed foreign key by its current table and column after renames', () => {
    const keys = replay(INIT, 'ALTER TABLE orders RENAME TO purchases;\nALTER TABLE purchases RENAME COLUMN user_id TO buyer_id;\n').unindexedForeignKeys();
    expect(keys.map((key) => [key.table, key.columns, key.target, key.declaredAs, key.declaredBy.path, key.declaredBy.statement.startPosition.line])).toEqual([
      ['purchases', ['buyer_id'], 'users', 'orders (user_id)', 'migrations/1.sql', 2],
    ]);
  });

  it('follows the referenced table through a rename', () => {
    expect(replay(INIT, 'ALTER TABLE users RENAME TO accounts;').foreignKeys.map((key) => key.target)).toEqual(['accounts']);
  });

  it('forgets what DROP TABLE, DROP COLUMN, DROP CONSTRAINT and DROP INDEX remove', () => {
    expect(replay(INIT, 'DROP TABLE orders;').foreignKeys).toEqual([]);
    expect(replay(INIT, 'ALTER TABLE orders DROP COLUMN user_id;').foreignKeys).toEqual([]);
    expect(replay(INIT, 'ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;').foreignKeys).toEqual([]);
    const dropped = replay(INIT, 'CREATE INDEX orders_user_idx ON orders (user_id);', 'DROP INDEX orders_user_idx;');
    expect([dropped.unindexedForeignKeys().length, dropped.tableOfIndex('orders_user_idx')]).toEqual([1, undefined]);
  });

  it('keeps the index-to-table map through index, table and constraint renames, per schema', () => {
    const schema = replay(
      'CREATE TABLE users (id bigint, email text, CONSTRAINT users_pk PRIMARY KEY (id));\nCREATE INDEX users_email_idx ON users (email);\nCREATE TABLE audit.events (id bigint);\nCREATE INDEX events_id_idx ON audit.events (id);\n',
      'ALTER INDEX users_email_idx RENAME TO users_email_key;\nALTER TABLE users RENAME TO members;\nALTER TABLE members RENAME CONSTRAINT users_pk TO members_pkey;\n',
    );
    expect([schema.tableOfIndex('users_email_key'), schema.tableOfIndex('users_email_idx'), schema.tableOfIndex('members_pkey'), schema.tableOfIndex('audit.events_id_idx'), schema.tableOfIndex('events_id_idx')]).toEqual([
      'members',
      undefined,
      'members',
      'audit.events',
      undefined,
    ]);
  });

  it('counts an index added by a later migration, and a primary key or unique constraint, as covering a key', () => {
    expect(replay(INIT, 'CREATE INDEX CONCURRENTLY ON orders (user_id, id);').unindexedForeignKeys()).toEqual([]);
    expect(replay(INIT, 'ALTER TABLE orders ADD CONSTRAINT orders_user_once UNIQUE (user_id);').unindexedForeignKeys()).toEqual([]);
    expect(replay(INIT, 'CREATE INDEX ON orders (id, user_id);').unindexedForeignKeys().length).toBe(1);
  });

  it('records where each column got its current type, under its current name', () => {
    const schema = replay('CREATE TABLE events (id bigint, at timestamp, note text);', 'ALTER TABLE events ALTER COLUMN at TYPE timestamptz;\nALTER TABLE events RENAME COLUMN note TO body;');
    const current = [...schema.currentColumnDeclarations().entries()].map(([key, names]) => [key.split('\0')[0], key.split('\0')[2], names.column]).sort();
    expect(current).toEqual([
      ['migrations/1.sql', 'id', 'id'],
      ['migrations/1.sql', 'note', 'body'],
      ['migrations/2.sql', 'at', 'at'],
    ]);
  });
});
