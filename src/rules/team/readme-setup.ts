// Protects against onboarding by oral tradition: nobody can start the app without asking the one person who knows how. Docs: docs/rules/team/readme-setup.md
import { noOptions } from '../../core/rule.js';
import type { Project } from '../../project/project.js';
import { externalDevelopmentGuide, linkedDocs, rootReadme, setupDocs } from '../../project/setup-docs.js';
import { defineScanRule, listText } from '../support.js';

const TOPICS = {
  install: /\b(?:npm|pnpm|bun)\s+(?:ci|install|i)\b|\byarn(?:\s+install)?\b|\bmake\s+(?:setup|install|bootstrap|dev|up)\b|\bdocker[- ]compose\b[^\n]*\bup\b|^#{1,6}\s.*\b(?:install(?:ation|ing)?|set\s*up|setup|getting\s+started|prerequisites|requirements|quick\s*start)\b/im,
  configure: /\.env\b|environment\s+variables?|\benv(?:ironment)?\s+vars?\b|\bconfigur(?:e|ation|ing)\b|\bsettings\b|^#{1,6}\s.*\bconfig/im,
  run: /\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:dev|start|serve|develop)\b|\bmake\s+(?:dev|run|up|start)\b|\bdocker[- ]compose\b[^\n]*\bup\b|\bnode\s+\S+\.[cm]?js\b|\b(?:next|vite|nest|remix)\s+(?:dev|start)\b|^#{1,6}\s.*\b(?:run(?:ning)?|usage|start(?:ing)?|develop(?:ment|ing)?|local(?:ly)?)\b/im,
} as const;

type Topic = keyof typeof TOPICS;
const ALL: readonly Topic[] = ['install', 'configure', 'run'];

/** Configuration only needs documenting when the app has some: an env template or env files referenced by compose. */
function needsConfiguration(project: Project): boolean {
  return project.envFiles().some((file) => file.isTemplate) || project.composeFiles().some((file) => (project.text(file.path) ?? '').includes('env_file'));
}

type Messages = { noReadme: { file: string }; incomplete: { file: string; missing: string } };

export default defineScanRule({
  id: 'team/readme-setup',
  title: 'The README says how to install, configure and run locally',
  description: 'A README (or CONTRIBUTING/DEVELOPING/docs setup page, or a document they link to) tells a newcomer how to install dependencies, configure the environment (.env) and run the app locally.',
  category: 'team',
  severity: 'medium',
  checklist: 'local-setup',
  docs: 'docs/rules/team/readme-setup.md',
  fix: 'Add a "Getting started" section to README.md with the exact commands: install (`npm ci`), configure (`cp .env.example .env` and which values to fill), run (`npm run dev` or `docker compose up`), and the URL to open.',
  options: noOptions,
  messages: {
    noReadme: ({ file }: Messages['noReadme']) => `No README: ${file} has nothing that says how to install, configure and run it`,
    incomplete: ({ file, missing }: Messages['incomplete']) => `${file} does not say how to ${missing} locally`,
  },
  applies: (project: Project) => project.packages().length > 0,
  check(ctx) {
    const own = setupDocs(ctx.project);
    // Setup steps often live one or two links away (brocoders' README → docs/readme.md → docs/installing-and-running.md).
    const linked = own.flatMap((doc) => linkedDocs(ctx.project, doc)).filter((doc, index, all) => !own.includes(doc) && all.indexOf(doc) === index);
    const docs = [...own, ...linked];
    const required = ALL.filter((topic) => topic !== 'configure' || needsConfiguration(ctx.project));
    const missing = required.filter((topic) => !docs.some((doc) => TOPICS[topic].test(doc.text)));
    if (missing.length === 0) return;
    const readme = rootReadme(ctx.project) ?? own[0];
    const detail = `Read ${docs.length} setup document(s) (${docs.map((doc) => doc.path).join(', ') || 'none'}; local Markdown links followed two levels) for install commands/headings (npm ci, pnpm install, make setup, docker compose up, "Getting started"), configuration (.env, environment variables${
      required.includes('configure') ? '; required because the repository has an env template or compose env_file' : ''
    }) and run commands/headings (npm run dev, npm start, make dev, "Running"): missing ${listText(missing)}.`;
    if (readme === undefined) {
      const root = ctx.project.packages().find((pkg) => pkg.dir === '') ?? ctx.project.packages()[0];
      if (root === undefined) return;
      ctx.report({ messageId: 'noReadme', data: { file: root.manifestPath }, location: { path: root.manifestPath, line: 1 }, detail });
      return;
    }
    // A link to the project's own development guide on its website: the steps exist, only not where shipready can read them.
    const guide = docs.map((doc) => externalDevelopmentGuide(doc)).find((url) => url !== undefined);
    const severity = guide === undefined ? undefined : 'low';
    ctx.report({
      messageId: 'incomplete',
      data: { file: readme.path, missing: listText(missing) },
      location: { path: readme.path, line: readme.headings[0]?.line ?? 1 },
      detail: guide === undefined ? detail : `${detail} Low: ${readme.path} links an external development guide (${guide}) that shipready cannot read; keeping the steps in the repository lets them change with the code.`,
      ...(severity === undefined ? {} : { severity }),
    });
  },
});
