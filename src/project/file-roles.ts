/**
 * What each file of a repository is for, decided once so that every rule reads the same answer instead of
 * keeping its own list of names: production source, a built bundle, a test, a one-off script, a seed, a
 * migration, documentation, an example or template, generated output, CI configuration, or shipready's own
 * report. A false "production" costs a false finding; a false "test" costs a miss, so the patterns are the
 * conventions tools themselves use (test runners' globs, generators' headers, minifiers' output).
 */

export type FileRole =
  /** Application code that runs in production (server or browser). */
  | 'source'
  /** Built, minified or vendored JavaScript/CSS: read only by rules that look at shipped bundles. */
  | 'bundle'
  /** Tests, mocks, fixtures, stories, test set-up and test-only env files. */
  | 'test'
  /** One-off and developer scripts, codemods, tooling. */
  | 'script'
  /** Database seed scripts and data. */
  | 'seed'
  /** Schema migrations. */
  | 'migration'
  /** Documentation: Markdown and docs folders. */
  | 'docs'
  /** Examples, samples, demos, templates and `*.example` files. */
  | 'example'
  /** Lockfiles, snapshots, source maps, declarations, files a generator wrote. */
  | 'generated'
  /** CI configuration and the scripts it keeps beside it. */
  | 'ci'
  /** Reports and baselines written by shipready itself. */
  | 'shipready-output'
  /** Everything else: configuration, infrastructure, assets. */
  | 'other';

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;

function segments(file: string): string[] {
  return file.split('/');
}

function basename(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? file : file.slice(slash + 1);
}

const TEST_SEGMENT =
  /^(?:__)?(?:tests?|specs?|mocks?|stubs?|fakes?|fixtures?|testdata|test[-_]?data|e2e|cypress|playwright|stories|snapshots|testing|testing[-_](?:utils?|helpers?|library|lib|kit|tools?)|test[-_]?utils?|test[-_]?helpers?|test[-_]?support|integration[-_]?tests?|e2e[-_]tests?|tests?[-_]e2e|[\w.-]+[-_](?:e2e|tests?|spec))(?:__)?$/i;
const TEST_FILE =
  /\.(?:test|spec|e2e|cy|stories|story|fixtures?|mocks?|test-d|bench)\.[cm]?[jt]sx?$|^(?:setup-?tests?|tests?-?setup|vitest[.-]?setup|jest[.-]?setup|jest\.(?:config|preset)|vitest\.(?:config|workspace)|playwright\.config|cypress\.config|karma\.conf|test-utils?|testUtils?|mock[-_]?data|mocks)(?:\.[\w-]+)*\.[cm]?[jt]sx?$|^\.env\.(?:test|testing|e2e|ci|spec)(?:\.local)?$/i;

const SCRIPT_SEGMENT = /^(?:scripts?|codemods?|load-?tests?|k6)$/i;
/** Named like scripts, but also used inside an app for production code (an AI agent's `tools/`): only outside `src/`, `app/`, `lib/`. */
const TOP_LEVEL_SCRIPT_SEGMENT = /^(?:tools?|tooling|dev-tools?|devtools|hack|benchmarks?|bench|perf)$/i;
const CODE_SEGMENT = /^(?:src|app|lib|server|api|views?|emails?|mail|pages|components|modules|services)$/i;
const SCRIPT_FILE = /\.(?:sh|bash|zsh|ps1|bat|cmd)$/i;

const SEED_SEGMENT = /^(?:seeds?|seeders?|seeding|seed[-_]data)$/i;
const SEED_FILE = /^seed(?:s|er|ers|ing)?(?:[-_.][\w.-]*)?\.(?:[cm]?[jt]s|sql)$|[-_.]seed(?:er)?\.(?:[cm]?[jt]s|sql)$/i;

const MIGRATION_SEGMENT = /^(?:migrations?|migrate|db[-_]?migrations?|alembic|alterations?|flyway)$/i;

const DOCS_EXTENSION = /\.(?:md|mdx|markdown|rst|adoc|asciidoc)$/i;
const DOCS_SEGMENT = /^(?:docs?|documentation|adrs?|rfcs?)$/i;

const EXAMPLE_SEGMENT = /^(?:examples?|samples?|demos?|playgrounds?|sandbox(?:es)?|boilerplates?|starters?|scaffolds?|skeletons?)$/i;
const TEMPLATE_SEGMENT = /^(?:templates?|blueprints?)$/i;
const EXAMPLE_FILE = /[.-](?:example|sample|template|dist|tpl)$|[.-](?:example|sample|template)\.[\w.-]+$|^(?:example|sample)\.[\w.-]+$/i;

const LOCKFILE = /^(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|composer\.lock|Gemfile\.lock|go\.sum|Cargo\.lock|poetry\.lock|Pipfile\.lock|uv\.lock|deno\.lock|flake\.lock|[\w.-]+\.lock)$/i;
const GENERATED_FILE = /\.(?:snap|map|d\.[cm]?ts|min\.[cm]?js|min\.css|bundle\.[cm]?js|chunk\.[cm]?js|generated\.[\w]+|gen\.[cm]?[jt]sx?|pb\.go)$|^(?:routeTree\.gen\.ts|next-env\.d\.ts|worker-configuration\.d\.ts)$/i;
const GENERATED_SEGMENT = /^(?:__generated__|generated|\.generated|gen-src|codegen)$/i;
const VENDOR_SEGMENT = /^(?:vendors?|third[-_]?party|bower_components|jspm_packages)$/i;

const CI_PATH = /^(?:\.github|\.gitlab|\.circleci|\.ci|ci|\.buildkite|\.drone|\.woodpecker|\.azure-pipelines|\.teamcity)\/|^(?:\.gitlab-ci\.ya?ml|Jenkinsfile|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.travis\.ya?ml|\.drone\.ya?ml|cloudbuild\.ya?ml|codemagic\.ya?ml)$/i;

const SHIPREADY_FILE = /(?:^|\/)\.shipready-baseline\.json$|(?:^|\/)shipready(?!\.config\.)[\w.-]*\.(?:sarif|json|md|html|xml)$/i;

/**
 * The role a path alone gives a file. `project.fileRole` refines it with the content (bundles, generator
 * headers, shipready's report marker) and the package the file belongs to (a test harness, a docs site).
 *
 * @example roleOfPath('apps/api/src/users.test.ts') // 'test'
 * @example roleOfPath('apps/web/scripts/backfill.ts') // 'script'
 */
export function roleOfPath(file: string): FileRole {
  const name = basename(file);
  const dirs = segments(file).slice(0, -1);
  if (SHIPREADY_FILE.test(file)) return 'shipready-output';
  if (LOCKFILE.test(name) || GENERATED_FILE.test(name) || dirs.some((dir) => GENERATED_SEGMENT.test(dir))) return 'generated';
  if (dirs.some((dir) => VENDOR_SEGMENT.test(dir))) return 'bundle';
  if (TEST_FILE.test(name) || dirs.some((dir) => TEST_SEGMENT.test(dir))) return 'test';
  if (dirs.some((dir) => EXAMPLE_SEGMENT.test(dir)) || isExampleFile(name) || isTemplatePath(dirs)) return 'example';
  if (dirs.some((dir) => MIGRATION_SEGMENT.test(dir))) return 'migration';
  if (SEED_FILE.test(name) || dirs.some((dir) => SEED_SEGMENT.test(dir))) return 'seed';
  if (DOCS_EXTENSION.test(name) || dirs.some((dir) => DOCS_SEGMENT.test(dir))) return 'docs';
  if (CI_PATH.test(file)) return 'ci';
  if (dirs.some((dir) => SCRIPT_SEGMENT.test(dir)) || SCRIPT_FILE.test(name) || isOutsideCode(dirs, TOP_LEVEL_SCRIPT_SEGMENT)) return 'script';
  // Hidden folders (`.install-scripts/`, `.husky/`, `.vscode/`, `.storybook/`) hold tooling, never code that serves requests.
  if (SOURCE_EXTENSION.test(name) && dirs.some((dir) => dir.startsWith('.') && dir !== '.well-known' && dir.length > 1)) return 'script';
  return SOURCE_EXTENSION.test(name) ? 'source' : 'other';
}

/**
 * `config.example.ts`, `.env.template`, `compose.sample.yml` are examples; a module whose name merely ends in a
 * word such as `-template` (`compile-email-template.command.ts`, `invoice-template.ts`) is code.
 */
function isExampleFile(name: string): boolean {
  if (!EXAMPLE_FILE.test(name)) return false;
  return !SOURCE_EXTENSION.test(name) || /\.(?:example|sample|template|tpl)\.|^(?:example|sample)\./i.test(name);
}

/**
 * `templates/` holding a project to copy (a scaffold's template) is an example; `src/templates/` holding the
 * app's email or page templates is source.
 */
function isTemplatePath(dirs: readonly string[]): boolean {
  return isOutsideCode(dirs, TEMPLATE_SEGMENT);
}

/** True when a folder matching `pattern` appears with no code folder (`src/`, `app/`, `lib/`…) above it. */
function isOutsideCode(dirs: readonly string[], pattern: RegExp): boolean {
  const index = dirs.findIndex((dir) => pattern.test(dir));
  if (index < 0) return false;
  return !dirs.slice(0, index).some((dir) => CODE_SEGMENT.test(dir));
}

/** Lines longer than this are not written by hand. */
const MINIFIED_LINE = 2_000;
const SAMPLE = 64 * 1024;

/** True when `sample` has a line longer than MINIFIED_LINE, or (long enough to judge) a high average line length. */
function minifiedSample(sample: string, averageOver: number): boolean {
  let lineStart = 0;
  let lines = 0;
  for (let index = sample.indexOf('\n'); ; index = sample.indexOf('\n', index + 1)) {
    const end = index < 0 ? sample.length : index;
    if (end - lineStart > MINIFIED_LINE) return true;
    lines += 1;
    if (index < 0) break;
    lineStart = index + 1;
  }
  return sample.length > 20_000 && sample.length / lines > averageOver;
}

/**
 * True for text a minifier or bundler wrote: a very long line, a long file with a high average line length,
 * or a source-map comment at the end. The first and the last 64 KiB are looked at: a bundle that opens with a
 * hand-written banner or licence block still ends in minified code.
 *
 * @example looksMinified('!function(e){' + 'var a=1;'.repeat(1000) + '}()') // true
 */
export function looksMinified(text: string): boolean {
  const head = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  if (minifiedSample(head, 300)) return true;
  if (text.length > SAMPLE && minifiedSample(text.slice(Math.max(SAMPLE, text.length - SAMPLE)), 300)) return true;
  const lines = head.split('\n').length;
  return /\/[/*][#@]\s*sourceMappingURL=\S+\s*(?:\*\/)?\s*$/.test(text.slice(-300)) && head.length / lines > 120;
}

const GENERATED_HEADER = /@generated\b|\bDO NOT EDIT\b|\bauto-?generated\b|\bautomatically generated\b|\bThis file (?:is|was) generated\b|\bgenerated by\b.{0,40}\b(?:prisma|graphql-codegen|openapi|protoc|orval|kysely-codegen|drizzle|swagger|tsoa|wagmi|sqlc)/i;

/**
 * True when a generator's header marks the file ("@generated", "DO NOT EDIT", "auto-generated by …") in its
 * first 1,000 characters.
 *
 * @example hasGeneratedHeader('// Code generated by protoc. DO NOT EDIT.\n') // true
 */
export function hasGeneratedHeader(text: string): boolean {
  return GENERATED_HEADER.test(text.slice(0, 1000));
}

/** shipready's Markdown and HTML reports and JSON/SARIF outputs announce themselves in their first lines. */
const SHIPREADY_OUTPUT = /<!--\s*shipready\b|^## shipready: |"name"\s*:\s*"shipready"[\s\S]{0,200}"(?:version|informationUri)"|"schemaVersion"\s*:\s*\d+\s*,\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"shipready"/m;

/**
 * True for a report shipready wrote (`--output report.md`, a committed SARIF or JSON report): it mentions
 * rollbacks, backups and env variables, and must never count as the team's own documentation of them.
 *
 * @example isShipreadyOutput('## shipready: NOT READY · score 12/100 …') // true
 */
export function isShipreadyOutput(text: string): boolean {
  return SHIPREADY_OUTPUT.test(text.slice(0, 2000));
}

/**
 * The role of a file from its path and, when given, its text: content wins for bundles, generated files and
 * shipready's outputs, which can live under any name.
 *
 * @example roleOf('public/app.js', minifiedText) // 'bundle'
 */
export function roleOf(file: string, text: string | undefined): FileRole {
  const byPath = roleOfPath(file);
  if (text === undefined || byPath === 'shipready-output' || byPath === 'generated') return byPath;
  const name = basename(file);
  if ((DOCS_EXTENSION.test(name) || /\.(?:json|sarif|html)$/i.test(name)) && isShipreadyOutput(text)) return 'shipready-output';
  if (SOURCE_EXTENSION.test(name) || /\.css$/i.test(name)) {
    if (looksMinified(text)) return 'bundle';
    if (hasGeneratedHeader(text)) return 'generated';
  }
  return byPath;
}

/** Roles whose code never serves production traffic: rules about the running app skip them. */
export const NON_PRODUCTION_ROLES: ReadonlySet<FileRole> = new Set(['test', 'script', 'seed', 'migration', 'docs', 'example', 'generated', 'ci', 'shipready-output']);

/** Roles whose text is never a real deployment's configuration or credential (samples, fixtures, generated hashes, reports). */
export const SAMPLE_ROLES: ReadonlySet<FileRole> = new Set(['test', 'docs', 'example', 'generated', 'shipready-output', 'bundle']);
