ALTER TABLE projects ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users(id);

CREATE INDEX idx_projects_owner_id ON projects(owner_id);
