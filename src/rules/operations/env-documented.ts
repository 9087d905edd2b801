// Protects against deploys that fail on a variable nobody knew about: env vars read in code but missing from .env.example. Docs: docs/rules/operations/env-documented.md
import { noOptions } from '../../core/rule.js';
import { envVariable, filesContaining, nodeSite, packageFiles, parseGated, serverCodeFiles, type CodeSite } from '../../project/code-scope.js';
import { walkAst } from '../../project/ast.js';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

/** Files that document variables for a new environment: env templates (any folder). */
const TEMPLATE = /(?:^|\/)\.?env[\w.-]*[.-](?:example|sample|template|dist|defaults|schema|tpl)(?:[.-][\w.-]*)?$|(?:^|\/)[\w.-]*(?:example|sample|template)\.env$/i;
/** Committed env files other than the real `.env` / `.env.local`: `.env.development`, `.env.test` list names too. */
const COMMITTED_ENV = /(?:^|\/)\.env\.(?!local$)(?![\w.-]*\.local$)[\w.-]+$/i;
/** Deployment descriptors that declare a service's variables: compose, Kubernetes/Helm, Render, Fly, Heroku app.json, Turborepo env lists. */
const DEPLOY_CONFIG = /\.(?:ya?ml|toml)$|(?:^|\/)(?:app|turbo)\.json$/i;
const DOCS = /\.(?:md|mdx)$/i;
/** Set by the runtime, the platform, the test runner or the bundler: nobody configures them per deploy. */
const PLATFORM =
  /^(?:NODE_ENV|PORT|HOST|HOSTNAME|CI|HOME|PATH|PWD|TZ|USER|SHELL|TMPDIR|LANG|DEBUG|DEV|PROD|MODE|SSR|BASE_URL|NEXT_RUNTIME|NEXT_PHASE|JEST_WORKER_ID|npm_\w+|VITEST\w*|VERCEL\w*|NETLIFY|RENDER\w*|FLY_\w+|RAILWAY_\w+|K_SERVICE|K_REVISION|AWS_LAMBDA_\w+|AWS_REGION|AWS_EXECUTION_ENV|GITHUB_\w+|RUNNER_\w+|INIT_CWD|FORCE_COLOR|NO_COLOR|NODE_OPTIONS|NODE_DEBUG|TERM|EDITOR|VISUAL|XDG_\w+|APPDATA|LOCALAPPDATA|USERPROFILE|TEMP|TMP|COLUMNS|LINES|LC_\w+|LANGUAGE|SHLVL|JEST\w*|NEXT_PUBLIC_VERCEL_\w+|__NEXT\w*)$/;
/** Test-runner configs: their variables configure the test run, not a deployment. */
const TEST_CONFIG = /(?:^|\/)(?:playwright|vitest|jest|cypress|karma|wdio)\.config\.[cm]?[jt]s$/;
const GATE = /process\.env|import\.meta\.env|Bun\.env|Deno\.env/;

type Messages = { undocumented: { name: string; templates: number } };

/** Front ends whose build bakes variables in: they need a template as much as servers do. */
const FRONTEND_FRAMEWORKS = new Set(['vite-spa', 'nextjs', 'remix', 'react-router']);

/**
 * Code that is deployed with a per-environment configuration: server packages (with the workspace
 * packages they use) and front ends. CLI tools, build scripts and benchmarks read their own switches.
 */
function applicationFiles(project: Project): ReadonlySet<string> {
  const files = new Set(serverCodeFiles(project));
  for (const pkg of project.packages()) {
    if (pkg.frameworks.some((framework) => FRONTEND_FRAMEWORKS.has(framework))) for (const file of packageFiles(project, pkg)) files.add(file);
  }
  return files;
}

function firstUses(project: Project): Map<string, CodeSite> {
  const uses = new Map<string, CodeSite>();
  const application = applicationFiles(project);
  const files = [...filesContaining(project, '.env')].filter((file) => application.has(file) && !TEST_CONFIG.test(file));
  for (const source of parseGated(project, files, (text) => GATE.test(text))) {
    walkAst(source.program, (node) => {
      if (node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && node.init !== null) {
        // `const { DATABASE_URL, PORT = '3000' } = process.env`
        const init = node.init;
        const isEnv = init.type === 'MemberExpression' && !init.computed && init.property.type === 'Identifier' && init.property.name === 'env';
        if (!isEnv) return;
        for (const property of node.id.properties) {
          if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
          if (!uses.has(property.key.name)) uses.set(property.key.name, nodeSite(source, property));
        }
        return;
      }
      if (node.type !== 'MemberExpression' && node.type !== 'CallExpression') return;
      const name = envVariable(node);
      if (name !== undefined && !uses.has(name)) uses.set(name, nodeSite(source, node));
    });
  }
  return uses;
}

export default defineScanRule({
  id: 'operations/env-documented',
  title: 'Every environment variable the code reads is documented',
  description:
    'A variable read in code but missing from .env.example is discovered by the first deploy that lacks it: a crash at startup, or worse, a silent fallback. The template is the checklist for every new environment.',
  category: 'operations',
  severity: 'medium',
  checklist: 'env-config',
  docs: 'docs/rules/operations/env-documented.md',
  fix: 'Add the variable to .env.example with a safe placeholder and a comment saying what it is for (and validate it at startup).',
  options: noOptions,
  messages: {
    undocumented: ({ name, templates }: Messages['undocumented']) =>
      templates === 0 ? `${name} is read from the environment and the repository has no .env.example` : `${name} is read from the environment but missing from .env.example`,
  },
  applies: (project) => applicationFiles(project).size > 0,
  check(ctx) {
    const { project } = ctx;
    const uses = firstUses(project);
    if (uses.size === 0) return;
    const templates = project.filesWhere((file) => TEMPLATE.test(file)).map((file) => file.path);
    const documents = [...templates, ...project.filesWhere((file) => !TEMPLATE.test(file) && (COMMITTED_ENV.test(file) || DEPLOY_CONFIG.test(file) || DOCS.test(file))).map((file) => file.path)];
    const texts = documents.map((file) => project.text(file) ?? '');
    // Variables the repository sets itself for a tool run (`cross-env GENERATE_GQL_SCHEMA=true nest start` in a codegen script)
    // are not operator configuration; dev/start/serve scripts are left out because what they set, production needs too.
    const scriptTexts = shellUnits(project)
      .filter((unit) => !/^(?:dev|develop|start|serve|watch|preview)(?:[:_-]|$)/i.test(unit.name))
      .map((unit) => unit.text);
    for (const [name, site] of [...uses.entries()].sort(([, a], [, b]) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line))) {
      if (PLATFORM.test(name)) continue;
      const word = new RegExp(`(?:^|[^A-Za-z0-9_])${name}(?![A-Za-z0-9_])`);
      if (texts.some((text) => word.test(text))) continue;
      const assigned = new RegExp(`(?:^|[\\s;&|(])(?:export\\s+)?${name}=`);
      if (scriptTexts.some((text) => assigned.test(text))) continue;
      ctx.report({
        messageId: 'undocumented',
        data: { name, templates: templates.length },
        location: site,
        detail: `Looked for ${name} in ${templates.length} env template(s) (${templates.slice(0, 3).join(', ') || 'none: .env.example, .env.sample, .env.template, …'}), in other committed env files (.env.development, .env.test, …), compose/Kubernetes/Helm/Render/Fly configs, app.json, turbo.json, Markdown docs and the package/Makefile/shell scripts that set it; it is not mentioned. First use shown.`,
        key: name,
      });
    }
  },
});
