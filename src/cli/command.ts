import type { ParseArgsConfig } from 'node:util';
import type { Report } from '../core/report.js';
import type { Result, UserError } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import type { ReportFormat } from '../reporters/formats.js';

/** Everything a command may know about its environment; `bin/` fills it from `process`. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Live progress lines for long work; only called when stderr is a TTY and output is not JSON. */
  readonly progress?: (line: string) => void;
  readonly now: () => Date;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** Flags every report-producing command shares; parsed by `src/cli/main.ts`. */
export interface CommonFlags {
  /** One of REPORT_FORMATS, so a new reporter needs no change here. */
  readonly format: ReportFormat;
  readonly output?: string;
  readonly failOn?: Severity | 'none';
  readonly config?: string;
  readonly baseline?: string;
  readonly debug: boolean;
  readonly color: boolean;
}

export interface CommandInput {
  readonly positionals: readonly string[];
  /** Values of this command's own options (see `Command.options`), as `node:util` parseArgs gives them. */
  readonly values: OptionValues;
  readonly common: CommonFlags;
  readonly io: CliIo;
}

/**
 * What a command returns: a report for the shared reporters, or, for commands that only list
 * (e.g. `migrations` without lint), plain text with its own exit code (`doctor`: 1 when a layer fails).
 * Expected failures are `UserError`s (exit 2).
 */
export type CommandOutput = { readonly kind: 'report'; readonly report: Report; readonly extraText?: string } | { readonly kind: 'text'; readonly text: string; readonly exitCode?: 0 | 1 };

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Lines printed by `shipready <name> --help` after the common options. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<Result<CommandOutput, UserError>>;
}

/** Reads a string option; a repeated flag keeps the last value, as most CLIs do. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) {
    const last = value[value.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

export function stringListOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
