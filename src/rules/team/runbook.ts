// Protects against the 8am outage where nobody knows how to deploy, roll back or restart. Docs: docs/rules/team/runbook.md
import { noOptions } from '../../core/rule.js';
import { operationsAutomation, operationsDocContext, rollbackPlan } from '../../project/deployment.js';
import { teamDocs } from '../../project/doc-topics.js';
import type { MarkdownDoc } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText } from '../support.js';

const RUNBOOK_DOC = /(?:^|\/)(?:runbooks?|operations|ops|playbooks?|on-?call|incident[-_\w]*|deploy(?:ment|ing)?|releas(?:e|ing))(?:[-_.][\w.-]*)?\.(?:md|mdx|markdown)$|(?:^|\/)docs\/(?:ops|operations|runbooks?)\//i;

const TOPICS = {
  deploy: /\bdeploy(?:s|ing|ment|ments)?\b|\brelease\s+process\b|\bhow\s+to\s+release\b/i,
  rollback: /\broll(?:ing)?[\s-]?back\b|\brollbacks?\b|\brevert(?:ing)?\s+(?:a\s+|the\s+)?(?:deploy|release)/i,
  restart: /\brestart(?:s|ing)?\b|\breboot(?:ing)?\b|\brecover(?:y|ing)?\b/i,
} as const;

type Topic = keyof typeof TOPICS;
const ALL_TOPICS: readonly Topic[] = ['deploy', 'rollback', 'restart'];
/** Topics a workflow or script can carry out: their automation is the procedure. */
const AUTOMATABLE: ReadonlyArray<'deploy' | 'rollback'> = ['deploy', 'rollback'];

function topicsIn(doc: MarkdownDoc, fullText: boolean): Set<Topic> {
  const haystack = fullText ? doc.text : doc.headings.map((heading) => heading.text).join('\n');
  return new Set(ALL_TOPICS.filter((topic) => TOPICS[topic].test(haystack)));
}

type Messages = { noRunbook: { missing: string }; incomplete: { file: string; missing: string } };

export default defineScanRule({
  id: 'team/runbook',
  title: 'A runbook covers deploy, rollback and restart',
  description:
    'A deployable app needs an operations document (RUNBOOK.md, docs/runbook*, docs/operations*, or README sections) that tells whoever is on call how to deploy, roll back and restart it.',
  category: 'team',
  severity: 'medium',
  checklist: 'monitoring',
  docs: 'docs/rules/team/runbook.md',
  fix: 'Write RUNBOOK.md with three sections: Deploy (the exact commands and how to verify), Rollback (how to return to the previous image/release and when to roll back a migration), and Restart (how to restart each service and check it came back).',
  options: noOptions,
  messages: {
    noRunbook: ({ missing }: Messages['noRunbook']) => `No runbook: no document says how to ${missing} this app`,
    incomplete: ({ file, missing }: Messages['incomplete']) => `${file} does not say how to ${missing}`,
  },
  applies: (project: Project) => project.serverPackages().length > 0 || project.dockerfiles().length > 0 || project.composeFiles().length > 0,
  check(ctx) {
    const docs = teamDocs(ctx.project);
    const runbooks = docs.filter((doc) => RUNBOOK_DOC.test(doc.path));
    const covered = new Set<Topic>();
    for (const doc of docs) for (const topic of topicsIn(doc, RUNBOOK_DOC.test(doc.path))) covered.add(topic);
    // Deploy and rollback workflows or scripts are the procedure, kept as code (novu's prod-deploy-*.yml and rollback.yml).
    const automated = new Map<Topic, string>();
    for (const topic of AUTOMATABLE) {
      const found = operationsAutomation(ctx.project, topic)[0];
      if (found !== undefined && !covered.has(topic)) automated.set(topic, found.what);
      if (found !== undefined) covered.add(topic);
    }
    const missing = ALL_TOPICS.filter((topic) => !covered.has(topic));
    if (missing.length === 0) return;
    const words: Record<Topic, string> = { deploy: 'deploy', rollback: 'roll back', restart: 'restart' };
    const runbook = runbooks[0];
    const context = operationsDocContext(ctx.project, 'deploy');
    // One gap, one medium finding: with no rollback plan anywhere, operations/rollback-documented reports it; and once the deploy
    // is written down or automated, re-running it restarts the app, so a missing restart note alone is minor.
    const rollbackElsewhere = missing.includes('rollback') && rollbackPlan(ctx.project) === undefined;
    const minor = missing.every((topic) => topic === 'restart' || (topic === 'rollback' && rollbackElsewhere));
    const severity = context?.severity ?? (minor ? 'low' : undefined);
    const why =
      context !== undefined
        ? ` Low: ${context.reason}.`
        : minor
          ? ` Low: deploy is covered${rollbackElsewhere ? ', the missing rollback plan is reported by operations/rollback-documented' : ''}${missing.includes('restart') ? ', and redeploying restarts the app' : ''}.`
          : '';
    const detail = `Searched ${runbooks.length} runbook-like document(s)${runbooks.length > 0 ? ` (${runbooks.map((doc) => doc.path).join(', ')})` : ''} in full and the headings of ${docs.length} Markdown file(s) for deploy, rollback and restart${
      automated.size > 0 ? `, and counted ${[...automated].map(([topic, what]) => `${topic} as automated by ${what}`).join(', ')}` : ''
    }; missing: ${listText(missing)}.${why}`;
    if (runbook !== undefined) {
      ctx.report({ messageId: 'incomplete', data: { file: runbook.path, missing: listText(missing.map((topic) => words[topic])) }, location: { path: runbook.path, line: 1 }, detail, ...(severity === undefined ? {} : { severity }) });
      return;
    }
    const readme = docs.find((doc) => /^readme\.(?:md|mdx|markdown)$/i.test(doc.path));
    const anchor = readme?.path ?? ctx.project.packages().find((pkg) => pkg.dir === '')?.manifestPath ?? ctx.project.files[0]?.path;
    ctx.report({ messageId: 'noRunbook', data: { missing: listText(missing.map((topic) => words[topic])) }, ...(anchor === undefined ? {} : { location: { path: anchor, line: 1 } }), detail, ...(severity === undefined ? {} : { severity }) });
  },
});
