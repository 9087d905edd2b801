import { isMap, isNode, type Node as YamlNode } from 'yaml';
import { mapEntries, mapGet, scalarString, sequenceItems, type YamlFile } from './documents.js';
import { lastForegroundCommand } from './scripts.js';

export interface ComposeService {
  readonly file: YamlFile;
  readonly name: string;
  readonly line: number | undefined;
  readonly node: YamlNode | null;
  /** `image:` value, if any. */
  readonly image: string | undefined;
}

export function composeServices(file: YamlFile): ComposeService[] {
  const services = mapGet(file.document.contents, 'services');
  return mapEntries(services).map(([name, keyNode, node]) => ({
    file,
    name,
    line: file.lineOf(keyNode),
    node,
    image: scalarString(mapGet(node, 'image')),
  }));
}

/** One published port mapping, from short (`"127.0.0.1:5432:5432"`) or long (`{ target, published, host_ip }`) syntax. */
export interface PortMapping {
  readonly hostIp: string | undefined;
  /** Host port or range; undefined when Docker picks an ephemeral port. */
  readonly hostPort: string | undefined;
  readonly containerPort: string;
  readonly protocol: string;
  readonly line: number | undefined;
  readonly raw: string;
}

/**
 * Splits on the colons of a short port mapping, keeping `${VAR}` and `${VAR:-default}` whole: their own colon
 * separates a variable from its default, not the host IP from the port.
 */
function splitPortParts(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    if (char === '$' && text[index + 1] === '{') depth += 1;
    else if (char === '}' && depth > 0) depth -= 1;
    if (char === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/**
 * Parses Compose short syntax `[HOST_IP:][HOST:]CONTAINER[/PROTO]`, IPv6 hosts in brackets; a part written as
 * `${VAR}` or `${VAR:-default}` stays one part.
 *
 * @example parseShortPort('${DOCKER_MONGO_PORT:-27017}:27017') // { hostIp: undefined, hostPort: '${DOCKER_MONGO_PORT:-27017}', containerPort: '27017', protocol: 'tcp' }
 */
export function parseShortPort(raw: string): Omit<PortMapping, 'line' | 'raw'> | undefined {
  let rest = raw.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  // A slash inside `${VAR:-a/b}` is not the protocol separator.
  if (slash >= 0 && !rest.slice(slash).includes('}')) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (ipv6 !== null) {
    hostIp = ipv6[1];
    rest = ipv6[2] ?? '';
  }
  const parts = splitPortParts(rest);
  if (hostIp === undefined && parts.length === 3) hostIp = parts.shift();
  if (parts.length === 1) return parts[0] === undefined || parts[0] === '' ? undefined : { hostIp, hostPort: undefined, containerPort: parts[0], protocol };
  if (parts.length === 2) return { hostIp, hostPort: parts[0] === '' ? undefined : parts[0], containerPort: parts[1] ?? '', protocol };
  return undefined;
}

export function servicePorts(service: ComposeService): PortMapping[] {
  const mappings: PortMapping[] = [];
  for (const item of sequenceItems(mapGet(service.node, 'ports'))) {
    const line = isYamlNode(item) ? service.file.lineOf(item) : undefined;
    const short = scalarString(item);
    if (short !== undefined) {
      const parsed = parseShortPort(short);
      if (parsed !== undefined) mappings.push({ ...parsed, line, raw: short });
      continue;
    }
    const target = scalarString(mapGet(item, 'target'));
    if (target === undefined) continue;
    mappings.push({
      hostIp: scalarString(mapGet(item, 'host_ip')),
      hostPort: scalarString(mapGet(item, 'published')),
      containerPort: target,
      protocol: scalarString(mapGet(item, 'protocol')) ?? 'tcp',
      line,
      raw: `${scalarString(mapGet(item, 'host_ip')) ?? ''}${scalarString(mapGet(item, 'published')) ?? ''}:${target}`,
    });
  }
  return mappings;
}

function isYamlNode(value: unknown): value is YamlNode {
  return typeof value === 'object' && value !== null && 'range' in value;
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * `${VAR:-default}` and `${VAR-default}` replaced by their defaults, the way compose reads them when the variable is unset;
 * a `${VAR}` without a default stays as written.
 *
 * @example substituteDefaults('${BIND:-127.0.0.1}') // '127.0.0.1'
 */
export function substituteDefaults(value: string): string {
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (match, fallback: string | undefined) => fallback ?? match);
}

/**
 * True for a loopback host IP, also when it is the default of a variable (`${BIND:-127.0.0.1}`).
 *
 * @example isLoopback('${DB_BIND:-127.0.0.1}') // true
 */
export function isLoopback(hostIp: string | undefined): boolean {
  return hostIp !== undefined && LOOPBACK.test(substituteDefaults(hostIp));
}

/** Database engines whose data must outlive the container, by image name (`postgres:16`, `bitnami/mysql`). */
const DATABASE_IMAGE =
  /(?:^|\/)(postgres(?:ql)?|postgis|timescaledb(?:-ha)?|pgvector|mysql|mariadb|percona(?:-server)?|mongo(?:db)?(?:-community-server)?|clickhouse(?:-server)?|cassandra|couchdb|neo4j|cockroach(?:db)?|elasticsearch|opensearch|influxdb|surrealdb)(?::|@|$)/i;

/** Caches and brokers: a dependency to wait for, but not data to keep. */
const CACHE_IMAGE = /(?:^|\/)(redis(?:-stack(?:-server)?)?|valkey|keydb|memcached|rabbitmq|nats|dragonfly(?:db)?)(?::|@|$)/i;

/** The database engine a compose service runs (`postgres`, `mysql`…), from its image; undefined for anything else. */
export function databaseEngine(service: ComposeService): string | undefined {
  return service.image === undefined ? undefined : DATABASE_IMAGE.exec(service.image.replace(/^docker\.io\//, ''))?.[1]?.toLowerCase();
}

/** Databases, caches and brokers: services an app usually waits for at start-up. */
export function backingEngine(service: ComposeService): string | undefined {
  return databaseEngine(service) ?? (service.image === undefined ? undefined : CACHE_IMAGE.exec(service.image)?.[1]?.toLowerCase());
}

/** What a compose file is for, from its name: `docker-compose.production.yml` → production. */
export type ComposeEnvironment = 'production' | 'staging' | 'test' | 'development' | 'default';

/**
 * The environment a compose file's name says it is for; a neutral name (`compose.yml`) takes it from the
 * nearest folder that names one (`docker/development/compose.yml`, `cypress/docker-compose.yml`).
 *
 * @example composeEnvironment('docker/testing/compose.yml') // 'test'
 */
export function composeEnvironment(file: YamlFile | string): ComposeEnvironment {
  const segments = (typeof file === 'string' ? file : file.path).toLowerCase().split('/');
  const base = segments.pop() ?? '';
  const variant = base.replace(/^(?:docker-)?compose/, '').replace(/\.ya?ml$/, '');
  if (/prod|live/.test(variant)) return 'production';
  if (/stag|preprod|uat/.test(variant)) return 'staging';
  if (/test|ci\b|e2e|integration/.test(variant)) return 'test';
  if (/dev|local|override/.test(variant)) return 'development';
  for (const folder of segments.reverse()) {
    if (/^(?:prod|production|live)$/.test(folder)) return 'production';
    if (/^(?:stag|staging|preprod|uat)$/.test(folder)) return 'staging';
    if (/^(?:tests?|testing|e2e|ci|cypress|playwright|integration|fixtures?)$/.test(folder)) return 'test';
    if (/^(?:dev|devel|development|local|devcontainer|\.devcontainer)$/.test(folder)) return 'development';
  }
  return 'default';
}

const OPTIONAL_PROFILE = /^(?:dev|development|debug|local|test|testing|e2e|ci|tools?|admin|monitoring-dev|mail|docs|storybook|seed|migrate|setup)$/i;

/**
 * True when `docker compose up` leaves the service out: it has `profiles:` and every one of them is a
 * development, test or tooling profile. Such services (a mail catcher, an admin UI, a test database) are not
 * part of the stack that runs.
 *
 * @example isOptionalService(service) // true for `profiles: [debug]`
 */
export function isOptionalService(service: ComposeService): boolean {
  const profiles = serviceProfiles(service);
  return profiles.length > 0 && profiles.every((profile) => OPTIONAL_PROFILE.test(profile));
}

/**
 * The `profiles:` of a service (a list, or one name written as a scalar); empty when `docker compose up` starts it
 * without any `--profile`.
 *
 * @example serviceProfiles(service) // ['backend', 'app'] for `profiles: ["backend", "app"]`
 */
export function serviceProfiles(service: ComposeService): string[] {
  const profiles = mapGet(service.node, 'profiles');
  const single = scalarString(profiles);
  if (single !== undefined) return single === '' ? [] : [single];
  return sequenceItems(profiles).flatMap((item) => {
    const name = scalarString(item);
    return name === undefined || name === '' ? [] : [name];
  });
}

/**
 * Whether one `up` can start two services, judged by their profiles: a service without profiles runs whenever its
 * file does, so it runs beside any other; two profiled services run together only when they share a profile, or
 * when the repository activates a profile of each at once (`coActivated`: `COMPOSE_PROFILES=a,b`,
 * `--profile a --profile b`). Disjoint profiles are alternative deployments of one file (an all-in-one service
 * and the separate services it bundles), which compose never starts side by side unless told to.
 *
 * @example canRunTogether(['default'], ['backend', 'app'], []) // false
 */
export function canRunTogether(a: readonly string[], b: readonly string[], coActivated: readonly (readonly string[])[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  if (a.some((profile) => b.includes(profile))) return true;
  return coActivated.some((set) => (set.includes('*') || a.some((profile) => set.includes(profile))) && (set.includes('*') || b.some((profile) => set.includes(profile))));
}

/** The directory of a repository-relative file ('' for the root). */
export function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** One `volumes:` entry of a service: named volume, bind mount or tmpfs, with its container path. */
export interface ServiceVolume {
  readonly kind: 'volume' | 'bind' | 'tmpfs';
  readonly source: string | undefined;
  readonly target: string;
  readonly line: number | undefined;
}

export function serviceVolumes(service: ComposeService): ServiceVolume[] {
  const volumes: ServiceVolume[] = [];
  for (const item of sequenceItems(mapGet(service.node, 'volumes'))) {
    const line = isYamlNode(item) ? service.file.lineOf(item) : undefined;
    const short = scalarString(item);
    if (short !== undefined) {
      const parts = short.split(':');
      if (parts.length === 1) {
        volumes.push({ kind: 'volume', source: undefined, target: parts[0] ?? '', line });
        continue;
      }
      const source = parts[0] ?? '';
      const kind = /^[./~$]/.test(source) ? 'bind' : 'volume';
      volumes.push({ kind, source, target: parts[1] ?? '', line });
      continue;
    }
    const type = scalarString(mapGet(item, 'type'));
    const target = scalarString(mapGet(item, 'target'));
    if (target === undefined) continue;
    volumes.push({ kind: type === 'bind' ? 'bind' : type === 'tmpfs' ? 'tmpfs' : 'volume', source: scalarString(mapGet(item, 'source')), target, line });
  }
  for (const item of sequenceItems(mapGet(service.node, 'tmpfs'))) {
    const target = scalarString(item)?.split(':')[0];
    if (target !== undefined) volumes.push({ kind: 'tmpfs', source: undefined, target, line: isYamlNode(item) ? service.file.lineOf(item) : undefined });
  }
  return volumes;
}

/** One `depends_on` entry: short list form has no condition. */
export interface ServiceDependency {
  readonly name: string;
  readonly condition: string | undefined;
  readonly line: number | undefined;
}

export function serviceDependencies(service: ComposeService): ServiceDependency[] {
  const dependsOn = mapGet(service.node, 'depends_on');
  const list = sequenceItems(dependsOn).flatMap((item) => {
    const name = scalarString(item);
    return name === undefined ? [] : [{ name, condition: undefined, line: isYamlNode(item) ? service.file.lineOf(item) : undefined }];
  });
  const long = mapEntries(dependsOn).map(([name, keyNode, node]) => ({ name, condition: scalarString(mapGet(node, 'condition')), line: service.file.lineOf(keyNode) }));
  return [...list, ...long];
}

/**
 * A repository-relative path joined with a relative one, `.` and `..` resolved ('' for the root).
 *
 * @example joinPath('apps/api', '../web/Dockerfile') // 'apps/web/Dockerfile'
 */
export function joinPath(base: string, relative: string): string {
  const parts: string[] = base === '' ? [] : base.split('/');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Repository-relative path of the Dockerfile a service builds (`build: ./api` → `api/Dockerfile`), if it builds one. */
export function serviceDockerfile(service: ComposeService): string | undefined {
  const build = mapGet(service.node, 'build');
  if (build === undefined || build === null) return undefined;
  const context = scalarString(build) ?? scalarString(mapGet(build, 'context')) ?? '.';
  if (/^[a-z]+:\/\//i.test(context) || context.startsWith('git@')) return undefined;
  const dockerfile = scalarString(mapGet(build, 'dockerfile')) ?? 'Dockerfile';
  return joinPath(dirOf(service.file.path), `${context}/${dockerfile}`);
}

/**
 * Compose `build: { target: <stage> }`, with a `${VAR:-default}` reduced to its default; undefined without
 * a target. A `${VAR}` without a default stays as written and matches no stage name.
 *
 * @example serviceBuildTarget(service) // 'production' for `build: { context: ., target: production }`
 */
export function serviceBuildTarget(service: ComposeService): string | undefined {
  const target = scalarString(mapGet(mapGet(service.node, 'build'), 'target'));
  if (target === undefined) return undefined;
  return /^\$\{\w+:?-([\w.-]+)\}$/.exec(target.trim())?.[1] ?? target.trim();
}

/** The comment at the top of a YAML file: the parser gives it to the document, or to the first key when no blank line follows it. */
function leadingComment(file: YamlFile): string {
  const contents = file.document.contents;
  const firstKey = isMap(contents) ? contents.items[0]?.key : undefined;
  return [file.document.commentBefore, isNode(contents) ? contents.commentBefore : undefined, isNode(firstKey) ? firstKey.commentBefore : undefined].filter((text) => typeof text === 'string').join('\n');
}

/**
 * Header sentences that say what a compose file is not for, each a statement about the file rather than a word
 * in a list of options: "meant for local development only" (dub's `apps/web/docker-compose.yml`), "THIS IS NOT TO
 * BE USED FOR PERSONAL DEPLOYMENTS" and "used for internal testing deployments" (hoppscotch's
 * `docker-compose.deploy.yml`). A profile list that mentions one option "for local development" says nothing
 * about the file, so a bare "local development" does not count.
 */
const NON_PRODUCTION_HEADER = [
  /\b(?:(?:local\s+)?development|local\s+dev(?:elopment)?|dev)\s+(?:use\s+|purposes\s+)?only\b/i,
  /\bonly\s+for\s+(?:local\s+)?(?:dev(?:elopment)?|testing|tests?)\b/i,
  /\bnot\s+(?:meant|intended|suitable|ready|designed)\s+for\s+(?:use\s+in\s+)?production\b/i,
  /\bnot\s+(?:(?:to\s+be\s+used|for\s+use)\s+(?:for|in)|for)\s+(?:production|prod\b|personal\s+deployments?|self[\s-]?host(?:ing|ed)?|real\s+deployments?)/i,
  /\b(?:do\s+not|don't|never)\s+use\s+(?:this\s+(?:file\s+|compose\s+file\s+|stack\s+|setup\s+|config(?:uration)?\s+)?|it\s+)?(?:in|for)\s+production\b/i,
  /\bfor\s+(?:internal\s+|local\s+)?(?:testing|tests?)\s+(?:only|purposes|deployments?|environments?)\b/i,
  /\b(?:testing|tests?)\s+(?:purposes\s+)?only\b/i,
  /\b(?:this|the)\s+(?:file|compose\s+file|stack|setup|config(?:uration)?|docker[\s-]compose(?:\s+file)?)\s+(?:is\s+)?(?:(?:meant|intended|only|just|used)\s+)?for\s+(?:local\s+)?(?:dev(?:elopment)?|testing)\b/i,
  /\bfor\s+local\s+development\s+(?:only|purposes)\b/i,
  /^\s*(?:a\s+)?local\s+dev(?:elopment)?\s+(?:stack|environment|setup|services|infrastructure)\b/i,
];

/** The header line that says the file is not for production, if one does. */
function nonProductionHeader(file: YamlFile): string | undefined {
  return leadingComment(file)
    .split('\n')
    .map((line) => line.replace(/^\s*#?\s*/, '').trim())
    .find((line) => NON_PRODUCTION_HEADER.some((pattern) => pattern.test(line)));
}

/** Queues, object stores and cloud emulators a local stack runs beside databases and caches. */
const QUEUE_OR_STORE_IMAGE = /(?:^|\/)(?:kafka|cp-kafka|zookeeper|cp-zookeeper|redpanda|minio|localstack|azurite|elasticmq|fake-gcs-server|pubsub-emulator|mosquitto|activemq|artemis)(?::|@|$)/i;
/** Developer tools that sit beside backing services: database admin UIs and mail catchers. */
const DEV_TOOL_IMAGE = /(?:^|\/)(?:pgadmin4?|adminer|phpmyadmin|mongo-express|redis-commander|redisinsight|mailhog|mailpit|maildev|mailcatcher|smtp4dev|inbucket)(?::|@|$)/i;

/**
 * True for a service that backs an app instead of being one: a database, cache or broker (`backingEngine`), a queue,
 * object store or cloud emulator, or a developer tool beside them (pgAdmin, Adminer, a mail catcher), run from a
 * published image (nothing built from the repository).
 *
 * @example isBackingService(service) // true for `image: dpage/pgadmin4`
 */
export function isBackingService(service: ComposeService): boolean {
  if (mapGet(service.node, 'build') !== undefined || service.image === undefined) return false;
  const image = service.image.replace(/^docker\.io\//, '');
  return backingEngine(service) !== undefined || QUEUE_OR_STORE_IMAGE.test(image) || DEV_TOOL_IMAGE.test(image);
}

/** A compose file of backing services only (see `backingOnlyStack`). */
export interface BackingOnlyStack {
  /** Service names with what they run: `postgres (postgres)`. */
  readonly services: readonly string[];
  /** At least one host port is published and every published one is bound to loopback, and no service shares the host's network. */
  readonly loopbackOnly: boolean;
}

/**
 * The file's services when every one of them backs an app rather than being one (`isBackingService`): no service is
 * built from the repository or runs an image it publishes. Such a file is what a developer runs beside an app started
 * on the host (outline's redis and postgres for `make up`, a postgres and pgAdmin helper); undefined otherwise.
 *
 * @example backingOnlyStack(file)?.loopbackOnly // true for redis and postgres on 127.0.0.1
 */
export function backingOnlyStack(file: YamlFile): BackingOnlyStack | undefined {
  const services = composeServices(file);
  if (services.length === 0 || !services.every(isBackingService)) return undefined;
  // `"5432"` without a host part still publishes, on an ephemeral port of every interface.
  const ports = services.flatMap(servicePorts);
  const hostNetwork = services.some((service) => scalarString(mapGet(service.node, 'network_mode')) === 'host');
  return {
    services: services.map((service) => `${service.name} (${service.image ?? '?'})`),
    loopbackOnly: !hostNetwork && ports.length > 0 && ports.every((port) => isLoopback(port.hostIp)),
  };
}

/** What decided a compose file's environment, and the words a finding's detail uses for it. */
export interface ComposePurpose {
  readonly environment: ComposeEnvironment;
  /**
   * `name`: the file or folder name says it; `header`: its header comment says it is not for production;
   * `sibling`: a standalone production file beside it is the deployed stack; `backing-only`: it runs only backing
   * services, all on loopback; `none`: nothing says, it is the default stack.
   */
  readonly basis: 'name' | 'header' | 'sibling' | 'backing-only' | 'none';
  /** Why, for a reader: `its header comment says "Internal … for internal testing deployments"`. */
  readonly reason: string;
}

/**
 * The environment a compose file serves and why, using its siblings: its own name or folder first; then a header
 * comment that says it is for local development or testing, or not for production; then a plain `docker-compose.yml`
 * next to a standalone `docker-compose.production.yml`, which is the local development stack; then a file of backing
 * services only (databases, caches, queues, their admin UIs) that builds nothing and binds every published port to
 * loopback: a stack for an app run on the host, reachable from that machine only.
 *
 * @example composePurpose(file, project.composeFiles()).reason // 'it runs only backing services (redis (redis), postgres (postgres)) …'
 */
export function composePurpose(file: YamlFile, files: readonly YamlFile[]): ComposePurpose {
  const own = composeEnvironment(file);
  if (own !== 'default') return { environment: own, basis: 'name', reason: `its name or folder (${file.path}) says ${own}` };
  const header = nonProductionHeader(file);
  if (header !== undefined) return { environment: 'development', basis: 'header', reason: `its header comment says it is not a production stack ("${header.slice(0, 100)}")` };
  // A production file that only overrides (`command: yarn start`, no image or build of its own) runs on top of this
  // one (`-f docker-compose.yml -f docker-compose.prod.yml`): this file is then part of production too.
  const deployedSiblings = files.filter((other) => other !== file && dirOf(other.path) === dirOf(file.path) && ['production', 'staging'].includes(composeEnvironment(other)));
  const standalone = deployedSiblings.find((other) => composeServices(other).some((service) => service.image !== undefined || mapGet(service.node, 'build') !== undefined));
  if (standalone !== undefined) return { environment: 'development', basis: 'sibling', reason: `${standalone.path} beside it is the deployed stack` };
  const backing = backingOnlyStack(file);
  if (backing?.loopbackOnly === true) {
    return {
      environment: 'development',
      basis: 'backing-only',
      reason: `it runs only backing services (${backing.services.join(', ')}), builds no app from the repository, and binds every published port to loopback: a local stack for an app run on the host`,
    };
  }
  return { environment: 'default', basis: 'none', reason: `nothing in its name, folder or header says it is not the deployed stack` };
}

/**
 * The environment a compose file serves (see `composePurpose` for how it is decided).
 *
 * @example effectiveEnvironment(project.composeFiles()[0], project.composeFiles()) // 'development'
 */
export function effectiveEnvironment(file: YamlFile, files: readonly YamlFile[]): ComposeEnvironment {
  return composePurpose(file, files).environment;
}

/** Images pushed from this repository's builds: a private registry path or a tag chosen by a variable. */
const OWN_IMAGE = /^(?:ghcr\.io|registry\.gitlab\.com|[\w.-]+\.dkr\.ecr\.[\w.-]+|[\w.-]+\.azurecr\.io|[\w-]+-docker\.pkg\.dev|gcr\.io|docker\.pkg\.github\.com)\/|\$\{/;

/** True when the service runs an image this repository builds and pushes (`ghcr.io/acme/api:${TAG}`). */
export function isOwnImage(service: ComposeService): boolean {
  return service.image !== undefined && OWN_IMAGE.test(service.image) && backingEngine(service) === undefined;
}

const SHELL_PROGRAM = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|a)?sh$/;

/**
 * The shell a service runs (`command:`, else `entrypoint:`), in string or list form, with a `sh -c "…"` wrapper
 * unwrapped: `["sh", "-c", "pnpm exec prisma migrate deploy"]` → `pnpm exec prisma migrate deploy`.
 *
 * @example serviceShell(service) // 'npm run migrate' for `command: ["npm", "run", "migrate"]`
 */
export function serviceShell(service: ComposeService): string | undefined {
  const node = mapGet(service.node, 'command') ?? mapGet(service.node, 'entrypoint');
  const written = scalarString(node);
  if (written !== undefined) {
    const wrapped = /^\s*(?:\/(?:usr\/)?bin\/)?(?:ba|da|a)?sh\s+-c\s+(["'])([\s\S]*)\1\s*$/.exec(written);
    return wrapped?.[2] ?? written;
  }
  const argv = sequenceItems(node).map((item) => scalarString(item) ?? '');
  if (argv.length === 0) return undefined;
  if (SHELL_PROGRAM.test(argv[0] ?? '') && argv[1] === '-c') return argv[2];
  return argv.join(' ');
}

/** Commands that apply migrations or seeds and exit: a job, not a server. */
const MIGRATION_COMMAND =
  /^(?:(?:npx|pnpm\s+(?:exec|dlx)|yarn(?:\s+dlx)?|bunx)\s+)?(?:prisma\s+(?:migrate\s+(?:deploy|dev|reset|resolve)|db\s+(?:push|seed))|knex\s+(?:migrate:\w+|seed:run)|sequelize(?:-cli)?\s+db:(?:migrate|seed)|typeorm(?:-ts-node-(?:commonjs|esm))?\s+migration:run|drizzle-kit\s+(?:migrate|push)|node-pg-migrate\b|db-migrate\s+up|mikro-orm\s+migration:up|dbmate\s+(?:up|migrate)|flyway\s+migrate|liquibase\s+update|goose\s+up|migrate\s+(?:-path|-source|-database|up)\b|alembic\s+upgrade|rails\s+db:(?:migrate|seed|prepare)|python3?\s+manage\.py\s+migrate)|^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:[\w-]+:)?(?:migrate|migrations?|seed|db:(?:migrate|seed|push|deploy))(?::[\w-]+)?(?:\s|$)|^(?:node|tsx|ts-node)\s+\S*(?:migrat|seed)[\w.-]*\.[cm]?[jt]s\b/i;

/**
 * Why a compose service is a one-shot job that exits by design, or undefined: the command it waits on last applies
 * migrations or seeds (`prisma migrate deploy`, `npm run migrate`, `knex migrate:latest`; not
 * `prisma migrate deploy && node server.js`, which then serves), or another service of the file waits for it with
 * `condition: service_completed_successfully`.
 *
 * @example oneShotJob(migrate, composeServices(file)) // 'its command "pnpm exec prisma migrate deploy" applies migrations or seeds and exits'
 */
export function oneShotJob(service: ComposeService, services: readonly ComposeService[]): string | undefined {
  const shell = serviceShell(service);
  const last = shell === undefined ? undefined : lastForegroundCommand(shell);
  if (last !== undefined && MIGRATION_COMMAND.test(last)) return `its command "${last.slice(0, 80)}" applies migrations or seeds and exits`;
  const waiting = services.find((other) => other !== service && serviceDependencies(other).some((dependency) => dependency.name === service.name && dependency.condition === 'service_completed_successfully'));
  return waiting === undefined ? undefined : `"${waiting.name}" waits for it with condition: service_completed_successfully, so it is meant to run to completion`;
}

const DEPRECATED_PROFILE = /^(?:deprecated|legacy|obsolete|old)$/i;
/** A comment that says the service itself is on its way out. */
const DEPRECATED_COMMENT = /\b(?:is|are)\s+(?:now\s+)?deprecated\b|^\s*deprecated\b|\bdeprecated\s+(?:service|services|image|container|version)\b|\bkept\s+(?:only\s+)?for\s+backwards?[\s-]compatibility\b|\b(?:is|are)\s+(?:now\s+)?(?:obsolete|legacy)\b/im;
/** A deprecation comment that covers every service after it (`All the services listed below are deprecated`). */
const SECTION_MARKER = /\b(?:below|following)\b/i;

/**
 * Why a compose service is deprecated, or undefined: every profile that starts it is a deprecated/legacy one, or the
 * comment above it (or above an earlier service, for "the services below are deprecated") says it is.
 *
 * @example serviceDeprecation(oldBackend) // 'only the "deprecated" profile starts it'
 */
export function serviceDeprecation(service: ComposeService): string | undefined {
  const profiles = serviceProfiles(service);
  if (profiles.length > 0 && profiles.every((profile) => DEPRECATED_PROFILE.test(profile))) return `only the ${profiles.map((profile) => `"${profile}"`).join(', ')} profile starts it`;
  const items = mapGet(service.file.document.contents, 'services');
  if (!isMap(items)) return undefined;
  const index = items.items.findIndex((pair) => isNode(pair.key) && scalarString(pair.key) === service.name);
  for (let earlier = index; earlier >= 0; earlier -= 1) {
    const key = items.items[earlier]?.key;
    const comment = isNode(key) ? key.commentBefore : undefined;
    if (typeof comment !== 'string' || !DEPRECATED_COMMENT.test(comment)) continue;
    if (earlier !== index && !SECTION_MARKER.test(comment)) continue;
    const line = comment.split('\n').map((text) => text.trim()).find((text) => DEPRECATED_COMMENT.test(text)) ?? comment.trim();
    return `the comment ${earlier === index ? 'above it' : `above "${scalarString(items.items[earlier]?.key) ?? ''}"`} says "${line.slice(0, 100)}"`;
  }
  return undefined;
}
