// Protects against improvising a rollback during an outage: nobody wrote down how to put the previous version back. Docs: docs/rules/operations/rollback-documented.md
import { noOptions } from '../../core/rule.js';
import { ciFiles } from '../../project/ci.js';
import { operationsDocContext, rollbackPlan } from '../../project/deployment.js';
import { documentAnchor, teamDocs } from '../../project/doc-topics.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Something deploys this app: a Dockerfile, a compose file, or a CI configuration. */
function isDeployed(project: Project): boolean {
  return project.dockerfiles().length > 0 || project.composeFiles().length > 0 || ciFiles(project).length > 0 || project.serverPackages().length > 0;
}

export default defineScanRule({
  id: 'operations/rollback-documented',
  title: 'Rolling back a deploy is documented',
  description: 'A document says how to roll back a bad deploy: which command puts the previous version back, how to verify it, and what to do about migrations.',
  category: 'operations',
  severity: 'medium',
  checklist: 'rollback-plan',
  docs: 'docs/rules/operations/rollback-documented.md',
  fix: 'Add a "Rollback" section to RUNBOOK.md: the exact command that redeploys the previous image/release (and where its tag is recorded), how to check it is healthy, and when a migration must be rolled back too (expand/contract makes that rare).',
  options: noOptions,
  messages: {
    missing: () => 'No document says how to roll back a deploy',
  },
  applies: (project: Project) => isDeployed(project),
  check(ctx) {
    // A document that mentions rolling back, or a rollback someone can run (novu's rollback.yml takes the service and the previous version).
    if (rollbackPlan(ctx.project) !== undefined) return;
    const anchor = documentAnchor(ctx.project);
    const context = operationsDocContext(ctx.project, 'deploy');
    ctx.report({
      messageId: 'missing',
      data: {},
      ...(anchor === undefined ? {} : { location: anchor }),
      detail: `Read ${teamDocs(ctx.project).length} Markdown document(s) (changelogs and licences excluded) for "roll back"/"rollback", "revert the deploy/release" or "previous release/version/image/tag", and looked for a rollback workflow, script, Makefile target or npm script: none found.${context === undefined ? '' : ` Low: ${context.reason}.`}`,
      ...(context === undefined ? {} : { severity: context.severity }),
    });
  },
});
