import type { Node } from 'libpg-query';
import { alterCommands, constraintOf, qualifiedName, relationKey, stringsOf } from './sql/ast.js';

/** Postgres table-level lock modes, weakest first. */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

export function isLockMode(value: string): value is LockMode {
  return (LOCK_MODES as readonly string[]).includes(value);
}

const BLOCKS: Record<LockMode, string> = {
  AccessShareLock: 'blocks only ACCESS EXCLUSIVE DDL (reads and writes continue)',
  RowShareLock: 'blocks EXCLUSIVE and ACCESS EXCLUSIVE DDL (reads and writes continue)',
  RowExclusiveLock: 'blocks index builds and most DDL (reads and writes continue)',
  ShareUpdateExclusiveLock: 'blocks DDL, VACUUM and concurrent index builds (reads and writes continue)',
  ShareLock: 'blocks writes and DDL (reads continue)',
  ShareRowExclusiveLock: 'blocks writes and DDL (reads continue)',
  ExclusiveLock: 'blocks writes and DDL (plain reads continue)',
  AccessExclusiveLock: 'blocks reads, writes and DDL',
};

/** Plain-words effect of a lock mode on other sessions. */
export function describeLock(mode: LockMode): string {
  return BLOCKS[mode];
}

/** `ACCESS EXCLUSIVE` from `AccessExclusiveLock`. */
export function lockName(mode: LockMode): string {
  return mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

export function strongerLock(a: LockMode, b: LockMode): LockMode {
  return LOCK_MODES.indexOf(a) >= LOCK_MODES.indexOf(b) ? a : b;
}

export interface StaticLock {
  /**
   * Relation key of the locked table (`schema.table` or `table`). A statement on an index locks the index's
   * table; when the history does not say which table that is, this reads `the table of index <name>`.
   */
  readonly relation: string;
  readonly mode: LockMode;
}

export interface StaticLockOptions {
  /** The table of an index, by its key (`name`, or `schema.name` outside `public`), from the schema so far. */
  readonly tableOfIndex?: (index: string) => string | undefined;
}

/**
 * The label of an index's table: its name when the history knows it.
 *
 * @example indexTable('users_email_idx', { tableOfIndex: () => 'users' }) // 'users'
 */
export function indexTable(index: string, options: StaticLockOptions = {}): string {
  return options.tableOfIndex?.(index) ?? `the table of index ${index}`;
}

const WEAK_ALTER_SUBTYPES = new Set(['AT_ValidateConstraint', 'AT_SetStatistics', 'AT_ClusterOn', 'AT_DropCluster', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_AttachPartition']);

/**
 * The table locks a statement takes according to the Postgres documentation ("Explicit Locking"), for
 * statements that cannot be observed inside a transaction and for lint rules.
 *
 * @example staticLocks(parse('DROP INDEX users_email_idx'), { tableOfIndex: () => 'users' }) // [{ relation: 'users', mode: 'AccessExclusiveLock' }]
 */
export function staticLocks(node: Node, options: StaticLockOptions = {}): StaticLock[] {
  if ('IndexStmt' in node) {
    return [{ relation: relationKey(node.IndexStmt.relation), mode: node.IndexStmt.concurrent === true ? 'ShareUpdateExclusiveLock' : 'ShareLock' }];
  }
  const alter = alterCommands(node);
  if (alter !== undefined) {
    const relation = relationKey(alter.relation);
    const locks: StaticLock[] = [];
    let mode: LockMode | undefined;
    for (const command of alter.commands) {
      const constraint = constraintOf(command.def);
      let commandMode: LockMode = 'AccessExclusiveLock';
      if (command.subtype !== undefined && WEAK_ALTER_SUBTYPES.has(command.subtype)) commandMode = 'ShareUpdateExclusiveLock';
      const partition = command.def !== undefined && 'PartitionCmd' in command.def ? command.def.PartitionCmd : undefined;
      if (command.subtype === 'AT_DetachPartition' && partition?.concurrent === true) commandMode = 'ShareUpdateExclusiveLock';
      // ATTACH and DETACH (even CONCURRENTLY, in its second transaction) take ACCESS EXCLUSIVE on the partition itself.
      if ((command.subtype === 'AT_AttachPartition' || command.subtype === 'AT_DetachPartition') && partition?.name !== undefined) {
        locks.push({ relation: relationKey(partition.name), mode: 'AccessExclusiveLock' });
      }
      if (command.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN') {
        commandMode = 'ShareRowExclusiveLock';
        if (constraint.pktable !== undefined) locks.push({ relation: relationKey(constraint.pktable), mode: 'ShareRowExclusiveLock' });
      }
      mode = mode === undefined ? commandMode : strongerLock(mode, commandMode);
    }
    return mode === undefined ? locks : [{ relation, mode }, ...locks];
  }
  if ('DropStmt' in node) {
    const statement = node.DropStmt;
    const relations = (statement.objects ?? []).map((object) => ('List' in object ? qualifiedName(stringsOf(object.List.items)) : ''));
    if (statement.removeType === 'OBJECT_INDEX') {
      // DROP INDEX takes ACCESS EXCLUSIVE on the index's table (CONCURRENTLY: SHARE UPDATE EXCLUSIVE), which is what other sessions wait for.
      return relations.map((relation) => ({ relation: indexTable(relation, options), mode: statement.concurrent === true ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock' }));
    }
    if (statement.removeType === 'OBJECT_TABLE' || statement.removeType === 'OBJECT_MATVIEW' || statement.removeType === 'OBJECT_VIEW') {
      return relations.map((relation) => ({ relation, mode: 'AccessExclusiveLock' }));
    }
    return [];
  }
  if ('RenameStmt' in node && node.RenameStmt.renameType === 'OBJECT_INDEX' && node.RenameStmt.relation !== undefined) {
    // Since PostgreSQL 12 renaming an index takes SHARE UPDATE EXCLUSIVE (on the index), which blocks neither reads nor writes.
    return [{ relation: indexTable(relationKey(node.RenameStmt.relation), options), mode: 'ShareUpdateExclusiveLock' }];
  }
  if ('RenameStmt' in node && node.RenameStmt.relation !== undefined) return [{ relation: relationKey(node.RenameStmt.relation), mode: 'AccessExclusiveLock' }];
  if ('TruncateStmt' in node) {
    return (node.TruncateStmt.relations ?? []).flatMap((relation) => ('RangeVar' in relation ? [{ relation: relationKey(relation.RangeVar), mode: 'AccessExclusiveLock' as const }] : []));
  }
  if ('RefreshMatViewStmt' in node) {
    return [{ relation: relationKey(node.RefreshMatViewStmt.relation), mode: node.RefreshMatViewStmt.concurrent === true ? 'ExclusiveLock' : 'AccessExclusiveLock' }];
  }
  if ('ReindexStmt' in node) {
    const concurrent = (node.ReindexStmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently');
    return node.ReindexStmt.relation === undefined ? [] : [{ relation: relationKey(node.ReindexStmt.relation), mode: concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock' }];
  }
  if ('CreateTrigStmt' in node) return [{ relation: relationKey(node.CreateTrigStmt.relation), mode: 'ShareRowExclusiveLock' }];
  if ('UpdateStmt' in node) return [{ relation: relationKey(node.UpdateStmt.relation), mode: 'RowExclusiveLock' }];
  if ('DeleteStmt' in node) return [{ relation: relationKey(node.DeleteStmt.relation), mode: 'RowExclusiveLock' }];
  if ('InsertStmt' in node) return [{ relation: relationKey(node.InsertStmt.relation), mode: 'RowExclusiveLock' }];
  if ('CreateStmt' in node) {
    const locks: StaticLock[] = [];
    for (const element of node.CreateStmt.tableElts ?? []) {
      const constraints = 'Constraint' in element ? [element.Constraint] : 'ColumnDef' in element ? (element.ColumnDef.constraints ?? []).flatMap((c) => ('Constraint' in c ? [c.Constraint] : [])) : [];
      for (const constraint of constraints) {
        if (constraint.contype === 'CONSTR_FOREIGN' && constraint.pktable !== undefined) locks.push({ relation: relationKey(constraint.pktable), mode: 'ShareRowExclusiveLock' });
      }
    }
    return locks;
  }
  if ('VacuumStmt' in node) {
    const full = (node.VacuumStmt.options ?? []).some((option) => 'DefElem' in option && option.DefElem.defname === 'full');
    return (node.VacuumStmt.rels ?? []).flatMap((rel) =>
      'VacuumRelation' in rel && rel.VacuumRelation.relation !== undefined ? [{ relation: relationKey(rel.VacuumRelation.relation), mode: full ? ('AccessExclusiveLock' as const) : ('ShareUpdateExclusiveLock' as const) }] : [],
    );
  }
  return [];
}
