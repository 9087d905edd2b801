// The schema a migration set builds, replayed statement by statement: tables, columns, indexes and foreign keys,
// with DROP and RENAME applied, so rules about the schema as it stands judge what is left after the last migration.
import type { Constraint, Node, TypeName } from 'libpg-query';
import { alterCommands, columnDefOf, constraintOf, constraintsOf, qualifiedName, relationKey, stringsOf } from '../sql/ast.js';
import type { Statement } from '../sql/parse.js';

/** The statement that declared something: the file (up migration path) and the statement in it. */
export interface SchemaOrigin {
  readonly path: string;
  readonly statement: Statement;
}

export interface ColumnState {
  readonly name: string;
  readonly typeName?: TypeName;
  /** The latest CREATE TABLE / ADD COLUMN / ALTER COLUMN … TYPE that gave the column its type. */
  readonly declaredBy?: SchemaOrigin;
  /** The column's name in that declaration (it may have been renamed since). */
  readonly declaredAs: string;
}

export interface TableState {
  readonly name: string;
  readonly columns: Map<string, ColumnState>;
}

export interface IndexState {
  /** Index key: `name`, or `schema.name` outside `public` (an index lives in its table's schema). */
  readonly key: string;
  readonly table: string;
  /** Leading plain columns, in order; an expression ends the list. */
  readonly columns: readonly string[];
}

export interface ForeignKeyState {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly target: string;
  readonly declaredBy: SchemaOrigin;
  /** `table (columns)` as the declaring statement wrote it, before later renames. */
  readonly declaredAs: string;
}

function leadingColumns(params: readonly Node[] | undefined): string[] {
  const names: string[] = [];
  for (const param of params ?? []) {
    if ('IndexElem' in param && param.IndexElem.name !== undefined) names.push(param.IndexElem.name);
    else if ('String' in param && param.String.sval !== undefined) names.push(param.String.sval);
    else break;
  }
  return names;
}

/** PostgreSQL keeps identifiers to 63 bytes (NAMEDATALEN - 1). */
function truncateName(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  return bytes.length <= 63 ? name : bytes.subarray(0, 63).toString('utf8').replace(/\uFFFD$/, '');
}

function bareName(table: string): string {
  return table.includes('.') ? table.slice(table.indexOf('.') + 1) : table;
}

function schemaOf(table: string): string | undefined {
  return table.includes('.') ? table.slice(0, table.indexOf('.')) : undefined;
}

/** The key of index (or table) `name` in the schema of `table`: indexes live in their table's schema. */
function indexKeyOn(table: string, name: string): string {
  const schema = schemaOf(table);
  return qualifiedName(schema === undefined ? [name] : [schema, name]);
}

/** The name PostgreSQL generates for an unnamed constraint or index: `<table>_<columns>_<suffix>`. */
function generatedName(table: string, columns: readonly string[], suffix: string): string {
  return truncateName([bareName(table), ...columns, suffix].join('_'));
}

/**
 * Identifies one column declaration: the file, the statement and the column's name in it.
 *
 * @example columnDeclarationKey('migrations/1.sql', statement, 'email')
 */
export function columnDeclarationKey(path: string, statement: Statement, column: string): string {
  return `${path}\0${statement.index}\0${column}`;
}

/**
 * Tables, columns, indexes and foreign keys of one migration set, applied in run order. DROP TABLE / COLUMN /
 * INDEX / CONSTRAINT and RENAME of tables, columns, indexes and constraints are applied, so the model holds the
 * schema as it stands after the statements seen so far.
 *
 * @example
 * const schema = new SchemaModel();
 * schema.apply(statement, { path, statement });
 * schema.tableOfIndex('users_email_idx') // 'users'
 */
export class SchemaModel {
  readonly tables = new Map<string, TableState>();
  readonly indexes = new Map<string, IndexState>();
  foreignKeys: ForeignKeyState[] = [];

  /** True when the table exists at this point of the history. */
  has(table: string): boolean {
    return this.tables.has(table);
  }

  /** The table an index (by its key: `name` or `schema.name`) belongs to, when the history created it. */
  tableOfIndex(key: string): string | undefined {
    return this.indexes.get(key)?.table;
  }

  /** Indexes of `table`, including those of its PRIMARY KEY and UNIQUE constraints. */
  indexesOf(table: string): IndexState[] {
    return [...this.indexes.values()].filter((index) => index.table === table);
  }

  private addIndex(table: string, name: string, columns: readonly string[]): void {
    const key = indexKeyOn(table, name);
    this.indexes.set(key, { key, table, columns });
  }

  private addColumn(table: TableState, name: string, typeName: TypeName | undefined, origin: SchemaOrigin): void {
    table.columns.set(name, { name, declaredAs: name, declaredBy: origin, ...(typeName === undefined ? {} : { typeName }) });
  }

  private addConstraint(table: string, constraint: Constraint, column: string | undefined, origin: SchemaOrigin): void {
    const keys = column !== undefined ? [column] : leadingColumns(constraint.keys);
    if (constraint.contype === 'CONSTR_PRIMARY') {
      // USING INDEX turns an existing index into the constraint's, under the constraint's name.
      if (constraint.indexname !== undefined) this.renameIndex(indexKeyOn(table, constraint.indexname), constraint.conname ?? constraint.indexname);
      else this.addIndex(table, constraint.conname ?? truncateName(`${bareName(table)}_pkey`), keys);
    }
    if (constraint.contype === 'CONSTR_UNIQUE') {
      if (constraint.indexname !== undefined) this.renameIndex(indexKeyOn(table, constraint.indexname), constraint.conname ?? constraint.indexname);
      else this.addIndex(table, constraint.conname ?? generatedName(table, keys, 'key'), keys);
    }
    if (constraint.contype === 'CONSTR_FOREIGN') {
      const columns = column !== undefined ? [column] : stringsOf(constraint.fk_attrs);
      this.foreignKeys.push({
        name: constraint.conname ?? generatedName(table, columns, 'fkey'),
        table,
        columns,
        target: relationKey(constraint.pktable),
        declaredBy: origin,
        declaredAs: `${table} (${columns.join(', ')})`,
      });
    }
  }

  private renameIndex(key: string, newName: string): void {
    const index = this.indexes.get(key);
    if (index === undefined) return;
    this.indexes.delete(key);
    this.addIndex(index.table, newName, index.columns);
  }

  private dropTable(table: string): void {
    this.tables.delete(table);
    for (const [key, index] of this.indexes) if (index.table === table) this.indexes.delete(key);
    // Keys of the table go with it; keys pointing at it cannot outlive it (without CASCADE the DROP would have failed).
    this.foreignKeys = this.foreignKeys.filter((key) => key.table !== table && key.target !== table);
  }

  private renameTable(from: string, to: string): void {
    const table = this.tables.get(from);
    if (table !== undefined) {
      this.tables.delete(from);
      this.tables.set(to, { ...table, name: to });
    }
    for (const [key, index] of this.indexes) if (index.table === from) this.indexes.set(key, { ...index, table: to });
    this.foreignKeys = this.foreignKeys.map((key) => ({ ...key, table: key.table === from ? to : key.table, target: key.target === from ? to : key.target }));
  }

  private renameColumn(tableName: string, from: string, to: string): void {
    const table = this.tables.get(tableName);
    const column = table?.columns.get(from);
    if (table !== undefined && column !== undefined) {
      table.columns.delete(from);
      table.columns.set(to, { ...column, name: to });
    }
    const rename = (columns: readonly string[]): string[] => columns.map((name) => (name === from ? to : name));
    for (const [key, index] of this.indexes) if (index.table === tableName) this.indexes.set(key, { ...index, columns: rename(index.columns) });
    this.foreignKeys = this.foreignKeys.map((key) => (key.table === tableName ? { ...key, columns: rename(key.columns) } : key));
  }

  private dropColumn(tableName: string, column: string): void {
    this.tables.get(tableName)?.columns.delete(column);
    // PostgreSQL drops the indexes and constraints that use the column along with it.
    for (const [key, index] of this.indexes) if (index.table === tableName && index.columns.includes(column)) this.indexes.delete(key);
    this.foreignKeys = this.foreignKeys.filter((key) => key.table !== tableName || !key.columns.includes(column));
  }

  private dropConstraint(tableName: string, name: string): void {
    this.foreignKeys = this.foreignKeys.filter((key) => key.table !== tableName || key.name !== name);
    const key = indexKeyOn(tableName, name);
    if (this.indexes.get(key)?.table === tableName) this.indexes.delete(key);
  }

  /** Applies one statement to the model. Statements it does not model leave it unchanged. */
  apply(node: Node, origin: SchemaOrigin): void {
    if ('CreateStmt' in node) {
      const name = relationKey(node.CreateStmt.relation);
      if (name === '' || (node.CreateStmt.if_not_exists === true && this.tables.has(name))) return;
      const table: TableState = { name, columns: new Map() };
      this.dropTable(name);
      this.tables.set(name, table);
      for (const element of node.CreateStmt.tableElts ?? []) {
        const column = columnDefOf(element);
        if (column?.colname !== undefined) {
          this.addColumn(table, column.colname, column.typeName, origin);
          for (const constraint of constraintsOf(column)) this.addConstraint(name, constraint, column.colname, origin);
        }
        const constraint = constraintOf(element);
        if (constraint !== undefined) this.addConstraint(name, constraint, undefined, origin);
      }
      return;
    }
    if ('CreateTableAsStmt' in node) {
      const name = relationKey(node.CreateTableAsStmt.into?.rel);
      if (name !== '' && !(node.CreateTableAsStmt.if_not_exists === true && this.tables.has(name))) this.tables.set(name, { name, columns: new Map() });
      return;
    }
    if ('IndexStmt' in node) {
      const table = relationKey(node.IndexStmt.relation);
      const columns = leadingColumns(node.IndexStmt.indexParams);
      const name = node.IndexStmt.idxname ?? generatedName(table, columns.length > 0 ? columns : ['expr'], 'idx');
      if (node.IndexStmt.if_not_exists === true && this.indexes.has(indexKeyOn(table, name))) return;
      this.addIndex(table, name, columns);
      return;
    }
    const alter = alterCommands(node);
    if (alter !== undefined) {
      const tableName = relationKey(alter.relation);
      if (tableName === '') return;
      // A table the migrations alter exists at that point, even when it was made outside them.
      const table = this.tables.get(tableName) ?? { name: tableName, columns: new Map<string, ColumnState>() };
      this.tables.set(tableName, table);
      for (const command of alter.commands) {
        const column = columnDefOf(command.def);
        if (command.subtype === 'AT_AddColumn' && column?.colname !== undefined) {
          this.addColumn(table, column.colname, column.typeName, origin);
          for (const constraint of constraintsOf(column)) this.addConstraint(tableName, constraint, column.colname, origin);
        }
        if (command.subtype === 'AT_AlterColumnType' && command.name !== undefined) this.addColumn(table, command.name, column?.typeName, origin);
        if (command.subtype === 'AT_DropColumn' && command.name !== undefined) this.dropColumn(tableName, command.name);
        const constraint = constraintOf(command.def);
        if (command.subtype === 'AT_AddConstraint' && constraint !== undefined) this.addConstraint(tableName, constraint, undefined, origin);
        if (command.subtype === 'AT_DropConstraint' && command.name !== undefined) this.dropConstraint(tableName, command.name);
      }
      return;
    }
    if ('RenameStmt' in node) {
      const rename = node.RenameStmt;
      const newName = rename.newname;
      if (newName === undefined) return;
      const relation = relationKey(rename.relation);
      // A renamed table stays in its schema.
      if (rename.renameType === 'OBJECT_TABLE') this.renameTable(relation, indexKeyOn(relation, newName));
      if (rename.renameType === 'OBJECT_COLUMN' && rename.subname !== undefined) this.renameColumn(relation, rename.subname, newName);
      if (rename.renameType === 'OBJECT_INDEX') this.renameIndex(relation, newName);
      if (rename.renameType === 'OBJECT_TABCONSTRAINT' && rename.subname !== undefined) {
        const from = rename.subname;
        this.foreignKeys = this.foreignKeys.map((key) => (key.table === relation && key.name === from ? { ...key, name: newName } : key));
        // Renaming a PRIMARY KEY or UNIQUE constraint renames its index too.
        if (this.indexes.get(indexKeyOn(relation, from))?.table === relation) this.renameIndex(indexKeyOn(relation, from), newName);
      }
      return;
    }
    if ('DropStmt' in node) {
      const drop = node.DropStmt;
      for (const object of drop.objects ?? []) {
        if (!('List' in object)) continue;
        const name = qualifiedName(stringsOf(object.List.items));
        if (drop.removeType === 'OBJECT_TABLE') this.dropTable(name);
        if (drop.removeType === 'OBJECT_INDEX') this.indexes.delete(name);
      }
    }
  }

  /**
   * Where each column of the schema got its current type, keyed by `columnDeclarationKey`, with the table and
   * column names it has now: the declarations a rule about column types should still judge.
   *
   * @example schema.currentColumnDeclarations().get(columnDeclarationKey(path, statement, 'created')) // { table: 'users', column: 'created_at' }
   */
  currentColumnDeclarations(): Map<string, { readonly table: string; readonly column: string }> {
    const current = new Map<string, { table: string; column: string }>();
    for (const table of this.tables.values()) {
      for (const column of table.columns.values()) {
        if (column.declaredBy !== undefined) current.set(columnDeclarationKey(column.declaredBy.path, column.declaredBy.statement, column.declaredAs), { table: table.name, column: column.name });
      }
    }
    return current;
  }

  /**
   * Foreign keys whose referencing columns no index starts with (PRIMARY KEY and UNIQUE constraints count).
   *
   * @example schema.unindexedForeignKeys().map((key) => key.name) // ['orders_user_id_fkey']
   */
  unindexedForeignKeys(): ForeignKeyState[] {
    return this.foreignKeys.filter((key) => !this.indexesOf(key.table).some((index) => key.columns.every((column, position) => index.columns[position] === column)));
  }
}
