// `shipready smoke` as a library: find and load flows, run them, build the shared report. No process access:
// the caller passes the environment, the working directory and the clock. docs/smoke.md
import type { Report } from '../core/report.js';
import { err, ok, type Result, type UserError } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import { findFlowFiles, loadFlows } from './load.js';
import { smokeReport } from './report.js';
import { runFlows, type BrowserDriver } from './run.js';
import type { FlowResult, SmokeResult } from './types.js';

export interface SmokeOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly version: string;
  readonly docsBaseUrl: string;
  readonly now: () => Date;
  readonly failOn?: Severity | 'none';
  readonly concurrency?: number;
  /** The Chromium executable for browser steps; playwright-core is imported only when a flow has one. */
  readonly browserPath?: string;
  /** Where a failing browser step's screenshot is written. */
  readonly artifactsDir?: string;
  readonly onFlow?: (flow: FlowResult, index: number, total: number) => void;
}

/**
 * Runs the named flow files (or those in `smoke/`, else `.shipready/smoke/`) and reports.
 *
 * @example
 * const run = await smoke(['smoke/login.yaml'], { cwd: '/repo', env: process.env, version, docsBaseUrl, now: () => new Date() });
 * if (run.ok) console.log(run.value.report.verdict.summary); // 'SMOKE PASSED · 1 flow(s), 3 step(s) passed'
 */
export async function smoke(named: readonly string[], options: SmokeOptions): Promise<Result<{ result: SmokeResult; report: Report }, UserError>> {
  const files = findFlowFiles(named, options.cwd);
  if (!files.ok) return files;
  const flows = loadFlows(files.value, { cwd: options.cwd, env: options.env });
  if (!flows.ok) return flows;
  const needsBrowser = flows.value.some((flow) => flow.hasBrowserStep);
  let openBrowser: (() => Promise<BrowserDriver>) | undefined;
  if (needsBrowser) {
    if (options.browserPath === undefined) return err({ code: 'USAGE', message: 'a flow has browser steps and no Chromium was found', hint: 'install chromium (apt-get install chromium) or pass --browser PATH' });
    const browserPath = options.browserPath;
    // Only flows with a browser step pay for loading playwright-core.
    const { openChromium } = await import('./browser.js');
    openBrowser = () => openChromium({ executablePath: browserPath, ...(options.artifactsDir === undefined ? {} : { artifactsDir: options.artifactsDir }) });
  }
  const result = await runFlows(flows.value, {
    version: options.version,
    now: options.now,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(openBrowser === undefined ? {} : { openBrowser }),
    ...(options.artifactsDir === undefined ? {} : { artifactsDir: options.artifactsDir }),
    ...(options.onFlow === undefined ? {} : { onFlow: options.onFlow }),
  });
  return ok({ result, report: smokeReport(result, { version: options.version, now: options.now(), docsBaseUrl: options.docsBaseUrl, ...(options.failOn === undefined ? {} : { failOn: options.failOn }) }) });
}

export { findFlowFiles, loadFlows } from './load.js';
export { runFlows } from './run.js';
export { smokeReport } from './report.js';
export type { FlowResult, SmokeResult, StepResult, FailureKind } from './types.js';
