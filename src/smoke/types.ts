// The model of a smoke run: flows as loaded (validated, environment read) and what running them observed.
// docs/smoke.md#results
import type { BrowserExpect, FlowSpec, HttpExpect, StepSpec, WaitForSpec } from './schema.js';

/** Why a step failed: an expectation did not hold, a capture found nothing, no answer came, none in time, or something else. */
export type FailureKind = 'assert' | 'capture' | 'connect' | 'timeout' | 'error';

export interface LoadedStep {
  /** Unique in its flow; from `id:`, else the slug of `name:`, else `step-N`. */
  readonly id: string;
  readonly name: string;
  /** 1-based line of the step in its file, for annotations. */
  readonly line?: number;
  readonly spec: StepSpec;
  readonly httpExpect?: HttpExpect;
  readonly browserExpect?: BrowserExpect;
  /** Validates the body against `expect.schema`, compiled when the flow was loaded; returns each problem. */
  readonly validateSchema?: (value: unknown) => string[];
  /** The flow an `include:` step runs, loaded with the including file's environment. */
  readonly included?: LoadedFlow;
}

export interface LoadedFlow {
  /** The file as the user named it (relative to the working directory when it is below it). */
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  readonly baseUrl?: URL;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Secret values by name: in scope as `{{name}}`, masked in every report. */
  readonly secrets: ReadonlyMap<string, string>;
  readonly inputs: readonly string[];
  readonly outputs: Readonly<Record<string, string>>;
  readonly defaults: NonNullable<FlowSpec['defaults']>;
  readonly waitFor: ReadonlyArray<{ readonly spec: WaitForSpec; readonly expect?: HttpExpect; readonly line?: number }>;
  readonly steps: readonly LoadedStep[];
  /** `host:port` of base_url and of every absolute URL the file names: the only places a request may go. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly hasBrowserStep: boolean;
}

/** One expectation that did not hold, in plain words. */
export interface FailedCheck {
  /** What was checked: `status`, `header location`, `cookie sid.secure`, `json $.email`, `cors`, … */
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

export interface RequestSummary {
  readonly method: string;
  /** Redacted at the report boundary. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface ResponseSummary {
  readonly status: number;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The first 1 KiB of the body. */
  readonly excerpt: string;
  readonly ms: number;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepResult {
  readonly id: string;
  readonly name: string;
  readonly kind: 'http' | 'browser' | 'include' | 'wait_for';
  readonly line?: number;
  readonly status: StepStatus;
  /** Why a step was skipped: `if` false, `skip_if` true, or blocked by an earlier failure. */
  readonly skipReason?: string;
  /** Set when skipped because an earlier step of the flow failed. */
  readonly blockedBy?: string;
  readonly failure?: { readonly kind: FailureKind; readonly message: string; readonly checks: readonly FailedCheck[] };
  readonly request?: RequestSummary;
  readonly response?: ResponseSummary;
  readonly attempts: number;
  readonly ms: number;
  /** Files written for this step (a screenshot on failure), relative to the artefacts folder. */
  readonly artifacts?: readonly string[];
  /** Lines worth showing even when the step passed (a redirect to another host not followed). */
  readonly notes?: readonly string[];
}

export interface FlowResult {
  readonly name: string;
  readonly file: string;
  readonly status: 'passed' | 'failed';
  /** Id of the first failing step, and why it failed. */
  readonly failedStep?: string;
  readonly failureKind?: FailureKind;
  readonly steps: readonly StepResult[];
  readonly ms: number;
}

export interface SmokeResult {
  readonly flows: readonly FlowResult[];
  readonly ms: number;
  /** The browser's version string, when a browser step ran. */
  readonly browserVersion?: string;
  readonly notes: readonly string[];
  /** Every secret value of every flow, for the report's masking. Never serialised. */
  readonly secrets: readonly string[];
}
