// Protects against shipping known-vulnerable dependencies for months because nothing ever looks. Docs: docs/rules/security/dependency-audit.md
import picomatch from 'picomatch';
import { isMap } from 'yaml';
import { noOptions } from '../../core/rule.js';
import { ciFiles } from '../../project/ci.js';
import { mapGet, scalarString, sequenceItems } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { shellUnits } from '../../project/scripts.js';
import { invokedNames } from '../../project/test-commands.js';
import { defineScanRule } from '../support.js';

const AUDIT_COMMAND =
  /\b(?:npm|pnpm|bun)\s+(?:-\S+\s+)*audit\b|\byarn\s+(?:npm\s+)?audit\b|\bosv-scanner\b|\bsnyk\s+(?:test|monitor)\b|\baudit-ci\b|\bbetter-npm-audit\b|\bimproved-yarn-audit\b|\btrivy\s+(?:fs|repo|image)\b|\bgrype\b|\bsocket\s+(?:scan|ci)\b|\bnpq\b/;
/** GitLab's managed dependency scanning, included as a template. */
const GITLAB_SCANNING = /Dependency-Scanning(?:\.latest)?\.gitlab-ci\.yml|\bdependency_scanning\b/;
const AUDIT_ACTION = /^(?:google\/osv-scanner-action|snyk\/actions|aquasecurity\/trivy-action|anchore\/scan-action|actions\/dependency-review-action|oss-review-toolkit|socketdev\/)/i;

const RENOVATE_FILE = /^(?:\.github\/|\.gitlab\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/;

/** Parses JSON5-ish Renovate config just enough to see `"enabled": false`. */
function renovateDisabled(text: string): boolean {
  return /["']?enabled["']?\s*:\s*false/.test(text.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n').replace(/"packageRules"[\s\S]*$/, ''));
}

/** Dependabot's ecosystems that update JavaScript manifests (`npm` covers npm, Yarn and pnpm). */
const JS_ECOSYSTEMS = new Set(['npm', 'bun']);

function entryDirectories(item: unknown): string[] {
  const single = scalarString(mapGet(item, 'directory'));
  const many = sequenceItems(mapGet(item, 'directories')).map((entry) => scalarString(entry)).filter((entry) => entry !== undefined);
  return [...(single === undefined ? [] : [single]), ...many].map((dir) => dir.replace(/^\.?\/+|\/+$/g, ''));
}

/** Whether a security-only entry points at a package this repository has (a directory or a `directories` glob). */
function coversPackage(project: Project, item: unknown): boolean {
  if (!JS_ECOSYSTEMS.has(scalarString(mapGet(item, 'package-ecosystem')) ?? '')) return false;
  const packageDirs = project.packages().map((pkg) => pkg.dir);
  return entryDirectories(item).some((dir) => {
    if (!dir.includes('*')) return packageDirs.includes(dir);
    const matches = picomatch(dir, { dot: true });
    return packageDirs.some((pkgDir) => matches(pkgDir));
  });
}

function dependabotStatus(project: Project): { path: string; enabled: boolean } | undefined {
  const [file] = project.yamlFiles((candidate) => /^\.github\/dependabot\.ya?ml$/.test(candidate));
  if (file === undefined) return undefined;
  const updates = sequenceItems(mapGet(file.document.contents, 'updates')).filter((item) => isMap(item));
  // `open-pull-requests-limit: 0` is GitHub's documented way to keep security updates while turning version
  // updates off, so it is an audit. Such an entry opens no pull request to prove the bot still runs, so it counts
  // only while it points at a JavaScript package that exists: an entry left on a removed directory audits nothing.
  const enabled = updates.some((item) => scalarString(mapGet(item, 'open-pull-requests-limit')) !== '0' || coversPackage(project, item));
  return { path: file.path, enabled };
}

export default defineScanRule({
  id: 'security/dependency-audit',
  title: 'Dependencies are audited or updated automatically',
  description: 'Something checks dependencies for known vulnerabilities on a schedule or in CI: an audit step (npm/pnpm/yarn audit, osv-scanner, Snyk, Trivy…), Dependabot or Renovate.',
  category: 'security',
  severity: 'medium',
  checklist: 'dependency-audit',
  docs: 'docs/rules/security/dependency-audit.md',
  fix: 'Add .github/dependabot.yml (package-ecosystem: npm, schedule: weekly), or Renovate, and an audit step in CI: `npm audit --audit-level=high` (or osv-scanner).',
  options: noOptions,
  messages: {
    missing: () => 'Nothing audits the dependencies: no audit step in CI, no active Dependabot or Renovate configuration',
  },
  applies: (project: Project) => project.packages().length > 0,
  check(ctx) {
    const project = ctx.project;
    const steps = ciFiles(project).flatMap((file) => file.steps);
    const units = shellUnits(project);
    const auditScripts = new Set(units.filter((unit) => AUDIT_COMMAND.test(unit.text)).map((unit) => unit.name.split(/\s+/)[0] ?? unit.name));
    for (const step of steps) {
      if (step.uses !== undefined && AUDIT_ACTION.test(step.uses)) return;
      if (AUDIT_COMMAND.test(step.run)) return;
      if (invokedNames(step.run).some((name) => auditScripts.has(name))) return;
    }
    for (const file of ciFiles(project)) if (file.provider === 'gitlab' && GITLAB_SCANNING.test(project.text(file.path) ?? '')) return;
    const dependabot = dependabotStatus(project);
    if (dependabot?.enabled === true) return;
    const renovateFiles = project.filesWhere((file) => RENOVATE_FILE.test(file));
    if (renovateFiles.some((file) => !renovateDisabled(project.text(file.path) ?? ''))) return;
    const rootPackage = project.packages().find((pkg) => pkg.dir === '') ?? project.packages()[0];
    if (rootPackage !== undefined && 'renovate' in rootPackage.manifest.raw && !renovateDisabled(JSON.stringify(rootPackage.manifest.raw.renovate))) return;
    const manifestText = rootPackage === undefined ? '' : (project.text(rootPackage.manifestPath) ?? '');
    const dependenciesLine = manifestText.split('\n').findIndex((line) => /^\s*"dependencies"\s*:/.test(line));
    const disabled = [
      ...(dependabot === undefined ? [] : [`${dependabot.path} (no version updates, and no security-only npm entry on a directory that holds a package.json)`]),
      ...renovateFiles.map((file) => `${file.path} (enabled: false)`),
    ];
    ctx.report({
      messageId: 'missing',
      data: {},
      ...(rootPackage === undefined ? {} : { location: { path: rootPackage.manifestPath, line: dependenciesLine >= 0 ? dependenciesLine + 1 : 1 } }),
      detail: `Checked ${steps.length} CI step(s) and the npm scripts/Make targets they call for npm/pnpm/yarn/bun audit, osv-scanner, Snyk, audit-ci, Trivy, Grype or an audit action; looked for .github/dependabot.yml, renovate.json(5)/.renovaterc and a "renovate" key in package.json${
        disabled.length > 0 ? `; found only disabled configuration: ${disabled.join(', ')}` : ': none found'
      }.`,
    });
  },
});
