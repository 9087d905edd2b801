import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';
import healthEndpoint from './reliability/health-endpoint.js';
import dbPortPublished from './security/db-port-published.js';
import dockerRootUser from './security/docker-root-user.js';
import secretCommitted from './security/secret-committed.js';
import runbook from './team/runbook.js';

/** Every static scan rule, in id order. New rules are added here. */
export const scanRules: readonly RegisteredRule<Project>[] = [healthEndpoint, dbPortPublished, dockerRootUser, secretCommitted, runbook].sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);
