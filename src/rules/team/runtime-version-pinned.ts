// Protects against "which Node does this need?": each machine, CI runner and image picks its own version. Docs: docs/rules/team/runtime-version-pinned.md
import { noOptions } from '../../core/rule.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const VERSION_FILE = /(?:^|\/)(?:\.nvmrc|\.node-version)$/;
const NODE_IMAGE_TAG = /^(?:docker\.io\/)?(?:library\/)?node:v?\d/;

/** Where the repository pins Node, if anywhere (first found). */
function nodePin(project: Project): string | undefined {
  for (const pkg of project.packages()) {
    const engine = pkg.manifest.engines.node?.trim();
    if (engine !== undefined && !['', '*', 'x', 'latest'].includes(engine)) return `${pkg.manifestPath} engines.node "${engine}"`;
    if (pkg.manifest.volta.node !== undefined) return `${pkg.manifestPath} volta.node "${pkg.manifest.volta.node}"`;
  }
  for (const file of project.files) {
    if (VERSION_FILE.test(file.path)) {
      const text = project.text(file.path)?.trim() ?? '';
      if (text !== '') return `${file.path} (${text})`;
    }
    if (/(?:^|\/)\.tool-versions$/.test(file.path) && /^(?:nodejs|node)\s+\S/m.test(project.text(file.path) ?? '')) return file.path;
  }
  for (const info of project.dockerfiles()) {
    const from = info.dockerfile.getFROMs().find((candidate) => NODE_IMAGE_TAG.test(candidate.getImage() ?? ''));
    if (from !== undefined) return `${info.path} FROM ${from.getImage() ?? ''}`;
  }
  return undefined;
}

type Messages = { unpinned: { file: string } };

export default defineScanRule({
  id: 'team/runtime-version-pinned',
  title: 'The Node version is pinned',
  description: 'The repository says which Node version it runs on: `engines.node`, `.nvmrc`, `.node-version`, `.tool-versions`, `volta`, or a versioned `node:` image tag.',
  category: 'team',
  severity: 'low',
  checklist: 'local-setup',
  docs: 'docs/rules/team/runtime-version-pinned.md',
  fix: 'Add `.nvmrc` (e.g. `20.19`) and `"engines": { "node": ">=20.19 <21" }` to package.json; point CI at it with `actions/setup-node` `node-version-file: .nvmrc`.',
  options: noOptions,
  messages: {
    unpinned: ({ file }: Messages['unpinned']) => `${file}: no Node version is pinned anywhere in the repository`,
  },
  applies: (project: Project) => project.packages().length > 0,
  check(ctx) {
    if (nodePin(ctx.project) !== undefined) return;
    const root = ctx.project.packages().find((pkg) => pkg.dir === '') ?? ctx.project.packages()[0];
    if (root === undefined) return;
    ctx.report({
      messageId: 'unpinned',
      data: { file: root.manifestPath },
      location: { path: root.manifestPath, line: 1 },
      detail: 'Looked for engines.node and volta.node in every package.json, .nvmrc/.node-version/.tool-versions anywhere, and FROM node:<version> in every Dockerfile: none found.',
    });
  },
});
