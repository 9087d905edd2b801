import type { RegisteredRule } from '../core/rule.js';
import type { Project } from '../project/project.js';
import { applicationRules } from './application-rules.js';
import { foundationRules } from './foundation-rules.js';
import { infrastructureRules } from './infrastructure-rules.js';

/** Every static scan rule, in id order. */
export const scanRules: readonly RegisteredRule<Project>[] = [...foundationRules, ...applicationRules, ...infrastructureRules].sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);
