// How a smoke run is shown: the shared report, so every reporter (text, JSON, SARIF, Markdown, GitHub, and any
// added later) works unchanged. A failing step is a finding of `smoke/<kind>` located at the step's line in its
// flow file, whose evidence holds the request, the response excerpt and the expectations that failed; the
// per-step detail is the `smoke` section (lines for people, data for machines). Every string is masked with the
// run's secret values before it leaves here. docs/smoke.md#output
import { assignFingerprints, toFinding, toRuleMeta } from '../core/engine.js';
import { redactText } from '../core/redact.js';
import type { Report } from '../core/report.js';
import type { RuleMetadata } from '../core/rule.js';
import type { Severity } from '../core/severity.js';
import { buildReport } from '../core/verdict.js';
import type { FailureKind, FlowResult, SmokeResult, StepResult } from './types.js';

const KIND_TITLES: Readonly<Record<FailureKind, string>> = {
  assert: 'Smoke step expectations hold',
  capture: 'Smoke step captures find their values',
  connect: 'Smoke step targets accept connections',
  timeout: 'Smoke steps answer within their timeout',
  error: 'Smoke steps can run',
};

const KIND_FIXES: Readonly<Record<FailureKind, string>> = {
  assert: 'The app answered, but not as the flow expects: compare the failed expectations with the response above. A wrong password, a cookie attribute or a CORS header changed by the deploy are the usual causes; if the app changed on purpose, update the flow.',
  capture: 'The page or API no longer holds what the flow reads for a later step (a CSRF field, a token): check the response above, then the selector, JSONPath or pattern of the capture.',
  connect: 'Nothing accepted the connection: check that the deploy finished and the service listens, that DNS points at it and that the certificate is valid; add `wait_for` to the flow to wait for a fresh deploy.',
  timeout: 'No complete answer came in time: check the app and its dependencies (`shipready doctor` diagnoses the layers); raise `timeout` only when the step is slow by design.',
  error: 'The step could not run as written: read the message (a host the flow does not name, a browser that did not start) and fix the flow or the invocation.',
};

export const SMOKE_RULES: readonly RuleMetadata[] = (Object.keys(KIND_TITLES) as FailureKind[]).map((kind) => ({
  id: `smoke/${kind}`,
  title: KIND_TITLES[kind],
  description: `A step of a shipready smoke flow failed with kind "${kind}": a real user's path through the deployed app is broken.`,
  category: 'operations',
  // A user who cannot log in after a deploy is an outage now: any --fail-on but `none` fails the run.
  severity: 'critical',
  docs: `docs/smoke.md#${kind}`,
  fix: KIND_FIXES[kind],
}));

const MARK: Readonly<Record<StepResult['status'], string>> = { passed: '✓', failed: '✗', skipped: '-' };

function stepLine(step: StepResult): string {
  const what = step.request === undefined ? '' : ` ${step.request.method} ${step.request.url}`;
  const status = step.response === undefined ? '' : ` → ${step.response.status}`;
  const timing = step.status === 'skipped' ? '' : ` (${step.ms} ms${step.attempts > 1 ? `, ${step.attempts} attempts` : ''})`;
  const outcome = step.status === 'skipped' ? ` skipped (${step.skipReason ?? 'skipped'})` : step.failure === undefined ? '' : ` — ${step.failure.message} [${step.failure.kind}]`;
  return `  ${MARK[step.status]} ${step.id}${what}${status}${timing}${outcome}`;
}

/** The text of the smoke section: one line per flow, its steps indented. */
export function smokeLines(result: SmokeResult): string[] {
  const lines: string[] = [];
  for (const flow of result.flows) {
    lines.push(`[${flow.status === 'passed' ? '✓' : '✗'}] ${flow.name} (${flow.file}) ${flow.ms} ms`);
    for (const step of flow.steps) {
      lines.push(stepLine(step));
      for (const note of step.notes ?? []) lines.push(`      note: ${note}`);
      for (const artifact of step.artifacts ?? []) lines.push(`      artefact: ${artifact}`);
    }
  }
  if (result.browserVersion !== undefined) lines.push(`browser: ${result.browserVersion}`);
  return lines;
}

function detailOf(flow: FlowResult, step: StepResult): string {
  const failure = step.failure;
  const lines = [`Flow "${flow.name}" (${flow.file}), step ${step.id} "${step.name}" failed after ${step.attempts} attempt(s): ${failure?.kind ?? 'error'}: ${failure?.message ?? ''}`];
  if (step.request !== undefined) {
    lines.push(`Request: ${step.request.method} ${step.request.url}`);
    for (const [name, value] of Object.entries(step.request.headers)) if (name !== 'user-agent' && name !== 'accept') lines.push(`  ${name}: ${value}`);
    if (step.request.body !== undefined) lines.push(`  body: ${step.request.body}`);
  }
  if (step.response !== undefined) {
    lines.push(`Response: ${step.response.status} from ${step.response.url} in ${step.response.ms} ms`);
    for (const name of ['content-type', 'location', 'set-cookie', 'access-control-allow-origin', 'access-control-allow-credentials']) {
      const value = step.response.headers[name];
      if (value !== undefined) lines.push(`  ${name}: ${value}`);
    }
    if (step.response.excerpt !== '') lines.push(`  body: ${step.response.excerpt.slice(0, 400)}`);
  }
  if (failure !== undefined && failure.checks.length > 0) {
    lines.push('Expected:');
    for (const check of failure.checks) lines.push(`  - ${check.what}: expected ${check.expected}, got ${check.actual}`);
  }
  for (const artifact of step.artifacts ?? []) lines.push(`Artefact: ${artifact}`);
  return lines.join('\n');
}

/** Masks the run's secret values (and whatever the detectors recognise) in every string of a JSON value. */
function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, secrets)]));
  return value;
}

/** The machine-readable form of a run, as it appears in the JSON report's `smoke` section. */
export function smokeData(result: SmokeResult): unknown {
  const { secrets: _secrets, ...rest } = result;
  const steps = result.flows.flatMap((flow) => flow.steps);
  return {
    ...rest,
    status: result.flows.every((flow) => flow.status === 'passed') ? 'passed' : 'failed',
    totals: { flows: result.flows.length, failedFlows: result.flows.filter((flow) => flow.status === 'failed').length, passed: steps.filter((step) => step.status === 'passed').length, failed: steps.filter((step) => step.status === 'failed').length, skipped: steps.filter((step) => step.status === 'skipped').length },
  };
}

/**
 * The shared report of a smoke run.
 *
 * @example smokeReport(result, { version: '0.1.0', now: new Date(), docsBaseUrl }).verdict.failed // true when a flow failed
 */
export function smokeReport(result: SmokeResult, options: { version: string; now: Date; docsBaseUrl: string; failOn?: Severity | 'none' }): Report {
  const secrets = result.secrets;
  const drafts = result.flows.flatMap((flow) =>
    flow.steps
      .filter((step) => step.status === 'failed' && step.kind !== 'include' && step.failure !== undefined)
      .flatMap((step) => {
        const kind = step.failure?.kind ?? 'error';
        const rule = SMOKE_RULES.find((candidate) => candidate.id === `smoke/${kind}`);
        if (rule === undefined) return [];
        return [
          toFinding(
            rule,
            {
              messageId: kind,
              message: `${flow.name}: step ${step.id} failed — ${step.failure?.message ?? kind}`,
              location: { path: flow.file, ...(step.line === undefined ? {} : { line: step.line }) },
              detail: detailOf(flow, step),
              key: `${flow.name}/${step.id}`,
              secrets,
            },
            { text: () => undefined },
            options.docsBaseUrl,
          ),
        ];
      }),
  );
  const steps = result.flows.flatMap((flow) => flow.steps);
  const failedFlows = result.flows.filter((flow) => flow.status === 'failed');
  const report = buildReport({
    command: 'smoke',
    target: result.flows.map((flow) => flow.file).join(' '),
    version: options.version,
    findings: assignFingerprints(drafts),
    rules: SMOKE_RULES.map((rule) => toRuleMeta(rule, options.docsBaseUrl)),
    applied: new Set(SMOKE_RULES.map((rule) => rule.id)),
    now: options.now,
    failOn: options.failOn ?? 'high',
    sections: [{ id: 'smoke', title: 'Smoke flows', lines: smokeLines(result).map((line) => redactText(line, secrets)), data: redactDeep(smokeData(result), secrets), placement: 'top' }],
    notes: result.notes.map((message) => ({ kind: 'info' as const, message: redactText(message, secrets) })),
    stats: { flows: result.flows.length, failedFlows: failedFlows.length, steps: steps.length, failedSteps: steps.filter((step) => step.status === 'failed' && step.kind !== 'include').length, skippedSteps: steps.filter((step) => step.status === 'skipped').length, ms: result.ms },
  });
  // The readiness checklist is scan's question; a smoke run answers one of its own: do the flows pass?
  const first = failedFlows[0];
  const verdictText = first === undefined ? `SMOKE PASSED · ${result.flows.length} flow(s), ${steps.filter((step) => step.status === 'passed').length} step(s) passed` : `SMOKE FAILED · ${failedFlows.length} of ${result.flows.length} flow(s) failed · first: ${first.name} at ${first.failedStep ?? '?'} (${first.failureKind ?? 'error'})`;
  return {
    ...report,
    checklist: [],
    verdict: { ...report.verdict, label: first === undefined ? 'ready' : 'not-ready', checklist: { pass: 0, fail: 0, unknown: 0, attested: 0 }, summary: redactText(verdictText, secrets) },
  };
}
