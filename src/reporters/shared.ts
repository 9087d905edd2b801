import { redactText } from '../core/redact.js';
import { countsTowardExit, isActive, type Finding, type Note, type Report } from '../core/report.js';
import { SEVERITIES, type Severity } from '../core/severity.js';

/** What every reporter receives besides the report. The CLI decides `color` (TTY and no `NO_COLOR`). */
export interface RenderOptions {
  readonly color: boolean;
}

/** Findings split the way every human-facing format shows them. */
export interface FindingGroups {
  /** Active and not already in the baseline: the ones to act on. */
  readonly current: Finding[];
  /** Active but `unchanged` against the baseline. */
  readonly known: Finding[];
  /** Silenced by an inline `shipready-ignore`: counted, never listed. */
  readonly suppressed: Finding[];
}

/** @example groupFindings(report).current.length // findings a user must act on */
export function groupFindings(report: Report): FindingGroups {
  const current: Finding[] = [];
  const known: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of report.findings) {
    if (!isActive(finding)) suppressed.push(finding);
    else if (countsTowardExit(finding)) current.push(finding);
    else known.push(finding);
  }
  return { current, known, suppressed };
}

/**
 * `path:line:column`, `path:line`, `path`, the URL, or undefined when the finding has no location.
 *
 * @example locationText(finding) // 'src/server.ts:12:3'
 */
export function locationText(finding: Finding, withColumn = true): string | undefined {
  const location = finding.location;
  if (location === undefined) return undefined;
  if (location.kind === 'url') return location.url;
  if (location.line === undefined) return location.path;
  if (withColumn && location.column !== undefined) return `${location.path}:${location.line}:${location.column}`;
  return `${location.path}:${location.line}`;
}

/** Counts findings per severity, most severe first, skipping zero counts. */
export function severityCounts(findings: readonly Finding[]): Array<[Severity, number]> {
  return SEVERITIES.map((severity): [Severity, number] => [severity, findings.filter((finding) => finding.severity === severity).length]).filter(
    ([, count]) => count > 0,
  );
}

/** Notes grouped by kind in first-seen order, so a report with 900 skipped files stays readable. */
export function groupNotes(notes: readonly Note[]): Array<[Note['kind'], Note[]]> {
  const groups = new Map<Note['kind'], Note[]>();
  for (const note of notes) {
    const list = groups.get(note.kind) ?? [];
    list.push(note);
    groups.set(note.kind, list);
  }
  return [...groups.entries()];
}

// Text from scanned repositories may carry terminal escape sequences; printed raw they could rewrite the
// screen, colour a CI log or hide a finding. Every control character except tab and newline becomes a
// visible `\uXXXX` escape; CRLF is normalised to LF first. Bidirectional overrides and isolates (a file named
// with U+202E reads backwards, "Trojan Source") and the Unicode line separators count as control characters.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** @example cleanControl('a\u001b[31mb') // 'a\\u001b[31mb' */
export function cleanControl(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A finding's file path as seen from the git repository's top: finding paths are relative to the scanned folder,
 * while code scanning, the Checks UI and GitLab's merge request widget resolve them from the repository root, also
 * when a sub-folder was scanned (`report.repositoryPath`, found by `GitRepository.open` under the safe git config).
 *
 * @example repositoryRelativePath({ ...report, repositoryPath: 'apps/api' }, 'src/index.ts') // 'apps/api/src/index.ts'
 */
export function repositoryRelativePath(report: Pick<Report, 'repositoryPath'>, path: string): string {
  const prefix = report.repositoryPath ?? '';
  return prefix === '' ? path : `${prefix}/${path}`;
}

/** How many notes of one kind are printed before "… and N more". */
export const NOTES_SHOWN_PER_KIND = 5;

/** `rule/health-endpoint` → `HealthEndpoint` (SARIF `reportingDescriptor.name`). */
export function pascalCaseRuleName(ruleId: string): string {
  const tail = ruleId.slice(ruleId.lastIndexOf('/') + 1);
  return tail
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');
}

/**
 * Defence in depth for the parts of a report that do not come through the engine's `toFinding` (which
 * already redacts findings): the target (a probed URL may carry credentials), notes, sections and
 * checklist reasons. `section.data` is structured and only reaches the JSON format; its producer must
 * redact it.
 *
 * @example redactReport(report).target // 'https://user:pa••••@app.example.com/'
 */
export function redactReport(report: Report): Report {
  return {
    ...report,
    target: redactText(report.target),
    checklist: report.checklist.map((entry) => ({
      ...entry,
      reason: redactText(entry.reason),
      ...(entry.attestation === undefined ? {} : { attestation: { ...entry.attestation, evidence: redactText(entry.attestation.evidence) } }),
    })),
    sections: report.sections.map((section) => ({ ...section, title: redactText(section.title), lines: section.lines.map((line) => redactText(line)) })),
    notes: report.notes.map((note) => ({ ...note, message: redactText(note.message) })),
  };
}
