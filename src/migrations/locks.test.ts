import { beforeAll, describe, expect, it } from 'vitest';
import { staticLocks } from './locks.js';
import { ensureParser, parseSql } from './sql/parse.js';

beforeAll(async () => {
  await ensureParser();
});

function locksOf(sql: string, tables: Record<string, string> = {}): unknown[] {
  const node = parseSql({ path: 'locks.sql', text: sql, start: 0, end: sql.length }).statements[0]?.node;
  if (node === undefined) throw new Error(`no statement in ${sql}`);
  return staticLocks(node, { tableOfIndex: (index) => tables[index] }).map((lock) => [lock.relation, lock.mode]);
}

describe('staticLocks', () => {
  it('takes ACCESS EXCLUSIVE on the partition that is attached or detached, concurrently or not', () => {
    expect(locksOf('ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;')).toEqual([
      ['events', 'ShareUpdateExclusiveLock'],
      ['events_2023', 'AccessExclusiveLock'],
    ]);
    expect(locksOf('ALTER TABLE events DETACH PARTITION events_2023;')).toEqual([
      ['events', 'AccessExclusiveLock'],
      ['events_2023', 'AccessExclusiveLock'],
    ]);
    expect(locksOf("ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")).toEqual([
      ['events', 'ShareUpdateExclusiveLock'],
      ['events_2024', 'AccessExclusiveLock'],
    ]);
  });

  it('names tables in public without the schema, as the rehearsal reads them back', () => {
    expect(locksOf('CREATE INDEX CONCURRENTLY users_email_idx ON public.users (email);')).toEqual([['users', 'ShareUpdateExclusiveLock']]);
    expect(locksOf('DROP TABLE audit.events;')).toEqual([['audit.events', 'AccessExclusiveLock']]);
  });

  it('locks the table of a dropped index, not the index, and says so when the table is unknown', () => {
    expect(locksOf('DROP INDEX users_email_idx;', { users_email_idx: 'users' })).toEqual([['users', 'AccessExclusiveLock']]);
    expect(locksOf('DROP INDEX CONCURRENTLY audit.events_at_idx;', { 'audit.events_at_idx': 'audit.events' })).toEqual([['audit.events', 'ShareUpdateExclusiveLock']]);
    expect(locksOf('DROP INDEX gone_idx;')).toEqual([['the table of index gone_idx', 'AccessExclusiveLock']]);
  });

  it('takes only SHARE UPDATE EXCLUSIVE to rename an index (PostgreSQL 12+)', () => {
    expect(locksOf('ALTER INDEX users_email_idx RENAME TO users_email_key;', { users_email_idx: 'users' })).toEqual([['users', 'ShareUpdateExclusiveLock']]);
  });
});
