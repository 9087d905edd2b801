import { applyBaseline, readBaseline } from './core/baseline.js';
import { DOCS_BASE_URL, VERSION } from './core/meta.js';
import { loadConfig, type KnownRules, type ShipreadyConfig } from './core/config.js';
import { compareFindings, runRules } from './core/engine.js';
import type { Finding, Note, Report, ReportSection } from './core/report.js';
import { err, ok, type Result, type UserError } from './core/result.js';
import type { RegisteredRule } from './core/rule.js';
import type { Severity } from './core/severity.js';
import { applySuppressions, findSuppressions } from './core/suppressions.js';
import { buildReport } from './core/verdict.js';
import { isSourcePath, Project } from './project/project.js';
import { NON_PRODUCTION_ROLES } from './project/file-roles.js';
import type { FileSystem } from './project/walk.js';
import type { GitEnvironment } from './project/git.js';
import { lintProjectMigrations } from './migrations/index.js';
import { scanRules } from './rules/index.js';

export { DOCS_BASE_URL, VERSION } from './core/meta.js';

export interface ScanOptions {
  /** Explicit config file; otherwise discovered in the root. */
  readonly configPath?: string;
  readonly failOn?: Severity | 'none';
  readonly maxFileSize?: number;
  /** Baseline file: findings already in it do not count toward the exit code. */
  readonly baselinePath?: string;
  /** Injected clock, for attestation expiry. */
  readonly now?: Date;
  /** Rules to run instead of the built-in set (tests). */
  readonly rules?: readonly RegisteredRule<Project>[];
  /** Rule ids of other commands (migrations, probe) that config may name. */
  readonly extraKnownRules?: KnownRules;
  readonly fs?: FileSystem;
  readonly onProgress?: (message: string) => void;
  /**
   * The environment of the run: git runs in it (minus every `GIT_*` variable), and CI's pull-request variables
   * (`GITHUB_BASE_REF`, `CI_MERGE_REQUEST_*`) say which migrations are pending. The CLI passes `process.env`.
   */
  readonly env?: GitEnvironment;
  /** `--since REF`: the git ref that decides which migrations are pending (default: CI's pull request base, else the default branch). */
  readonly since?: string;
  /** `--all-migrations`: report the findings of every migration one by one, applied ones too. */
  readonly allMigrations?: boolean;
  /** Time one rule may spend on one file before it skips the file with a note (default 10 s; see core/file-budget.ts). */
  readonly fileBudgetMs?: number;
  /** Milliseconds from any origin, for the file budget (tests pass a fake clock). */
  readonly clock?: () => number;
  /** Extra report sections computed from the project (e.g. the port map). */
  readonly sections?: (project: Project) => ReportSection[];
}

export function knownRulesOf(rules: readonly RegisteredRule<Project>[], extra?: KnownRules): KnownRules {
  return {
    ids: [...rules.map((rule) => rule.id), ...(extra?.ids ?? [])],
    validateOptions(ruleId, raw) {
      const rule = rules.find((candidate) => candidate.id === ruleId);
      return rule !== undefined ? rule.validateOptions(raw) : (extra?.validateOptions(ruleId, raw) ?? []);
    },
  };
}

function dedupeNotes(notes: readonly Note[]): Note[] {
  const seen = new Set<string>();
  return notes
    .filter((note) => {
      const key = `${note.kind}\0${note.path ?? ''}\0${note.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => ((a.path ?? '') < (b.path ?? '') ? -1 : (a.path ?? '') > (b.path ?? '') ? 1 : a.message < b.message ? -1 : 1));
}

/** Front ends a team deploys: their build and hosting are part of the readiness question too. */
const FRONT_END_FRAMEWORKS: ReadonlySet<string> = new Set(['vite-spa', 'nextjs', 'remix', 'react-router']);

/**
 * Whether the folder holds a web application to audit: a deployed server package, a front end, a production
 * Dockerfile or compose service, or migrations. A library, a docs folder or an empty folder has none, and its
 * verdict says so instead of an empty READY.
 */
function hasWebApplication(project: Project, hasMigrations: boolean): boolean {
  if (hasMigrations || project.serverPackages().length > 0) return true;
  if (project.packages().some((pkg) => pkg.role === 'code' && pkg.frameworks.some((framework) => FRONT_END_FRAMEWORKS.has(framework)))) return true;
  const deployable = (file: string): boolean => !NON_PRODUCTION_ROLES.has(project.fileRole(file));
  return project.dockerfiles().some((info) => deployable(info.path)) || project.composeFiles().some((file) => deployable(file.path));
}

/** The scanned folder's path inside its git repository, when git knows one and it is not the top. */
function repositoryPathOf(project: Project): string | undefined {
  const repository = project.git();
  return repository.ok && repository.value.prefix !== '' ? repository.value.prefix : undefined;
}

const PACKAGES_SHOWN = 40;

/**
 * A monorepo is judged as a whole and per package: this section lists each package with its
 * frameworks and the active findings inside its directory (nested packages counted on their own).
 */
function packagesSection(project: Project, findings: readonly Finding[]): ReportSection[] {
  const packages = project.packages();
  if (packages.length < 2) return [];
  const counts = new Map<string, Record<string, number>>();
  for (const finding of findings) {
    if (finding.suppression !== undefined || finding.location?.kind !== 'file') continue;
    const owner = project.packageOf(finding.location.path);
    if (owner === undefined) continue;
    const tally = counts.get(owner.dir) ?? {};
    tally[finding.severity] = (tally[finding.severity] ?? 0) + 1;
    counts.set(owner.dir, tally);
  }
  const rows = packages.map((pkg) => {
    const tally = counts.get(pkg.dir) ?? {};
    const total = Object.values(tally).reduce((sum, count) => sum + count, 0);
    return {
      dir: pkg.dir === '' ? '.' : pkg.dir,
      name: pkg.displayName,
      frameworks: [...pkg.frameworks],
      workspaceRoot: pkg.isWorkspaceRoot,
      findings: tally,
      line: `${(pkg.dir === '' ? '.' : pkg.dir).padEnd(32)} ${pkg.displayName}${pkg.frameworks.length > 0 ? ` (${pkg.frameworks.join(', ')})` : ''}${pkg.isWorkspaceRoot ? ' [workspace root]' : ''} — ${
        total === 0 ? 'no findings' : Object.entries(tally).map(([severity, count]) => `${count} ${severity}`).join(', ')
      }`,
    };
  });
  const lines = rows.slice(0, PACKAGES_SHOWN).map((row) => row.line);
  if (rows.length > PACKAGES_SHOWN) lines.push(`… and ${rows.length - PACKAGES_SHOWN} more (see the JSON report)`);
  return [{ id: 'packages', title: `Packages (${packages.length})`, lines, data: rows.map(({ line, ...row }) => row) }];
}

/**
 * Static audit of a repository: walks it once, runs every enabled rule, applies inline suppressions
 * and the baseline, and returns the shared report (checklist, verdict, findings).
 *
 * @example
 * const result = await scan('examples/prototype-app');
 * if (result.ok) console.log(result.value.verdict.summary);
 */
export async function scan(root: string, options: ScanOptions = {}): Promise<Result<Report, UserError>> {
  const rules = options.rules ?? scanRules;
  const known = knownRulesOf(rules, options.extraKnownRules);
  const config = loadConfig(root, options.configPath, known);
  if (!config.ok) return config;
  return scanWithConfig(root, config.value, rules, options);
}

async function scanWithConfig(root: string, config: ShipreadyConfig, rules: readonly RegisteredRule<Project>[], options: ScanOptions): Promise<Result<Report, UserError>> {
  const maxFileSize = options.maxFileSize ?? config.maxFileSize;
  const opened = Project.open(root, {
    ignore: config.ignore,
    ...(maxFileSize === undefined ? {} : { maxFileSize }),
    ...(options.fs === undefined ? {} : { fs: options.fs }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (!opened.ok) return opened;
  const project = opened.value;
  options.onProgress?.(`scanning ${project.files.length} files`);
  const outcome = await runRules(rules, project, project, {
    settings: config.rules,
    docsBaseUrl: DOCS_BASE_URL,
    onRule: (ruleId, index, total) => options.onProgress?.(`[${index + 1}/${total}] ${ruleId}`),
    ...(options.fileBudgetMs === undefined ? {} : { fileBudgetMs: options.fileBudgetMs }),
    ...(options.clock === undefined ? {} : { now: options.clock }),
  });
  const suppressions = project.files.flatMap((file) => {
    const text = project.text(file.path);
    if (text === undefined || !text.includes('shipready-ignore')) return [];
    const comments = isSourcePath(file.path) ? project.parseSource(file.path)?.comments : undefined;
    return findSuppressions(file.path, text, comments);
  });
  const knownIds = new Set(knownRulesOf(rules, options.extraKnownRules).ids);
  const suppressed = applySuppressions(outcome.findings, suppressions, { knownRuleIds: knownIds, ranRuleIds: outcome.applied, sources: project, docsBaseUrl: DOCS_BASE_URL });
  // Migrations are linted with the real Postgres parser as part of every scan; that module applies
  // `-- shipready-ignore` and `-- squawk-ignore` in SQL itself.
  options.onProgress?.('linting migrations');
  const linted = await lintProjectMigrations(project.root, {
    files: project.files.map((file) => file.path),
    settings: config.rules,
    docsBaseUrl: DOCS_BASE_URL,
    ...(options.env === undefined ? {} : { env: options.env }),
    git: project.git,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.allMigrations === undefined ? {} : { allMigrations: options.allMigrations }),
  });
  if (!linted.ok) return linted;
  const migrations = linted.value;
  let findings: Finding[] = [...suppressed.findings, ...suppressed.problems, ...migrations.findings];
  if (options.baselinePath !== undefined) {
    const baseline = readBaseline(options.baselinePath);
    if (!baseline.ok) return err(baseline.error);
    findings = applyBaseline(findings, baseline.value);
  }
  findings.sort(compareFindings);
  const sections = [...(options.sections?.(project) ?? []), ...packagesSection(project, findings)];
  const auditable = hasWebApplication(project, migrations.rules.length > 0);
  // Without an application the readiness checklist has nothing to judge; a committed credential is a leak all the same.
  if (!auditable) findings = findings.filter((finding) => finding.checklist === 'secrets');
  return ok(
    buildReport({
      command: 'scan',
      target: root,
      version: VERSION,
      findings,
      rules: [...outcome.rules, ...migrations.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      applied: new Set([...outcome.applied, ...migrations.applied]),
      attestations: config.attest,
      ...(config.maxAgeDays === undefined ? {} : { maxAgeDays: config.maxAgeDays }),
      now: options.now ?? new Date(),
      failOn: options.failOn ?? config.failOn ?? 'high',
      sections,
      notes: dedupeNotes([...(config.notes ?? []), ...project.notes, ...outcome.notes, ...migrations.notes]),
      stats: { files: project.files.length, bytes: project.bytesRead, binarySkipped: project.binaryByExtension, rules: outcome.rules.length },
      ...(repositoryPathOf(project) === undefined ? {} : { repositoryPath: repositoryPathOf(project) }),
      ...(auditable ? {} : { nothingToAudit: 'no web application here (no deployed server package, front end, Dockerfile, compose file or migrations)' }),
    }),
  );
}
