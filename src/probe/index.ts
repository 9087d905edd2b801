/**
 * The probe library API: checks a live deployment (or a saved capture of one) and builds the shared
 * `Report`, with the Observatory-compatible grade as the first section. Never touches `process`.
 */

import { redactUrl } from '../core/redact.js';
import { randomBytes } from 'node:crypto';
import { assignFingerprints, compareFindings, toFinding, toRuleMeta } from '../core/engine.js';
import type { Note, Report, ReportSection } from '../core/report.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import { buildReport, type BuildReportInput } from '../core/verdict.js';
import { applyBaseline } from '../core/baseline.js';
import { CAPTURE_FORMAT_VERSION, RecordingTransport, ReplayTransport, toCapturedExchange, type Capture, type DeepScanRecord, type DnsObservation } from './capture.js';
import { ProbeClient } from './context.js';
import { observeDns, type Resolver } from './dns.js';
import { LiveTransport, normaliseHost } from './http.js';
import { PROBE_RULE_BY_ID, PROBE_RULES } from './rules.js';
import { probeTarget, type TargetOutcome } from './target.js';
import { LiveTlsInspector, ReplayTlsInspector } from './tls.js';
import { DEFAULT_LOGIN_ATTEMPTS } from './checks/operations.js';
import { deepScanHostPort, foldTestssl, runDeepScan, type DeepScanRunner } from './deep.js';
import { DOCS_BASE_URL } from '../core/meta.js';

/** Targets probed at once; each has its own request budget and concurrency. */
export const MAX_PARALLEL_TARGETS = 4;

export interface ProbeOptions {
  /** shipready's version, for the User-Agent and the report. */
  readonly version: string;
  readonly failOn?: Severity | 'none';
  /** Reference time (certificate expiry); defaults to now, or the capture's time when replaying. */
  readonly now?: Date;
  /** Per host (targets on one host share one budget). */
  readonly maxRequests?: number;
  readonly concurrency?: number;
  readonly ratePerSecond?: number;
  readonly timeoutMs?: number;
  /** PEM text of extra trusted CAs. */
  readonly ca?: string;
  /** Grade this capture offline instead of contacting anything. */
  readonly fromCapture?: Capture;
  readonly healthPath?: string;
  /** Ports for the plain-HTTP redirect check and the HTTPS counterpart (default 80 and 443). */
  readonly httpPort?: number;
  readonly httpsPort?: number;
  /** Opt-in login rate-limit probe. */
  readonly loginPath?: string;
  readonly loginAttempts?: number;
  /** Run testssl.sh when installed. */
  readonly deep?: boolean;
  readonly deepRunner?: DeepScanRunner;
  /** Per-rule config (`enabled`, `severity`); disabled checks report nothing and leave their checklist item unknown. */
  readonly settings?: ReadonlyMap<string, { readonly enabled: boolean; readonly severity?: Severity }>;
  readonly attestations?: BuildReportInput['attestations'];
  readonly maxAgeDays?: number;
  /** Fingerprints of a baseline: findings in it are `unchanged` and do not fail the run. */
  readonly baseline?: ReadonlySet<string>;
  /** Injected DNS resolver (tests); defaults to node:dns. */
  readonly resolver?: Resolver;
  readonly docsBaseUrl?: string;
  /** Called as each target finishes, for progress on a TTY. */
  readonly onTarget?: (target: string, index: number, total: number) => void;
}

export interface ProbeRun {
  readonly report: Report;
  /** Everything the run observed, for `--save-capture`. */
  readonly capture: Capture;
}

/** Parses and checks target URLs: http(s) only, no credentials. */
export function parseTargets(raw: readonly string[]): Result<URL[], UserError> {
  if (raw.length === 0) return err(userError('USAGE', 'no target URL given', 'usage: shipready probe https://app.example.com [more URLs] or --targets FILE'));
  const urls: URL[] = [];
  for (const text of raw) {
    let url: URL;
    try {
      url = new URL(text.includes('://') ? text : `https://${text}`);
    } catch {
      return err(userError('USAGE', `"${text}" is not a URL`, 'give a full URL such as https://app.example.com'));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(userError('USAGE', `"${text}" is not an http(s) URL`, 'probe checks web deployments: use http:// or https://'));
    if (url.username !== '' || url.password !== '') return err(userError('USAGE', `"${url.hostname}" was given with credentials in the URL`, 'remove user:password@ from the URL; the probe never logs in'));
    url.hash = '';
    if (!urls.some((existing) => existing.href === url.href)) urls.push(url);
  }
  return ok(urls);
}

async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) results[index] = await run(item, index);
    }
  });
  await Promise.all(workers);
  return results;
}

function gradeSection(outcomes: readonly TargetOutcome[]): ReportSection {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.grade === undefined) {
      lines.push(`${outcome.target}: no grade (${outcome.unreachable ?? 'no HTTP answer'})`);
      continue;
    }
    lines.push(`${outcome.grade.grade} (${outcome.grade.score}/100) ${outcome.target}`);
    for (const test of outcome.grade.tests) lines.push(`  ${test.pass ? 'pass' : 'FAIL'} ${test.test}: ${test.result} (${test.modifier >= 0 ? '+' : ''}${test.modifier})`);
  }
  return {
    id: 'probe-grade',
    title: 'Security headers grade (MDN HTTP Observatory scoring)',
    lines,
    placement: 'top',
    data: outcomes.map((outcome) => ({ target: redactUrl(outcome.target), ...(outcome.grade === undefined ? {} : { grade: outcome.grade.grade, score: outcome.grade.score, tests: outcome.grade.tests }) })),
  };
}

function summarySection(outcomes: readonly TargetOutcome[], requests: ReadonlyMap<string, number>): ReportSection {
  const lines = outcomes.map((outcome) => {
    if (outcome.unreachable !== undefined) return `${outcome.target}: unreachable (${outcome.unreachable})`;
    const tls = outcome.tls.find((observation) => observation.attempt === 'default')?.facts;
    const parts = [
      `HTTP ${outcome.status ?? '?'}`,
      `server class ${outcome.serverClass ?? 'unknown'}`,
      tls === undefined ? 'no TLS' : `${tls.protocol ?? 'TLS'}${tls.certificate === undefined ? '' : `, certificate valid until ${tls.certificate.validTo}`}`,
      `${requests.get(outcome.target) ?? 0} requests`,
      `${outcome.sink.issues.length} finding(s)`,
    ];
    return `${outcome.target}: ${parts.join(' · ')}`;
  });
  return { id: 'probe-targets', title: 'Probed targets', lines, data: outcomes.map((outcome) => ({ target: redactUrl(outcome.target), status: outcome.status, serverClass: outcome.serverClass, requests: requests.get(outcome.target) ?? 0, unreachable: outcome.unreachable })) };
}

/**
 * Probes live targets (or replays a capture) and returns the report together with the capture.
 *
 * @example
 * const run = await runProbe(['https://app.example.com'], { version: '0.1.0' });
 * if (run.ok) console.log(run.value.report.verdict.summary);
 */
export async function runProbe(rawTargets: readonly string[], options: ProbeOptions): Promise<Result<ProbeRun, UserError>> {
  const replay = options.fromCapture;
  const parsed = parseTargets(rawTargets.length === 0 && replay !== undefined ? replay.targets : rawTargets);
  if (!parsed.ok) return parsed;
  const targets = parsed.value;
  const allowedHosts = new Set(targets.map((url) => normaliseHost(url.hostname)));
  const now = options.now ?? (replay === undefined ? new Date() : new Date(replay.createdAt));
  const seed = replay?.seed ?? randomBytes(8).toString('hex');
  const dnsLog: DnsObservation[] = [];
  const deepLog: DeepScanRecord[] = [];
  const requestCounts = new Map<string, number>();
  const transports = new Map<string, LiveTransport>();
  const recordings: RecordingTransport[] = [];
  const tlsLog: TargetOutcome['tls'] = [];
  const resolveDns = async (host: string): Promise<DnsObservation | undefined> => {
    if (replay !== undefined) return replay.dns.find((entry) => entry.host === host);
    const observation = await observeDns(host, options.resolver);
    dnsLog.push(observation);
    return observation;
  };
  let outcomes: TargetOutcome[];
  try {
    outcomes = await mapLimited(targets, MAX_PARALLEL_TARGETS, async (target, index) => {
      // One transport (budget, concurrency, pacing) per host: two targets on one host share its limits.
      const host = normaliseHost(target.hostname);
      let live = replay === undefined ? transports.get(host) : undefined;
      if (replay === undefined && live === undefined) {
        live = new LiveTransport({
          allowedHosts: [...allowedHosts],
          version: options.version,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          ...(options.ca === undefined ? {} : { ca: options.ca }),
          budget: {
            ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
            ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
            ...(options.ratePerSecond === undefined ? {} : { ratePerSecond: options.ratePerSecond }),
          },
        });
        transports.set(host, live);
      }
      const recorder = new RecordingTransport(live ?? new ReplayTransport(replay?.exchanges ?? []));
      recordings.push(recorder);
      const tls = replay === undefined ? new LiveTlsInspector({ timeoutMs: options.timeoutMs ?? 10_000, ...(options.ca === undefined ? {} : { ca: options.ca }) }) : new ReplayTlsInspector(replay.tls);
      const outcome = await probeTarget(target, {
        client: new ProbeClient(recorder, allowedHosts, seed),
        tls,
        dns: resolveDns,
        settings: {
          now,
          loginAttempts: options.loginAttempts ?? DEFAULT_LOGIN_ATTEMPTS,
          ...(options.healthPath === undefined ? {} : { healthPath: options.healthPath }),
          ...(options.httpPort === undefined ? {} : { httpPort: options.httpPort }),
          ...(options.httpsPort === undefined ? {} : { httpsPort: options.httpsPort }),
          ...(options.loginPath === undefined ? {} : { loginPath: options.loginPath }),
        },
      });
      if (outcome.unreachable === undefined && target.protocol === 'https:') {
        const hostPort = deepScanHostPort(target);
        if (replay !== undefined) {
          // A replay is offline: testssl.sh results come from the capture or not at all.
          const stored = replay.deep?.find((entry) => entry.hostPort === hostPort);
          if (stored !== undefined) foldTestssl(target.href, stored.json, outcome.sink, outcome.notes);
          else if (options.deep === true) outcome.notes.push(`${target.href}: --deep: the capture holds no testssl.sh result for ${hostPort}, and a replay never runs it`);
        } else if (options.deep === true) {
          const json = await runDeepScan(target, options.deepRunner, outcome.sink, outcome.notes);
          if (json !== undefined) deepLog.push({ hostPort, json });
        }
      }
      const budget = live?.budget.stats();
      if (budget !== undefined && budget.denied > 0) {
        outcome.notes.push(`${outcome.target}: ${budget.denied} request(s) not sent (${budget.pathProbesStopped ? 'path probes stopped after repeated 429/503' : `request budget of ${live?.budget.maxRequests ?? 0} reached; raise --max-requests`})`);
      }
      tlsLog.push(...outcome.tls);
      requestCounts.set(outcome.target, recorder.exchanges.filter((exchange) => exchange.response !== undefined || (exchange.error !== undefined && ['TIMEOUT', 'NETWORK'].includes(exchange.error.code))).length);
      options.onTarget?.(outcome.target, index, targets.length);
      return outcome;
    });
  } finally {
    for (const transport of transports.values()) transport.close();
  }
  const docsBaseUrl = options.docsBaseUrl ?? DOCS_BASE_URL;
  const enabled = (id: string): boolean => options.settings?.get(id)?.enabled ?? true;
  const unreachable = outcomes.filter((outcome) => outcome.unreachable !== undefined);
  // Nothing answered and nothing was found (a DNS failure is a finding about the deployment, not a typo to exit on).
  if (unreachable.length === outcomes.length && outcomes.every((outcome) => !outcome.sink.issues.some((issue) => enabled(issue.ruleId)))) {
    const first = unreachable[0];
    return err(userError('NETWORK', `cannot reach ${first?.target ?? 'the target'}: ${first?.unreachable ?? 'no answer'}`, replay === undefined ? 'check the URL, DNS and that the site is up (use --ca FILE for a private CA)' : 'the capture holds no answer for this target'));
  }
  const drafts = outcomes.flatMap((outcome) =>
    outcome.sink.issues
      .filter((issue) => enabled(issue.ruleId))
      .map((issue) => {
        const meta = PROBE_RULE_BY_ID.get(issue.ruleId);
        if (meta === undefined) throw new Error(`probe issue for unknown rule ${issue.ruleId}`);
        const { ruleId: _ruleId, url, ...raw } = issue;
        return toFinding(meta, { ...raw, location: { url } }, { text: () => undefined }, docsBaseUrl, options.settings?.get(issue.ruleId)?.severity);
      }),
  );
  // An unreachable target ran only the checks before the first request (DNS): their verdicts still count.
  const applied = new Set<string>(outcomes.flatMap((outcome) => [...outcome.sink.applied].filter(enabled)));
  const fingerprinted = assignFingerprints(drafts);
  const findings = (options.baseline === undefined ? fingerprinted : applyBaseline(fingerprinted, options.baseline)).sort(compareFindings);
  const notes: Note[] = [
    ...outcomes.flatMap((outcome) => outcome.notes.map((message) => ({ kind: 'info' as const, message }))),
    ...unreachable.map((outcome) => ({ kind: 'info' as const, message: `${outcome.target} unreachable: ${outcome.unreachable ?? ''}` })),
  ];
  if (replay !== undefined) notes.push({ kind: 'info', message: `graded offline from a capture made ${replay.createdAt}` });
  const exchanges = recordings.flatMap((recording) => recording.exchanges);
  const report = buildReport({
    command: 'probe',
    target: targets.map((url) => url.href).join(' '),
    version: options.version,
    findings,
    rules: PROBE_RULES.filter((meta) => enabled(meta.id))
      .map((meta) => toRuleMeta({ ...meta, severity: options.settings?.get(meta.id)?.severity ?? meta.severity }, docsBaseUrl))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    ...(options.attestations === undefined ? {} : { attestations: options.attestations }),
    ...(options.maxAgeDays === undefined ? {} : { maxAgeDays: options.maxAgeDays }),
    applied,
    now,
    failOn: options.failOn ?? 'high',
    sections: [gradeSection(outcomes), summarySection(outcomes, requestCounts)],
    notes,
    stats: { targets: targets.length, requests: [...requestCounts.values()].reduce((sum, count) => sum + count, 0) },
  });
  const deepRecords = replay?.deep ?? deepLog;
  const capture: Capture = {
    format: 'shipready-probe-capture',
    version: CAPTURE_FORMAT_VERSION,
    tool: `shipready ${options.version}`,
    createdAt: replay?.createdAt ?? now.toISOString(),
    targets: targets.map((url) => redactUrl(url.href)),
    seed,
    exchanges: exchanges.map(toCapturedExchange),
    tls: replay?.tls ?? tlsLog,
    dns: replay?.dns ?? dnsLog,
    ...(deepRecords.length === 0 ? {} : { deep: deepRecords }),
  };
  return ok({ report, capture });
}

/**
 * Probes live deployments and returns the shared report (grade first in `report.sections`).
 *
 * @example
 * const result = await probe(['https://app.example.com'], { version: '0.1.0', maxRequests: 60 });
 * if (!result.ok) throw new Error(result.error.message);
 * result.value.sections[0]?.lines[0]; // 'B (70/100) https://app.example.com/'
 */
export async function probe(targets: readonly string[], options: ProbeOptions): Promise<Result<Report, UserError>> {
  const run = await runProbe(targets, options);
  return run.ok ? ok(run.value.report) : run;
}

export { parseCapture, serialiseCapture, type Capture } from './capture.js';
export { PROBE_RULES } from './rules.js';
