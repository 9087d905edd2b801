// Protects against re-arguing settled decisions and undoing them by accident: nobody wrote down why the system is built this way. Docs: docs/rules/team/adr.md
import { noOptions } from '../../core/rule.js';
import { documentAnchor } from '../../project/doc-topics.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Decision records by convention: adr-tools, MADR, log4brains, RFC folders, or a decisions/architecture document. */
const DECISION_RECORD =
  /(?:^|\/)(?:adrs?|decisions|decision-records|architecture[-_]decisions?|architecture\/decisions|rfcs?)\/[^/]+\.(?:md|mdx|markdown|rst|adoc|txt)$|(?:^|\/)(?:ADR|adr)[-_]?\d+[^/]*\.(?:md|mdx|markdown)$|(?:^|\/)(?:DECISIONS|decisions)\.(?:md|mdx|markdown)$|(?:^|\/)\.adr-dir$/;
/**
 * An architecture overview (ARCHITECTURE.md, docs/architecture*.md) describes what the parts are; it records
 * decisions only when it says why: a section on decisions, rationale, alternatives or trade-offs.
 */
const OVERVIEW = /(?:^|\/)(?:ARCHITECTURE|architecture)\.(?:md|mdx|markdown)$|(?:^|\/)docs?\/architecture[^/]*\.(?:md|mdx|markdown)$/;
const DECISION_HEADING = /^#{1,4}\s.*\b(?:decisions?|why\b|rationale|alternatives|trade-?offs?|consequences|we chose|considered)/im;

export default defineScanRule({
  id: 'team/adr',
  title: 'Architecture decisions are recorded',
  description: 'The repository keeps architecture decision records (docs/adr/, docs/decisions/, DECISIONS.md, or an ARCHITECTURE.md with a section on the decisions and their reasons) so the reasons behind the design survive the people who made it.',
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
    const candidates = ctx.project.files.filter((file) => !['test', 'example', 'shipready-output', 'generated'].includes(ctx.project.fileRole(file.path)));
    if (candidates.some((file) => DECISION_RECORD.test(file.path))) return;
    if (candidates.some((file) => OVERVIEW.test(file.path) && DECISION_HEADING.test(ctx.project.text(file.path) ?? ''))) return;
    const anchor = documentAnchor(ctx.project);
    ctx.report({
      messageId: 'missing',
      data: {},
      ...(anchor === undefined ? {} : { location: anchor }),
      detail: 'Looked for adr/, adrs/, decisions/, decision-records/, architecture/decisions/ and rfcs/ folders with documents, ADR-NNN files, .adr-dir and DECISIONS.md anywhere in the repository, and for a decisions/rationale/alternatives/trade-offs section in ARCHITECTURE.md or docs/architecture*.md: none found (an architecture overview that does not say why is not a decision record).',
    });
  },
});
