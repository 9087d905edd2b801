// Markdown reporter, for PR comments and $GITHUB_STEP_SUMMARY. Docs: docs/reporters.md#markdown
import { compareFindings } from '../core/engine.js';
import type { ChecklistEntry, Finding, Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { cleanControl, groupFindings, groupNotes, locationText, NOTES_SHOWN_PER_KIND } from './shared.js';

/** GitHub rejects comments over 65,536 characters; the rest is headroom for a bot's own wrapper text. */
export const MARKDOWN_MAX_CHARS = 60_000;

/** Room kept for the truncation note and the footer, which are written after the budgeted blocks. */
const RESERVED_CHARS = 1_000;

const STATUS_EMOJI: Record<ChecklistEntry['status'], string> = { pass: '✅', fail: '❌', unknown: '❔', attested: '📝' };
const SEVERITY_EMOJI: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };
/** Severities listed openly; the rest fold into `<details>` so a PR comment leads with what blocks a release. */
const EXPANDED: ReadonlySet<Severity> = new Set(['critical', 'high']);

const INLINE_SPECIAL = /[\\`*_[\]|~<>&]|@(?=[A-Za-z0-9])|\r?\n/g;

/**
 * Escapes user-derived text (messages, paths, reasons) for inline Markdown: emphasis, links, table pipes
 * and HTML cannot take effect, newlines become `<br>` so a table row stays one row, and `@name` gets a
 * zero-width space so a finding never pings a GitHub user.
 *
 * @example escapeMarkdown('a | <script>') // 'a \\| &lt;script&gt;'
 */
export function escapeMarkdown(text: string): string {
  return cleanControl(text).replace(INLINE_SPECIAL, (match) => {
    switch (match) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case '@':
        return '@&#8203;';
      case '\n':
      case '\r\n':
        return '<br>';
      default:
        return `\\${match}`;
    }
  });
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/** A code span that survives backticks in its content (CommonMark: a longer delimiter run, padded). */
function codeSpan(text: string): string {
  const content = cleanControl(text).replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
function fencedBlock(raw: readonly string[]): string {
  const lines = raw.map(cleanControl);
  const fence = '`'.repeat(Math.max(3, longestRun(lines.join('\n'), '`') + 1));
  return `${fence}text\n${lines.join('\n')}\n${fence}\n`;
}

/** Link targets come from rule metadata, but spaces or parentheses would still end the link early. */
function linkTarget(url: string): string {
  return url.replace(/[()\s<>]/g, (char) => encodeURIComponent(char));
}

function codeFrame(finding: Finding): string | undefined {
  const snippet = finding.evidence.snippet;
  if (snippet === undefined || snippet.lines.length === 0) return undefined;
  const location = finding.location?.kind === 'file' ? finding.location : undefined;
  const first = location?.line ?? 0;
  const last = location?.endLine ?? first;
  const width = String(snippet.startLine + snippet.lines.length - 1).length;
  const lines = snippet.lines.map((line, index) => {
    const lineNumber = snippet.startLine + index;
    const marker = lineNumber >= first && lineNumber <= last ? '>' : ' ';
    return `${marker} ${String(lineNumber).padStart(width)} | ${line}`.trimEnd();
  });
  return fencedBlock(lines);
}

function findingBlock(finding: Finding): string {
  const where = locationText(finding, false);
  const inconclusive = finding.inconclusive === true ? ' _(inconclusive)_' : '';
  const parts = [
    `**${finding.severity.toUpperCase()}** ${codeSpan(finding.ruleId)}${where === undefined ? '' : ` · ${codeSpan(where)}`}${inconclusive} — ${escapeMarkdown(finding.message)}`,
    '',
  ];
  if (finding.evidence.detail !== undefined) parts.push(`_Evidence:_ ${escapeMarkdown(finding.evidence.detail)}`, '');
  parts.push(`**Fix:** ${escapeMarkdown(finding.fix)} · [docs](${linkTarget(finding.docsUrl)})`, '');
  const frame = codeFrame(finding);
  if (frame !== undefined) parts.push(frame);
  return `${parts.join('\n')}\n`;
}

function checklistTable(report: Report): string {
  const rows = report.checklist.map((entry) => {
    const count = entry.status === 'fail' ? ` (${entry.findings.length} finding${entry.findings.length === 1 ? '' : 's'})` : '';
    return `| ${STATUS_EMOJI[entry.status]} | ${escapeMarkdown(entry.title)}${count} | ${escapeMarkdown(entry.reason)} |`;
  });
  return ['### Readiness checklist', '', '| | Item | Reason |', '|:-:|---|---|', ...rows, ''].join('\n') + '\n';
}

function sectionBlock(section: Report['sections'][number]): string {
  return `### ${escapeMarkdown(section.title)}\n\n${section.lines.length > 0 ? fencedBlock(section.lines) : ''}\n`;
}

function notesBlock(report: Report): string | undefined {
  if (report.notes.length === 0) return undefined;
  const lines = [`<details><summary>Notes (${report.notes.length})</summary>`, ''];
  for (const [kind, notes] of groupNotes(report.notes)) {
    lines.push(`**${kind}** (${notes.length})`, '');
    for (const note of notes.slice(0, NOTES_SHOWN_PER_KIND)) {
      lines.push(`- ${note.path === undefined ? '' : `${codeSpan(note.path)}: `}${escapeMarkdown(note.message)}`);
    }
    if (notes.length > NOTES_SHOWN_PER_KIND) lines.push(`- … and ${notes.length - NOTES_SHOWN_PER_KIND} more`);
    lines.push('');
  }
  lines.push('</details>', '');
  return `${lines.join('\n')}\n`;
}

/** Appends blocks while they fit the budget; counts what did not. */
class Budget {
  readonly parts: string[] = [];
  private length = 0;
  constructor(private readonly limit: number) {}

  /** Adds `text` if `text` plus `closing` still fits; returns false (adding nothing) otherwise. */
  tryAdd(text: string, closing = ''): boolean {
    if (this.length + text.length + closing.length > this.limit) return false;
    this.add(text);
    return true;
  }

  add(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }
}

/**
 * Renders the report as GitHub-flavoured Markdown: the verdict as heading, the checklist as a table, then
 * current findings by severity (critical and high open, the rest folded). Baseline-known and suppressed
 * findings are counted in the footer, not listed. Output stays under `MARKDOWN_MAX_CHARS`; findings that
 * do not fit are counted in a note.
 *
 * @example appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(report));
 */
export function renderMarkdown(report: Report): string {
  const { current, known, suppressed } = groupFindings(report);
  const budget = new Budget(MARKDOWN_MAX_CHARS - RESERVED_CHARS);
  budget.add(`## shipready: ${escapeMarkdown(report.verdict.summary)}\n\n`);
  budget.add(`${codeSpan(report.command)} of ${codeSpan(report.target)} · shipready ${escapeMarkdown(report.tool.version)}\n\n`);
  for (const section of report.sections.filter((candidate) => candidate.placement === 'top')) budget.add(sectionBlock(section));
  if (report.verdict.label !== 'nothing-to-audit') budget.add(checklistTable(report));
  budget.add(current.length === 0 ? '### Findings\n\nNo findings to act on.\n\n' : `### Findings (${current.length})\n\n`);

  let shown = 0;
  const sorted = [...current].sort(compareFindings);
  for (const severity of SEVERITIES) {
    const group = sorted.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    const isExpanded = EXPANDED.has(severity);
    const title = `${SEVERITY_EMOJI[severity]} ${severity.charAt(0).toUpperCase()}${severity.slice(1)} (${group.length})`;
    const opening = isExpanded ? `#### ${title}\n\n` : `<details><summary>${title}</summary>\n\n`;
    const closing = isExpanded ? '' : '</details>\n\n';
    const [head, ...rest] = group.map(findingBlock);
    if (head === undefined || !budget.tryAdd(opening + head, closing)) break;
    shown += 1;
    let isFull = false;
    for (const block of rest) {
      if (!budget.tryAdd(block, closing)) {
        isFull = true;
        break;
      }
      shown += 1;
    }
    budget.add(closing);
    if (isFull) break;
  }

  let sectionsOmitted = 0;
  for (const section of report.sections.filter((candidate) => candidate.placement !== 'top')) {
    if (!budget.tryAdd(sectionBlock(section))) sectionsOmitted += 1;
  }
  const notes = notesBlock(report);
  const notesOmitted = notes !== undefined && !budget.tryAdd(notes);

  const omitted = current.length - shown;
  const tail: string[] = [];
  if (omitted > 0 || sectionsOmitted > 0 || notesOmitted) {
    const what = [
      omitted > 0 ? `${omitted} more finding(s)` : '',
      sectionsOmitted > 0 ? `${sectionsOmitted} section(s)` : '',
      notesOmitted ? `${report.notes.length} note(s)` : '',
    ].filter((text) => text !== '');
    tail.push(`> [!NOTE]\n> ${what.join(', ')} omitted to stay under GitHub's comment size limit; run with \`--format json\` or \`--format sarif\` for the full report.\n`);
  }
  tail.push(
    `<sub>${suppressed.length} suppressed finding(s) not shown · ${known.length} known finding(s) from the baseline not listed · shipready ${escapeMarkdown(report.tool.version)}</sub>\n`,
  );
  return [...budget.parts, ...tail].join('');
}
