import { resolve } from 'node:path';
import { DOCS_BASE_URL, VERSION } from '../core/meta.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { readInputFile } from '../core/safe-read.js';
import { runDoctor } from '../doctor/index.js';
import { doctorReport, healthJson, renderDoctorText } from '../doctor/render.js';
import { booleanOption, stringListOption, stringOption, type CommandInput, type CommandOutput } from './command.js';

/** `3`, `3s`, `1500ms`, `2m` → milliseconds within [min, max]. */
function parseDuration(raw: string | undefined, flag: string, min: number, max: number): Result<number | undefined, UserError> {
  if (raw === undefined) return ok(undefined);
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  const amount = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  const ms = match?.[2] === 'ms' ? amount : match?.[2] === 'm' ? amount * 60_000 : amount * 1000;
  if (!Number.isFinite(ms) || ms < min || ms > max) return err(userError('USAGE', `${flag} must be between ${min}ms and ${max / 1000}s, got "${raw}"`, `e.g. ${flag} 3 (seconds), ${flag} 1500ms or ${flag} 2m`));
  return ok(Math.round(ms));
}

/** The body of `shipready doctor`, loaded only when the command runs (see doctor.ts). */
export async function runDoctorCommand(input: CommandInput): Promise<Result<CommandOutput, UserError>> {
  const { values, io, common } = input;
  if (input.positionals.length > 1) return err(userError('USAGE', `doctor takes one folder, got ${input.positionals.length}`, 'run `shipready doctor --help`'));
  const root = resolve(io.cwd, input.positionals[0] ?? '.');
  const timeout = parseDuration(stringOption(values, 'timeout'), '--timeout', 100, 60_000);
  if (!timeout.ok) return timeout;
  const wait = parseDuration(stringOption(values, 'wait'), '--wait', 0, 3_600_000);
  if (!wait.ok) return wait;
  const seedQuery = stringOption(values, 'seed-query');
  if (seedQuery !== undefined && !/^\s*(?:select|with)\b/i.test(seedQuery)) return err(userError('USAGE', '--seed-query must be a SELECT (it runs in a read-only transaction)', 'e.g. --seed-query "SELECT count(*) FROM users WHERE role = \'admin\'"'));
  const healthPath = stringOption(values, 'health-path');
  if (healthPath !== undefined && !healthPath.startsWith('/')) return err(userError('USAGE', `--health-path must start with "/", got "${healthPath}"`));
  const loginPath = stringOption(values, 'login-path');
  if (loginPath !== undefined && !loginPath.startsWith('/')) return err(userError('USAGE', `--login-path must start with "/", got "${loginPath}"`));
  let ca: string | undefined;
  const caFile = stringOption(values, 'ca');
  if (caFile !== undefined) {
    const text = readInputFile(resolve(io.cwd, caFile), { what: 'CA file', code: 'PATH_UNREADABLE', hint: 'check the path given to --ca' });
    if (!text.ok) return text;
    if (!text.value.includes('-----BEGIN CERTIFICATE-----')) return err(userError('INPUT_INVALID', `${caFile} holds no PEM certificate`, '--ca expects a PEM file (-----BEGIN CERTIFICATE-----)'));
    ca = text.value;
  }
  const now = io.now();
  const result = await runDoctor({
    root,
    env: io.env,
    envFiles: stringListOption(values, 'env-file'),
    composeFiles: stringListOption(values, 'compose-file'),
    urls: stringListOption(values, 'url'),
    ...(timeout.value === undefined ? {} : { timeoutMs: timeout.value }),
    ...(wait.value === undefined ? {} : { waitMs: wait.value }),
    ...(seedQuery === undefined ? {} : { seedQuery }),
    ...(healthPath === undefined ? {} : { healthPath }),
    ...(ca === undefined ? {} : { ca }),
    ...(loginPath === undefined ? {} : { loginPath }),
    now: () => now,
    ...(io.progress === undefined ? {} : { onAttempt: (attempt: number) => io.progress?.(`doctor: attempt ${attempt} failed, retrying…`) }),
  });
  if (!result.ok) return result;
  if (result.value.components.length === 0) {
    return err(userError('USAGE', `no dependency URL found (read: ${result.value.sources.join(', ') || 'nothing'})`, 'pass --env-file FILE or --url DATABASE_URL=postgres://user@host:5432/db'));
  }
  const exitCode = result.value.cause === undefined ? 0 : 1;
  if (common.format === 'text') return ok({ kind: 'text', text: renderDoctorText(result.value, { verbose: booleanOption(values, 'verbose') }), exitCode });
  if (common.format === 'json') return ok({ kind: 'text', text: `${JSON.stringify(healthJson(result.value, now), null, 2)}\n`, exitCode });
  return ok({ kind: 'report', report: doctorReport(result.value, { version: VERSION, now, docsBaseUrl: DOCS_BASE_URL, ...(common.failOn === undefined ? {} : { failOn: common.failOn }) }) });
}
