// Reading typed values out of result rows, apart from database.ts so the rules and the catalog queries can use them
// without loading the database drivers' module (which `scan` must never load).

export type Row = Readonly<Record<string, unknown>>;

/** @example text({ name: 'users' }, 'name') // 'users' */
export function text(row: Row | undefined, key: string): string {
  const value = row?.[key];
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

/** @example num({ n: '42' }, 'n') // 42 */
export function num(row: Row | undefined, key: string): number {
  const value = row?.[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return 0;
}

/** @example bool({ ok: 't' }, 'ok') // true */
export function bool(row: Row | undefined, key: string): boolean {
  const value = row?.[key];
  return value === true || value === 't' || value === 'true';
}
