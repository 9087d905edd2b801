/**
 * Exposure checks (env files, VCS metadata, source maps, config files, backups, debug endpoints,
 * directory listings), evidence-only. Calibrated first with random paths so a catch-all server (SPA,
 * soft 404, path-reflecting page) never produces a finding: a path counts as exposed only with a
 * content signature, a sensible content type, and a body unlike the baseline of its class.
 */

import { findSecrets } from '../../core/secrets.js';
import { contentType, excerpt, isRedirect, type ProbeClient } from '../context.js';
import type { IssueSink, ProbeRuleId } from '../rules.js';
import type { Exchange, ProbeResponse } from '../transport.js';
import type { Severity } from '../../core/severity.js';

/** Classes of paths that catch-all servers often treat differently (dotfiles, data files, archives). */
export type PathClass = 'plain' | 'dotfile' | 'dotdir' | 'data' | 'archive' | 'directory';

export type ServerClass = 'hard-404' | 'soft-404' | 'catch-all-redirect' | 'path-reflecting' | 'blocked' | 'throttled' | 'mixed' | 'unknown';

export interface Calibration {
  readonly serverClass: ServerClass;
  readonly baselines: ReadonlyMap<PathClass, { readonly path: string; readonly exchange: Exchange }>;
}

function calibrationPath(kind: PathClass, random: string): string {
  switch (kind) {
    case 'plain':
      return `/${random}`;
    case 'dotfile':
      return `/.${random}`;
    case 'dotdir':
      return `/.${random}/${random}`;
    case 'data':
      return `/${random}.json`;
    case 'archive':
      return `/${random}.sql`;
    case 'directory':
      return `/${random}/`;
  }
}

const CLASSES: readonly PathClass[] = ['plain', 'dotfile', 'dotdir', 'data', 'archive', 'directory'];

export function classifyServer(baselines: ReadonlyArray<{ path: string; exchange: Exchange }>): ServerClass {
  const responses = baselines.map(({ path, exchange }) => ({ path, response: exchange.response })).filter((entry): entry is { path: string; response: ProbeResponse } => entry.response !== undefined);
  if (responses.length === 0) return 'unknown';
  const statuses = responses.map(({ response }) => response.status);
  if (statuses.every((status) => status === 429 || status === 503)) return 'throttled';
  if (statuses.every((status) => status === 404 || status === 410)) return 'hard-404';
  if (statuses.every((status) => status === 401 || status === 403)) return 'blocked';
  if (statuses.every((status) => isRedirect(status))) return 'catch-all-redirect';
  if (responses.every(({ response }) => response.status >= 200 && response.status < 300)) {
    const reflecting = responses.some(({ path, response }) => response.body.includes(path.split('/').filter((part) => part !== '').pop() ?? path));
    return reflecting ? 'path-reflecting' : 'soft-404';
  }
  return 'mixed';
}

export async function calibrate(client: ProbeClient, origin: string): Promise<Calibration> {
  const random = client.token('calibration');
  const entries = await Promise.all(
    CLASSES.map(async (kind) => {
      const path = calibrationPath(kind, random);
      return [kind, { path, exchange: await client.get(origin + path, 'path') }] as const;
    }),
  );
  const baselines = new Map(entries);
  return { serverClass: classifyServer([...baselines.values()]), baselines };
}

/** Replaces the requested path (and its last segment) so a reflecting catch-all compares equal. */
function normalise(body: string, path: string): string {
  const last = path.split('/').filter((part) => part !== '').pop() ?? path;
  return body.split(path).join('\0').split(last).join('\0').replace(/\d+/g, '0').replace(/\s+/g, ' ').trim();
}

/** True when `response` is (nearly) the catch-all page the baseline got. */
export function looksLikeBaseline(response: ProbeResponse, path: string, baseline: { path: string; exchange: Exchange } | undefined): boolean {
  const base = baseline?.exchange.response;
  if (base === undefined || base.status !== response.status) return false;
  const a = normalise(response.body, path);
  const b = normalise(base.body, baseline?.path ?? '');
  if (a === b) return true;
  // Pages with a per-request nonce or timestamp differ slightly; a real file differs a lot.
  const lengthClose = Math.abs(a.length - b.length) <= Math.max(16, 0.03 * Math.max(a.length, b.length));
  return lengthClose && a.slice(0, 200) === b.slice(0, 200);
}

interface ExposureProbe {
  readonly path: string;
  readonly ruleId: ProbeRuleId;
  readonly pathClass: PathClass;
  readonly signature: RegExp;
  /** Content types that may carry this file; `text/html` only where the thing itself is a page. */
  readonly types: RegExp;
  readonly what: string;
  readonly severity?: Severity;
}

const TEXTUAL = /^(?:text\/plain|application\/octet-stream|application\/x-[\w.-]+|text\/x-[\w.-]+|binary\/octet-stream|)$/;

/** Two `NAME=value` lines: one alone could be any text that happens to contain an equals sign. */
const ENV_SIGNATURE = /^(?:export\s+)?[A-Z][A-Z0-9_]{1,64}\s*=[^\n]*\n(?:[^\n]*\n)*?(?:export\s+)?[A-Z][A-Z0-9_]{1,64}\s*=/m;

export const EXPOSURE_PROBES: readonly ExposureProbe[] = [
  { path: '/.env', ruleId: 'security/exposed-env-file', pathClass: 'dotfile', signature: ENV_SIGNATURE, types: TEXTUAL, what: 'environment file' },
  { path: '/.env.production', ruleId: 'security/exposed-env-file', pathClass: 'dotfile', signature: ENV_SIGNATURE, types: TEXTUAL, what: 'environment file' },
  { path: '/.git/HEAD', ruleId: 'security/exposed-vcs', pathClass: 'dotdir', signature: /^(?:ref: refs\/[\w./-]+|[0-9a-f]{40})\s*$/, types: TEXTUAL, what: 'Git HEAD' },
  { path: '/.git/config', ruleId: 'security/exposed-vcs', pathClass: 'dotdir', signature: /^\[core\]\s*$/m, types: TEXTUAL, what: 'Git config' },
  { path: '/.svn/entries', ruleId: 'security/exposed-vcs', pathClass: 'dotdir', signature: /^\d+\s*\n(?:dir|file)?/, types: TEXTUAL, what: 'Subversion metadata' },
  { path: '/.npmrc', ruleId: 'security/exposed-config-files', pathClass: 'dotfile', signature: /(?:_authToken|registry\s*=|always-auth)/, types: TEXTUAL, what: 'npm config' },
  { path: '/docker-compose.yml', ruleId: 'security/exposed-config-files', pathClass: 'data', signature: /^services:\s*$/m, types: /^(?:text\/plain|text\/yaml|text\/x-yaml|application\/x-yaml|application\/yaml|application\/octet-stream|)$/, what: 'Compose file' },
  { path: '/.aws/credentials', ruleId: 'security/exposed-config-files', pathClass: 'dotdir', signature: /aws_access_key_id\s*=/i, types: TEXTUAL, what: 'AWS credentials file' },
  { path: '/backup.sql', ruleId: 'security/exposed-backups', pathClass: 'archive', signature: /(?:CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump)/i, types: /^(?:application\/sql|text\/x-sql|application\/x-sql|text\/plain|application\/octet-stream|)$/, what: 'SQL dump' },
  { path: '/dump.sql', ruleId: 'security/exposed-backups', pathClass: 'archive', signature: /(?:CREATE TABLE|INSERT INTO|-- MySQL dump|PostgreSQL database dump)/i, types: /^(?:application\/sql|text\/x-sql|application\/x-sql|text\/plain|application\/octet-stream|)$/, what: 'SQL dump' },
  { path: '/backup.zip', ruleId: 'security/exposed-backups', pathClass: 'archive', signature: /^PK\u0003\u0004/, types: /^(?:application\/zip|application\/x-zip-compressed|application\/octet-stream|)$/, what: 'ZIP archive' },
  { path: '/actuator/env', ruleId: 'security/exposed-debug-endpoints', pathClass: 'plain', signature: /"propertySources"\s*:/, types: /^application\/(?:vnd\.spring-boot\.actuator\.v\d\+)?json$/, what: 'Spring Boot actuator env' },
  { path: '/debug/pprof/', ruleId: 'security/exposed-debug-endpoints', pathClass: 'directory', signature: /Types of profiles available/, types: /^text\/html$/, what: 'Go pprof index' },
  { path: '/debug/vars', ruleId: 'security/exposed-debug-endpoints', pathClass: 'plain', signature: /"memstats"\s*:/, types: /^application\/json$/, what: 'Go expvar' },
  { path: '/phpinfo.php', ruleId: 'security/exposed-debug-endpoints', pathClass: 'plain', signature: /<title>(?:phpinfo\(\)|PHP \d[^<]*phpinfo\(\))<\/title>/i, types: /^text\/html$/, what: 'phpinfo() page' },
  { path: '/server-status', ruleId: 'security/exposed-debug-endpoints', pathClass: 'plain', signature: /<title>Apache Status<\/title>|Apache Server Status for/i, types: /^text\/html$/, what: 'Apache server-status' },
];

const LISTING = /<title>\s*Index of \/|<h1>\s*Index of \/|<title>\s*Directory listing for \//i;

function record(sink: IssueSink, url: string, exchange: Exchange, ruleId: ProbeRuleId, message: string, detail: string, extra: { severity?: Severity; secrets?: string[]; key?: string } = {}): void {
  sink.report({ ruleId, messageId: 'exposed', message, url, detail: `GET ${url} → ${exchange.response?.status ?? '?'} ${exchange.response?.headers['content-type'] ?? '(no content-type)'}, ${exchange.response?.body.length ?? 0} bytes; ${detail}`, ...extra });
}

function exposedBody(response: ProbeResponse, path: string, probe: { signature: RegExp; types: RegExp; pathClass: PathClass }, calibration: Calibration): boolean {
  if (response.status < 200 || response.status >= 300) return false;
  if (!probe.types.test(contentType(response))) return false;
  if (!probe.signature.test(response.body)) return false;
  return !looksLikeBaseline(response, path, calibration.baselines.get(probe.pathClass));
}

export interface ExposureInput {
  readonly origin: string;
  readonly calibration: Calibration;
  /** Same-origin script URLs of the home page (for their .map files and directories). */
  readonly scripts: ReadonlyArray<{ readonly url: string; readonly body?: string }>;
}

const MAX_SOURCE_MAPS = 3;
const MAX_LISTING_DIRS = 2;

export async function runExposureChecks(client: ProbeClient, input: ExposureInput, sink: IssueSink, notes: string[]): Promise<void> {
  const { origin, calibration } = input;
  if (calibration.serverClass === 'throttled') {
    notes.push(`${origin}: exposure checks skipped, the server answered 429/503 to every calibration request`);
    return;
  }
  sink.ran('security/exposed-env-file', 'security/exposed-vcs', 'security/exposed-config-files', 'security/exposed-backups', 'security/exposed-debug-endpoints', 'security/directory-listing');
  let throttled = false;
  await Promise.all(
    EXPOSURE_PROBES.map(async (probe) => {
      const url = origin + probe.path;
      const exchange = await client.get(url, 'path');
      if (exchange.error?.code === 'THROTTLED') throttled = true;
      const response = exchange.response;
      if (response === undefined || !exposedBody(response, probe.path, probe, calibration)) return;
      const matches = probe.ruleId === 'security/exposed-env-file' || probe.ruleId === 'security/exposed-config-files' ? findSecrets(response.body, { syntax: probe.ruleId === 'security/exposed-env-file' ? 'env' : 'text' }) : [];
      // Every match is masked; the count is of credentials, and includes those a capture already masked.
      const secrets = matches.map((match) => match.value);
      const credentials = matches.filter((match) => match.strength !== 'weak' && match.dismissed === undefined).length + (response.maskedCredentials ?? 0);
      const names = probe.ruleId === 'security/exposed-env-file' ? [...response.body.matchAll(/^(?:export\s+)?([A-Z][A-Z0-9_]{1,64})\s*=/gm)].map((match) => match[1]).slice(0, 8) : [];
      record(sink, url, exchange, probe.ruleId, `${probe.what} served at ${probe.path}`, names.length > 0 ? `variables: ${names.join(', ')}${credentials > 0 ? `; ${credentials} secret-looking value(s)` : ''}` : `starts: ${excerpt(response.body, 80)}`, { ...(secrets.length > 0 ? { secrets } : {}), key: probe.path, ...(probe.severity === undefined ? {} : { severity: probe.severity }) });
    }),
  );
  const mapUrls = new Set<string>();
  for (const script of input.scripts) {
    const declared = script.body === undefined ? undefined : /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(script.body.slice(-2000))?.[1];
    if (declared !== undefined && !declared.startsWith('data:')) {
      try {
        const resolved = new URL(declared, script.url);
        if (resolved.origin === origin) mapUrls.add(resolved.toString());
      } catch {
        // A malformed comment is not evidence of anything.
      }
    } else if (declared === undefined) {
      mapUrls.add(`${script.url.split(/[?#]/)[0] ?? script.url}.map`);
    }
  }
  sink.ran('security/exposed-source-maps');
  for (const url of [...mapUrls].slice(0, MAX_SOURCE_MAPS)) {
    const exchange = await client.get(url, 'path');
    const response = exchange.response;
    if (response === undefined) continue;
    const path = new URL(url).pathname;
    if (!exposedBody(response, path, { signature: /"mappings"\s*:/, types: /^(?:application\/json|application\/octet-stream|text\/plain|)$/, pathClass: 'data' }, calibration)) continue;
    const sourcesContent = /"sourcesContent"\s*:\s*\[\s*"/.test(response.body);
    const secrets = sourcesContent ? findSecrets(response.body).filter((match) => match.strength !== 'weak' && match.dismissed === undefined).map((match) => match.value) : [];
    const credentials = secrets.length + (sourcesContent ? (response.maskedCredentials ?? 0) : 0);
    const severity: Severity = credentials > 0 ? 'high' : sourcesContent ? 'medium' : 'low';
    const what = credentials > 0 ? `with original sources holding ${credentials} secret-looking value(s)` : sourcesContent ? 'with the original source code (sourcesContent)' : 'without sourcesContent';
    record(sink, url, exchange, 'security/exposed-source-maps', `source map served ${what}`, `"mappings" found${sourcesContent ? ', "sourcesContent" present' : ''}`, { severity, secrets, key: path });
  }
  const directories = new Set<string>();
  for (const script of input.scripts) {
    const path = new URL(script.url).pathname;
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    if (dir !== '/') directories.add(dir);
  }
  for (const fallback of ['/assets/', '/static/', '/uploads/']) directories.add(fallback);
  for (const dir of [...directories].slice(0, MAX_LISTING_DIRS)) {
    const url = origin + dir;
    const exchange = await client.get(url, 'path');
    const response = exchange.response;
    if (response === undefined || response.status !== 200 || !LISTING.test(response.body)) continue;
    if (looksLikeBaseline(response, dir, calibration.baselines.get('directory'))) continue;
    record(sink, url, exchange, 'security/directory-listing', `${dir} lists its files`, `"Index of" page: ${excerpt(response.body.replace(/<[^>]+>/g, ' '), 100)}`, { key: dir });
  }
  if (throttled) notes.push(`${origin}: some path probes were skipped after repeated 429/503 answers`);
}
