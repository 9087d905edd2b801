import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';

/** Rules about containers, compose, CI/CD, TLS, proxies and team documents (issue "Scan rules, part 2"). */
export const infrastructureRules: readonly RegisteredRule<Project>[] = [];
