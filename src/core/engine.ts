import type { ChecklistId } from './checklist.js';
import { DEFAULT_FILE_BUDGET_MS, FileBudgetExceeded, withFileBudget } from './file-budget.js';
import { fingerprint } from './fingerprint.js';
import { maskSpans, redactText, redactUrl, sensitiveSpans, type Span } from './redact.js';
import type { Finding, Location, Note, RuleMeta, Snippet } from './report.js';
import type { RawReport, RegisteredRule, RuleMetadata, SecretSpan } from './rule.js';
import { severityRank, type Severity } from './severity.js';

/** Read access to the text of scanned files, for code frames, fingerprints and suppressions. */
export interface SourceText {
  /** The file's decoded text, or undefined when it was skipped or is not a file of this run. */
  text(path: string): string | undefined;
}

/** What config says about one rule. */
export interface RuleSetting {
  readonly enabled: boolean;
  readonly severity?: Severity;
  readonly options?: unknown;
}

export interface RunRulesOptions {
  readonly settings?: ReadonlyMap<string, RuleSetting>;
  /** Prefix for rule docs links, e.g. `https://github.com/shipready/shipready/blob/main/`. */
  readonly docsBaseUrl: string;
  /** Called once per rule as it starts, for progress on a TTY. */
  readonly onRule?: (ruleId: string, index: number, total: number) => void;
  /** Time one rule may spend on one file (see core/file-budget.ts); default 10 s. */
  readonly fileBudgetMs?: number;
  /** Milliseconds from any origin, for the file budget; tests pass a fake clock. */
  readonly now?: () => number;
}

export interface RuleRunOutcome {
  readonly findings: Finding[];
  /** Metadata of every enabled rule, applicable or not (SARIF lists them). */
  readonly rules: RuleMeta[];
  /** Ids of enabled rules whose `applies` returned true: their silence is evidence of a pass. */
  readonly applied: ReadonlySet<string>;
  /** Files a rule ran out of time on and skipped (`rule-error` notes naming the rule and the file). */
  readonly notes: Note[];
}

/**
 * Findings of one rule in one file beyond this are counted in a note, not listed: a file with thousands (a
 * generated client, a bundle, a hostile input) would otherwise hold the report's memory and bury every other
 * finding, and the score already counts a rule's repeats for little.
 */
const MAX_FINDINGS_PER_FILE = 200;

/** A rule that runs out of time on this many files is stopped: its input is hostile, not one odd file. */
const MAX_FILES_OVER_BUDGET = 3;

const SNIPPET_CONTEXT = 1;
const SNIPPET_MAX_LINES = 6;
const SNIPPET_MAX_WIDTH = 160;

/**
 * The part of the flagged line a fingerprint hashes. Hand-written lines are hashed whole (so fingerprints
 * of ordinary code never change); a longer line, a minified bundle's, is cut to a window around the column.
 * Hashing (and redacting) the whole line for each finding made a one-line 0.5 MB bundle with 5,000
 * findings cost 5,000 × 0.5 MB: the scan ran out of a 4 GB heap. With the window the cost is per finding.
 */
const FINGERPRINT_LINE_MAX = 1_000;

/** Cuts a long (e.g. minified) line to `width` characters around the column; shorter lines are returned as they are. */
function clipLine(line: string, column: number | undefined, width = SNIPPET_MAX_WIDTH): string {
  if (line.length <= width) return line;
  const centre = Math.max(0, (column ?? 1) - 1);
  const start = Math.max(0, Math.min(centre - width / 2, line.length - width));
  const end = start + width;
  return `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

interface FileView {
  readonly text: string;
  readonly lines: string[];
  /** Offset of the first character of each line. */
  readonly lineStarts: number[];
  /** What the secret detectors find in the whole file, computed once: a snippet line alone may not show it is secret (a key body). */
  spans?: readonly Span[];
}

/** Findings usually arrive file by file: remembering the last few views keeps many findings in one big file linear. */
const views = new Map<string, FileView>();
const VIEW_CACHE_SIZE = 16;

function fileView(path: string, text: string): FileView {
  const cached = views.get(path);
  if (cached !== undefined && cached.text === text) return cached;
  const lines = splitLines(text);
  const lineStarts: number[] = [];
  let offset = 0;
  for (let index = 0; index < lines.length; index++) {
    lineStarts.push(offset);
    offset += (lines[index] ?? '').length + (text[offset + (lines[index] ?? '').length] === '\r' ? 2 : 1);
  }
  const view: FileView = { text, lines, lineStarts };
  views.delete(path);
  views.set(path, view);
  while (views.size > VIEW_CACHE_SIZE) {
    const oldest = views.keys().next().value;
    if (oldest === undefined) break;
    views.delete(oldest);
  }
  return view;
}

function detectedSpans(view: FileView, path: string): readonly Span[] {
  view.spans ??= sensitiveSpans(view.text, { path });
  return view.spans;
}

function offsetOf(view: FileView, line: number, column: number): number {
  return Math.min(view.text.length, (view.lineStarts[line - 1] ?? view.text.length) + Math.max(0, column - 1));
}

/** 1-based line holding `offset` (binary search over line starts). */
function lineOf(view: FileView, offset: number): number {
  let low = 0;
  let high = view.lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((view.lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** Offsets of the rule's secret spans and of every occurrence of its explicit secret values in the file. */
function ruleSpans(view: FileView, spans: readonly SecretSpan[], secrets: readonly string[]): Span[] {
  const found = spans.map((span) => ({ start: offsetOf(view, span.line, span.column), end: offsetOf(view, span.endLine, span.endColumn) }));
  for (const secret of new Set(secrets)) {
    if (secret.length < 4) continue;
    for (let at = view.text.indexOf(secret); at >= 0; at = view.text.indexOf(secret, at + secret.length)) found.push({ start: at, end: at + secret.length });
  }
  return found;
}

/**
 * Lines `first`..`last` (1-based) with every secret span masked. The masked window is widened to whole spans,
 * so a line inside a private key body is masked as part of its block (never by its own first characters).
 */
function maskedLines(view: FileView, first: number, last: number, spans: readonly Span[]): string[] {
  const from = view.lineStarts[first - 1] ?? view.text.length;
  const to = last < view.lineStarts.length ? (view.lineStarts[last] ?? view.text.length) : view.text.length;
  const touching = spans.filter((span) => span.start < to && span.end > from);
  if (touching.length === 0) return view.lines.slice(first - 1, last);
  const windowStart = view.text.lastIndexOf('\n', Math.min(from, ...touching.map((span) => span.start)) - 1) + 1;
  const widestEnd = Math.max(to, ...touching.map((span) => span.end));
  const newline = view.text.indexOf('\n', widestEnd);
  const windowEnd = newline < 0 ? view.text.length : newline;
  const masked = splitLines(maskSpans(view.text.slice(windowStart, windowEnd), touching.map((span) => ({ start: Math.max(0, span.start - windowStart), end: Math.min(windowEnd, span.end) - windowStart }))));
  const windowFirstLine = lineOf(view, windowStart);
  return masked.slice(first - windowFirstLine, last - windowFirstLine + 1);
}

function snippetFor(view: FileView | undefined, location: Location | undefined, spans: readonly Span[], secrets: readonly string[]): Snippet | undefined {
  if (view === undefined || location?.kind !== 'file' || location.line === undefined) return undefined;
  const first = Math.max(1, location.line - SNIPPET_CONTEXT);
  const last = Math.min(view.lines.length, Math.max(location.line, location.endLine ?? location.line) + SNIPPET_CONTEXT, first + SNIPPET_MAX_LINES - 1);
  if (last < first) return { startLine: first, lines: [] };
  // Masked before clipping: a clipped secret no longer matches anything that could mask it.
  const lines = maskedLines(view, first, last, spans).map((line) => clipLine(redactText(line, secrets), location.column));
  return { startLine: first, lines };
}

export function toRuleMeta(rule: RuleMetadata, docsBaseUrl: string): RuleMeta {
  return {
    id: rule.id,
    title: rule.title,
    description: rule.description,
    category: rule.category,
    severity: rule.severity,
    ...(rule.checklist === undefined ? {} : { checklist: rule.checklist }),
    docsUrl: docsBaseUrl + rule.docs,
  };
}

function toLocation(raw: RawReport['location']): Location | undefined {
  if (raw === undefined) return undefined;
  if ('url' in raw) return { kind: 'url', url: redactUrl(raw.url) };
  return { kind: 'file', ...raw };
}

/**
 * Turns raw rule reports into findings: severity override, redacted message/snippet/detail, fingerprint.
 * Exported so commands that produce findings outside `runRules` (probe, rehearsal) share one path.
 */
export function toFinding(
  rule: RuleMetadata,
  raw: RawReport,
  sources: SourceText,
  docsBaseUrl: string,
  severityOverride?: Severity,
): Omit<Finding, 'fingerprint'> & { fingerprintContext: string; fingerprintPath: string } {
  const location = toLocation(raw.location);
  const text = location?.kind === 'file' ? sources.text(location.path) : undefined;
  const view = text === undefined || location?.kind !== 'file' ? undefined : fileView(location.path, text);
  const own = view === undefined ? [] : ruleSpans(view, raw.secretSpans ?? [], raw.secrets ?? []);
  // The text at the rule's spans is masked by value too, wherever it reappears (message, detail, other lines).
  const secrets = [...(raw.secrets ?? []), ...own.filter((span) => span.end - span.start >= 4).map((span) => view?.text.slice(span.start, span.end) ?? '')];
  const spans = view === undefined || location?.kind !== 'file' ? own : [...detectedSpans(view, location.path), ...own];
  const snippet = snippetFor(view, location, spans, secrets);
  const flaggedLine = view !== undefined && location?.kind === 'file' && location.line !== undefined ? clipLine(maskedLines(view, location.line, location.line, spans)[0] ?? '', location.column, FINGERPRINT_LINE_MAX) : '';
  return {
    ruleId: rule.id,
    messageId: raw.messageId,
    // The user's configured severity wins over a rule's per-finding choice: config is the last word.
    severity: severityOverride ?? raw.severity ?? rule.severity,
    category: rule.category,
    ...(rule.checklist === undefined ? {} : { checklist: rule.checklist }),
    message: redactText(raw.message, secrets),
    ...(location === undefined ? {} : { location }),
    evidence: {
      ...(snippet === undefined ? {} : { snippet }),
      ...(raw.detail === undefined ? {} : { detail: redactText(raw.detail, secrets) }),
    },
    fix: redactText(raw.fix ?? rule.fix, secrets),
    docsUrl: docsBaseUrl + rule.docs,
    ...(raw.inconclusive === true ? { inconclusive: true } : {}),
    fingerprintPath: location === undefined ? '' : location.kind === 'file' ? location.path : location.url,
    fingerprintContext: `${raw.messageId}\0${raw.key ?? ''}\0${redactText(flaggedLine, secrets)}`,
  };
}

/** Assigns fingerprints; identical contexts in one file get increasing occurrence numbers in line order. */
export function assignFingerprints(
  drafts: ReadonlyArray<Omit<Finding, 'fingerprint'> & { fingerprintContext: string; fingerprintPath: string }>,
): Finding[] {
  const ordered = [...drafts].sort(compareDraftLocations);
  const seen = new Map<string, number>();
  return ordered.map(({ fingerprintContext, fingerprintPath, ...finding }) => {
    const key = `${finding.ruleId}\0${fingerprintPath}\0${fingerprintContext}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { ...finding, fingerprint: fingerprint({ ruleId: finding.ruleId, path: fingerprintPath, context: fingerprintContext, occurrence }) };
  });
}

function locationKey(location: Location | undefined): [string, number, number] {
  if (location === undefined) return ['', 0, 0];
  if (location.kind === 'url') return [location.url, 0, 0];
  return [location.path, location.line ?? 0, location.column ?? 0];
}

function compareDraftLocations(a: Pick<Finding, 'location' | 'ruleId' | 'message'>, b: Pick<Finding, 'location' | 'ruleId' | 'message'>): number {
  const [pathA, lineA, columnA] = locationKey(a.location);
  const [pathB, lineB, columnB] = locationKey(b.location);
  return (
    (pathA < pathB ? -1 : pathA > pathB ? 1 : 0) ||
    lineA - lineB ||
    columnA - columnB ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * The one deterministic order of findings in every report: most severe first, then by location,
 * then rule id and message, so two runs over the same tree print byte-identical output.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareDraftLocations(a, b);
}

/**
 * One finding per rule, message and place: a shared library file that several services import is judged once
 * per service, and would otherwise be reported once per dependent package. The first report is kept.
 */
function dedupeDrafts(drafts: ReadonlyArray<ReturnType<typeof toFinding>>): Array<ReturnType<typeof toFinding>> {
  const seen = new Set<string>();
  return drafts.filter((draft) => {
    const location = draft.location;
    if (location?.kind !== 'file' || location.line === undefined) return true;
    const key = `${draft.ruleId}\0${draft.messageId}\0${location.path}\0${location.line}\0${location.column ?? 0}\0${draft.fingerprintContext}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Runs every enabled rule over `project` and returns its findings in canonical order.
 * A rule that throws is a bug: the error is rethrown with the rule id and its cause.
 */
export async function runRules<Project>(
  rules: readonly RegisteredRule<Project>[],
  project: Project,
  sources: SourceText,
  options: RunRulesOptions,
): Promise<RuleRunOutcome> {
  const drafts: Array<ReturnType<typeof toFinding>> = [];
  const ranRules: RuleMeta[] = [];
  const applied = new Set<string>();
  const notes: Note[] = [];
  const limitMs = options.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const enabled = rules.filter((rule) => options.settings?.get(rule.id)?.enabled ?? rule.enabledByDefault ?? true);
  for (const [index, rule] of enabled.entries()) {
    options.onRule?.(rule.id, index, enabled.length);
    const setting = options.settings?.get(rule.id);
    ranRules.push(toRuleMeta({ ...rule, severity: setting?.severity ?? rule.severity }, options.docsBaseUrl));
    if (!rule.applies(project)) continue;
    applied.add(rule.id);
    // A rule that runs out of time on a file is run again without it, so its findings on every other file are
    // complete; its silence is then no evidence of a pass (the file went unchecked), so it no longer counts as applied.
    const hidden = new Set<string>();
    for (;;) {
      const ruleDrafts: Array<ReturnType<typeof toFinding>> = [];
      const perFile = new Map<string, number>();
      const sink = (raw: RawReport): void => {
        const file = raw.location !== undefined && 'path' in raw.location ? raw.location.path : '';
        const count = (perFile.get(file) ?? 0) + 1;
        perFile.set(file, count);
        if (count <= MAX_FINDINGS_PER_FILE) ruleDrafts.push(toFinding(rule, raw, sources, options.docsBaseUrl, setting?.severity));
      };
      try {
        await withFileBudget({ limitMs, now, hidden }, () => rule.run(project, setting?.options, sink));
        drafts.push(...ruleDrafts);
        for (const [file, count] of perFile) {
          if (count > MAX_FINDINGS_PER_FILE) notes.push({ kind: 'info', ...(file === '' ? {} : { path: file }), message: `${rule.id} found ${count} problems here; the first ${MAX_FINDINGS_PER_FILE} are listed` });
        }
        break;
      } catch (cause) {
        if (!(cause instanceof FileBudgetExceeded)) throw new Error(`rule ${rule.id} failed`, { cause });
        hidden.add(cause.file);
        applied.delete(rule.id);
        const seconds = Math.round(limitMs / 1000);
        if (hidden.size >= MAX_FILES_OVER_BUDGET) {
          notes.push({ kind: 'rule-error', path: cause.file, message: `${rule.id} spent more than ${seconds} s on this file, the ${hidden.size}th such file: the rule was stopped and reports nothing` });
          break;
        }
        notes.push({ kind: 'rule-error', path: cause.file, message: `${rule.id} spent more than ${seconds} s on this file and skipped it; it checked every other file` });
      }
    }
  }
  ranRules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings: assignFingerprints(dedupeDrafts(drafts)).sort(compareFindings), rules: ranRules, applied, notes };
}

export type { ChecklistId, Note };
