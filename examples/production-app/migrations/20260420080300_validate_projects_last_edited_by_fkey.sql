-- VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE on projects: reads and writes continue while it scans.

-- migrate:up
SET lock_timeout = '5s';
SET statement_timeout = '15min';
ALTER TABLE projects VALIDATE CONSTRAINT projects_last_edited_by_fkey;

-- migrate:down
-- Nothing to undo: validation only records that existing rows satisfy the constraint.
