// Protects against "works on my machine" builds: without a committed lockfile (or with `npm install` in CI/Docker) every build resolves new versions. Docs: docs/rules/team/lockfile.md
import { noOptions } from '../../core/rule.js';
import { ciFiles, stepLine } from '../../project/ci.js';
import { dockerStages, productionDockerfiles, stageChain } from '../../project/dockerfile.js';
import type { PackageInfo } from '../../project/packages.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];

/** `npm install`/`npm i` with no package names: installs from package.json, ignoring and rewriting the lockfile. */
const INSTALL = /\b(npm|yarn|pnpm)(\s*(?:--?[\w-]+(?:=\S+)?\s+)*)(install|i|add)?\b([^\n;&|]*)/g;

/**
 * The install commands in `text` that do not install strictly from the lockfile, with their offsets. `loose`: the
 * command resolves from package.json and may write a new lockfile (`npm install`, an unfrozen `yarn`/`pnpm install`
 * in a Docker build). `unfrozen`: it installs what the lockfile says but does not fail when package.json and the
 * lockfile disagree (`yarn install --pure-lockfile` only skips writing yarn.lock; `--frozen-lockfile` is the strict form).
 *
 * @example looseInstalls('RUN yarn install --pure-lockfile', true) // [{ index: 4, command: 'yarn install --pure-lockfile', kind: 'unfrozen' }]
 */
export function looseInstalls(text: string, inDocker: boolean): Array<{ index: number; command: string; kind: 'loose' | 'unfrozen' }> {
  const found: Array<{ index: number; command: string; kind: 'loose' | 'unfrozen' }> = [];
  for (const match of text.matchAll(INSTALL)) {
    const [whole, tool, , verb, rest = ''] = match;
    const flags = `${match[2] ?? ''} ${rest}`;
    const packageArgs = rest.split(/\s+/).filter((token) => token !== '' && !token.startsWith('-') && !token.startsWith('$') && !token.includes('='));
    if (tool === 'npm') {
      if ((verb === 'install' || verb === 'i') && packageArgs.length === 0 && !/--prefix|-g\b|--global/.test(flags)) found.push({ index: match.index, command: whole.trim(), kind: 'loose' });
      continue;
    }
    // yarn and pnpm default to a frozen lockfile on CI runners (CI=true), but not in a Docker build.
    if (!inDocker) continue;
    if (verb === 'add' || packageArgs.length > 0 && verb !== undefined) continue;
    const isYarnInstall = tool === 'yarn' && (verb === 'install' || (verb === undefined && (rest.trim() === '' || /^--[\w-]+(?:\s+--[\w-]+)*$/.test(rest.trim())) && (match[2] ?? '').trim() === ''));
    if (isYarnInstall && !/--frozen-lockfile|--immutable/.test(flags)) found.push({ index: match.index, command: whole.trim(), kind: /--pure-lockfile/.test(flags) ? 'unfrozen' : 'loose' });
    if (tool === 'pnpm' && (verb === 'install' || verb === 'i') && !/--frozen-lockfile/.test(flags)) found.push({ index: match.index, command: whole.trim(), kind: 'loose' });
  }
  return found;
}

/**
 * Packages that own their dependency resolution: standalone packages and workspace roots, not members, and not
 * a manifest nested inside another (non-root) package, which belongs to that package's project (an Angular
 * workspace's `projects/<lib>/package.json` is the library's publish manifest, installed by the workspace around it).
 */
function resolutionRoots(project: Project): PackageInfo[] {
  const packages = project.packages();
  return packages.filter(
    (pkg) =>
      !pkg.isWorkspaceMember &&
      Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.devDependencies }).length > 0 &&
      !packages.some((outer) => outer !== pkg && outer.dir !== '' && pkg.dir.startsWith(`${outer.dir}/`)),
  );
}

function hasLockfile(project: Project, pkg: PackageInfo): boolean {
  const prefix = pkg.dir === '' ? '' : `${pkg.dir}/`;
  return LOCKFILES.some((name) => project.has(`${prefix}${name}`) || project.notes.some((note) => note.path === `${prefix}${name}`));
}

type Messages = { noLockfile: { pkg: string }; looseInstall: { command: string; file: string }; notFrozen: { command: string; file: string } };

export default defineScanRule({
  id: 'team/lockfile',
  title: 'Dependencies are locked and installed from the lockfile',
  description: 'Every package with dependencies commits a lockfile, and CI and Docker builds install from it (`npm ci`, `yarn --frozen-lockfile`/`--immutable`, `pnpm install --frozen-lockfile`).',
  category: 'team',
  severity: 'medium',
  checklist: 'local-setup',
  docs: 'docs/rules/team/lockfile.md',
  fix: 'Commit the lockfile (`npm install` once, then `git add package-lock.json`), and use `npm ci` in CI and Dockerfiles (`npm ci --omit=dev` for the runtime stage).',
  options: noOptions,
  messages: {
    noLockfile: ({ pkg }: Messages['noLockfile']) => `${pkg} has dependencies but no committed lockfile, so every install resolves versions anew`,
    looseInstall: ({ command, file }: Messages['looseInstall']) => `${file} installs with "${command}", which resolves versions from package.json instead of installing exactly the lockfile; use npm ci (or a frozen lockfile)`,
    notFrozen: ({ command, file }: Messages['notFrozen']) => `${file} installs with "${command}": it uses the lockfile but does not fail when package.json and the lockfile disagree; use --frozen-lockfile`,
  },
  applies: (project: Project) => project.packages().length > 0,
  check(ctx) {
    const project = ctx.project;
    for (const pkg of resolutionRoots(project)) {
      if (hasLockfile(project, pkg)) continue;
      // Taken out of the workspace on purpose (a deprecated client library): its lockfile matters only for its own build.
      const severity = pkg.isExcludedFromWorkspace ? 'low' : undefined;
      ctx.report({
        messageId: 'noLockfile',
        data: { pkg: pkg.manifestPath },
        location: { path: pkg.manifestPath, line: 1 },
        detail: `Looked for ${LOCKFILES.join(', ')} beside ${pkg.manifestPath} among the files the scan sees (git-ignored files are not committed): none.${
          severity === undefined ? '' : ' Low: a `!` pattern of the workspace excludes this package on purpose, so no install of the product resolves its dependencies.'
        }`,
        key: pkg.manifestPath,
        ...(severity === undefined ? {} : { severity }),
      });
    }
    for (const file of ciFiles(project)) {
      for (const step of file.steps) {
        for (const install of looseInstalls(step.run, false)) {
          const line = stepLine(step, install.index);
          ctx.report({
            messageId: 'looseInstall',
            data: { command: install.command, file: file.path },
            location: { path: file.path, line },
            detail: `CI step at ${file.path}:${line} runs "${install.command}" with no package names: npm resolves ranges from package.json and may rewrite the lockfile, so CI tests other versions than the ones committed.`,
            key: `${line}:${install.command}`,
          });
        }
      }
    }
    for (const { path, dockerfile } of productionDockerfiles(project)) {
      const lines = (project.text(path) ?? '').split('\n');
      const stages = dockerStages(dockerfile);
      for (const stage of stages) {
        // `ENV CI=true` in this stage or one it builds on makes yarn and pnpm install frozen, as on a CI runner.
        const ciLines = stageChain(stages, stage)
          .flatMap((chained) => chained.instructions)
          .filter((instruction) => instruction.getKeyword() === 'ENV' && /(?:^|\s)CI=["']?(?:true|1)["']?(?:\s|$)/i.test(instruction.getArgumentsContent() ?? ''))
          .map((instruction) => instruction.getRange().start.line);
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          const range = instruction.getRange();
          // The raw lines (continuations kept), so a match maps back to its own line.
          const text = lines.slice(range.start.line, range.end.line + 1).join('\n');
          const start = range.start.line + 1;
          // A stage can only build on stages written above it, so "set earlier" is "set on a line above".
          const ciEnvironment = ciLines.some((line) => line < range.start.line);
          for (const install of looseInstalls(text, !ciEnvironment)) {
            const line = start + text.slice(0, install.index).split('\n').length - 1;
            const unfrozen = install.kind === 'unfrozen';
            // The image does get the locked versions; only the guard against a stale lockfile is missing.
            const severity = unfrozen ? 'low' : undefined;
            ctx.report({
              messageId: unfrozen ? 'notFrozen' : 'looseInstall',
              data: { command: install.command, file: path },
              location: { path, line },
              detail: unfrozen
                ? `RUN at ${path}:${start} runs "${install.command}": --pure-lockfile installs the versions in yarn.lock and only skips writing it, so the image matches the lockfile; what it lacks is --frozen-lockfile's failure when package.json has changed without the lockfile.`
                : `RUN at ${path}:${start} runs "${install.command}" without a frozen lockfile: the image gets whatever versions resolve at build time.`,
              key: `${line}:${install.command}`,
              ...(severity === undefined ? {} : { severity }),
            });
          }
        }
      }
    }
  },
});
