// Protects against re-arguing settled decisions and undoing them by accident: nobody wrote down why the system is built this way. Docs: docs/rules/team/adr.md
import { noOptions } from '../../core/rule.js';
import { documentAnchor } from '../../project/doc-topics.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Decision records by convention: adr-tools, MADR, log4brains, RFC folders, or a decisions/architecture document. */
const DECISION_RECORD =
  /(?:^|\/)(?:adrs?|decisions|decision-records|architecture[-_]decisions?|architecture\/decisions|rfcs?)\/[^/]+\.(?:md|mdx|markdown|rst|adoc|txt)$|(?:^|\/)(?:ADR|adr)[-_]?\d+[^/]*\.(?:md|mdx|markdown)$|(?:^|\/)(?:DECISIONS|ARCHITECTURE|architecture|decisions)\.(?:md|mdx|markdown)$|(?:^|\/)\.adr-dir$|(?:^|\/)docs?\/architecture[^/]*\.(?:md|mdx|markdown)$/;

export default defineScanRule({
  id: 'team/adr',
  title: 'Architecture decisions are recorded',
  description: 'The repository keeps architecture decision records (docs/adr/, docs/decisions/, an ARCHITECTURE.md or DECISIONS.md) so the reasons behind the design survive the people who made it.',
  category: 'team',
  severity: 'low',
  checklist: 'architecture-decisions',
  docs: 'docs/rules/team/adr.md',
  fix: 'Create docs/adr/0001-record-architecture-decisions.md and one short record per significant decision (context, decision, consequences), e.g. the database, the migration strategy, the auth/session model.',
  options: noOptions,
  messages: {
    missing: () => 'No architecture decision records: nothing explains why the system is built the way it is',
  },
  applies: (project: Project) => project.serverPackages().length > 0 || project.dockerfiles().length > 0 || project.composeFiles().length > 0,
  check(ctx) {
    if (ctx.project.files.some((file) => DECISION_RECORD.test(file.path) && !/(?:^|\/)(?:node_modules|test|tests|fixtures)\//.test(file.path))) return;
    const anchor = documentAnchor(ctx.project);
    ctx.report({
      messageId: 'missing',
      data: {},
      ...(anchor === undefined ? {} : { location: anchor }),
      detail: 'Looked for adr/, adrs/, decisions/, decision-records/, architecture/decisions/ and rfcs/ folders with documents, ADR-NNN files, .adr-dir, ARCHITECTURE.md, DECISIONS.md and docs/architecture*.md anywhere in the repository: none found.',
    });
  },
});
