import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHECKLIST_IDS, isChecklistId } from './checklist.js';
import { didYouMean } from './did-you-mean.js';
import { err, ok, userError, type Result, type UserError } from './result.js';
import { SEVERITIES, type Severity } from './severity.js';
import type { Note } from './report.js';
import { inputFileError, MAX_INPUT_FILE_BYTES, readInputFile, readRegularFile, type InputFileOptions } from './safe-read.js';

const severityOrOff = z.enum([...SEVERITIES, 'off', 'on']);

const ruleSettingSchema = z.union([
  severityOrOff,
  z
    .object({
      severity: z.enum(SEVERITIES).optional(),
      enabled: z.boolean().optional(),
      options: z.unknown().optional(),
    })
    .strict(),
]);

const byteSize = z.union([z.number().int().positive(), z.string().regex(/^\d+(?:\.\d+)?\s*(?:B|KB|KiB|MB|MiB)$/i, 'a size such as 1048576, "512KiB" or "2MiB"')]);

const attestationSchema = z
  .object({
    by: z.string().min(1),
    date: z.iso.date(),
    evidence: z.string().min(1),
    maxAgeDays: z.number().int().positive().optional(),
  })
  .strict();

/** The config file format (`shipready.config.json|yaml|yml` or `package.json#shipready`). */
export const configSchema = z
  .object({
    $schema: z.string().optional(),
    rules: z.record(z.string(), ruleSettingSchema).optional(),
    ignore: z.array(z.string()).optional(),
    failOn: z.enum([...SEVERITIES, 'none']).optional(),
    maxFileSize: byteSize.optional(),
    maxAgeDays: z.number().int().positive().optional(),
    attest: z.record(z.string(), attestationSchema).optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;

export interface ResolvedRuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
  readonly options?: unknown;
}

/** Config after validation, with defaults applied and rule settings normalised. */
export interface ShipreadyConfig {
  /** Where it came from (repo-relative or absolute), or undefined when no config exists. */
  readonly source?: string;
  readonly rules: ReadonlyMap<string, ResolvedRuleSetting>;
  readonly ignore: readonly string[];
  readonly failOn?: Severity | 'none';
  readonly maxFileSize?: number;
  readonly maxAgeDays?: number;
  readonly attest: Readonly<Record<string, { by: string; date: string; evidence: string; maxAgeDays?: number }>>;
  /** Config files found but not read (a FIFO or directory named like one), for the report's notes. */
  readonly notes?: readonly Note[];
}

export const EMPTY_CONFIG: ShipreadyConfig = { rules: new Map(), ignore: [], attest: {} };

/** Rule ids and option validators known to every command, so config is validated the same everywhere. */
export interface KnownRules {
  readonly ids: readonly string[];
  validateOptions(ruleId: string, raw: unknown): readonly string[];
}

const CONFIG_FILES = ['shipready.config.json', 'shipready.config.yaml', 'shipready.config.yml'] as const;

export { didYouMean, editDistance } from './did-you-mean.js';

function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB)$/i.exec(value);
  const amount = Number(match?.[1] ?? 0);
  const unit = (match?.[2] ?? 'B').toLowerCase();
  const factor = unit === 'kb' ? 1000 : unit === 'kib' ? 1024 : unit === 'mb' ? 1_000_000 : unit === 'mib' ? 1024 * 1024 : 1;
  return Math.round(amount * factor);
}

function expectedFor(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return ` (expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')})`;
  if (issue.code === 'unrecognized_keys') return '';
  if (issue.code === 'invalid_union') return ' (expected a severity, "off", "on" or { severity, enabled, options })';
  return '';
}

function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.map((segment) => String(segment)).join('.') || '(root)';
}

/**
 * Validates a parsed config object. Every problem is collected before failing, each as
 * `path: message (expected …)`, with "did you mean" for unknown rule and checklist ids.
 *
 * @example validateConfig({ rules: { 'security/secret-comitted': 'off' } }, 'shipready.config.json', known)
 */
export function validateConfig(raw: unknown, source: string, known: KnownRules): Result<ShipreadyConfig, UserError> {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.map((key) => `"${key}"`).join(', ')}` : '';
      problems.push(`${formatPath(issue.path)}: ${issue.message}${keys}${expectedFor(issue)}`);
    }
  }
  const config = parsed.success ? parsed.data : undefined;
  // Ids are checked on the raw input too, so a typo is reported alongside schema errors, not after a fix.
  const loose = z.object({ rules: z.record(z.string(), z.unknown()).optional(), attest: z.record(z.string(), z.unknown()).optional() }).loose().safeParse(raw);
  const rawRules = loose.success ? (loose.data.rules ?? {}) : {};
  const rawAttest = loose.success ? (loose.data.attest ?? {}) : {};
  const rules = new Map<string, ResolvedRuleSetting>();
  for (const ruleId of Object.keys(rawRules)) {
    if (!known.ids.includes(ruleId)) {
      const suggestion = didYouMean(ruleId, known.ids);
      problems.push(`rules.${ruleId}: unknown rule id${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`);
      continue;
    }
    const setting = config?.rules?.[ruleId];
    if (setting === undefined) continue;
    if (typeof setting === 'string') {
      rules.set(ruleId, setting === 'off' ? { enabled: false } : setting === 'on' ? { enabled: true } : { enabled: true, severity: setting });
      continue;
    }
    for (const problem of known.validateOptions(ruleId, setting.options)) problems.push(`rules.${ruleId}.${problem}`);
    rules.set(ruleId, {
      enabled: setting.enabled ?? true,
      ...(setting.severity === undefined ? {} : { severity: setting.severity }),
      ...(setting.options === undefined ? {} : { options: setting.options }),
    });
  }
  for (const itemId of Object.keys(rawAttest)) {
    if (!isChecklistId(itemId)) {
      const suggestion = didYouMean(itemId, CHECKLIST_IDS);
      problems.push(`attest.${itemId}: unknown checklist item${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`);
    }
  }
  if (problems.length > 0 || config === undefined) {
    return err(userError('CONFIG_INVALID', `${source}: ${problems.length} problem(s) in the configuration`, 'fix the lines below; see README "Configuration"', problems));
  }
  return ok({
    source,
    rules,
    ignore: config.ignore ?? [],
    ...(config.failOn === undefined ? {} : { failOn: config.failOn }),
    ...(config.maxFileSize === undefined ? {} : { maxFileSize: parseByteSize(config.maxFileSize) }),
    ...(config.maxAgeDays === undefined ? {} : { maxAgeDays: config.maxAgeDays }),
    attest: config.attest ?? {},
  });
}

const CONFIG_READ = { what: 'config', code: 'CONFIG_UNREADABLE', hint: 'check the --config path' } as const satisfies InputFileOptions;

function readText(file: string): Result<string, UserError> {
  return readInputFile(file, CONFIG_READ);
}

/**
 * Parses a config file's text (JSON for `*.json`, else YAML) into the raw value `validateConfig` checks. YAML's
 * alias expansion is capped by the library (an alias bomb is a parse error), so no text makes this run away.
 *
 * @example const raw = parseConfigText('rules:\n  team/adr: off\n', 'shipready.config.yaml');
 */
export function parseConfigText(text: string, file: string): Result<unknown, UserError> {
  try {
    return ok(file.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'parse error';
    return err(userError('CONFIG_INVALID', `${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'} (${reason})`, 'fix the syntax and run again'));
  }
}

/** A config as found on disk, before validation: its raw value and how messages name it. */
interface ConfigSource {
  readonly raw: unknown;
  readonly display: string;
}

interface FoundConfig {
  readonly source?: ConfigSource;
  /** Candidates in the root that exist but are not regular files: skipped, with a note. */
  readonly notes: readonly Note[];
}

/**
 * The first of `shipready.config.json|yaml|yml` in the root that is a regular file. A FIFO, socket, device or
 * directory by that name is someone else's (or a hostile repository's) and is skipped with a note: opening a
 * FIFO blocks forever, and `/dev/zero` linked there never ends.
 */
function discoverConfigFile(root: string, notes: Note[]): Result<{ file: string; text: string } | undefined, UserError> {
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    const read = readRegularFile(file, MAX_INPUT_FILE_BYTES);
    if (read.ok) return ok({ file, text: read.value.toString('utf8') });
    if (read.error.code === 'NOT_FOUND') continue;
    if (read.error.code === 'NOT_REGULAR') {
      notes.push({ kind: 'config', path: name, message: `${read.error.kind}, not a regular file; not read as the configuration` });
      continue;
    }
    // An over-size or unreadable config is the user's to fix: scanning without it would ignore their settings.
    return err(inputFileError(file, read.error, { ...CONFIG_READ, hint: 'fix its permissions, or remove it' }));
  }
  return ok(undefined);
}

/**
 * `--config FILE` when given (a relative path is taken relative to the root), else the first of
 * `shipready.config.json|yaml|yml`, else `package.json#shipready`; no source when there is none.
 */
function findConfigSource(root: string, explicit: string | undefined): Result<FoundConfig, UserError> {
  const notes: Note[] = [];
  let found: { file: string; text: string } | undefined;
  if (explicit !== undefined) {
    const file = path.resolve(root, explicit);
    const text = readText(file);
    if (!text.ok) return text;
    found = { file, text: text.value };
  } else {
    const discovered = discoverConfigFile(root, notes);
    if (!discovered.ok) return discovered;
    found = discovered.value;
  }
  if (found !== undefined) {
    const raw = parseConfigText(found.text, found.file);
    if (!raw.ok) return raw;
    return ok({ source: { raw: raw.value ?? {}, display: explicit ?? path.relative(root, found.file) }, notes });
  }
  // A package.json that cannot be read (or is not a regular file) is noted by the scan itself; it holds no usable config.
  const manifest = readRegularFile(path.join(root, 'package.json'), MAX_INPUT_FILE_BYTES);
  if (!manifest.ok) return ok({ notes });
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifest.value.toString('utf8'));
  } catch {
    // A broken package.json is reported by the scan itself (as a parse-error note); it holds no usable config.
    return ok({ notes });
  }
  const section = z.object({ shipready: z.unknown() }).safeParse(parsed);
  if (!section.success || section.data.shipready === undefined) return ok({ notes });
  return ok({ source: { raw: section.data.shipready, display: 'package.json#shipready' }, notes });
}

function validateFound(found: FoundConfig, known: KnownRules): Result<ShipreadyConfig, UserError> {
  if (found.source === undefined) return ok(found.notes.length === 0 ? EMPTY_CONFIG : { ...EMPTY_CONFIG, notes: found.notes });
  const validated = validateConfig(found.source.raw, found.source.display, known);
  if (!validated.ok || found.notes.length === 0) return validated;
  return ok({ ...validated.value, notes: found.notes });
}

/**
 * Finds and validates the config for a scan root: `--config FILE` when given (a relative path is taken
 * relative to the root; the CLI passes it absolute, resolved against the working directory), else the first of
 * `shipready.config.json|yaml|yml`, else `package.json#shipready`, else no config.
 *
 * @example
 * const config = loadConfig(root, undefined, knownRulesOf(scanRules));
 * if (config.ok) config.value.rules.get('security/secret-committed')?.enabled;
 */
export function loadConfig(root: string, explicit: string | undefined, known: KnownRules): Result<ShipreadyConfig, UserError> {
  const found = findConfigSource(root, explicit);
  if (!found.ok) return found;
  return validateFound(found.value, known);
}

/**
 * `loadConfig` for callers whose rule registries are expensive to load: `knownRules` is called only when
 * a config exists, so a run without config never loads rules it will not use.
 *
 * @example
 * const config = await loadConfigLazily(cwd, flags.config, async () => knownRulesOf((await import('../rules/index.js')).scanRules));
 */
export async function loadConfigLazily(root: string, explicit: string | undefined, knownRules: () => Promise<KnownRules>): Promise<Result<ShipreadyConfig, UserError>> {
  const found = findConfigSource(root, explicit);
  if (!found.ok) return found;
  return validateFound(found.value, found.value.source === undefined ? { ids: [], validateOptions: () => [] } : await knownRules());
}
