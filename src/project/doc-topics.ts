import type { MarkdownDoc } from './documents.js';
import type { Project } from './project.js';

const NOT_DOCUMENTATION = /(?:^|\/)(?:CHANGELOG|CHANGES|HISTORY|LICEN[CS]E|CODE_OF_CONDUCT|SECURITY)[^/]*$|(?:^|\/)(?:node_modules|test|tests|__tests__|fixtures|__fixtures__|vendor)\//i;
const RUNBOOK_LIKE = /(?:^|\/)(?:runbooks?|operations|ops|playbooks?|on-?call|incident[-_\w]*|deploy(?:ment|ing)?|releas(?:e|ing)|backups?|disaster[-_\w]*|dr|maintenance|infrastructure|infra)(?:[-_.][\w.-]*)?\.(?:md|mdx|markdown)$|(?:^|\/)docs\/(?:ops|operations|runbooks?|infra)\//i;

/** Roles whose Markdown is not the team's own documentation of this system. */
const NOT_TEAM_DOCS = new Set(['shipready-output', 'test', 'example', 'generated', 'bundle']);

/**
 * The team's Markdown documentation: changelogs, licences, tests, examples, vendored docs and shipready's own
 * reports left out (a report written with `--output` mentions rollbacks and backups; it documents neither).
 */
export function teamDocs(project: Project): MarkdownDoc[] {
  return project.markdownDocs().filter((doc) => !NOT_DOCUMENTATION.test(doc.path) && !NOT_TEAM_DOCS.has(project.fileRole(doc.path)));
}

/** Runbook-like documents first, then the root README, then the rest: where a "missing X" finding should point. */
export function documentAnchor(project: Project): { path: string; line: number } | undefined {
  const docs = teamDocs(project);
  const runbook = docs.find((doc) => RUNBOOK_LIKE.test(doc.path));
  const readme = docs.find((doc) => /^readme\.(?:md|mdx|markdown)$/i.test(doc.path));
  const doc = runbook ?? readme;
  if (doc !== undefined) return { path: doc.path, line: doc.headings[0]?.line ?? 1 };
  const root = project.packages().find((pkg) => pkg.dir === '') ?? project.packages()[0];
  return root === undefined ? undefined : { path: root.manifestPath, line: 1 };
}

/**
 * The first document whose text matches every pattern (each anywhere in the document), if any.
 *
 * @example documentCovering(project, [/\bbackups?\b/i, /\brestor/i])?.path // 'RUNBOOK.md'
 */
export function documentCovering(project: Project, patterns: readonly RegExp[]): MarkdownDoc | undefined {
  return teamDocs(project).find((doc) => patterns.every((pattern) => pattern.test(doc.text)));
}
