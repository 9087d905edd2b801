-- "name" is ambiguous, the UI calls it display name
ALTER TABLE users RENAME COLUMN name TO display_name;

-- project names longer than 120 chars break the layout
ALTER TABLE projects ALTER COLUMN name TYPE VARCHAR(120);
