// How a diagnosis is shown: the flutter-doctor text layout, the health+json document, and the shared report (for
// SARIF, Markdown and GitHub annotations). docs/doctor.md#output
import { assignFingerprints, toFinding, toRuleMeta } from '../core/engine.js';
import type { Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { buildReport } from '../core/verdict.js';
import type { DoctorResult, LayerName, LayerResult, LayerStatus } from './types.js';

const MARK: Readonly<Record<LayerStatus | 'fail' | 'warn' | 'pass', string>> = { pass: '[✓]', warn: '[!]', fail: '[✗]', blocked: '[-]', skipped: '[-]' };

/** The one-line answer: what blocks login, or that nothing does. */
export function verdictLine(result: DoctorResult): string {
  if (result.components.length === 0) return 'Nothing to diagnose: no dependency URL was found in the configuration.';
  if (result.cause === undefined) {
    const warned = result.components.filter((component) => component.status === 'warn').length;
    return `Nothing blocks login: ${result.components.length} component(s) answered${warned === 0 ? '' : `, ${warned} with a warning`}.`;
  }
  return `Login is blocked by: ${result.cause.component} ${result.cause.layer}${result.cause.code === undefined ? '' : ` (${result.cause.code})`}`;
}

function layerLine(layer: LayerResult, verbose: boolean): string[] {
  const timing = layer.ms === undefined ? '' : ` (${layer.ms}ms)`;
  const lines = [`    ${MARK[layer.status]} ${layer.layer.padEnd(10)} ${layer.output}${timing}`];
  if (layer.hint !== undefined && (layer.status === 'fail' || layer.status === 'warn' || verbose)) lines.push(`        → ${layer.hint}`);
  return lines;
}

/**
 * The text report: one line per component (worst first), its layers indented, a `→` hint under each failure, and
 * the verdict last. Without `verbose`, layers of a passing component are folded into its line.
 *
 * @example renderDoctorText(result, { verbose: false }).split('\n').at(-1) // 'Login is blocked by: DATABASE_URL auth (28P01)'
 */
export function renderDoctorText(result: DoctorResult, options: { verbose: boolean }): string {
  const lines: string[] = [];
  for (const component of result.components) {
    const blocked = component.blockedBy === undefined ? '' : ` (probably blocked by ${component.blockedBy})`;
    lines.push(`${MARK[component.status]} ${component.name} ${component.target}${blocked}`);
    const shown = options.verbose || component.status !== 'pass' ? component.layers : [];
    for (const layer of shown) lines.push(...layerLine(layer, options.verbose));
    if (shown.length === 0) lines.push(`    ${component.layers.filter((layer) => layer.status === 'pass').map((layer) => layer.layer).join(' · ')}`);
  }
  if (options.verbose || result.components.length === 0) lines.push('', `Configuration read: ${result.sources.length === 0 ? 'none' : result.sources.join(' → ')}`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  if (result.attempts > 1) lines.push(`(${result.attempts} attempts over ${Math.round(result.ms / 1000)} s)`);
  lines.push('', verdictLine(result));
  return `${lines.join('\n')}\n`;
}

const HEALTH_STATUS: Readonly<Record<LayerStatus, 'pass' | 'warn' | 'fail'>> = { pass: 'pass', warn: 'warn', fail: 'fail', blocked: 'fail', skipped: 'pass' };

/**
 * The `application/health+json` shape (draft-inadarei-api-health-check): `status`, and `checks` keyed
 * `"component:layer"`, each an array with one observation.
 *
 * @example healthJson(result).checks['DATABASE_URL:auth']?.[0]?.status // 'fail'
 */
export function healthJson(result: DoctorResult, now: Date): { status: 'pass' | 'warn' | 'fail'; output: string; checks: Record<string, unknown[]>; notes: readonly string[]; sources: readonly string[] } {
  const checks: Record<string, unknown[]> = {};
  for (const component of result.components) {
    for (const layer of component.layers) {
      checks[`${component.name}:${layer.layer}`] = [
        {
          componentType: component.kind,
          status: HEALTH_STATUS[layer.status],
          ...(layer.status === 'blocked' || layer.status === 'skipped' ? { observed: layer.status } : {}),
          ...(layer.observedValue === undefined ? (layer.ms === undefined ? {} : { observedValue: layer.ms, observedUnit: 'ms' }) : { observedValue: layer.observedValue, observedUnit: layer.observedUnit ?? '' }),
          output: layer.output,
          ...(layer.code === undefined ? {} : { code: layer.code }),
          ...(layer.hint === undefined ? {} : { hint: layer.hint }),
          target: component.target,
          ...(component.blockedBy === undefined ? {} : { blockedBy: component.blockedBy }),
          time: now.toISOString(),
        },
      ];
    }
  }
  const status = result.cause !== undefined ? 'fail' : result.components.some((component) => component.status === 'warn') ? 'warn' : 'pass';
  return { status, output: verdictLine(result), checks, notes: result.notes, sources: result.sources };
}

const LAYER_TITLES: Readonly<Record<LayerName, string>> = {
  config: 'Dependency configuration is usable',
  dns: 'Dependency host names resolve',
  tcp: 'Dependency ports accept connections',
  tls: 'TLS handshakes succeed with a valid certificate',
  handshake: 'The port speaks the expected protocol',
  auth: 'The app’s credentials are accepted',
  query: 'The dependency answers a query',
  migrations: 'Every migration in the repository is applied',
  seed: 'The database holds seed data',
  http: 'The HTTP service answers',
  health: 'The API’s health route reports healthy',
  bundle: 'The frontend build calls a reachable API base',
  cors: 'The API allows credentialed requests from the frontend origin',
  containers: 'Every compose service’s container is up and healthy',
  internal: 'doctor itself completed the check',
};

/** The shared report: one finding per failing (high) or warning (medium) layer, so SARIF, Markdown and annotations work as for every command. */
export function doctorReport(result: DoctorResult, options: { version: string; now: Date; docsBaseUrl: string; failOn?: Severity | 'none' }): Report {
  const rules = (Object.keys(LAYER_TITLES) as LayerName[]).map((layer) => ({
    id: `doctor/${layer}`,
    title: LAYER_TITLES[layer],
    description: `shipready doctor's ${layer} layer, checked for every component the configuration names.`,
    category: 'operations' as const,
    severity: 'high' as const,
    docs: `docs/doctor.md#${layer}`,
    fix: 'Follow the hint of the failing layer.',
  }));
  const drafts = result.components.flatMap((component) =>
    component.layers
      .filter((layer) => layer.status === 'fail' || layer.status === 'warn')
      .flatMap((layer) => {
        const rule = rules.find((candidate) => candidate.id === `doctor/${layer.layer}`);
        if (rule === undefined) return [];
        const message = `${component.name}: ${layer.output}${component.blockedBy === undefined ? '' : ` (probably blocked by ${component.blockedBy})`}`;
        return [toFinding(rule, { messageId: layer.layer, message, location: { url: component.target }, detail: `${component.kind} ${component.target} from ${component.source}; layer ${layer.layer}${layer.code === undefined ? '' : `, ${layer.code}`}.`, fix: layer.hint ?? rule.fix, key: component.name }, { text: () => undefined }, options.docsBaseUrl, layer.status === 'warn' ? 'medium' : 'high')];
      }),
  );
  return buildReport({
    command: 'doctor',
    target: result.components.map((component) => component.target).join(' '),
    version: options.version,
    findings: assignFingerprints(drafts),
    rules: rules.map((rule) => toRuleMeta(rule, options.docsBaseUrl)),
    applied: new Set(result.components.flatMap((component) => component.layers.filter((layer) => layer.status === 'pass').map((layer) => `doctor/${layer.layer}`))),
    now: options.now,
    failOn: options.failOn ?? 'high',
    sections: [{ id: 'doctor', title: 'Diagnosis', lines: renderDoctorText(result, { verbose: false }).trimEnd().split('\n'), data: healthJson(result, options.now), placement: 'top' }],
    notes: result.notes.map((message) => ({ kind: 'info' as const, message })),
    stats: { components: result.components.length, attempts: result.attempts, ms: result.ms },
  });
}
