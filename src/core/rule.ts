import { z } from 'zod';
import type { ChecklistId } from './checklist.js';
import type { Category, Severity } from './severity.js';

/** Where a rule points: a span in a file (1-based lines and columns), a whole file, or a URL. */
export type ReportLocation =
  | { readonly path: string; readonly line?: number; readonly column?: number; readonly endLine?: number; readonly endColumn?: number }
  | { readonly url: string };

/** A secret's place in the reported file: 1-based lines and columns, the end column exclusive. */
export interface SecretSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * What a rule hands to `ctx.report`. The engine adds severity, category, checklist, fingerprint and the
 * redacted code frame, so a rule only states what it saw and where.
 */
export interface ReportInput<MessageId extends string, Data> {
  readonly messageId: MessageId;
  readonly data: Data;
  readonly location?: ReportLocation;
  /** What was looked for and what was (not) found, so a reader can verify the finding in a minute. */
  readonly detail?: string;
  /** Overrides the rule's default fix when the concrete fix depends on what was found. */
  readonly fix?: string;
  /** Overrides the rule's default severity for this finding (e.g. a production-only compose file). */
  readonly severity?: Severity;
  /** Secret values to mask wherever they appear in the message, snippet and detail (found by exact search, any characters). */
  readonly secrets?: readonly string[];
  /**
   * Where the secrets are in the reported file (1-based, end column exclusive): the code frame masks these
   * spans whatever they hold, including the lines of a multi-line value such as a private key body.
   */
  readonly secretSpans?: readonly SecretSpan[];
  /** Distinguishes several findings of one rule on the same line in the fingerprint. */
  readonly key?: string;
  readonly inconclusive?: boolean;
}

export interface RuleContext<Project, Messages extends Record<string, unknown>, Options> {
  readonly project: Project;
  readonly options: Options;
  report<K extends keyof Messages & string>(input: ReportInput<K, Messages[K]>): void;
}

/** A rule's static description; shared by the engine, listings, docs and SARIF. */
export interface RuleMetadata {
  /** `category/what-is-checked`, stable forever once released. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly checklist?: ChecklistId;
  /** Repository-relative path of the rule's documentation page. */
  readonly docs: string;
  /** The default concrete fix, shown with every finding unless the report overrides it. */
  readonly fix: string;
  /** Noisy style rules ship switched off; config can switch them on. */
  readonly enabledByDefault?: boolean;
}

/** Schema for rules that take no options; config that passes options to them is rejected. */
export const noOptions = z.undefined();

export interface Rule<Project, Messages extends Record<string, unknown>, Options> extends RuleMetadata {
  readonly messages: { readonly [K in keyof Messages]: (data: Messages[K]) => string };
  /** Validates `rules.<id>.options` from config (undefined when absent); give defaults with `.default()`. */
  readonly options: z.ZodType<Options, unknown>;
  /** False means the rule has nothing to check here (e.g. no HTTP server): its checklist item stays unknown. */
  readonly applies?: (project: Project) => boolean;
  check(ctx: RuleContext<Project, Messages, Options>): void | Promise<void>;
}

/** A finding as a rule produced it, with its message already formatted. */
export interface RawReport extends Omit<ReportInput<string, unknown>, 'data'> {
  readonly message: string;
}

/**
 * A rule with its message and option types sealed inside `run`, so rules of different shapes share one
 * registry without casts: options are parsed by the rule's own schema before its `check` sees them.
 */
export interface RegisteredRule<Project> extends RuleMetadata {
  readonly applies: (project: Project) => boolean;
  /** Validates raw options from config; returns one `path: message` line per problem. */
  validateOptions(raw: unknown): readonly string[];
  run(project: Project, rawOptions: unknown, sink: (report: RawReport) => void): void | Promise<void>;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? `options.${issue.path.join('.')}` : 'options'}: ${issue.message}`);
}

/**
 * Declares a rule. Message data types are inferred from `messages`, option types from `options`.
 *
 * @example
 * export default defineRule({
 *   id: 'reliability/health-endpoint', title: 'Health check endpoint', category: 'reliability',
 *   severity: 'high', checklist: 'health-check', docs: 'docs/rules/reliability/health-endpoint.md',
 *   description: 'An HTTP server exposes a route an orchestrator can poll.', fix: 'Add GET /healthz.',
 *   options: noOptions,
 *   messages: { missing: ({ pkg }: { pkg: string }) => `${pkg} has no health check route` },
 *   check(ctx: RuleContext<Project, { missing: { pkg: string } }, undefined>) {
 *     ctx.report({ messageId: 'missing', data: { pkg: 'api' }, location: { path: 'package.json' } });
 *   },
 * });
 */
export function defineRule<Project, Messages extends Record<string, unknown>, Options>(
  rule: Rule<Project, Messages, Options>,
): RegisteredRule<Project> {
  const { messages, options: schema, applies, check, ...metadata } = rule;
  return {
    ...metadata,
    applies: applies ?? (() => true),
    validateOptions(raw) {
      const parsed = schema.safeParse(raw);
      return parsed.success ? [] : describeIssues(parsed.error);
    },
    run(project, rawOptions, sink) {
      const parsed = schema.safeParse(rawOptions);
      if (!parsed.success) {
        throw new Error(`${rule.id}: options were not validated before the run`, { cause: parsed.error });
      }
      const ctx: RuleContext<Project, Messages, Options> = {
        project,
        options: parsed.data,
        report(input) {
          const { data, ...rest } = input;
          sink({ ...rest, message: messages[input.messageId](data) });
        },
      };
      return check(ctx);
    },
  };
}
