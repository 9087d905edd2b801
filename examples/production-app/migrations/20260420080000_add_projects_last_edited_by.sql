-- Expand step 1 of 4 for "who edited this project last": a nullable column, no default, so Postgres only
-- updates the catalogue (no table rewrite, the ACCESS EXCLUSIVE lock is held for milliseconds).
-- The index (…080100), the foreign key (…080200) and its validation (…080300) follow as separate migrations.

-- migrate:up
SET lock_timeout = '5s';
SET statement_timeout = '60s';
ALTER TABLE projects ADD COLUMN last_edited_by bigint;

-- migrate:down
SET lock_timeout = '5s';
ALTER TABLE projects DROP COLUMN last_edited_by;
