-- NOT VALID: the constraint applies to new writes at once, without scanning existing rows under a lock
-- that blocks writes. The next migration validates it under a weaker lock.

-- migrate:up
SET lock_timeout = '5s';
SET statement_timeout = '60s';
ALTER TABLE projects
  ADD CONSTRAINT projects_last_edited_by_fkey
  FOREIGN KEY (last_edited_by) REFERENCES users (id) ON DELETE SET NULL
  NOT VALID;

-- migrate:down
SET lock_timeout = '5s';
ALTER TABLE projects DROP CONSTRAINT projects_last_edited_by_fkey;
