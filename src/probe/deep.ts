/**
 * `--deep`: runs Debian's testssl.sh (when installed) and folds its JSON severities into findings of
 * security/tls-deep-scan. Absent testssl.sh is a note, never an error.
 */

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Severity } from '../core/severity.js';
import { createTempDir, removeTempDir } from '../core/temp-dirs.js';
import type { IssueSink } from './rules.js';

export type DeepScanRunner = (hostPort: string) => Promise<{ readonly available: false } | { readonly available: true; readonly json: string }>;

const TESTSSL_TIMEOUT_MS = 10 * 60_000;

/** Upstream ships `testssl.sh`; Debian's package installs the same script as `testssl`. */
const TESTSSL_COMMANDS = ['testssl.sh', 'testssl'] as const;

function runTestssl(command: string, file: string, hostPort: string): Promise<'ran' | 'missing'> {
  return new Promise((resolve, reject) => {
    execFile(command, ['--jsonfile', file, '--quiet', '--warnings', 'off', '--color', '0', hostPort], { timeout: TESTSSL_TIMEOUT_MS }, (error) => {
      if (error !== null && 'code' in error && error.code === 'ENOENT') resolve('missing');
      // testssl.sh exits non-zero when it finds problems; the JSON file is the result either way.
      else if (error !== null && error.killed) reject(new Error(`${command} timed out`, { cause: error }));
      else resolve('ran');
    });
  });
}

/** Runs testssl.sh (under either name) with `--jsonfile` into a temp dir; ENOENT for both means it is not installed. */
export const testsslRunner: DeepScanRunner = async (hostPort) => {
  const dir = createTempDir('shipready-testssl-');
  if (!dir.ok) throw new Error(dir.error.message);
  const file = join(dir.value, 'testssl.json');
  try {
    for (const command of TESTSSL_COMMANDS) {
      if ((await runTestssl(command, file, hostPort)) === 'ran') return { available: true, json: await readFile(file, 'utf8') };
    }
    return { available: false };
  } finally {
    removeTempDir(dir.value);
  }
};

const entrySchema = z.object({ id: z.string(), severity: z.string(), finding: z.string(), cve: z.string().optional() }).passthrough();

const SEVERITY: Readonly<Record<string, Severity>> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' };

/** Turns testssl.sh JSON (flat array of {id, severity, finding}) into findings; OK/INFO/WARN entries are skipped. */
export function foldTestssl(url: string, json: string, sink: IssueSink, notes: string[]): void {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    notes.push(`${url}: testssl.sh wrote no readable JSON; deep results skipped`);
    return;
  }
  const entries = z.array(z.unknown()).safeParse(raw);
  if (!entries.success) {
    notes.push(`${url}: testssl.sh JSON is not a flat array (use --jsonfile, not --jsonfile-pretty); deep results skipped`);
    return;
  }
  sink.ran('security/tls-deep-scan');
  for (const item of entries.data) {
    const entry = entrySchema.safeParse(item);
    if (!entry.success) continue;
    const severity = SEVERITY[entry.data.severity.toUpperCase()];
    if (severity === undefined) continue;
    sink.report({ ruleId: 'security/tls-deep-scan', messageId: 'testssl', message: `testssl.sh ${entry.data.id}: ${entry.data.finding}`, url, detail: `testssl.sh id ${entry.data.id}, severity ${entry.data.severity}${entry.data.cve === undefined || entry.data.cve === '' ? '' : `, ${entry.data.cve}`}`, severity, key: entry.data.id });
  }
}

/** `host:port` as testssl.sh is given it, and as captures key its results. */
export function deepScanHostPort(target: URL): string {
  return `${target.hostname}:${target.port === '' ? 443 : target.port}`;
}

/**
 * Runs testssl.sh against the target and folds its results in; returns the raw JSON (for the capture), or
 * undefined when testssl.sh is not installed (a note says so).
 *
 * @example const json = await runDeepScan(new URL('https://app.example.com/'), undefined, sink, notes);
 */
export async function runDeepScan(target: URL, runner: DeepScanRunner | undefined, sink: IssueSink, notes: string[]): Promise<string | undefined> {
  const result = await (runner ?? testsslRunner)(deepScanHostPort(target));
  if (!result.available) {
    notes.push(`--deep: testssl.sh is not installed (Debian: apt-get install testssl.sh); deep TLS scan skipped`);
    return undefined;
  }
  foldTestssl(target.href, result.json, sink, notes);
  return result.json;
}
