import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isExpectedFsError } from '../core/fs-errors.js';
import { readRegularFile } from '../core/safe-read.js';
import type { PgVersion } from './lint/context.js';

export const DEFAULT_PG_MAJOR = 16;

/** `postgres:16`, `postgres:16.2-alpine`, `postgis/postgis:15-3.4`, `pgvector/pgvector:pg17`, `bitnami/postgresql:14`. */
const IMAGE = /image:\s*["']?(?:[\w.-]+\/)*(?:postgres|postgresql|postgis|pgvector|timescaledb(?:-ha)?)(?::(?:pg)?(\d{1,2})(?:[.\-\w]*)?)["']?/i;

/** Compose, CI and Supabase files are small; a bigger one (or a FIFO, a device) holds no version worth blocking for. */
const MAX_READ_BYTES = 1024 * 1024;

function readIfExists(path: string): string | undefined {
  const read = readRegularFile(path, MAX_READ_BYTES);
  return read.ok ? read.value.toString('utf8') : undefined;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch (error) {
    if (isExpectedFsError(error)) return [];
    throw new Error(`cannot list ${path}`, { cause: error });
  }
}

/**
 * The Postgres major version the project runs: the compose file's image tag, else the CI service image,
 * else Supabase's `major_version`, else 16.
 *
 * @example detectPgVersion('/repo') // { major: 15, source: 'docker-compose.yml (postgres:15)' }
 */
export function detectPgVersion(root: string): PgVersion {
  const composeFiles = listDir(root).filter((name) => /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(name));
  const workflowDir = join(root, '.github', 'workflows');
  const workflowFiles = listDir(workflowDir).filter((name) => /\.ya?ml$/.test(name));
  const candidates = [...composeFiles.map((name) => ({ label: name, path: join(root, name) })), ...workflowFiles.map((name) => ({ label: `.github/workflows/${name}`, path: join(workflowDir, name) }))];
  for (const candidate of candidates) {
    const text = readIfExists(candidate.path);
    const match = text === undefined ? null : IMAGE.exec(text);
    if (match?.[1] !== undefined) return { major: Number(match[1]), source: `${candidate.label} (${match[0].replace(/^image:\s*/i, '').replace(/["']/g, '')})` };
  }
  const supabase = readIfExists(join(root, 'supabase', 'config.toml'));
  const supabaseMajor = supabase === undefined ? undefined : /^\s*major_version\s*=\s*(\d+)/m.exec(supabase)?.[1];
  if (supabaseMajor !== undefined) return { major: Number(supabaseMajor), source: 'supabase/config.toml major_version' };
  return { major: DEFAULT_PG_MAJOR, source: 'the default (no version found in compose files or CI)' };
}
