import * as path from 'node:path';
import { BASELINE_FILE, serializeBaseline, toBaseline } from '../core/baseline.js';
import { writeRegularFile } from '../core/safe-read.js';
import { err, ok, type Result, type UserError, userError } from '../core/result.js';
import { acceptAsBaseline } from '../core/verdict.js';
import { portMapSection } from '../project/ports.js';
import { scan } from '../scan.js';
import { booleanOption, type CommandInput, type CommandOutput, stringOption } from './command.js';
import { otherCommandRules } from './known-rules.js';

function parseSize(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m)?$/i.exec(raw.trim());
  if (match === null) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit === 'kb' ? 1000 : unit === 'kib' || unit === 'k' ? 1024 : unit === 'mb' ? 1_000_000 : unit === 'mib' || unit === 'm' ? 1024 * 1024 : 1;
  return Math.round(Number(match[1]) * factor);
}

/** The body of `shipready scan`, loaded only when the command runs (see scan.ts). */
export async function runScanCommand({ positionals, values, common, io }: CommandInput): Promise<Result<CommandOutput, UserError>> {
  if (positionals.length > 1) return err(userError('USAGE', `scan takes one path, got ${positionals.length}`, 'run `shipready scan --help`'));
  const root = path.resolve(io.cwd, positionals[0] ?? '.');
  const rawSize = stringOption(values, 'max-file-size');
  const maxFileSize = rawSize === undefined ? undefined : parseSize(rawSize);
  if (rawSize !== undefined && (maxFileSize === undefined || maxFileSize <= 0)) {
    return err(userError('USAGE', `--max-file-size: "${rawSize}" is not a size`, 'use bytes or a unit, e.g. 512KiB or 2MiB'));
  }
  const wantsPorts = booleanOption(values, 'ports');
  const since = stringOption(values, 'since');
  const result = await scan(root, {
    ...(since === undefined ? {} : { since }),
    ...(booleanOption(values, 'all-migrations') ? { allMigrations: true } : {}),
    ...(wantsPorts ? { sections: (project) => [portMapSection(project)] } : {}),
    ...(common.config === undefined ? {} : { configPath: path.resolve(io.cwd, common.config) }),
    ...(common.failOn === undefined ? {} : { failOn: common.failOn }),
    ...(maxFileSize === undefined ? {} : { maxFileSize }),
    ...(common.baseline === undefined ? {} : { baselinePath: path.resolve(io.cwd, common.baseline) }),
    extraKnownRules: otherCommandRules(),
    now: io.now(),
    env: io.env,
    ...(io.progress === undefined ? {} : { onProgress: io.progress }),
  });
  if (!result.ok) return result;
  const report = { ...result.value, target: positionals[0] ?? '.' };
  if (wantsPorts && common.format === 'text') {
    // The port map alone: a table to read or paste into the team's port allocation document.
    const lines = report.sections.find((section) => section.id === 'ports')?.lines ?? [];
    return ok({ kind: 'text', text: `${lines.join('\n')}\n` });
  }
  if (!booleanOption(values, 'write-baseline')) return ok({ kind: 'report', report });
  const file = path.join(root, BASELINE_FILE);
  // The file is in the scanned repository: a link or FIFO planted there must not redirect or block the write.
  const written = writeRegularFile(file, serializeBaseline(toBaseline(report.findings)));
  if (!written.ok) return err(userError('OUTPUT_UNWRITABLE', `--write-baseline: ${written.error.message}`, 'remove it, or write the baseline yourself from --format json'));
  const recorded = report.findings.filter((finding) => finding.suppression === undefined).length;
  return ok({ kind: 'report', report: acceptAsBaseline(report), extraText: `Recorded ${recorded} finding(s) in ${path.relative(io.cwd, file) || file}; pass --baseline ${path.relative(io.cwd, file) || file} to count only new ones.` });
}
