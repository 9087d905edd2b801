import { z } from 'zod';
import type { Finding } from './report.js';
import { err, ok, userError, type Result, type UserError } from './result.js';
import { readInputFile } from './safe-read.js';

export const BASELINE_FILE = '.shipready-baseline.json';

/** A baseline entry is about 250 bytes: 64 MiB holds a quarter of a million findings, more than any repository has. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

const baselineSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.literal('shipready'),
  findings: z.array(z.object({ fingerprint: z.string(), ruleId: z.string(), location: z.string().optional(), message: z.string() })),
});

export type Baseline = z.infer<typeof baselineSchema>;

/**
 * The baseline records fingerprints (stable across line shifts), plus rule, place and message so a
 * reviewer can read the file in a pull request. Suppressed findings are not recorded: they are settled.
 */
export function toBaseline(findings: readonly Finding[]): Baseline {
  const entries = findings
    .filter((finding) => finding.suppression === undefined)
    .map((finding) => {
      const location = finding.location?.kind === 'file' ? finding.location.path : finding.location?.url;
      return { fingerprint: finding.fingerprint, ruleId: finding.ruleId, ...(location === undefined ? {} : { location }), message: finding.message };
    })
    .sort((a, b) => (a.ruleId + a.fingerprint < b.ruleId + b.fingerprint ? -1 : 1));
  return { schemaVersion: 1, tool: 'shipready', findings: entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline; a missing or malformed file is a user error naming the file. */
export function readBaseline(file: string): Result<ReadonlySet<string>, UserError> {
  const text = readInputFile(file, { what: 'baseline', code: 'BASELINE_INVALID', hint: 'create one with `shipready scan --write-baseline`', maxBytes: MAX_BASELINE_BYTES });
  if (!text.ok) return text;
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch {
    return err(userError('BASELINE_INVALID', `baseline ${file} is not valid JSON`, 'regenerate it with `shipready scan --write-baseline`'));
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) return err(userError('BASELINE_INVALID', `baseline ${file} is not a shipready baseline (schemaVersion 1)`, 'regenerate it with `shipready scan --write-baseline`'));
  return ok(new Set(parsed.data.findings.map((entry) => entry.fingerprint)));
}

/** Marks each finding `new` or `unchanged`; only new ones can fail the run. */
export function applyBaseline(findings: readonly Finding[], fingerprints: ReadonlySet<string>): Finding[] {
  return findings.map((finding) => ({ ...finding, baseline: fingerprints.has(finding.fingerprint) ? 'unchanged' : 'new' }));
}
