// Text reporter: the report a human reads in a terminal. Docs: docs/reporters.md#text
import { compareFindings } from '../core/engine.js';
import type { ChecklistEntry, Finding, Report, Verdict } from '../core/report.js';
import { CATEGORIES, type Severity } from '../core/severity.js';
import { cleanControl, groupFindings, groupNotes, locationText, NOTES_SHOWN_PER_KIND, type RenderOptions } from './shared.js';

/** What `maskSecret` leaves in place of a secret's tail. */
const MASK = '••••';

type Paint = (text: string) => string;

interface Palette {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly blue: Paint;
  readonly magenta: Paint;
  readonly cyan: Paint;
}

/** SGR pairs: each style closes with its own reset code so nested styles survive. */
function palette(enabled: boolean): Palette {
  const sgr =
    (open: number, close: number): Paint =>
    (text) =>
      enabled && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

const clean = cleanControl;

/** Cleans `text` and indents its continuation lines so multi-line details stay inside their block. */
function block(text: string, indent: string): string {
  return clean(text).split(/\r?\n/).join(`\n${indent}`);
}

function severityLabel(severity: Severity, paint: Palette): string {
  const label = severity.toUpperCase();
  switch (severity) {
    case 'critical':
      return paint.bold(paint.magenta(label));
    case 'high':
      return paint.bold(paint.red(label));
    case 'medium':
      return paint.yellow(label);
    case 'low':
      return paint.cyan(label);
    case 'info':
      return paint.dim(label);
  }
}

const STATUS_WIDTH = 'attested'.length;

function statusLabel(entry: ChecklistEntry, paint: Palette): string {
  const padded = (text: string): string => text.padEnd(STATUS_WIDTH);
  switch (entry.status) {
    case 'pass':
      return paint.green(padded('pass'));
    case 'fail':
      return paint.bold(paint.red(padded('FAIL')));
    case 'unknown':
      return paint.yellow(padded('unknown'));
    case 'attested':
      return paint.blue(padded('attested'));
  }
}

function verdictLine(verdict: Verdict, paint: Palette): string {
  const summary = clean(verdict.summary);
  switch (verdict.label) {
    case 'ready':
      return paint.bold(paint.green(summary));
    case 'ready-with-gaps':
      return paint.bold(paint.yellow(summary));
    case 'not-ready':
      return paint.bold(paint.red(summary));
    case 'nothing-to-audit':
      return paint.bold(summary);
  }
}

function checklistLines(report: Report, paint: Palette): string[] {
  const lines = [paint.bold('Readiness checklist')];
  // `migrations` and `probe` speak to a few items; the ones no rule of theirs touches are one line, not twenty.
  const isOutOfScope = (entry: Report['checklist'][number]): boolean =>
    report.command !== 'scan' && entry.status === 'unknown' && entry.rules.length === 0 && entry.attestation === undefined;
  const outOfScope = report.checklist.filter(isOutOfScope);
  for (const entry of report.checklist.filter((candidate) => !isOutOfScope(candidate))) {
    const count = entry.status === 'fail' ? ` (${entry.findings.length} finding${entry.findings.length === 1 ? '' : 's'})` : '';
    lines.push(`  ${statusLabel(entry, paint)}  ${clean(entry.title)}${count} ${paint.dim('—')} ${paint.dim(block(entry.reason, '            '))}`);
  }
  if (outOfScope.length > 0) {
    lines.push(paint.dim(`  ${outOfScope.length} other item(s) are not checked by \`${clean(report.command)}\`; run \`shipready scan\` for them`));
  }
  return lines;
}

/**
 * The code frame: a line-number gutter, `>` on the flagged line(s), and `^^^` under the flagged columns
 * when the span sits on one line. `endColumn` is exclusive (the column after the last flagged character),
 * as in SARIF and ESLint.
 */
function codeFrame(finding: Finding, paint: Palette, indent: string): string[] {
  const snippet = finding.evidence.snippet;
  if (snippet === undefined || snippet.lines.length === 0) return [];
  const location = finding.location?.kind === 'file' ? finding.location : undefined;
  const firstFlagged = location?.line;
  const lastFlagged = location?.endLine ?? location?.line;
  const width = String(snippet.startLine + snippet.lines.length - 1).length;
  const out: string[] = [];
  snippet.lines.forEach((raw, index) => {
    const lineNumber = snippet.startLine + index;
    const text = clean(raw);
    const isFlagged = firstFlagged !== undefined && lastFlagged !== undefined && lineNumber >= firstFlagged && lineNumber <= lastFlagged;
    const marker = isFlagged ? paint.bold(paint.red('>')) : ' ';
    out.push(`${indent}${marker} ${paint.dim(`${String(lineNumber).padStart(width)} |`)} ${text}`.trimEnd());
    const column = location?.column;
    // A line clipped by the engine (leading "…") no longer matches the columns; skip the underline there.
    if (
      isFlagged &&
      location !== undefined &&
      lineNumber === firstFlagged &&
      (location.endLine === undefined || location.endLine === location.line) &&
      column !== undefined &&
      !raw.startsWith('…') &&
      column - 1 <= raw.length
    ) {
      const end = location.endColumn !== undefined && location.endColumn > column ? location.endColumn : column + 1;
      // Redaction shortens a masked secret, so the original end column would overshoot: stop at the mask.
      const maskAt = raw.indexOf(MASK, column - 1);
      const maskEnd = maskAt >= 0 && maskAt < end - 1 ? maskAt + MASK.length + 1 : end;
      const span = Math.max(1, Math.min(Math.min(end, maskEnd) - column, raw.length - (column - 1)));
      // Keep tabs so the carets line up with what the terminal shows above them.
      const pad = raw.slice(0, column - 1).replace(/[^\t]/g, ' ');
      out.push(`${indent}  ${' '.repeat(width)} ${paint.dim('|')} ${pad}${paint.red('^'.repeat(span))}`);
    }
  });
  return out;
}

function findingLines(finding: Finding, paint: Palette): string[] {
  const indent = '    ';
  const inconclusive = finding.inconclusive === true ? ` ${paint.yellow('(inconclusive)')}` : '';
  const lines = [`  ${severityLabel(finding.severity, paint)}${inconclusive}  ${paint.bold(finding.ruleId)}  ${block(finding.message, indent)}`];
  const where = locationText(finding);
  if (where !== undefined) lines.push(`${indent}${paint.cyan(clean(where))}`);
  lines.push(...codeFrame(finding, paint, indent));
  if (finding.evidence.detail !== undefined) lines.push(`${indent}${block(finding.evidence.detail, indent)}`);
  lines.push(`${indent}${paint.green('Fix:')} ${block(finding.fix, indent)}`);
  lines.push(`${indent}${paint.dim(`Docs: ${finding.docsUrl}`)}`);
  return lines;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function findingSections(current: readonly Finding[], paint: Palette): string[] {
  if (current.length === 0) return [paint.bold('Findings: none')];
  const lines = [paint.bold(`Findings (${current.length})`)];
  for (const category of CATEGORIES) {
    const inCategory = current.filter((finding) => finding.category === category).sort(compareFindings);
    if (inCategory.length === 0) continue;
    lines.push('', paint.bold(`${capitalise(category)} (${inCategory.length})`));
    for (const finding of inCategory) lines.push('', ...findingLines(finding, paint));
  }
  return lines;
}

/** Baseline findings are listed one line each: visible, but without the weight of new ones. */
function knownLines(known: readonly Finding[], paint: Palette): string[] {
  if (known.length === 0) return [];
  const lines = ['', paint.bold(`Known (in baseline): ${known.length}`)];
  for (const finding of [...known].sort(compareFindings)) {
    const where = locationText(finding);
    lines.push(`  ${severityLabel(finding.severity, paint)}  ${finding.ruleId}  ${where === undefined ? '' : `${paint.cyan(clean(where))}  `}${block(finding.message, '    ')}`);
  }
  return lines;
}

function sectionLines(report: Report, paint: Palette, placement: 'top' | 'bottom'): string[] {
  const lines: string[] = [];
  for (const section of report.sections.filter((candidate) => (candidate.placement ?? 'bottom') === placement)) {
    lines.push('', paint.bold(clean(section.title)));
    for (const line of section.lines) lines.push(`  ${block(line, '  ')}`);
  }
  return lines;
}

function noteLines(report: Report, paint: Palette): string[] {
  if (report.notes.length === 0) return [];
  const lines = ['', paint.bold(`Notes (${report.notes.length})`)];
  for (const [kind, notes] of groupNotes(report.notes)) {
    lines.push(`  ${kind} (${notes.length})`);
    for (const note of notes.slice(0, NOTES_SHOWN_PER_KIND)) {
      lines.push(`    ${note.path === undefined ? '' : `${paint.cyan(clean(note.path))}: `}${block(note.message, '      ')}`);
    }
    if (notes.length > NOTES_SHOWN_PER_KIND) lines.push(paint.dim(`    … and ${notes.length - NOTES_SHOWN_PER_KIND} more`));
  }
  return lines;
}

/**
 * Renders the report for a terminal: header, checklist, verdict, findings by category (most severe first)
 * with code frames, baseline-known findings one line each, sections, notes, and a footer counting
 * suppressed and baseline findings. ANSI colour only when `options.color` is true.
 *
 * @example
 * process.stdout.write(renderText(report, { color: process.stdout.isTTY && !process.env.NO_COLOR }));
 */
export function renderText(report: Report, options: RenderOptions): string {
  const paint = palette(options.color);
  const { current, known, suppressed } = groupFindings(report);
  const lines = [
    `${paint.bold(`${report.tool.name} ${report.tool.version}`)} · ${clean(report.command)} · ${clean(report.target)}`,
    ...sectionLines(report, paint, 'top'),
    '',
    // `smoke` answers its own question (do the flows pass?) and carries no checklist.
    ...(report.verdict.label === 'nothing-to-audit' || report.checklist.length === 0 ? [] : checklistLines(report, paint)),
    '',
    verdictLine(report.verdict, paint),
    '',
    ...findingSections(current, paint),
    ...knownLines(known, paint),
    ...sectionLines(report, paint, 'bottom'),
    ...noteLines(report, paint),
    '',
    paint.dim(`${suppressed.length} suppressed finding(s) not shown · ${known.length} known finding(s) from the baseline`),
  ];
  return `${lines.join('\n')}\n`;
}
