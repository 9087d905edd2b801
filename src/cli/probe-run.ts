import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readBaseline } from '../core/baseline.js';
import { loadConfigLazily } from '../core/config.js';
import { VERSION } from '../core/meta.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { readInputFile } from '../core/safe-read.js';
import { parseCapture, serialiseCapture, type Capture } from '../probe/capture.js';
import { MAX_LOGIN_ATTEMPTS } from '../probe/defaults.js';
import { runProbe, type ProbeOptions } from '../probe/index.js';
import { booleanOption, stringOption, type CommandInput, type CommandOutput } from './command.js';
import { allKnownRules } from './known-rules.js';

/**
 * A capture holds at most --max-requests responses of at most 512 KiB each; the default 100 make ~50 MiB of JSON.
 * A larger file is not a capture shipready wrote, and parsing it would cost several times its size in memory.
 */
const MAX_CAPTURE_BYTES = 128 * 1024 * 1024;

function readText(path: string, what: string, flag: string, maxBytes?: number): Result<string, UserError> {
  return readInputFile(path, { what, code: 'PATH_UNREADABLE', hint: `check the path given to ${flag}`, ...(maxBytes === undefined ? {} : { maxBytes }) });
}

function positiveInt(values: CommandInput['values'], name: string, max: number): Result<number | undefined, UserError> {
  const raw = stringOption(values, name);
  if (raw === undefined) return ok(undefined);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) return err(userError('USAGE', `--${name} must be a whole number from 1 to ${max}, got "${raw}"`));
  return ok(value);
}

/** `--timeout 10`, `10s` or `500ms`. */
export function parseTimeout(raw: string | undefined): Result<number | undefined, UserError> {
  if (raw === undefined) return ok(undefined);
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  const amount = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  const ms = match?.[2] === 'ms' ? amount : amount * 1000;
  if (!Number.isFinite(ms) || ms < 100 || ms > 120_000) return err(userError('USAGE', `--timeout must be between 100ms and 120s, got "${raw}"`, 'e.g. --timeout 10 (seconds) or --timeout 1500ms'));
  return ok(Math.round(ms));
}

/** The body of `shipready probe`, loaded only when the command runs (see probe.ts). */
export async function runProbeCommand(input: CommandInput): Promise<Result<CommandOutput, UserError>> {
  const { values, io } = input;
  const targets = [...input.positionals];
  const targetsFile = stringOption(values, 'targets');
  if (targetsFile !== undefined) {
    const text = readText(resolve(io.cwd, targetsFile), 'targets file', '--targets');
    if (!text.ok) return text;
    targets.push(...text.value.split(/\r?\n/).map((line) => line.replace(/#.*$/, '').trim()).filter((line) => line !== ''));
  }
  const maxRequests = positiveInt(values, 'max-requests', 10_000);
  if (!maxRequests.ok) return maxRequests;
  const concurrency = positiveInt(values, 'concurrency', 32);
  if (!concurrency.ok) return concurrency;
  const loginAttempts = positiveInt(values, 'login-attempts', MAX_LOGIN_ATTEMPTS);
  if (!loginAttempts.ok) return loginAttempts;
  const timeout = parseTimeout(stringOption(values, 'timeout'));
  if (!timeout.ok) return timeout;
  let ca: string | undefined;
  const caFile = stringOption(values, 'ca');
  if (caFile !== undefined) {
    const text = readText(resolve(io.cwd, caFile), 'CA file', '--ca');
    if (!text.ok) return text;
    if (!text.value.includes('-----BEGIN CERTIFICATE-----')) return err(userError('INPUT_INVALID', `${caFile} holds no PEM certificate`, '--ca expects a PEM file (-----BEGIN CERTIFICATE-----)'));
    ca = text.value;
  }
  let fromCapture: Capture | undefined;
  const captureFile = stringOption(values, 'from-capture');
  if (captureFile !== undefined) {
    const text = readText(resolve(io.cwd, captureFile), 'capture', '--from-capture', MAX_CAPTURE_BYTES);
    if (!text.ok) return text;
    const parsed = parseCapture(text.value, captureFile);
    if (!parsed.ok) return parsed;
    fromCapture = parsed.value;
  }
  // Config (rule switches, severities, attestations) is found in the working directory, as for scan.
  const config = await loadConfigLazily(io.cwd, input.common.config === undefined ? undefined : resolve(io.cwd, input.common.config), allKnownRules);
  if (!config.ok) return config;
  let baseline: ReadonlySet<string> | undefined;
  if (input.common.baseline !== undefined) {
    const read = readBaseline(resolve(io.cwd, input.common.baseline));
    if (!read.ok) return read;
    baseline = read.value;
  }
  const failOn = input.common.failOn ?? config.value.failOn;
  const healthPath = stringOption(values, 'health-path');
  const loginPath = stringOption(values, 'login-path');
  const options: ProbeOptions = {
    version: VERSION,
    ...(failOn === undefined ? {} : { failOn }),
    settings: config.value.rules,
    attestations: config.value.attest,
    ...(config.value.maxAgeDays === undefined ? {} : { maxAgeDays: config.value.maxAgeDays }),
    ...(baseline === undefined ? {} : { baseline }),
    ...(fromCapture === undefined ? { now: io.now() } : { fromCapture }),
    ...(maxRequests.value === undefined ? {} : { maxRequests: maxRequests.value }),
    ...(concurrency.value === undefined ? {} : { concurrency: concurrency.value }),
    ...(timeout.value === undefined ? {} : { timeoutMs: timeout.value }),
    ...(loginAttempts.value === undefined ? {} : { loginAttempts: loginAttempts.value }),
    ...(ca === undefined ? {} : { ca }),
    ...(healthPath === undefined ? {} : { healthPath }),
    ...(loginPath === undefined ? {} : { loginPath }),
    deep: booleanOption(values, 'deep'),
    ...(io.progress === undefined ? {} : { onTarget: (target: string, index: number, total: number) => io.progress?.(`probed ${index + 1}/${total}: ${target}`) }),
  };
  const run = await runProbe(targets, options);
  if (!run.ok) return run;
  const saveTo = stringOption(values, 'save-capture');
  if (saveTo !== undefined) {
    try {
      await writeFile(resolve(io.cwd, saveTo), serialiseCapture(run.value.capture), 'utf8');
    } catch (cause) {
      const code = cause !== null && typeof cause === 'object' && 'code' in cause ? String(cause.code) : 'unwritable';
      return err(userError('OUTPUT_UNWRITABLE', `cannot write capture ${saveTo} (${code})`, 'check the directory exists and is writable'));
    }
  }
  const configNotes = config.value.notes ?? [];
  return ok({ kind: 'report', report: configNotes.length === 0 ? run.value.report : { ...run.value.report, notes: [...configNotes, ...run.value.report.notes] } });
}
