import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../core/did-you-mean.js';
import { redactText } from '../core/redact.js';
import type { UserError } from '../core/result.js';
import { isSeverity, SEVERITIES, type Severity } from '../core/severity.js';
import { VERSION } from '../core/meta.js';
import { isReportFormat, REPORT_FORMATS } from '../reporters/formats.js';
import type { CliIo, Command, CommonFlags } from './command.js';
import { COMMANDS } from './commands.js';
import { errorCode } from '../core/fs-errors.js';

export interface CliResult {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

const COMMON_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string', short: 'c' },
  baseline: { type: 'string' },
  debug: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const COMMON_HELP = [
  'Common options:',
  `  -f, --format FORMAT    ${REPORT_FORMATS.join(' | ')} (default text)`,
  '  -o, --output FILE      write the report to FILE instead of stdout',
  `      --fail-on LEVEL    exit 1 when a finding is at or above LEVEL: ${SEVERITIES.join(' | ')} | none (default high)`,
  '  -c, --config FILE      config file (default: shipready.config.{json,yaml,yml} or package.json#shipready)',
  '      --baseline FILE    only findings not in FILE count toward the exit code',
  '      --no-color         no ANSI colours (also NO_COLOR=1)',
  '      --debug            print stack traces for internal errors',
  '  -h, --help             this help',
  '',
  'Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, configuration or internal error.',
].join('\n');

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `shipready ${VERSION} — what stands between your web app and production, with evidence.`,
    '',
    'Usage: shipready <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    COMMON_HELP,
    '',
    'Run `shipready <command> --help` for the options of one command.',
  ].join('\n');
}

/**
 * `mkdir -p` one level at a time. Node's `mkdirSync(…, { recursive: true })` never returns for a path
 * under /proc (mkdir there fails with ENOENT although the parent exists, and it retries forever); here
 * any failure surfaces as an error for the caller.
 */
function createDirectories(dir: string): void {
  const missing: string[] = [];
  for (let current = dir; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const each of missing) fs.mkdirSync(each);
}

function failure(error: UserError): CliResult {
  // Errors echo user input (a target URL, a config value): mask secrets there as in every report.
  const lines = [`shipready: ${redactText(error.message)}${error.hint === undefined ? '' : ` (${redactText(error.hint)})`}`, ...(error.details ?? []).map((detail) => `  ${redactText(detail)}`)];
  return { exitCode: 2, stdout: '', stderr: `${lines.join('\n')}\n` };
}

function usageError(message: string, hint: string): CliResult {
  return failure({ code: 'USAGE', message, hint });
}

function describeError(error: unknown, debug: boolean): string {
  if (!(error instanceof Error)) return `shipready: internal error: ${String(error)}`;
  if (!debug) {
    const causes: string[] = [];
    let cause: unknown = error.cause;
    while (cause instanceof Error) {
      causes.push(cause.message);
      cause = cause.cause;
    }
    return `shipready: internal error: ${[error.message, ...causes].join(': ')} (rerun with --debug for the stack trace, and report it)`;
  }
  const chain: string[] = [error.stack ?? error.message];
  let cause: unknown = error.cause;
  while (cause !== undefined) {
    chain.push(`Caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return chain.join('\n');
}

function parseCommon(values: Record<string, unknown>, io: CliIo): CommonFlags | CliResult {
  const format = typeof values.format === 'string' ? values.format : 'text';
  if (!isReportFormat(format)) return usageError(`--format: unknown format "${format}"`, `use one of ${REPORT_FORMATS.join(', ')}`);
  const failOnRaw = typeof values['fail-on'] === 'string' ? values['fail-on'] : undefined;
  let failOn: Severity | 'none' | undefined;
  if (failOnRaw !== undefined) {
    if (failOnRaw !== 'none' && !isSeverity(failOnRaw)) return usageError(`--fail-on: unknown level "${failOnRaw}"`, `use one of ${SEVERITIES.join(', ')}, none`);
    failOn = failOnRaw;
  }
  const output = typeof values.output === 'string' ? values.output : undefined;
  const noColor = values['no-color'] === true || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '');
  return {
    format,
    ...(output === undefined ? {} : { output }),
    ...(failOn === undefined ? {} : { failOn }),
    ...(typeof values.config === 'string' ? { config: values.config } : {}),
    ...(typeof values.baseline === 'string' ? { baseline: values.baseline } : {}),
    debug: values.debug === true,
    color: !noColor && format === 'text' && output === undefined && io.stdoutIsTTY,
  };
}

async function runCommand(command: Command, args: readonly string[], io: CliIo, debugRequested: boolean): Promise<CliResult> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    // parseArgs reads `--rows -5` as an option missing its value and calls it "ambiguous".
    const ambiguous = /^Option '(?:-\w, )?(--[a-z-]+)' argument is ambiguous/.exec(message);
    if (ambiguous !== null) return usageError(`${ambiguous[1]} needs a value, and the next argument starts with "-"`, `write ${ambiguous[1]}=VALUE when the value starts with "-"`);
    return usageError(message.replace(/\. To specify a positional argument.*$/, ''), `run \`shipready ${command.name} --help\``);
  }
  const values: Record<string, string | boolean | Array<string | boolean> | undefined> = parsed.values;
  // `scan ''` resolves to the working directory and `--config ''` to the root: an unset shell variable would
  // silently scan (or read) something the user never named.
  if (parsed.positionals.includes('')) return usageError(`${command.name}: empty argument ""`, `an unset shell variable? run \`shipready ${command.name} --help\``);
  const emptyOption = Object.entries(values).find(([, value]) => value === '' || (Array.isArray(value) && value.includes('')));
  if (emptyOption !== undefined) return usageError(`--${emptyOption[0]}: empty value ""`, `an unset shell variable? run \`shipready ${command.name} --help\``);
  if (values.help === true) return { exitCode: 0, stdout: `${command.usage}\n\n${COMMON_HELP}\n`, stderr: '' };
  const common = parseCommon(values, io);
  if ('exitCode' in common) return common;
  const progressIo: CliIo =
    // Progress goes to a terminal's stderr, except while a machine format is printed on that same terminal,
    // where the lines would land in the middle of it; piped or written to --output, any format shows progress.
    io.stderrIsTTY && (common.format === 'text' || common.output !== undefined || !io.stdoutIsTTY) && io.progress !== undefined ? io : { ...io, progress: undefined };
  try {
    const result = await command.run({ positionals: parsed.positionals, values, common, io: progressIo });
    if (!result.ok) return failure(result.error);
    const output = result.value;
    // Loaded after the command ran, so `--help`, `--version` and usage errors stay instant.
    const [{ renderReport }, { cleanControl }] = await Promise.all([import('../reporters/index.js'), import('../reporters/shared.js')]);
    const rendered = output.kind === 'text' ? cleanControl(redactText(output.text)) : renderReport(output.report, common.format, { color: common.color });
    const exitCode = output.kind === 'report' ? (output.report.verdict.failed ? 1 : 0) : (output.exitCode ?? 0);
    const extra = output.kind === 'report' && output.extraText !== undefined ? `${output.extraText}\n` : '';
    if (common.output === undefined) return { exitCode, stdout: rendered, stderr: extra };
    const file = path.resolve(io.cwd, common.output);
    try {
      createDirectories(path.dirname(file));
      fs.writeFileSync(file, rendered);
    } catch (error) {
      const code = errorCode(error) ?? 'error';
      return failure({ code: 'OUTPUT_UNWRITABLE', message: `cannot write ${common.output} (${code})`, hint: 'check the --output path' });
    }
    const summary = output.kind === 'report' ? `${output.report.verdict.summary}\n` : '';
    return { exitCode, stdout: '', stderr: `${extra}${summary}Report written to ${common.output}\n` };
  } catch (error) {
    return { exitCode: 2, stdout: '', stderr: `${describeError(error, debugRequested)}\n` };
  }
}

/**
 * The whole CLI as a function: argv in, exit code and output out. `bin/shipready.js` only applies it
 * to the real process, so every behaviour is testable in-process.
 *
 * @example const { exitCode, stdout } = await run(['scan', '.', '--format', 'json'], io);
 */
export async function run(argv: readonly string[], io: CliIo): Promise<CliResult> {
  const debugRequested = argv.includes('--debug');
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { exitCode: 0, stdout: `${mainHelp()}\n`, stderr: '' };
  if (first === '--version' || first === '-v' || first === 'version') return { exitCode: 0, stdout: `${VERSION}\n`, stderr: '' };
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (command === undefined) {
    const suggestion = didYouMean(first, COMMANDS.map((candidate) => candidate.name));
    const hint = suggestion === undefined ? 'run `shipready --help` for the list' : `did you mean \`shipready ${suggestion}\`?`;
    return usageError(first.startsWith('-') ? `unknown option "${first}" before a command` : `unknown command "${first}"`, hint);
  }
  try {
    return await runCommand(command, rest, io, debugRequested);
  } catch (error) {
    return { exitCode: 2, stdout: '', stderr: `${describeError(error, debugRequested)}\n` };
  }
}
