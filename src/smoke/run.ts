// Running flows: one session (cookie jar, scope, browser context) per flow, steps in order, flows in parallel.
// The first failed step fails its flow and every later step is reported `skipped (blocked by <id>)` without
// running, retries included. docs/smoke.md#running
import { checkHttp, type ExpectContext } from './expect-http.js';
import { runCaptures } from './capture.js';
import { SessionJar } from './cookies.js';
import { ResponseView } from './extract.js';
import { send, type HttpRequest, type HttpResponse, type TransportError } from './http.js';
import { httpExpectSchema, toMs, type HttpExpect, type HttpRequestSpec, type RetrySpec } from './schema.js';
import { isTruthy, render, renderDeep, renderText, type Scope } from './template.js';
import type { FailedCheck, FailureKind, FlowResult, LoadedFlow, LoadedStep, RequestSummary, ResponseSummary, SmokeResult, StepResult } from './types.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_WITHIN_MS = 60_000;
const DEFAULT_RETRY_INTERVAL_MS = 1_000;
/** No step waits longer than this between attempts, whatever backoff says. */
const MAX_RETRY_INTERVAL_MS = 30_000;
const EXCERPT_CHARS = 1024;

/** What a browser step needs from the flow's session; implemented by browser.ts, loaded only for flows with one. */
export interface BrowserDriver {
  runStep(step: LoadedStep, session: FlowSession): Promise<StepAttempt>;
  /** The browser's version, for the report. */
  readonly version: string;
  /** Closes the flow's browser context; the browser stays for other flows. */
  closeSession(session: FlowSession): Promise<void>;
  /** Closes the browser, after the last flow. */
  shutdown(): Promise<void>;
}

export interface RunOptions {
  readonly version: string;
  readonly now: () => Date;
  /** Flows run at most this many at a time (default 4). */
  readonly concurrency?: number;
  /** Starts the browser on first use; absent means browser steps fail with a clear error. */
  readonly openBrowser?: () => Promise<BrowserDriver>;
  /** Where a failing browser step's screenshot goes. */
  readonly artifactsDir?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called as each flow ends, for progress on a TTY. */
  readonly onFlow?: (flow: FlowResult, index: number, total: number) => void;
}

/** The state one flow's steps share. */
export interface FlowSession {
  readonly flow: LoadedFlow;
  readonly jar: SessionJar;
  readonly scope: Map<string, unknown>;
  readonly base?: URL;
  readonly allowed: ReadonlySet<string>;
  readonly options: RunOptions;
  /** Secret values known to this run, including captures marked `redact`. */
  readonly secrets: string[];
  readonly userAgent: string;
  browser?: BrowserDriver;
}

/** One try of a step. */
export interface StepAttempt {
  readonly failure?: { readonly kind: FailureKind; readonly message: string; readonly checks: readonly FailedCheck[] };
  readonly request?: RequestSummary;
  readonly response?: ResponseSummary;
  readonly captured?: ReadonlyMap<string, unknown>;
  readonly artifacts?: readonly string[];
  readonly notes?: readonly string[];
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Request headers as the report shows them: the session cookie and credentials never appear. */
function summariseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      const lower = name.toLowerCase();
      if (lower === 'authorization' || lower === 'proxy-authorization') return [lower, `${value.split(' ')[0] ?? ''} ••••`];
      if (lower === 'cookie') return [lower, value.split(/;\s*/).map((pair) => `${pair.split('=')[0] ?? ''}=••••`).join('; ')];
      return [lower, value];
    }),
  );
}

/** Response headers as the report shows them: Set-Cookie keeps the name and attributes, not the value. */
function summariseResponse(response: HttpResponse, started: number): ResponseSummary {
  const headers: Record<string, string> = {};
  for (const [name, values] of response.headers) {
    headers[name] = name === 'set-cookie' ? values.map((value) => value.replace(/^([^=;]*)=[^;]*/, '$1=••••')).join(' | ') : values.join(', ');
  }
  const excerpt = response.body.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
  return { status: response.status, url: response.url.href, headers, excerpt: `${excerpt}${response.body.length > EXCERPT_CHARS || response.truncated ? '…' : ''}`, ms: since(started) };
}

/** Resolves a step URL against base_url; only origins the flow names may be asked. */
export function resolveUrl(raw: string, session: FlowSession): { ok: true; url: URL } | { ok: false; message: string } {
  let url: URL;
  try {
    url = session.base === undefined ? new URL(raw) : new URL(raw, session.base);
  } catch {
    return { ok: false, message: `"${raw}" is not a URL${session.base === undefined ? ' (and the flow has no base_url)' : ''}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `${url.protocol} URLs are not requested` };
  if (!session.allowed.has(url.host)) return { ok: false, message: `${url.host} is not a host this flow names (base_url or an absolute URL in the file): not requested` };
  return { ok: true, url };
}

function buildRequest(spec: HttpRequestSpec, session: FlowSession, now: Date, timeoutMs: number): { ok: true; request: HttpRequest; summary: RequestSummary } | { ok: false; message: string } {
  const resolved = resolveUrl(renderText(spec.url, session.scope, now), session);
  if (!resolved.ok) return resolved;
  const url = resolved.url;
  for (const [name, value] of Object.entries(spec.query ?? {})) url.searchParams.append(name, renderText(String(value), session.scope, now));
  const headers: Record<string, string> = { 'user-agent': session.userAgent, accept: '*/*' };
  for (const [name, value] of Object.entries({ ...session.flow.defaults.headers, ...spec.headers })) headers[name.toLowerCase()] = renderText(String(value), session.scope, now);
  let body: string | undefined;
  if (spec.json !== undefined) {
    body = JSON.stringify(renderDeep(spec.json, session.scope, now));
    headers['content-type'] ??= 'application/json';
  } else if (spec.form !== undefined) {
    body = new URLSearchParams(Object.entries(spec.form).map(([name, value]): [string, string] => [name, renderText(String(value), session.scope, now)])).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (spec.body !== undefined) body = renderText(spec.body, session.scope, now);
  const method = (spec.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
  const request: HttpRequest = { method, url, headers, ...(body === undefined ? {} : { body }), followRedirects: spec.follow_redirects ?? session.flow.defaults.follow_redirects ?? true, timeoutMs };
  return { ok: true, request, summary: { method, url: url.href, headers: summariseHeaders(headers), ...(body === undefined ? {} : { body: body.slice(0, EXCERPT_CHARS) }) } };
}

function transportFailure(error: TransportError): NonNullable<StepAttempt['failure']> {
  return { kind: error.kind, message: `${error.code}: ${error.message}`, checks: [] };
}

function checksMessage(checks: readonly FailedCheck[]): string {
  const first = checks[0];
  if (first === undefined) return 'an expectation failed';
  return `${first.what}: expected ${first.expected}, got ${first.actual}${checks.length > 1 ? ` (and ${checks.length - 1} more)` : ''}`;
}

/** Renders templated expected values (`$.email: "{{email}}"`) in the step's scope, re-validated by the same schema. */
function renderExpect(expect: HttpExpect | undefined, scope: Scope, now: Date): HttpExpect | undefined {
  if (expect === undefined) return undefined;
  const parsed = httpExpectSchema.safeParse(renderDeep(expect, scope, now));
  return parsed.success ? parsed.data : expect;
}

async function httpAttempt(step: LoadedStep, spec: HttpRequestSpec, session: FlowSession, timeoutMs: number): Promise<StepAttempt> {
  const now = session.options.now();
  const built = buildRequest(spec, session, now, timeoutMs);
  if (!built.ok) return { failure: { kind: 'error', message: built.message, checks: [] } };
  const started = performance.now();
  const result = await send(built.request, session.jar, session.allowed);
  if (!result.ok) return { request: built.summary, failure: transportFailure(result.error) };
  const response = result.value;
  const summary = summariseResponse(response, started);
  const notes = response.redirectRefused === undefined ? [] : [`redirect to ${response.redirectRefused} not followed: not a host this flow names`];
  const expect = renderExpect(step.httpExpect, session.scope, now);
  const context: ExpectContext = { jar: session.jar, allowed: session.allowed, timeoutMs, now, userAgent: session.userAgent, ...(step.validateSchema === undefined ? {} : { validateSchema: step.validateSchema }) };
  const checks = expect === undefined ? [] : await checkHttp(response, expect, built.request.method, context);
  const captured = runCaptures(new ResponseView(response), step.spec.capture ?? {});
  const base = { request: built.summary, response: summary, ...(notes.length === 0 ? {} : { notes }) };
  if (checks.length > 0) return { ...base, failure: { kind: 'assert', message: checksMessage(checks), checks } };
  if (captured.missing.length > 0) {
    const checksOfCapture = captured.missing.map(({ name, where }) => ({ what: `capture ${name}`, expected: `a value from ${where}`, actual: 'nothing found' }));
    return { ...base, failure: { kind: 'capture', message: checksMessage(checksOfCapture), checks: checksOfCapture } };
  }
  return { ...base, captured: captured.values };
}

function retryDelays(retry: RetrySpec | undefined): number[] {
  if (retry === undefined) return [];
  const interval = retry.interval === undefined ? DEFAULT_RETRY_INTERVAL_MS : toMs(retry.interval);
  return Array.from({ length: retry.attempts - 1 }, (_, index) => Math.min(MAX_RETRY_INTERVAL_MS, Math.round(interval * (retry.backoff ?? 1) ** index)));
}

/** Runs a step's attempts until one passes, the retries run out, or (`until: connect`) an answer came. */
async function attemptStep(step: LoadedStep, session: FlowSession, attempt: () => Promise<StepAttempt>): Promise<{ outcome: StepAttempt; attempts: number }> {
  const delays = retryDelays(step.spec.retry);
  const sleep = session.options.sleep ?? defaultSleep;
  let outcome = await attempt();
  let attempts = 1;
  for (const delay of delays) {
    if (outcome.failure === undefined) break;
    const onlyConnect = step.spec.retry?.until === 'connect';
    if (onlyConnect && outcome.failure.kind !== 'connect' && outcome.failure.kind !== 'timeout') break;
    await sleep(delay);
    outcome = await attempt();
    attempts += 1;
  }
  return { outcome, attempts };
}

function stepTimeout(step: LoadedStep, flow: LoadedFlow): number {
  const raw = step.spec.timeout ?? step.spec.http?.timeout ?? step.spec.browser?.timeout ?? flow.defaults.timeout;
  return raw === undefined ? DEFAULT_TIMEOUT_MS : toMs(raw);
}

function toStepResult(step: LoadedStep, kind: StepResult['kind'], outcome: StepAttempt, attempts: number, ms: number, id: string): StepResult {
  return {
    id,
    name: step.name,
    kind,
    ...(step.line === undefined ? {} : { line: step.line }),
    status: outcome.failure === undefined ? 'passed' : 'failed',
    ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
    ...(outcome.request === undefined ? {} : { request: outcome.request }),
    ...(outcome.response === undefined ? {} : { response: outcome.response }),
    ...(outcome.artifacts === undefined ? {} : { artifacts: outcome.artifacts }),
    ...(outcome.notes === undefined ? {} : { notes: outcome.notes }),
    attempts,
    ms,
  };
}

interface StepsOutcome {
  readonly results: StepResult[];
  readonly failed?: { readonly id: string; readonly kind: FailureKind };
}

function skipped(step: LoadedStep, id: string, reason: string, blockedBy?: string): StepResult {
  return { id, name: step.name, kind: step.spec.browser !== undefined ? 'browser' : step.spec.include !== undefined ? 'include' : 'http', ...(step.line === undefined ? {} : { line: step.line }), status: 'skipped', skipReason: reason, ...(blockedBy === undefined ? {} : { blockedBy }), attempts: 0, ms: 0 };
}

/** The scope an included flow starts with: its vars and secrets, and its inputs rendered in the caller's scope. */
function includedScope(step: LoadedStep, included: LoadedFlow, session: FlowSession, now: Date): Map<string, unknown> {
  const scope = new Map<string, unknown>();
  for (const [name, value] of Object.entries(step.spec.with ?? {})) scope.set(name, typeof value === 'string' ? render(value, session.scope, now) : value);
  for (const [name, value] of included.secrets) scope.set(name, value);
  for (const [name, value] of Object.entries(included.vars)) scope.set(name, typeof value === 'string' ? render(value, scope, now) : value);
  return scope;
}

async function runSteps(steps: readonly LoadedStep[], session: FlowSession, prefix: string): Promise<StepsOutcome> {
  const results: StepResult[] = [];
  let failed: StepsOutcome['failed'];
  for (const step of steps) {
    const id = `${prefix}${step.id}`;
    if (failed !== undefined) {
      results.push(skipped(step, id, `blocked by ${failed.id}`, failed.id));
      continue;
    }
    const now = session.options.now();
    if (step.spec.if !== undefined && !isTruthy(step.spec.if, session.scope, now)) {
      results.push(skipped(step, id, `if: ${step.spec.if} is false`));
      continue;
    }
    if (step.spec.skip_if !== undefined && isTruthy(step.spec.skip_if, session.scope, now)) {
      results.push(skipped(step, id, `skip_if: ${step.spec.skip_if} is true`));
      continue;
    }
    const started = performance.now();
    if (step.included !== undefined) {
      const included = step.included;
      const child: FlowSession = { ...session, flow: included, scope: includedScope(step, included, session, now), ...(included.baseUrl === undefined ? {} : { base: included.baseUrl }) };
      const inner = await runSteps(included.steps, child, `${id}/`);
      // The session object is shared by reference, so a browser the include started stays with the flow.
      if (child.browser !== undefined) session.browser = child.browser;
      for (const [name, template] of Object.entries(included.outputs)) session.scope.set(name, render(template, child.scope, session.options.now()));
      const failure = inner.failed === undefined ? undefined : { kind: inner.failed.kind, message: `${inner.failed.id} failed`, checks: [] };
      results.push(toStepResult(step, 'include', failure === undefined ? {} : { failure }, 1, since(started), id), ...inner.results);
      if (inner.failed !== undefined) failed = inner.failed;
      continue;
    }
    const timeoutMs = stepTimeout(step, session.flow);
    const http = step.spec.http;
    const kind = http === undefined ? 'browser' : 'http';
    const { outcome, attempts } = await attemptStep(step, session, async () => {
      if (http !== undefined) return httpAttempt(step, http, session, timeoutMs);
      return browserAttempt(step, session);
    });
    for (const [name, value] of outcome.captured ?? []) {
      session.scope.set(name, value);
      if (step.spec.capture?.[name]?.redact === true && typeof value === 'string') session.secrets.push(value);
    }
    const result = toStepResult(step, kind, outcome, attempts, since(started), id);
    results.push(result);
    if (outcome.failure !== undefined) failed = { id, kind: outcome.failure.kind };
  }
  return { results, ...(failed === undefined ? {} : { failed }) };
}

async function browserAttempt(step: LoadedStep, session: FlowSession): Promise<StepAttempt> {
  if (session.browser === undefined) {
    if (session.options.openBrowser === undefined) return { failure: { kind: 'error', message: 'browser steps need a browser: pass --browser PATH or put chromium on PATH', checks: [] } };
    try {
      session.browser = await session.options.openBrowser();
    } catch (error) {
      return { failure: { kind: 'error', message: `cannot start the browser: ${error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error)}`, checks: [] } };
    }
  }
  return session.browser.runStep(step, session);
}

/** Polls each `wait_for` gate until it passes or its `within` runs out. */
async function runWaitFor(session: FlowSession): Promise<StepResult | undefined> {
  const sleep = session.options.sleep ?? defaultSleep;
  for (const [index, gate] of session.flow.waitFor.entries()) {
    const started = performance.now();
    const within = gate.spec.within === undefined ? DEFAULT_WAIT_WITHIN_MS : toMs(gate.spec.within);
    const interval = gate.spec.interval === undefined ? 2_000 : toMs(gate.spec.interval);
    const step: LoadedStep = { id: `wait_for-${index + 1}`, name: `wait for ${gate.spec.http.url}`, ...(gate.line === undefined ? {} : { line: gate.line }), spec: { http: gate.spec.http }, ...(gate.expect === undefined ? {} : { httpExpect: gate.expect }) };
    let attempts = 0;
    let outcome: StepAttempt;
    for (;;) {
      attempts += 1;
      outcome = await httpAttempt(step, gate.spec.http, session, Math.min(stepTimeout(step, session.flow), within));
      if (outcome.failure === undefined || performance.now() - started + interval > within) break;
      await sleep(interval);
    }
    if (outcome.failure !== undefined) {
      const failure = { ...outcome.failure, message: `not ready within ${Math.round(within / 1000)} s: ${outcome.failure.message}` };
      return toStepResult(step, 'wait_for', { ...outcome, failure }, attempts, since(started), step.id);
    }
  }
  return undefined;
}

async function runFlow(flow: LoadedFlow, options: RunOptions, secrets: string[]): Promise<FlowResult> {
  const started = performance.now();
  const now = options.now();
  const scope = new Map<string, unknown>();
  for (const [name, value] of flow.secrets) scope.set(name, value);
  for (const [name, value] of Object.entries(flow.vars)) scope.set(name, typeof value === 'string' ? render(value, scope, now) : value);
  const session: FlowSession = { flow, jar: new SessionJar(), scope, ...(flow.baseUrl === undefined ? {} : { base: flow.baseUrl }), allowed: flow.allowedOrigins, options, secrets, userAgent: `shipready-smoke/${options.version}` };
  try {
    const gate = await runWaitFor(session);
    if (gate !== undefined) {
      const blocked = flow.steps.map((step) => skipped(step, step.id, `blocked by ${gate.id}`, gate.id));
      return { name: flow.name, file: flow.file, status: 'failed', failedStep: gate.id, ...(gate.failure === undefined ? {} : { failureKind: gate.failure.kind }), steps: [gate, ...blocked], ms: since(started) };
    }
    const outcome = await runSteps(flow.steps, session, '');
    return {
      name: flow.name,
      file: flow.file,
      status: outcome.failed === undefined ? 'passed' : 'failed',
      ...(outcome.failed === undefined ? {} : { failedStep: outcome.failed.id, failureKind: outcome.failed.kind }),
      steps: outcome.results,
      ms: since(started),
    };
  } finally {
    await session.browser?.closeSession(session);
  }
}

/**
 * Runs loaded flows, at most `concurrency` at a time, each in its own session.
 *
 * @example
 * const result = await runFlows(flows.value, { version: '0.1.0', now: () => new Date() });
 * result.flows.every((flow) => flow.status === 'passed')
 */
export async function runFlows(flows: readonly LoadedFlow[], options: RunOptions): Promise<SmokeResult> {
  const started = performance.now();
  const secrets: string[] = flows.flatMap((flow) => [...flow.secrets.values(), ...includedSecrets(flow)]);
  const results: FlowResult[] = new Array<FlowResult>(flows.length);
  let next = 0;
  let finished = 0;
  // One browser for the whole run, started by the first browser step; each flow gets its own context in it.
  let browser: Promise<BrowserDriver> | undefined;
  const openBrowser = options.openBrowser;
  const wrapped: RunOptions = { ...options, ...(openBrowser === undefined ? {} : { openBrowser: () => (browser ??= openBrowser()) }) };
  const worker = async (): Promise<void> => {
    for (let index = next++; index < flows.length; index = next++) {
      const flow = flows[index];
      if (flow === undefined) continue;
      const result = await runFlow(flow, wrapped, secrets);
      results[index] = result;
      options.onFlow?.(result, finished++, flows.length);
    }
  };
  let browserVersion: string | undefined;
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, flows.length)) }, worker));
  } finally {
    const driver = browser === undefined ? undefined : await browser.catch(() => undefined);
    browserVersion = driver?.version;
    await driver?.shutdown();
  }
  return { flows: results, ms: since(started), ...(browserVersion === undefined ? {} : { browserVersion }), notes: [], secrets };
}

function includedSecrets(flow: LoadedFlow): string[] {
  return flow.steps.flatMap((step) => (step.included === undefined ? [] : [...step.included.secrets.values(), ...includedSecrets(step.included)]));
}
