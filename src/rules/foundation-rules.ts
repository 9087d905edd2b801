import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';
import healthEndpoint from './reliability/health-endpoint.js';
import dbPortPublished from './security/db-port-published.js';
import dockerRootUser from './security/docker-root-user.js';
import secretCommitted from './security/secret-committed.js';
import runbook from './team/runbook.js';

/** The rules that prove the engine across parsers (TS/JS, Dockerfile, compose YAML, any text, Markdown). */
export const foundationRules: readonly RegisteredRule<Project>[] = [healthEndpoint, dbPortPublished, dockerRootUser, secretCommitted, runbook];
