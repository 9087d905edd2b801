import { assignFingerprints, toFinding, type SourceText } from './engine.js';
import type { Finding } from './report.js';
import type { RuleMetadata } from './rule.js';

/** An inline `shipready-ignore <rule-id> -- <reason>` comment. */
export interface InlineSuppression {
  readonly path: string;
  /** Line of the comment itself. */
  readonly line: number;
  /** Line whose findings it silences: the same line for a trailing comment, else the next code line. */
  readonly targetLine: number;
  readonly ruleId: string;
  readonly reason: string | undefined;
}

/**
 * Comment openers of every syntax we scan; the marker must follow one of them after the start of the
 * line or whitespace, so a string literal such as `'// shipready-ignore'` in code is not a suppression.
 */
const SUPPRESSION = /(?:^|\s)(?:\/\/|#|--|<!--|\/\*|\*|;)\s*shipready-ignore\s+(\S+)(?:\s+--\s+(.*?))?\s*(?:-->|\*\/)?\s*$/;
const MARKDOWN_SUPPRESSION = /<!--\s*shipready-ignore\s+(\S+)(?:\s+--\s+(.*?))?\s*-->/;

/**
 * Finds suppressions in a file. A comment alone on its line applies to the next line that is not
 * itself a suppression comment, so several can be stacked above one statement.
 *
 * @example findSuppressions('a.ts', '// shipready-ignore security/secret-committed -- test key\nconst k = "…";')
 */
export function findSuppressions(path: string, text: string, commentSpans?: ReadonlyArray<{ start: number; end: number }>): InlineSuppression[] {
  if (!text.includes('shipready-ignore')) return [];
  const isMarkdown = /\.(?:md|mdx|markdown|html?)$/i.test(path);
  const lines = text.split(/\r?\n/);
  const found: Array<Omit<InlineSuppression, 'targetLine'> & { isStandalone: boolean }> = [];
  let offset = 0;
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const lineStart = offset;
    offset += line.length + 1;
    if (isMarkdown) {
      // Suppressions shown inside fenced code blocks are documentation, not directives.
      const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fenceMatch?.[1] !== undefined) {
        const marker = fenceMatch[1].slice(0, 3);
        fence = fence === undefined ? marker : fence === marker ? undefined : fence;
        return;
      }
      if (fence !== undefined) return;
    }
    if (!line.includes('shipready-ignore')) return;
    const match = (isMarkdown ? MARKDOWN_SUPPRESSION : SUPPRESSION).exec(line);
    if (match === null || match[1] === undefined || match.index === undefined) return;
    // In Markdown, a comment inside an inline code span (odd number of backticks before it) is an example.
    if (isMarkdown && (line.slice(0, match.index).match(/`/g)?.length ?? 0) % 2 === 1) return;
    const markerOffset = lineStart + line.indexOf('shipready-ignore', match.index);
    // With the parser's comment spans (JS/TS), a marker inside a string literal is not a directive.
    if (commentSpans !== undefined && !insideSpan(commentSpans, markerOffset)) return;
    const before = line.slice(0, match.index + (match[0].length - match[0].trimStart().length));
    const reason = match[2]?.trim();
    found.push({ path, line: index + 1, ruleId: match[1], reason: reason === '' ? undefined : reason, isStandalone: before.trim() === '' });
  });
  // The target of a stacked comment is its lower neighbour's: computed bottom-up, once per line, so a stack of
  // thousands of comments is not walked again for each of them.
  const targets = new Map<number, number>();
  for (const entry of [...found].reverse()) {
    if (entry.isStandalone && !targets.has(entry.line)) targets.set(entry.line, targets.get(entry.line + 1) ?? entry.line + 1);
  }
  return found.map(({ isStandalone, ...entry }) => ({ ...entry, targetLine: isStandalone ? (targets.get(entry.line) ?? entry.line + 1) : entry.line }));
}

/**
 * Whether `offset` lies in one of `spans`, which the parser gives in source order and never overlapping: a binary
 * search, since a file with thousands of comments and suppressions made a linear search per marker quadratic.
 */
function insideSpan(spans: ReadonlyArray<{ start: number; end: number }>, offset: number): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle];
    if (span === undefined) return false;
    if (offset < span.start) high = middle - 1;
    else if (offset >= span.end) low = middle + 1;
    else return true;
  }
  return false;
}

export const SUPPRESSION_RULE: RuleMetadata = {
  id: 'team/suppression',
  title: 'Inline suppressions are valid and used',
  description: 'Every shipready-ignore comment names a known rule, gives a reason, and silences a finding.',
  category: 'team',
  severity: 'info',
  docs: 'docs/configuration.md#inline-suppressions',
  fix: 'Write `shipready-ignore <rule-id> -- <reason>` directly above (or at the end of) the flagged line, or delete the comment.',
};

export interface SuppressionOutcome {
  readonly findings: Finding[];
  /** Info findings about the suppressions themselves (unknown rule, missing reason, unused). */
  readonly problems: Finding[];
}

/**
 * Marks findings silenced by inline suppressions and reports invalid or unused suppressions as info.
 * A suppression without a reason does not silence anything: the reason is the point.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly InlineSuppression[],
  options: { knownRuleIds: ReadonlySet<string>; ranRuleIds: ReadonlySet<string>; sources: SourceText; docsBaseUrl: string },
): SuppressionOutcome {
  const used = new Set<InlineSuppression>();
  // Keyed by what a suppression silences: the first one for a rule, file and line wins, as before. A lookup per
  // finding instead of a search through every suppression keeps thousands of each linear.
  const valid = new Map<string, InlineSuppression>();
  for (const suppression of suppressions) {
    if (suppression.reason === undefined || !options.knownRuleIds.has(suppression.ruleId)) continue;
    const key = `${suppression.ruleId}\0${suppression.path}\0${suppression.targetLine}`;
    if (!valid.has(key)) valid.set(key, suppression);
  }
  const marked = findings.map((finding) => {
    const location = finding.location;
    if (location?.kind !== 'file' || location.line === undefined) return finding;
    const match = valid.get(`${finding.ruleId}\0${location.path}\0${location.line}`);
    if (match === undefined || match.reason === undefined) return finding;
    used.add(match);
    return { ...finding, suppression: { kind: 'inline' as const, reason: match.reason, path: match.path, line: match.line } };
  });
  const drafts = suppressions.flatMap((suppression) => {
    const location = { path: suppression.path, line: suppression.line };
    if (!options.knownRuleIds.has(suppression.ruleId)) {
      return [toFinding(SUPPRESSION_RULE, { messageId: 'unknownRule', message: `shipready-ignore names an unknown rule "${suppression.ruleId}"`, location }, options.sources, options.docsBaseUrl)];
    }
    if (suppression.reason === undefined) {
      return [toFinding(SUPPRESSION_RULE, { messageId: 'missingReason', message: `shipready-ignore ${suppression.ruleId} has no reason ("-- why"), so it is not applied`, location }, options.sources, options.docsBaseUrl)];
    }
    if (!used.has(suppression) && options.ranRuleIds.has(suppression.ruleId)) {
      return [toFinding(SUPPRESSION_RULE, { messageId: 'unused', message: `shipready-ignore ${suppression.ruleId} silences nothing on line ${suppression.targetLine}`, location }, options.sources, options.docsBaseUrl)];
    }
    return [];
  });
  return { findings: marked, problems: assignFingerprints(drafts) };
}
