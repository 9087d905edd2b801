import type { MarkdownDoc } from './documents.js';
import type { Project } from './project.js';

/** Documents where a team explains how to work on the project. */
const SETUP_DOC = /^(?:[\w.-]+\/)?(?:readme|contributing|developing|development|hacking|setup|getting[-_]started)(?:\.[\w-]+)?\.(?:md|mdx|markdown|rst|txt)$|^docs?\/(?:[\w-]+\/)*(?:development|developing|setup|getting[-_]started|local[-_]?(?:dev|development|setup)|contributing|onboarding)[\w-]*\.(?:md|mdx|markdown)$/i;

/**
 * README, CONTRIBUTING, DEVELOPING and docs/setup-style documents, root README first.
 *
 * @example setupDocs(project).map((doc) => doc.path) // ['README.md', 'docs/development.md']
 */
export function setupDocs(project: Project): MarkdownDoc[] {
  const docs = project.markdownDocs().filter((doc) => SETUP_DOC.test(doc.path) && !/(?:^|\/)(?:node_modules|test|tests|fixtures|examples?)\//i.test(doc.path));
  return docs.sort((a, b) => Number(b.path.toLowerCase().startsWith('readme')) - Number(a.path.toLowerCase().startsWith('readme')) || a.path.split('/').length - b.path.split('/').length);
}

/** The root README (README.md, readme.md…), if any. */
export function rootReadme(project: Project): MarkdownDoc | undefined {
  return project.markdownDocs().find((doc) => /^readme\.(?:md|mdx|markdown)$/i.test(doc.path));
}
