import type { ColumnDef, Node, TypeName } from 'libpg-query';
import { alterCommands, columnDefOf, relationKey, typeNameOf, typmodsOf } from './ast.js';

/** A column type a statement declares. */
export interface ColumnDeclaration {
  readonly table: string;
  readonly column: string;
  readonly typeName: TypeName;
  /** How the statement declares it: in CREATE TABLE, with ADD COLUMN, or with ALTER COLUMN … TYPE. */
  readonly kind: 'create' | 'add' | 'alter-type';
  readonly definition: ColumnDef;
}

/**
 * The column types a statement declares: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN … TYPE. `alter`
 * is the statement's ALTER TABLE commands when the caller has them already.
 *
 * @example columnDeclarations(parse('ALTER TABLE t ADD COLUMN c int')) // [{ table: 't', column: 'c', kind: 'add', … }]
 */
export function columnDeclarations(node: Node, alter = alterCommands(node)): ColumnDeclaration[] {
  const found: ColumnDeclaration[] = [];
  if ('CreateStmt' in node) {
    const table = relationKey(node.CreateStmt.relation);
    for (const element of node.CreateStmt.tableElts ?? []) {
      const column = columnDefOf(element);
      if (column?.typeName !== undefined) found.push({ table, column: column.colname ?? '', typeName: column.typeName, kind: 'create', definition: column });
    }
    return found;
  }
  if (alter === undefined) return found;
  const table = relationKey(alter.relation);
  for (const command of alter.commands) {
    const column = columnDefOf(command.def);
    if (column?.typeName === undefined) continue;
    if (command.subtype === 'AT_AddColumn') found.push({ table, column: column.colname ?? '', typeName: column.typeName, kind: 'add', definition: column });
    if (command.subtype === 'AT_AlterColumnType') found.push({ table, column: command.name ?? '', typeName: column.typeName, kind: 'alter-type', definition: column });
  }
  return found;
}

const VARCHAR = new Set(['varchar', 'character varying']);
const TEXT_LIKE = new Set(['text', 'varchar', 'character varying']);

/**
 * True when Postgres changes the type without touching rows ("binary coercible" with a relaxed or equal
 * modifier): varchar widening or unbounding, varchar → text, numeric precision increase at the same scale,
 * varbit widening, cidr → inet.
 *
 * @example isBinaryCoercible(varchar50, varchar100) // true
 */
export function isBinaryCoercible(from: TypeName, to: TypeName): boolean {
  const fromName = typeNameOf(from);
  const toName = typeNameOf(to);
  const fromMods = typmodsOf(from);
  const toMods = typmodsOf(to);
  if (VARCHAR.has(fromName) && TEXT_LIKE.has(toName)) {
    if (toName === 'text' || toMods.length === 0) return true;
    return fromMods.length > 0 && (toMods[0] ?? 0) >= (fromMods[0] ?? 0);
  }
  if (fromName === 'text' && VARCHAR.has(toName)) return toMods.length === 0;
  if (fromName === 'numeric' && toName === 'numeric') {
    if (toMods.length === 0) return true;
    if (fromMods.length === 0) return false;
    return (toMods[0] ?? 0) >= (fromMods[0] ?? 0) && (toMods[1] ?? 0) === (fromMods[1] ?? 0);
  }
  if ((fromName === 'varbit' || fromName === 'bit varying') && fromName === toName) return toMods.length === 0 || (toMods[0] ?? 0) >= (fromMods[0] ?? 0);
  if (fromName === 'cidr' && toName === 'inet') return true;
  return fromName === toName && JSON.stringify(fromMods) === JSON.stringify(toMods);
}

/** Integer and floating types, narrowest first within each family. */
const INTEGERS = ['int2', 'int4', 'int8'];
const FLOATS = ['float4', 'float8'];

/**
 * True when every value of the old type survives the cast to the new one: what is binary coercible, plus
 * widening casts that rewrite but lose nothing (int → bigint, integer → numeric, real → double precision,
 * date → timestamp, numeric with at least as many digits on each side of the point). Anything else —
 * narrowing, or a change of kind such as text → integer or timestamptz → date — may lose data.
 *
 * @example keepsEveryValue(int4, int8) // true
 */
export function keepsEveryValue(from: TypeName, to: TypeName): boolean {
  if (isBinaryCoercible(from, to)) return true;
  const fromName = typeNameOf(from);
  const toName = typeNameOf(to);
  const fromMods = typmodsOf(from);
  const toMods = typmodsOf(to);
  if (INTEGERS.includes(fromName)) {
    if (INTEGERS.includes(toName)) return INTEGERS.indexOf(toName) >= INTEGERS.indexOf(fromName);
    // numeric(p, s) holds every integer of the type when p - s covers its digits (5, 10 and 19).
    const digits = { int2: 5, int4: 10, int8: 19 }[fromName] ?? 19;
    return toName === 'numeric' && (toMods.length === 0 || (toMods[0] ?? 0) - (toMods[1] ?? 0) >= digits);
  }
  if (FLOATS.includes(fromName) && FLOATS.includes(toName)) return FLOATS.indexOf(toName) >= FLOATS.indexOf(fromName);
  if (fromName === 'numeric' && toName === 'numeric') {
    if (toMods.length === 0) return true;
    if (fromMods.length === 0) return false;
    const [fromPrecision = 0, fromScale = 0] = fromMods;
    const [toPrecision = 0, toScale = 0] = toMods;
    return toScale >= fromScale && toPrecision - toScale >= fromPrecision - fromScale;
  }
  return fromName === 'date' && (toName === 'timestamp' || toName === 'timestamptz');
}
