import type { Category } from './severity.js';

/**
 * What needs to happen before an item can be called `pass` when no static rule can prove it:
 * a live probe, a migration rehearsal, or a person who attests it in config.
 */
export type EvidenceSource = 'scan' | 'probe' | 'rehearsal' | 'human';

export interface ChecklistItem {
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  /** Where evidence for this item can come from, in the order a user should try them. */
  readonly sources: readonly EvidenceSource[];
}

/**
 * The production-readiness checklist. Ids are stable: configs attest them and JSON consumers key on them.
 * The order is the order the report prints.
 */
export const CHECKLIST = [
  { id: 'error-handling', title: 'Error handling at API boundaries', category: 'reliability', sources: ['scan', 'probe'] },
  { id: 'health-check', title: 'Health check endpoint', category: 'reliability', sources: ['scan', 'probe'] },
  { id: 'graceful-shutdown', title: 'Graceful shutdown', category: 'reliability', sources: ['scan'] },
  { id: 'migration-strategy', title: 'Migration strategy', category: 'data', sources: ['scan'] },
  { id: 'migrations-at-scale', title: 'Migrations tested at production data size', category: 'data', sources: ['rehearsal', 'human'] },
  { id: 'backup-restore', title: 'Backup and restore procedure', category: 'data', sources: ['scan', 'human'] },
  { id: 'input-validation', title: 'Input validation on all endpoints', category: 'security', sources: ['scan'] },
  { id: 'rate-limiting', title: 'Rate limiting per route', category: 'security', sources: ['scan', 'probe'] },
  { id: 'csrf', title: 'CSRF protection', category: 'security', sources: ['scan'] },
  { id: 'security-headers', title: 'Security headers / CSP', category: 'security', sources: ['scan', 'probe'] },
  { id: 'secrets', title: 'Secrets not hardcoded', category: 'security', sources: ['scan'] },
  { id: 'dependency-audit', title: 'Dependency audit in CI', category: 'security', sources: ['scan'] },
  { id: 'query-performance', title: 'Query performance (N+1, indexes)', category: 'performance', sources: ['scan', 'rehearsal'] },
  { id: 'structured-logging', title: 'Structured logging with correlation IDs', category: 'operations', sources: ['scan'] },
  { id: 'monitoring', title: 'Monitoring, error tracking and alerting with runbooks', category: 'operations', sources: ['scan', 'human'] },
  { id: 'env-config', title: 'Environment variables documented and validated', category: 'operations', sources: ['scan'] },
  { id: 'ci-cd', title: 'CI/CD with post-deploy verification', category: 'operations', sources: ['scan'] },
  { id: 'rollback-plan', title: 'Rollback plan', category: 'operations', sources: ['scan', 'human'] },
  { id: 'tls', title: 'TLS valid and auto-renewing', category: 'security', sources: ['probe', 'scan'] },
  { id: 'load-testing', title: 'Load tested at 3x expected traffic', category: 'performance', sources: ['human'] },
  { id: 'architecture-decisions', title: 'Architecture decisions documented', category: 'team', sources: ['scan'] },
  { id: 'local-setup', title: 'Local setup in one command', category: 'team', sources: ['scan'] },
] as const satisfies readonly ChecklistItem[];

export type ChecklistId = (typeof CHECKLIST)[number]['id'];

export const CHECKLIST_IDS: readonly ChecklistId[] = CHECKLIST.map((item) => item.id);

export function isChecklistId(value: string): value is ChecklistId {
  return (CHECKLIST_IDS as readonly string[]).includes(value);
}
