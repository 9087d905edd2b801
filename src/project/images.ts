import { ciFiles, stepLine } from './ci.js';
import { composeServices, dirOf, isOwnImage, joinPath, serviceDockerfile, substituteDefaults, type ComposeService } from './compose.js';
import type { Project } from './project.js';
import { shellUnits, unitLine } from './scripts.js';

/** An image this repository builds or publishes, with the Dockerfile it is built from when that can be told. */
export interface BuiltImage {
  /** Repository part of the reference as written (`ghcr.io/acme/api`, `documenso/documenso-$BUILD_PLATFORM`): no tag, no digest. */
  readonly name: string;
  /** Repository-relative Dockerfile; undefined for an alias (`docker manifest create`, `docker tag` of an unknown source). */
  readonly dockerfile: string | undefined;
  readonly file: string;
  readonly line: number;
}

/**
 * The repository part of an image reference: tag and digest dropped, Docker Hub's implicit `docker.io/` and
 * `library/` too, lower-cased.
 *
 * @example imageRepository('docker.io/library/node:22-alpine') // 'node'
 */
export function imageRepository(reference: string): string {
  const withoutDigest = reference.trim().replace(/^["']|["']$/g, '').split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
  return name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//i, '').replace(/^library\//i, '').toLowerCase();
}

const VARIABLE = /\$\{\{[^}]*\}\}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * A built name with variables (`documenso/documenso-$BUILD_PLATFORM`, `ghcr.io/$OWNER/$NAME`) as a pattern, each
 * variable standing for any name characters, slashes included; undefined for a name that is nothing but variables
 * (`$DOCKER_REPOSITORY`), which would match every image.
 */
function namePattern(name: string): RegExp | undefined {
  const literal = name.split(VARIABLE);
  if (literal.join('').replace(/[^A-Za-z0-9]/g, '').length < 3) return undefined;
  const parts = literal.map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\w./-]*')}$`, 'i');
}

function matchesName(image: BuiltImage, wanted: string): boolean {
  return namePattern(image.name)?.test(wanted) === true;
}

/** `joinPath` of a path as written on a command line, quotes dropped. */
function joinQuoted(base: string, relative: string): string {
  return joinPath(base, relative.replace(/^["']|["']$/g, ''));
}

/** `docker build`/`docker buildx build` (continuation lines joined): tags, `-f` file and the context. */
const BUILD = /\bdocker\s+(?:buildx\s+)?build\b((?:\\\r?\n|[^\n;&|])*)/g;
const TAG_FLAG = /(?:^|\s)(?:-t|--tag)(?:\s+|=)((?:\$\{\{[^}]*\}\}|\S)+)/g;
const FILE_FLAG = /(?:^|\s)(?:-f|--file)(?:\s+|=)(\S+)/;
/** Options of `docker build` that take a value, so the value is not mistaken for the context. */
const VALUE_OPTIONS = /^(?:-t|--tag|-f|--file|--build-arg|--target|--platform|--label|--secret|--ssh|--cache-from|--cache-to|--progress|--network|-o|--output|--iidfile|--build-context|--add-host|--shm-size|--ulimit)$/;
const ALIAS = /\bdocker\s+(manifest\s+create|tag|buildx\s+imagetools\s+create\s+(?:-t|--tag))(?:\s|\\\r?\n)+(?:--amend(?:\s|\\\r?\n)+)?([^\s\\]+)(?:(?:\s|\\\r?\n)+(?:--amend(?:\s|\\\r?\n)+)?([^\s\\]+))?/g;

function contextOf(args: string): string | undefined {
  const tokens = args.trim().split(/\s+/).filter((token) => token !== '' && token !== '\\');
  let context: string | undefined;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] ?? '';
    if (VALUE_OPTIONS.test(token)) index += 1;
    else if (!token.startsWith('-')) context = token;
  }
  return context;
}

interface Alias {
  readonly target: string;
  readonly source: string | undefined;
  readonly file: string;
  readonly line: number;
}

/** Images built by a piece of shell (`docker build -t … -f …`), and names it gives images (`docker tag`, `docker manifest create`). */
function shellImages(project: Project, text: string, file: string, lineOf: (offset: number) => number, fromDir = ''): { images: BuiltImage[]; aliases: Alias[] } {
  if (!/\bdocker\b/.test(text)) return { images: [], aliases: [] };
  const images: BuiltImage[] = [];
  const aliases: Alias[] = [];
  for (const match of text.matchAll(BUILD)) {
    const args = (match[1] ?? '').replace(/\\\r?\n/g, ' ');
    const context = contextOf(args);
    const written = FILE_FLAG.exec(args)?.[1];
    const base = context === undefined || context.includes('$') || /^[a-z]+:\/\//i.test(context) || context === '-' ? fromDir : joinQuoted(fromDir, context);
    const candidates = written !== undefined ? [joinQuoted(fromDir, written), joinQuoted(base, written), joinQuoted('', written)] : [joinQuoted(base, 'Dockerfile')];
    const known = candidates.find((candidate) => project.has(candidate));
    for (const tag of args.matchAll(TAG_FLAG)) images.push({ name: imageRepository(tag[1] ?? ''), dockerfile: known, file, line: lineOf(match.index) });
  }
  for (const match of text.matchAll(ALIAS)) {
    const [, verb = '', first, second] = match;
    // `docker tag SOURCE TARGET` names the new image second; `docker manifest create TARGET SOURCE…` first.
    const isTag = verb === 'tag';
    const target = isTag ? second : first;
    if (target === undefined) continue;
    aliases.push({ target: imageRepository(target), source: isTag ? first : second, file, line: lineOf(match.index) });
  }
  return { images, aliases };
}

const cache = new WeakMap<Project, readonly BuiltImage[]>();

/**
 * Images this repository builds: compose services with both `build:` and `image:`, `docker build -t` in
 * scripts, Makefiles, package.json scripts and CI, `docker/build-push-action` tags (and the `images:` of
 * `docker/metadata-action` feeding it), and names given to them by `docker tag` or `docker manifest create`.
 *
 * @example builtImages(project).map((image) => `${image.name} ← ${image.dockerfile ?? '?'}`) // ['documenso/documenso-$BUILD_PLATFORM ← docker/Dockerfile', …]
 */
export function builtImages(project: Project): readonly BuiltImage[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const images: BuiltImage[] = [];
  for (const file of project.composeFiles()) {
    for (const service of composeServices(file)) {
      const dockerfile = serviceDockerfile(service);
      if (dockerfile !== undefined && service.image !== undefined) images.push({ name: imageRepository(service.image), dockerfile: project.has(dockerfile) ? dockerfile : undefined, file: file.path, line: service.line ?? 1 });
    }
  }
  const aliases: Alias[] = [];
  const addShell = (found: { images: BuiltImage[]; aliases: Alias[] }): void => {
    images.push(...found.images);
    aliases.push(...found.aliases);
  };
  for (const unit of shellUnits(project)) addShell(shellImages(project, unit.text, unit.file, (offset) => unitLine(unit, offset), unit.kind === 'npm' ? dirOf(unit.file) : ''));
  for (const ci of ciFiles(project)) {
    const metadataImages = new Map<string, string[]>();
    for (const step of ci.steps) {
      if (step.uses?.startsWith('docker/metadata-action') === true) {
        const names = (step.inputMap.get('images') ?? '').split(/[\n,]/).map((line) => line.replace(/\bname=|,.*$/g, '').trim()).filter((line) => line !== '');
        metadataImages.set(step.job, [...(metadataImages.get(step.job) ?? []), ...names]);
      }
    }
    for (const step of ci.steps) {
      addShell(shellImages(project, step.run, ci.path, (offset) => stepLine(step, offset)));
      if (step.uses?.startsWith('docker/build-push-action') !== true) continue;
      const context = step.inputMap.get('context');
      const written = step.inputMap.get('file');
      const base = context === undefined || context.includes('$') ? '' : joinQuoted('', context);
      const dockerfile = written !== undefined ? joinQuoted('', written) : joinQuoted(base, 'Dockerfile');
      const tags = (step.inputMap.get('tags') ?? '').split(/[\n,]/).map((tag) => tag.trim()).filter((tag) => tag !== '' && !/^\$\{\{\s*steps\./.test(tag));
      for (const name of [...tags.map(imageRepository), ...(metadataImages.get(step.job) ?? []).map(imageRepository)]) {
        images.push({ name, dockerfile: project.has(dockerfile) ? dockerfile : undefined, file: ci.path, line: step.line });
      }
    }
  }
  for (const alias of aliases) {
    const source = alias.source === undefined ? undefined : images.find((image) => image.dockerfile !== undefined && matchesName(image, imageRepository(alias.source ?? '')));
    images.push({ name: alias.target, dockerfile: source?.dockerfile, file: alias.file, line: alias.line });
  }
  const unique = images.filter((image, index) => image.name !== '' && images.findIndex((other) => other.name === image.name && other.dockerfile === image.dockerfile) === index);
  cache.set(project, unique);
  return unique;
}

/**
 * The images of `builtImages` that an image reference (a `FROM`, a compose `image:`) names, the ones whose
 * Dockerfile is known first; empty when the repository does not build it.
 *
 * @example ownImagesNamed(project, 'documenso/documenso:${TAG}')[0]?.file // '.github/workflows/publish.yml'
 */
export function ownImagesNamed(project: Project, reference: string): BuiltImage[] {
  const wanted = imageRepository(substituteDefaults(reference));
  if (wanted === '' || wanted.includes('$')) return [];
  return builtImages(project)
    .filter((image) => matchesName(image, wanted))
    .sort((a, b) => Number(b.dockerfile !== undefined) - Number(a.dockerfile !== undefined));
}

/**
 * The one Dockerfile the matching builds make the image from: an exact name wins over one matched through variables
 * (`ghcr.io/$OWNER/$NAME` is built from every service's Dockerfile in turn); undefined when they disagree or none is known.
 *
 * @example ownImageDockerfile(ownImagesNamed(project, 'documenso/documenso:latest')) // 'docker/Dockerfile'
 */
export function ownImageDockerfile(named: readonly BuiltImage[]): string | undefined {
  const exact = named.filter((image) => !image.name.includes('$') && image.dockerfile !== undefined);
  const candidates = exact.length > 0 ? exact : named.filter((image) => image.dockerfile !== undefined);
  const dockerfiles = new Set(candidates.map((image) => image.dockerfile));
  return dockerfiles.size === 1 ? candidates[0]?.dockerfile : undefined;
}

/**
 * The namespaces (`documenso` of `documenso/documenso`, `acme` of `ghcr.io/acme/api`) this repository publishes
 * images under, and the npm scopes of its packages (`@documenso/lib` → `documenso`).
 *
 * @example ownNamespaces(project) // Set { 'documenso' }
 */
export function ownNamespaces(project: Project): ReadonlySet<string> {
  const namespaces = new Set<string>();
  for (const image of builtImages(project)) {
    const parts = image.name.split('/');
    const namespace = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    if (namespace !== undefined && !namespace.includes('$') && !namespace.includes('.')) namespaces.add(namespace);
  }
  for (const pkg of project.packages()) {
    const scope = /^@([\w.-]+)\//.exec(pkg.manifest.name ?? '')?.[1];
    if (scope !== undefined) namespaces.add(scope.toLowerCase());
  }
  return namespaces;
}

/**
 * Whether a compose service runs an image this repository builds: named by `builtImages` (with the Dockerfile
 * when known); when the repository's builds are known and none makes this image, it comes from elsewhere (formbricks'
 * `ghcr.io/formbricks/hub` is another project's); when nothing shows what the repository builds, a private-registry
 * or variable-tagged image (`isOwnImage`) is taken for its own.
 *
 * @example serviceImageSource(project, service) // { own: true, dockerfile: 'docker/Dockerfile' } for documenso/documenso:latest
 */
export function serviceImageSource(project: Project, service: ComposeService): { readonly own: boolean; readonly dockerfile: string | undefined } {
  if (service.image === undefined) return { own: false, dockerfile: undefined };
  const named = ownImagesNamed(project, service.image);
  if (named.length > 0) return { own: true, dockerfile: ownImageDockerfile(named) };
  // Builds outside compose (CI, scripts) say what the repository publishes.
  const composePaths = new Set(project.composeFiles().map((file) => file.path));
  const knownBuilds = builtImages(project).some((image) => !composePaths.has(image.file));
  return { own: !knownBuilds && isOwnImage(service), dockerfile: undefined };
}
