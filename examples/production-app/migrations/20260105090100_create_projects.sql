-- migrate:up
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE projects (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Also the index behind the owner_id foreign key (owner_id is its leading column) and the seed's upsert key.
  CONSTRAINT projects_owner_id_name_key UNIQUE (owner_id, name)
);

-- migrate:down
SET lock_timeout = '5s';
DROP TABLE projects;
