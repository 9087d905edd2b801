import { beforeAll, describe, expect, it } from 'vitest';
import { staticLocks } from './locks.js';
import { ensureParser, parseSql } from './sql/parse.js';

beforeAll(async () => {
  await ensureParser();
});

function locksOf(sql: string): unknown[] {
  const node = parseSql({ path: 'locks.sql', text: sql, start: 0, end: sql.length }).statements[0]?.node;
  if (node === undefined) throw new Error(`no statement in ${sql}`);
  return staticLocks(node).map((lock) => [lock.relation, lock.mode]);
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
});
