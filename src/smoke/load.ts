// Loading flows: find the files, parse the YAML, read `${ENV}` and the secrets, validate against the schema and
// then check what a schema cannot (unknown `{{names}}`, invalid patterns and selectors, duplicate step ids,
// includes and their inputs). Every problem of every file is collected before failing, each as `path: message`,
// so a broken CI configuration is fixed in one round. docs/smoke.md#format
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv } from 'ajv';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { readInputFile } from '../core/safe-read.js';
import { isValidSelector } from './extract.js';
import { isValidStatusExpectation, safeRegExp } from './matchers.js';
import { browserExpectSchema, describeIssues, flowSchema, httpExpectSchema, type FlowSpec, type HttpExpect, type StepSpec } from './schema.js';
import { GENERATORS, interpolateEnv, placeholderNames } from './template.js';
import type { LoadedFlow, LoadedStep } from './types.js';

/** Where flows live when none are named: `smoke/*.yaml`, else `.shipready/smoke/*.yaml`. Files named `_*.yaml` are includes. */
export const DEFAULT_FLOW_DIRS = ['smoke', '.shipready/smoke'] as const;
const MAX_FLOW_BYTES = 1024 * 1024;
const MAX_INCLUDE_DEPTH = 5;

export interface LoadOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const isYaml = (name: string): boolean => /\.ya?ml$/i.test(name);

/** The flow files to run: the named files and folders, or the default folders. */
export function findFlowFiles(named: readonly string[], cwd: string): Result<string[], UserError> {
  const files: string[] = [];
  const problems: string[] = [];
  const fromDir = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && isYaml(entry.name) && !entry.name.startsWith('_'))
      .map((entry) => path.join(dir, entry.name))
      .sort();
  if (named.length === 0) {
    for (const dir of DEFAULT_FLOW_DIRS) {
      const full = path.resolve(cwd, dir);
      if (fs.existsSync(full) && fs.statSync(full).isDirectory()) files.push(...fromDir(full));
      if (files.length > 0) break;
    }
    if (files.length === 0) return err(userError('CONFIG_INVALID', `no smoke flows found (looked for ${DEFAULT_FLOW_DIRS.map((dir) => `${dir}/*.yaml`).join(' and ')})`, 'name flow files, or write a starter flow with `shipready smoke --init`'));
    return ok(files);
  }
  for (const each of named) {
    const full = path.resolve(cwd, each);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (stat === undefined) problems.push(`${each}: no such file or folder`);
    else if (stat.isDirectory()) {
      const found = fromDir(full);
      if (found.length === 0) problems.push(`${each}: no *.yaml flow in this folder`);
      files.push(...found);
    } else files.push(full);
  }
  if (problems.length > 0) return err(userError('CONFIG_INVALID', `cannot find ${problems.length === 1 ? 'a flow' : `${problems.length} flows`}`, 'check the paths given to `shipready smoke`', problems));
  return ok([...new Set(files)]);
}

/** The file as the user should see it: relative to the working directory when it is below it. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** Replaces `${NAME}` in every string of the tree except under `secrets` (read separately, never as literals). */
function interpolateTree(value: unknown, env: LoadOptions['env'], at: string, problems: string[], file: string): unknown {
  if (typeof value === 'string') {
    const { text, missing } = interpolateEnv(value, env);
    for (const name of missing) problems.push(`${file}: ${at}: environment variable ${name} is not set`);
    return text;
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolateTree(item, env, `${at}.${index}`, problems, file));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, at === '' && key === 'secrets' ? item : interpolateTree(item, env, at === '' ? key : `${at}.${key}`, problems, file)]));
  }
  return value;
}

function readSecrets(spec: FlowSpec, file: string, fullPath: string, env: LoadOptions['env'], problems: string[]): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const [name, source] of Object.entries(spec.secrets ?? {})) {
    const where = `${file}: secrets.${name}`;
    if (typeof source === 'string') {
      const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(source.trim());
      if (whole?.[1] === undefined) {
        problems.push(`${where}: a secret comes from the environment ("\${NAME}" or { env: NAME }) or a file ({ file: path }), never a literal in the flow file`);
        continue;
      }
      const value = env[whole[1]];
      if (value === undefined || value === '') problems.push(`${where}: environment variable ${whole[1]} is not set`);
      else secrets.set(name, value);
    } else if ('env' in source) {
      const value = env[source.env];
      if (value === undefined || value === '') problems.push(`${where}: environment variable ${source.env} is not set`);
      else secrets.set(name, value);
    } else {
      const target = path.resolve(path.dirname(fullPath), source.file);
      const text = readInputFile(target, { what: 'secret file', code: 'CONFIG_INVALID', hint: '', maxBytes: 64 * 1024 });
      if (!text.ok) problems.push(`${where}: ${text.error.message}`);
      // A secret file usually ends with a newline the value does not have.
      else secrets.set(name, text.value.replace(/\r?\n$/, ''));
    }
  }
  return secrets;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

function lineOf(document: Document, counter: LineCounter, keys: ReadonlyArray<string | number>): number | undefined {
  const node = document.getIn(keys, true);
  if (node === null || typeof node !== 'object' || !('range' in node) || !Array.isArray(node.range)) return undefined;
  const offset: unknown = node.range[0];
  return typeof offset === 'number' ? counter.linePos(offset).line : undefined;
}

/** Every string in a value, with its dotted path, for the placeholder check. */
function strings(value: unknown, at: string, out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((item, index) => strings(item, `${at}.${index}`, out));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) strings(item, `${at}.${key}`, out);
  return out;
}

function originOf(raw: string): string | undefined {
  if (!/^https?:\/\//i.test(raw) || /^https?:\/\/[^/]*\{\{/.test(raw)) return undefined;
  try {
    return new URL(raw).host;
  } catch {
    return undefined;
  }
}

function compileSchema(schema: HttpExpect['schema'], fullPath: string, where: string, problems: string[]): ((value: unknown) => string[]) | undefined {
  if (schema === undefined) return undefined;
  let document: unknown = schema;
  if (typeof schema === 'string') {
    const target = path.resolve(path.dirname(fullPath), schema);
    const text = readInputFile(target, { what: 'JSON Schema', code: 'CONFIG_INVALID', hint: '' });
    if (!text.ok) {
      problems.push(`${where}: ${text.error.message}`);
      return undefined;
    }
    try {
      document = target.endsWith('.json') ? JSON.parse(text.value) : parseDocument(text.value).toJS();
    } catch (error) {
      problems.push(`${where}: ${schema} is not JSON (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    problems.push(`${where}: a JSON Schema is an object`);
    return undefined;
  }
  try {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(document);
    return (value) => (validate(value) ? [] : (validate.errors ?? []).slice(0, 10).map((error) => `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? 'is invalid'}`));
  } catch (error) {
    problems.push(`${where}: invalid JSON Schema (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

interface Context {
  readonly options: LoadOptions;
  readonly problems: string[];
  /** Files on the include chain, to refuse a cycle. */
  readonly chain: readonly string[];
  readonly inheritedBase?: URL;
}

function checkStep(step: StepSpec, at: string, file: string, fullPath: string, problems: string[]): Pick<LoadedStep, 'httpExpect' | 'browserExpect' | 'validateSchema'> {
  const out: { httpExpect?: HttpExpect; browserExpect?: LoadedStep['browserExpect']; validateSchema?: (value: unknown) => string[] } = {};
  if (step.expect !== undefined) {
    if (step.browser !== undefined) {
      const parsed = browserExpectSchema.safeParse(step.expect);
      if (parsed.success) out.browserExpect = parsed.data;
      else problems.push(...describeIssues(parsed.error, file).map((line) => line.replace(`${file}: `, `${file}: ${at}.expect.`)));
    } else {
      const parsed = httpExpectSchema.safeParse(step.expect);
      if (parsed.success) {
        out.httpExpect = parsed.data;
        if (parsed.data.status !== undefined && !isValidStatusExpectation(parsed.data.status)) problems.push(`${file}: ${at}.expect.status: a status such as 200, "2xx", "200-299" or a list of them`);
        for (const selector of Object.keys(parsed.data.css ?? {})) if (!isValidSelector(selector)) problems.push(`${file}: ${at}.expect.css: "${selector}" is not a valid CSS selector`);
        if (parsed.data.body?.matches !== undefined && safeRegExp(parsed.data.body.matches) === undefined) problems.push(`${file}: ${at}.expect.body.matches: not a valid regular expression`);
        const validate = compileSchema(parsed.data.schema, fullPath, `${file}: ${at}.expect.schema`, problems);
        if (validate !== undefined) out.validateSchema = validate;
      } else problems.push(...describeIssues(parsed.error, file).map((line) => line.replace(`${file}: `, `${file}: ${at}.expect.`)));
    }
  }
  for (const [name, capture] of Object.entries(step.capture ?? {})) {
    if (capture.regex !== undefined && safeRegExp(capture.regex) === undefined) problems.push(`${file}: ${at}.capture.${name}.regex: not a valid regular expression`);
    if (capture.css !== undefined && !isValidSelector(capture.css)) problems.push(`${file}: ${at}.capture.${name}.css: "${capture.css}" is not a valid CSS selector`);
  }
  return out;
}

function loadFile(fullPath: string, context: Context): LoadedFlow | undefined {
  const { options, problems } = context;
  const file = displayPath(fullPath, options.cwd);
  if (context.chain.includes(fullPath)) {
    problems.push(`${file}: includes itself (${[...context.chain, fullPath].map((each) => displayPath(each, options.cwd)).join(' → ')})`);
    return undefined;
  }
  const text = readInputFile(fullPath, { what: 'smoke flow', code: 'CONFIG_INVALID', hint: '', maxBytes: MAX_FLOW_BYTES });
  if (!text.ok) {
    problems.push(`${file}: ${text.error.message}`);
    return undefined;
  }
  const counter = new LineCounter();
  const document = parseDocument(text.value, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    // The first few: after one syntax error the parser's later complaints are mostly echoes of it.
    for (const error of document.errors.slice(0, 5)) problems.push(`${file}:${counter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0] ?? error.message}`);
    return undefined;
  }
  if (!isMap(document.contents)) {
    problems.push(`${file}: a flow is a YAML mapping with version, name and steps`);
    return undefined;
  }
  const before = problems.length;
  const raw = interpolateTree(document.toJS(), options.env, '', problems, file);
  const parsed = flowSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...describeIssues(parsed.error, file));
    return undefined;
  }
  const spec = parsed.data;
  const secrets = readSecrets(spec, file, fullPath, options.env, problems);
  let baseUrl = context.inheritedBase;
  if (spec.base_url !== undefined && !spec.base_url.includes('${')) {
    try {
      const url = new URL(spec.base_url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`${file}: base_url: an http or https URL, got ${url.protocol}`);
      else baseUrl = url;
    } catch {
      problems.push(`${file}: base_url: not a URL: "${spec.base_url}"`);
    }
  }
  const steps: LoadedStep[] = [];
  const ids = new Set<string>();
  const stepsNode = document.get('steps', true);
  const known = new Set<string>([...Object.keys(spec.vars ?? {}), ...secrets.keys(), ...Object.keys(spec.secrets ?? {}), ...(spec.inputs ?? []), ...Object.keys(GENERATORS)]);
  for (const step of spec.steps) for (const name of Object.keys(step.capture ?? {})) known.add(name);
  const origins = new Set<string>();
  if (baseUrl !== undefined) origins.add(baseUrl.host);
  let hasBrowserStep = false;
  spec.steps.forEach((step, index) => {
    const at = `steps.${index}`;
    const id = step.id ?? (step.name === undefined || slug(step.name) === '' ? `step-${index + 1}` : slug(step.name));
    if (ids.has(id)) problems.push(`${file}: ${at}.id: "${id}" is used by an earlier step (give each step its own id)`);
    ids.add(id);
    const checked = checkStep(step, at, file, fullPath, problems);
    let included: LoadedFlow | undefined;
    if (step.include !== undefined) {
      if (context.chain.length >= MAX_INCLUDE_DEPTH) problems.push(`${file}: ${at}.include: includes nest deeper than ${MAX_INCLUDE_DEPTH}`);
      else {
        included = loadFile(path.resolve(path.dirname(fullPath), step.include), { ...context, chain: [...context.chain, fullPath], ...(baseUrl === undefined ? {} : { inheritedBase: baseUrl }) });
        if (included !== undefined) {
          for (const input of included.inputs) if (step.with?.[input] === undefined) problems.push(`${file}: ${at}.with.${input}: ${step.include} expects this input`);
          for (const key of Object.keys(step.with ?? {})) if (!included.inputs.includes(key)) problems.push(`${file}: ${at}.with.${key}: ${step.include} declares no such input (inputs: ${included.inputs.join(', ') || 'none'})`);
          for (const name of Object.keys(included.outputs)) known.add(name);
          for (const origin of included.allowedOrigins) origins.add(origin);
          hasBrowserStep ||= included.hasBrowserStep;
        }
      }
    }
    if (step.browser !== undefined) hasBrowserStep = true;
    const line = stepsNode !== undefined && isSeq(stepsNode) ? lineOf(document, counter, ['steps', index]) : undefined;
    steps.push({ id, name: step.name ?? id, ...(line === undefined ? {} : { line }), spec: step, ...checked, ...(included === undefined ? {} : { included }) });
  });
  // Placeholders are checked after every step's captures and every include's outputs are known.
  const templated: Array<[string, string]> = [];
  spec.steps.forEach((step, index) => {
    const { include: _include, id: _id, name: _name, ...rest } = step;
    strings(rest, `steps.${index}`, templated);
  });
  for (const [index, wait] of (spec.wait_for ?? []).entries()) strings(wait, `wait_for.${index}`, templated);
  strings(spec.outputs ?? {}, 'outputs', templated);
  strings(spec.vars ?? {}, 'vars', templated);
  for (const [at, value] of templated) {
    for (const name of placeholderNames(value)) if (!known.has(name)) problems.push(`${file}: ${at}: {{${name}}} is not defined (vars, secrets, inputs, captures and include outputs are; generators: ${Object.keys(GENERATORS).join(', ')})`);
    const origin = originOf(value);
    if (origin !== undefined) origins.add(origin);
  }
  const relativeUrls = [...spec.steps.flatMap((step, index) => [[`steps.${index}.http.url`, step.http?.url], [`steps.${index}.browser.goto`, step.browser?.goto]]), ...(spec.wait_for ?? []).map((wait, index) => [`wait_for.${index}.http.url`, wait.http.url])];
  for (const [at, url] of relativeUrls) if (url !== undefined && !/^https?:\/\//i.test(url) && !url.startsWith('{{') && baseUrl === undefined && spec.inputs === undefined) problems.push(`${file}: ${at}: "${url}" is relative and the flow has no base_url`);
  const waitFor = (spec.wait_for ?? []).map((wait, index) => {
    const parsedExpect = wait.expect === undefined ? undefined : httpExpectSchema.safeParse(wait.expect);
    if (parsedExpect !== undefined && !parsedExpect.success) problems.push(...describeIssues(parsedExpect.error, file).map((line) => line.replace(`${file}: `, `${file}: wait_for.${index}.expect.`)));
    const line = lineOf(document, counter, ['wait_for', index]);
    return { spec: wait, ...(parsedExpect?.success === true ? { expect: parsedExpect.data } : {}), ...(line === undefined ? {} : { line }) };
  });
  if (problems.length > before) return undefined;
  return {
    file,
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    vars: spec.vars ?? {},
    secrets,
    inputs: spec.inputs ?? [],
    outputs: spec.outputs ?? {},
    defaults: spec.defaults ?? {},
    waitFor,
    steps,
    allowedOrigins: origins,
    hasBrowserStep,
  };
}

/**
 * Loads and validates flow files; fails with every problem of every file.
 *
 * @example
 * const flows = loadFlows(['smoke/login.yaml'], { cwd: '/repo', env: { APP_URL: 'https://app.io', SMOKE_PASSWORD: '…' } });
 * if (!flows.ok) console.error(flows.error.details); // ['smoke/login.yaml: secrets.password: environment variable SMOKE_PASSWORD is not set']
 */
export function loadFlows(files: readonly string[], options: LoadOptions): Result<LoadedFlow[], UserError> {
  const problems: string[] = [];
  const flows: LoadedFlow[] = [];
  for (const file of files) {
    const flow = loadFile(file, { options, problems, chain: [] });
    if (flow !== undefined) flows.push(flow);
  }
  if (problems.length > 0) {
    const missing = [...new Set(problems.flatMap((problem) => /environment variable (\w+) is not set/.exec(problem)?.[1] ?? []))];
    const message = missing.length > 0 ? `smoke flows need ${missing.join(', ')} (not set)` : `invalid smoke flow${files.length === 1 ? '' : 's'}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    return err(userError('CONFIG_INVALID', message, missing.length > 0 ? `export ${missing.join(', ')} before running shipready smoke` : 'see docs/smoke.md#format', problems));
  }
  const names = new Map<string, string>();
  for (const flow of flows) {
    const other = names.get(flow.name);
    if (other !== undefined) problems.push(`${flow.file}: name: "${flow.name}" is also the name of ${other}`);
    names.set(flow.name, flow.file);
  }
  if (problems.length > 0) return err(userError('CONFIG_INVALID', 'two smoke flows share a name', 'give each flow its own name', problems));
  return ok(flows);
}
