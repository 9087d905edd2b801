-- CREATE INDEX CONCURRENTLY builds the index without blocking writes. It cannot run in a transaction,
-- hence transaction:false, and dbmate sends a transaction:false section as one multi-statement query,
-- which Postgres also runs in an implicit transaction: so the index is the ONLY statement here.
-- lock_timeout comes from the migration connection string instead (docker-compose*.yml, migrate
-- service: ?lock_timeout=5s). If this migration fails, an INVALID index is left behind: see RUNBOOK.md.

-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY projects_last_edited_by_idx ON projects (last_edited_by);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS projects_last_edited_by_idx;
