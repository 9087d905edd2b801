// Protects against losing the database on `docker compose down` or a recreate: no volume keeps its data directory. Docs: docs/rules/data/compose-db-volume.md
import { noOptions } from '../../core/rule.js';
import { composeFilePurpose } from '../../project/compose-stacks.js';
import { composePurpose, composeServices, databaseEngine, dirOf, serviceVolumes, type ComposeService } from '../../project/compose.js';
import { mapGet, scalarString, sequenceItems } from '../../project/documents.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Where each engine's official (and Bitnami) image keeps its data. */
const DATA_DIRS: Readonly<Record<string, readonly string[]>> = {
  postgres: ['/var/lib/postgresql/data', '/var/lib/postgresql', '/bitnami/postgresql', '/home/postgres/pgdata'],
  mysql: ['/var/lib/mysql', '/bitnami/mysql'],
  mariadb: ['/var/lib/mysql', '/bitnami/mariadb'],
  mongo: ['/data/db', '/bitnami/mongodb'],
  clickhouse: ['/var/lib/clickhouse'],
  cassandra: ['/var/lib/cassandra'],
  couchdb: ['/opt/couchdb/data'],
  neo4j: ['/data'],
  cockroach: ['/cockroach/cockroach-data'],
  elasticsearch: ['/usr/share/elasticsearch/data'],
  opensearch: ['/usr/share/opensearch/data'],
  influxdb: ['/var/lib/influxdb2', '/var/lib/influxdb'],
};

function family(engine: string): string {
  if (/^(?:postgres|postgis|timescaledb|pgvector)/.test(engine)) return 'postgres';
  if (/^percona/.test(engine)) return 'mysql';
  if (/^mongo/.test(engine)) return 'mongo';
  if (/^clickhouse/.test(engine)) return 'clickhouse';
  if (/^cockroach/.test(engine)) return 'cockroach';
  return engine;
}

function envValue(service: ComposeService, key: string): string | undefined {
  const environment = mapGet(service.node, 'environment');
  const fromMap = scalarString(mapGet(environment, key));
  if (fromMap !== undefined) return fromMap;
  // List form: `- PGDATA=/var/lib/postgresql/data/pgdata`.
  for (const item of sequenceItems(environment)) {
    const entry = scalarString(item);
    if (entry?.startsWith(`${key}=`) === true) return entry.slice(key.length + 1);
  }
  return undefined;
}

function covers(target: string, dataDir: string): boolean {
  const clean = target.replace(/\/+$/, '');
  return clean === dataDir || dataDir.startsWith(`${clean}/`) || clean.startsWith(`${dataDir}/`);
}

/** True when the service mounts a named volume or bind mount over its data directory. */
function hasDataVolume(service: ComposeService, engine: string): boolean {
  if (mapGet(service.node, 'volumes_from') !== undefined) return true;
  const dirs = [...(DATA_DIRS[family(engine)] ?? [])];
  const pgdata = envValue(service, 'PGDATA');
  if (pgdata !== undefined) dirs.push(pgdata.replace(/\/+$/, ''));
  const persistent = serviceVolumes(service).filter((volume) => volume.kind !== 'tmpfs');
  if (dirs.length === 0) return persistent.length > 0;
  return persistent.some((volume) => dirs.some((dir) => covers(volume.target, dir)));
}

type Messages = { noVolume: { service: string; engine: string; file: string } };

export default defineScanRule({
  id: 'data/compose-db-volume',
  title: 'Database services keep their data in a volume',
  description:
    'A database service in a compose file mounts a named volume (or a bind mount) on its data directory; otherwise its data lives in the container layer or an anonymous volume and disappears with `docker compose down` or a recreate.',
  category: 'data',
  severity: 'high',
  checklist: 'backup-restore',
  docs: 'docs/rules/data/compose-db-volume.md',
  fix: 'Mount a named volume on the data directory and declare it at the top level:\n  volumes:\n    - db-data:/var/lib/postgresql/data\n…\nvolumes:\n  db-data:',
  options: noOptions,
  messages: {
    noVolume: ({ service, engine, file }: Messages['noVolume']) => `${engine} service "${service}" in ${file} has no volume on its data directory: its data is lost when the container is removed`,
  },
  applies: (project: Project) => project.composeFiles().some((file) => composeServices(file).some((service) => databaseEngine(service) !== undefined)),
  check(ctx) {
    const files = ctx.project.composeFiles();
    for (const file of files) {
      const purpose = composePurpose(file, files);
      // Test and CI stacks are meant to start empty.
      if (purpose.environment === 'test') continue;
      // A file whose header says it is not for production, or a loopback-only stack of backing services for an app run on
      // the host, holds no data anyone keeps: there is no production data to lose (unless a deployed stack merges it in).
      const inRepository = composeFilePurpose(ctx.project, file);
      if (inRepository.basis === 'header' || inRepository.basis === 'backing-only') continue;
      for (const service of composeServices(file)) {
        const engine = databaseEngine(service);
        if (engine === undefined || hasDataVolume(service, engine)) continue;
        // `-f base.yml -f override.yml` merges services of the same name: a volume in a sibling file counts.
        const sibling = files.find(
          (other) => other !== file && dirOf(other.path) === dirOf(file.path) && composeServices(other).some((candidate) => candidate.name === service.name && hasDataVolume(candidate, engine)),
        );
        if (sibling !== undefined) continue;
        const dirs = DATA_DIRS[family(engine)] ?? [];
        ctx.report({
          messageId: 'noVolume',
          data: { service: service.name, engine, file: file.path },
          location: { path: file.path, line: service.line ?? 1 },
          detail: `Service "${service.name}" (image ${service.image ?? '?'}) mounts no named volume or bind mount on ${dirs.length > 0 ? dirs.join(' or ') : 'any path'}${
            dirs.length > 0 ? ' (or $PGDATA)' : ''
          }; no compose file beside ${file.path} adds one to a service of the same name. tmpfs mounts do not persist.${
            purpose.environment === 'development' ? ` Low: ${file.path} is a development stack (${purpose.reason}), where a lost database costs a re-seed.` : ''
          }`,
          ...(purpose.environment === 'development' ? { severity: 'low' as const } : {}),
        });
      }
    }
  },
});
