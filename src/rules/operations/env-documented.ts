// Protects against deploys that fail on a variable nobody knew about: env vars read in code but missing from .env.example. Docs: docs/rules/operations/env-documented.md
import { noOptions } from '../../core/rule.js';
import { envVariable, filesContaining, nodeSite, packageFiles, parseGated, serverCodeFiles, type CodeSite } from '../../project/code-scope.js';
import { walkAst } from '../../project/ast.js';
import type { Node } from 'oxc-parser';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { defineScanRule } from '../support.js';

/** Files that document variables for a new environment: env templates (any folder). */
const TEMPLATE = /(?:^|\/)\.?env[\w.-]*[.-](?:example|sample|template|dist|defaults|schema|tpl)(?:[.-][\w.-]*)?$|(?:^|\/)[\w.-]*(?:example|sample|template)\.env$/i;
/** Committed env files other than the real `.env` / `.env.local`: `.env.development`, `.env.test` list names too. */
const COMMITTED_ENV = /(?:^|\/)\.env\.(?!local$)(?![\w.-]*\.local$)[\w.-]+$/i;
/** The real env files, usually untracked: they document names only when git tracks them. */
const PLAIN_ENV = /(?:^|\/)\.env(?:\.local)?$/i;
/** Deployment descriptors that declare a service's variables: compose, Kubernetes/Helm, Render, Fly, Heroku app.json, Turborepo env lists. */
const DEPLOY_CONFIG = /\.(?:ya?ml|toml)$|(?:^|\/)(?:app|turbo)\.json$/i;
const DOCS = /\.(?:md|mdx)$/i;
/** Set by the runtime, the platform, the test runner or the bundler: nobody configures them per deploy. */
const PLATFORM =
  /^(?:NODE_ENV|PORT|HOST|HOSTNAME|CI|HOME|PATH|PWD|TZ|USER|SHELL|TMPDIR|LANG|DEBUG|DEV|PROD|MODE|SSR|BASE_URL|NEXT_RUNTIME|NEXT_PHASE|JEST_WORKER_ID|npm_\w+|VITEST\w*|VERCEL\w*|NETLIFY|RENDER\w*|FLY_\w+|RAILWAY_\w+|K_SERVICE|K_REVISION|AWS_LAMBDA_\w+|AWS_REGION|AWS_EXECUTION_ENV|GITHUB_\w+|RUNNER_\w+|INIT_CWD|FORCE_COLOR|NO_COLOR|NODE_OPTIONS|NODE_DEBUG|TERM|EDITOR|VISUAL|XDG_\w+|APPDATA|LOCALAPPDATA|USERPROFILE|TEMP|TMP|COLUMNS|LINES|LC_\w+|LANGUAGE|SHLVL|JEST\w*|NEXT_PUBLIC_VERCEL_\w+|__NEXT\w*)$/;
/** Test-runner configs: their variables configure the test run, not a deployment. */
const TEST_CONFIG = /(?:^|\/)(?:playwright|vitest|jest|cypress|karma|wdio)\.config\.[cm]?[jt]s$/;
const GATE = /process\.env|import\.meta\.env|Bun\.env|Deno\.env/;

type Messages = {
  undocumented: { name: string };
  noTemplate: { count: number; names: string };
};

/** Front ends whose build bakes variables in: they need a template as much as servers do. */
const FRONTEND_FRAMEWORKS = new Set(['vite-spa', 'nextjs', 'remix', 'react-router']);

/** Proxy, TLS and tooling variables the machine or platform sets, not the application's configuration. */
const MACHINE =
  /^(?:HTTPS?_PROXY|NO_PROXY|ALL_PROXY|https?_proxy|no_proxy|NODE_TLS_REJECT_UNAUTHORIZED|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|UV_THREADPOOL_SIZE|TURBO_\w+|NX_\w+|CF_PAGES\w*|HEROKU_\w+|DYNO|SOURCE_VERSION|KUBERNETES_\w+|POD_\w+|HOSTNAME|GITLAB_CI|CI_\w+|CIRCLECI|BUILDKITE\w*|TRAVIS\w*|CODEBUILD_\w+|BITBUCKET_\w+|DOCKER\w*|CONTAINER|npm_\w+|PLAYWRIGHT\w*|STORYBOOK\w*|ANALYZE|NEXT_TELEMETRY_DISABLED|SENTRY_RELEASE|GIT_\w+|COMMIT_SHA)$/;

/**
 * Typed env modules declare every variable they read, with its type and default: t3-env `createEnv`,
 * envalid `cleanEnv`, envsafe, znv, convict, a zod/valibot/Joi object schema parsed over `process.env`, NestJS
 * `validationSchema`. The declaration is the documentation a reader needs.
 */
const ENV_SCHEMA_FILE = /\b(?:createEnv|cleanEnv|envsafe|parseEnv|convict)\s*\(|from\s+['"](?:@t3-oss\/env[\w-]*|envalid|envsafe|znv|@julr\/vite-plugin-validate-env|env-var)['"]|validationSchema\s*:|(?:z|v|Joi|yup|t|Type)\.object\s*\([\s\S]{0,4000}process\.env|process\.env[\s\S]{0,200}\.(?:parse|safeParse|validate)\s*\(/;
const SCHEMA_KEY = /\b([A-Z][A-Z0-9_]{2,})\s*:/g;

interface VariableUse {
  readonly site: CodeSite;
  /** True when every read has a fallback or only tests the value: the app runs without it. */
  readonly optional: boolean;
}

function skipWrappers(ancestors: readonly Node[], index: number): { parent: Node | undefined; child: number } {
  let at = index;
  while (at >= 0) {
    const candidate = ancestors[at];
    if (candidate === undefined) break;
    if (candidate.type === 'TSNonNullExpression' || candidate.type === 'TSAsExpression' || candidate.type === 'ParenthesizedExpression' || candidate.type === 'ChainExpression' || candidate.type === 'TSSatisfiesExpression') {
      at -= 1;
      continue;
    }
    return { parent: candidate, child: at };
  }
  return { parent: undefined, child: at };
}

/** Arithmetic that yields NaN rather than throwing when an operand is undefined: `a + +b`, `-x`, `n * 1000`. */
function isArithmetic(node: Node): boolean {
  if (node.type === 'UnaryExpression') return node.operator === '+' || node.operator === '-';
  return node.type === 'BinaryExpression' && ['+', '-', '*', '/', '%', '**'].includes(node.operator);
}

/**
 * True for a read the app survives without: `process.env.X || 'default'`, `?? default`, a comparison or
 * truthiness test (`=== 'true'`, `!!X`, `if (X)`, `X && …`), `Boolean(X)`, `Number(X) || 10`.
 */
function isOptionalRead(node: Node, ancestors: readonly Node[]): boolean {
  let current: Node = node;
  let { parent, child } = skipWrappers(ancestors, ancestors.length - 1);
  // `Number(process.env.X) || 3000`, `parseInt(process.env.X ?? '10')`: look through one conversion call.
  if (parent?.type === 'CallExpression' && parent.callee.type === 'Identifier' && ['Number', 'parseInt', 'parseFloat', 'String', 'Boolean'].includes(parent.callee.name)) {
    if (parent.callee.name === 'Boolean') return true;
    current = parent;
    ({ parent, child } = skipWrappers(ancestors, child - 1));
  }
  // `now + +process.env.TTL || '1h'`, `Number(process.env.X) * 1000 ?? 60_000`: a missing value turns the arithmetic
  // into NaN, and the `||` around the whole expression supplies the default.
  let climbed: { node: Node; parent: Node | undefined; child: number } = { node: current, parent, child };
  while (climbed.parent !== undefined && isArithmetic(climbed.parent)) {
    const next = skipWrappers(ancestors, climbed.child - 1);
    climbed = { node: climbed.parent, parent: next.parent, child: next.child };
  }
  if (climbed.node !== current && climbed.parent?.type === 'LogicalExpression' && climbed.parent.left === climbed.node && climbed.parent.operator !== '&&') return true;
  if (parent === undefined) return false;
  if (parent.type === 'LogicalExpression') return parent.left === current || parent.operator === '&&';
  if (parent.type === 'BinaryExpression') return ['===', '!==', '==', '!='].includes(parent.operator);
  if (parent.type === 'UnaryExpression') return parent.operator === '!';
  if (parent.type === 'ConditionalExpression' || parent.type === 'IfStatement') return parent.test === current;
  if (parent.type === 'AssignmentPattern') return true;
  return false;
}

/**
 * Code that is deployed with a per-environment configuration: server packages (with the workspace
 * packages they use) and front ends. CLI tools, build scripts and benchmarks read their own switches.
 */
function applicationFiles(project: Project): ReadonlySet<string> {
  const files = new Set(serverCodeFiles(project));
  for (const pkg of project.packages()) {
    if (pkg.role === 'code' && pkg.frameworks.some((framework) => FRONTEND_FRAMEWORKS.has(framework))) for (const file of packageFiles(project, pkg)) files.add(file);
  }
  return files;
}

function readsOf(project: Project): Map<string, VariableUse> {
  const uses = new Map<string, { site: CodeSite; optional: boolean }>();
  const note = (name: string, site: CodeSite, optional: boolean): void => {
    const known = uses.get(name);
    if (known === undefined) uses.set(name, { site, optional });
    else if (known.optional && !optional) uses.set(name, { site, optional: false });
  };
  const application = applicationFiles(project);
  const files = [...filesContaining(project, '.env')].filter((file) => application.has(file) && !TEST_CONFIG.test(file));
  for (const source of parseGated(project, files, (text) => GATE.test(text))) {
    walkAst(source.program, (node, ancestors) => {
      if (node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && node.init !== null) {
        // `const { DATABASE_URL, PORT = '3000' } = process.env`
        const init = node.init;
        const isEnv = init.type === 'MemberExpression' && !init.computed && init.property.type === 'Identifier' && init.property.name === 'env';
        if (!isEnv) return;
        for (const property of node.id.properties) {
          if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
          note(property.key.name, nodeSite(source, property), property.value.type === 'AssignmentPattern');
        }
        return;
      }
      if (node.type !== 'MemberExpression' && node.type !== 'CallExpression') return;
      const name = envVariable(node);
      if (name !== undefined) note(name, nodeSite(source, node), isOptionalRead(node, ancestors));
    });
  }
  return uses;
}

/** Variable names declared by the repository's typed env modules. */
function schemaDeclared(project: Project): ReadonlySet<string> {
  const names = new Set<string>();
  for (const file of project.productionSourceFiles()) {
    const text = project.text(file.path);
    if (text === undefined || !text.includes('env') || !ENV_SCHEMA_FILE.test(text)) continue;
    for (const match of text.matchAll(SCHEMA_KEY)) if (match[1] !== undefined) names.add(match[1]);
  }
  return names;
}

export default defineScanRule({
  id: 'operations/env-documented',
  title: 'Every environment variable the code needs is documented',
  description:
    'A required variable read in code but written down nowhere is discovered by the first deploy that lacks it: a crash at startup, or worse, a silent fallback. The template (or a typed env module) is the checklist for every new environment.',
  category: 'operations',
  severity: 'medium',
  checklist: 'env-config',
  docs: 'docs/rules/operations/env-documented.md',
  fix: 'Add the variable to .env.example with a safe placeholder and a comment saying what it is for (and validate it at startup).',
  options: noOptions,
  messages: {
    undocumented: ({ name }: Messages['undocumented']) => `${name} is required by the code (read without a default) but missing from the env template`,
    noTemplate: ({ count, names }: Messages['noTemplate']) => `The repository has no .env.example, and the code reads ${count} variable(s) without a default: ${names}`,
  },
  applies: (project) => applicationFiles(project).size > 0,
  check(ctx) {
    const { project } = ctx;
    const reads = readsOf(project);
    if (reads.size === 0) return;
    const templates = project.filesWhere((file) => TEMPLATE.test(file) && project.fileRole(file) !== 'test').map((file) => file.path);
    // shipready's own reports mention every variable they found; they document nothing.
    // Without a template, a plain `.env` (or `.env.local`) under version control, in any folder, is what everyone who
    // clones the repository reads: the names it lists are written down, even if committing the values is its own
    // finding. With a template, the template is the list a new environment is set up from, and a name only the real
    // .env has is the drift the low finding is for.
    const trackedEnv = templates.length > 0 ? [] : project.filesWhere((file) => PLAIN_ENV.test(file) && project.isTracked(file) === true).map((file) => file.path);
    const documents = [
      ...templates,
      ...trackedEnv,
      ...project.filesWhere((file) => !TEMPLATE.test(file) && (COMMITTED_ENV.test(file) || DEPLOY_CONFIG.test(file) || DOCS.test(file)) && project.fileRole(file) !== 'shipready-output').map((file) => file.path),
    ];
    const texts = documents.map((file) => project.text(file) ?? '');
    const declared = schemaDeclared(project);
    // Variables the repository sets itself for a tool run (`cross-env GENERATE_GQL_SCHEMA=true nest start` in a codegen script)
    // are not operator configuration; dev/start/serve scripts are left out because what they set, production needs too.
    const scriptTexts = shellUnits(project)
      .filter((unit) => !/^(?:dev|develop|start|serve|watch|preview)(?:[:_-]|$)/i.test(unit.name))
      .map((unit) => unit.text);
    const missing: Array<[string, VariableUse]> = [];
    for (const [name, use] of [...reads.entries()].sort(([, a], [, b]) => (a.site.path < b.site.path ? -1 : a.site.path > b.site.path ? 1 : a.site.line - b.site.line))) {
      if (use.optional || PLATFORM.test(name) || MACHINE.test(name) || declared.has(name)) continue;
      const word = new RegExp(`(?:^|[^A-Za-z0-9_])${name}(?![A-Za-z0-9_])`);
      if (texts.some((text) => word.test(text))) continue;
      const assigned = new RegExp(`(?:^|[\\s;&|(])(?:export\\s+)?${name}=`);
      if (scriptTexts.some((text) => assigned.test(text))) continue;
      missing.push([name, use]);
    }
    const looked = `Looked for each variable the code reads without a default in ${templates.length} env template(s) (${templates.slice(0, 3).join(', ') || 'none: .env.example, .env.sample, .env.template, …'}), other committed env files (.env.development, …, and a git-tracked plain .env in any folder: ${trackedEnv.length} found), compose/Kubernetes/Helm/Render/Fly configs, app.json, turbo.json, Markdown docs, typed env modules (t3-env createEnv, envalid, a zod/Joi schema over process.env: ${declared.size} name(s) declared) and the scripts that set it`;
    const first = missing[0];
    if (first === undefined) return;
    if (templates.length === 0) {
      const names = missing.map(([name]) => name);
      ctx.report({
        messageId: 'noTemplate',
        data: { count: names.length, names: names.slice(0, 8).join(', ') + (names.length > 8 ? ` and ${names.length - 8} more` : '') },
        location: first[1].site,
        detail: `${looked}; none of them is written down anywhere. First use shown. Variables read with a fallback (\`|| 'default'\`, \`?? …\`) or only tested (\`=== 'true'\`, \`if (…)\`) are optional and not counted.`,
      });
      return;
    }
    // The team keeps a template: each required variable it lacks is one omission, a small fix each.
    for (const [name, use] of missing) {
      ctx.report({
        messageId: 'undocumented',
        data: { name },
        location: use.site,
        severity: 'low',
        detail: `${looked}; ${name} is mentioned in none of them. First use shown; it is read at least once without a fallback.`,
        key: name,
      });
    }
  },
});
