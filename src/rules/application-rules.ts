import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';

/** Rules about what application code is missing before production (issue "Scan rules, part 1"). */
export const applicationRules: readonly RegisteredRule<Project>[] = [];
