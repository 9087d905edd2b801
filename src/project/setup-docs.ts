import type { MarkdownDoc } from './documents.js';
import { lineIndexOf } from './line-index.js';
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

/** Markdown links and references to local files: `[Docs](/docs/readme.md)`, `[setup](./docs/setup.md#install)`, `[x]: docs/a.md`. */
const LOCAL_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)/gm;

function resolveLink(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//')) return undefined;
  const raw = target.split('#')[0]?.split('?')[0] ?? '';
  let clean: string;
  try {
    clean = decodeURIComponent(raw);
  } catch {
    // A stray % is not an escape: the link names the file as written.
    clean = raw;
  }
  if (clean === '') return undefined;
  const base = clean.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of clean.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') base.pop();
    else base.push(part);
  }
  return base.join('/');
}

/**
 * The repository's Markdown documents that `doc` links to, and the ones those link to, up to `depth` levels:
 * a README that says "Full documentation here" and links `docs/readme.md`, whose first entry is the
 * install guide, documents setup through the link. A link to a folder reads its README.
 *
 * @example linkedDocs(project, readme).map((doc) => doc.path) // ['docs/readme.md', 'docs/installing-and-running.md', …]
 */
export function linkedDocs(project: Project, doc: MarkdownDoc, depth = 2): MarkdownDoc[] {
  const byPath = new Map(project.markdownDocs().map((candidate) => [candidate.path, candidate]));
  const found = new Map<string, MarkdownDoc>();
  let frontier: MarkdownDoc[] = [doc];
  for (let level = 0; level < depth; level += 1) {
    const next: MarkdownDoc[] = [];
    for (const current of frontier) {
      for (const match of current.text.matchAll(LOCAL_LINK)) {
        const target = resolveLink(current.path, match[1] ?? match[2] ?? '');
        if (target === undefined) continue;
        const linked = byPath.get(target) ?? byPath.get(`${target}/README.md`) ?? byPath.get(`${target}/readme.md`);
        if (linked === undefined || linked === doc || found.has(linked.path)) continue;
        found.set(linked.path, linked);
        next.push(linked);
      }
    }
    frontier = next;
  }
  return [...found.values()];
}

const EXTERNAL_LINK = /\[([^\]]+)\]\(\s*(https?:\/\/[^)\s]+)[^)]*\)|<a\s[^>]*href=["'](https?:\/\/[^"']+)["'][^>]*>([^<]*)</gi;
/** A link for contributors setting up a machine, by its text or address: "local development guide", `/docs/local-development`. */
const DEVELOPMENT_GUIDE = /local[-_\s]?dev(?:elopment)?\b|\bdev(?:elopment|eloper)?[-_\s]+(?:guide|setup|environment|docs)\b|\bsetting[-_\s]up\s+(?:a\s+|your\s+)?(?:local|development)\b|\bhacking\b/i;

/** Sections where a README tells contributors how to work on the project. */
const DEVELOPMENT_SECTION = /\b(?:develop(?:ing|ment|er)?s?|contribut(?:ing|ions?|e)|getting\s+started|get\s+started|local\s+(?:setup|development)|hacking|building(?:\s+from\s+source)?|run(?:ning)?\s+locally)\b/i;
/** A sentence that sends the reader to set up a machine: "to get started with the development environment", "to set up locally". */
const SETUP_SENTENCE = /\b(?:dev(?:elopment)?|local)\s+(?:environment|setup|set-up|instance)\b|\bset(?:ting)?[-\s]?up\b[^.\n]{0,60}\b(?:locally|local|development|dev|project|repo(?:sitory)?|environment)\b|\bget(?:ting)?\s+started\s+(?:with\s+)?(?:the\s+)?(?:development|developing|contributing|local)\b|\b(?:run|running|build|building)\b[^.\n]{0,40}\b(?:locally|from\s+source)\b/i;

/** The heading of the section that `line` (1-based) sits in, if any. */
function sectionHeading(doc: MarkdownDoc, line: number): string | undefined {
  let heading: string | undefined;
  for (const candidate of doc.headings) {
    if (candidate.line > line) break;
    heading = candidate.text;
  }
  return heading;
}

/** The sentence around `start..end` of `text`: from the previous sentence end or blank line to the next. */
function sentenceAround(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 300), start);
  const after = text.slice(end, end + 300);
  const opening = Math.max(before.lastIndexOf('\n\n'), before.search(/[.!?]\s[^.!?]*$/));
  const closing = after.search(/[.!?](?:\s|$)|\n\n/);
  return `${opening < 0 ? before : before.slice(opening + 1)}${text.slice(start, end)}${closing < 0 ? after : after.slice(0, closing)}`;
}

/**
 * The first link in `doc` to a development guide outside the repository: by its text or address (dub's README:
 * "Follow the [local development guide](https://dub.co/docs/local-development)"), or by where it stands, in a
 * Developing/Contributing/Getting started section whose sentence sends the reader to set up a development
 * environment (hoppscotch: "Follow our [self-hosting documentation](…) to get started with the development
 * environment"). The setup is documented, where shipready cannot read it. A link in such a section that asks for
 * something else ("start by choosing one of our [popular suggestions](…)") is not a guide.
 *
 * @example externalDevelopmentGuide(readme) // 'https://dub.co/docs/local-development'
 */
export function externalDevelopmentGuide(doc: MarkdownDoc): string | undefined {
  for (const match of doc.text.matchAll(EXTERNAL_LINK)) {
    const text = match[1] ?? match[4] ?? '';
    const url = match[2] ?? match[3] ?? '';
    if (DEVELOPMENT_GUIDE.test(text) || DEVELOPMENT_GUIDE.test(url)) return url;
    const line = lineIndexOf(doc.text).position(match.index).line;
    const heading = sectionHeading(doc, line);
    if (heading !== undefined && DEVELOPMENT_SECTION.test(heading) && SETUP_SENTENCE.test(sentenceAround(doc.text, match.index, match.index + match[0].length).replace(EXTERNAL_LINK, ' $1$4 '))) return url;
  }
  return undefined;
}
