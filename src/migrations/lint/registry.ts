import type { MigrationRule } from './context.js';
import addingFieldWithDefault from './rules/adding-field-with-default.js';
import addingForeignKeyConstraint from './rules/adding-foreign-key-constraint.js';
import addingNotNullableField from './rules/adding-not-nullable-field.js';
import addingRequiredField from './rules/adding-required-field.js';
import addingSerialPrimaryKeyField from './rules/adding-serial-primary-key-field.js';
import banAlterDomainWithAddConstraint from './rules/ban-alter-domain-with-add-constraint.js';
import banCharField from './rules/ban-char-field.js';
import banConcurrentIndexCreationInTransaction from './rules/ban-concurrent-index-creation-in-transaction.js';
import banCreateDomainWithConstraint from './rules/ban-create-domain-with-constraint.js';
import banDropColumn from './rules/ban-drop-column.js';
import banDropDatabase from './rules/ban-drop-database.js';
import banDropTable from './rules/ban-drop-table.js';
import banSetLoggedUnlogged from './rules/ban-set-logged-unlogged.js';
import banTruncateCascade from './rules/ban-truncate-cascade.js';
import banUncommittedTransaction from './rules/ban-uncommitted-transaction.js';
import changingColumnType from './rules/changing-column-type.js';
import constraintMissingNotValid from './rules/constraint-missing-not-valid.js';
import ddlInDoBlock from './rules/ddl-in-do-block.js';
import disallowedUniqueConstraint from './rules/disallowed-unique-constraint.js';
import enumValueInTransaction from './rules/enum-value-in-transaction.js';
import foreignKeyMissingIndex from './rules/foreign-key-missing-index.js';
import lockHeldAcrossStatements from './rules/lock-held-across-statements.js';
import preferBigintOverInt from './rules/prefer-bigint-over-int.js';
import preferIdentity from './rules/prefer-identity.js';
import preferJsonb from './rules/prefer-jsonb.js';
import preferTextField from './rules/prefer-text-field.js';
import preferTimestampTz from './rules/prefer-timestamp-tz.js';
import renamingColumn from './rules/renaming-column.js';
import renamingTable from './rules/renaming-table.js';
import requireConcurrentIndexCreation from './rules/require-concurrent-index-creation.js';
import requireConcurrentIndexDeletion from './rules/require-concurrent-index-deletion.js';
import requireConcurrentPartitionDetach from './rules/require-concurrent-partition-detach.js';
import requireConcurrentRefresh from './rules/require-concurrent-refresh.js';
import requireConcurrentReindex from './rules/require-concurrent-reindex.js';
import requireLockTimeout from './rules/require-lock-timeout.js';
import requireStatementTimeout from './rules/require-statement-timeout.js';
import syntaxError from './rules/syntax-error.js';
import transactionNesting from './rules/transaction-nesting.js';

/** Every migration lint rule, in id order. Style rules are registered but off by default. */
export const MIGRATION_RULES: readonly MigrationRule[] = [
  addingFieldWithDefault,
  addingForeignKeyConstraint,
  addingNotNullableField,
  addingRequiredField,
  addingSerialPrimaryKeyField,
  banAlterDomainWithAddConstraint,
  banCharField,
  banConcurrentIndexCreationInTransaction,
  banCreateDomainWithConstraint,
  banDropColumn,
  banDropDatabase,
  banDropTable,
  banSetLoggedUnlogged,
  banTruncateCascade,
  banUncommittedTransaction,
  changingColumnType,
  constraintMissingNotValid,
  ddlInDoBlock,
  disallowedUniqueConstraint,
  enumValueInTransaction,
  foreignKeyMissingIndex,
  lockHeldAcrossStatements,
  preferBigintOverInt,
  preferIdentity,
  preferJsonb,
  preferTextField,
  preferTimestampTz,
  renamingColumn,
  renamingTable,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentPartitionDetach,
  requireConcurrentRefresh,
  requireConcurrentReindex,
  requireLockTimeout,
  requireStatementTimeout,
  syntaxError,
  transactionNesting,
];
