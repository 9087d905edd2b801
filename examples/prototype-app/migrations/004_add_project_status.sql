-- projects can be archived now
ALTER TABLE projects ADD COLUMN status VARCHAR(20) NOT NULL;

CREATE INDEX idx_projects_status ON projects(status);
