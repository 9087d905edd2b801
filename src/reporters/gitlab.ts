// GitLab Code Quality reporter, for the merge request widget and diff annotations. Docs: docs/reporters.md#gitlab
import { createHash } from 'node:crypto';
import { isActive, type Finding, type Report } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { cleanControl, repositoryRelativePath } from './shared.js';

/** GitLab's five levels, lowest first. */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One issue as GitLab documents the Code Quality report (a subset of the Code Climate issue format). */
export interface CodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: CodeQualitySeverity;
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

// Our five severities map in order onto GitLab's five, so a critical finding is a blocker there.
const SEVERITY: Record<Severity, CodeQualitySeverity> = { critical: 'blocker', high: 'critical', medium: 'major', low: 'minor', info: 'info' };

/** @example codeQualitySeverity('medium') // 'major' */
export function codeQualitySeverity(severity: Severity): CodeQualitySeverity {
  return SEVERITY[severity];
}

/**
 * GitLab tells new issues from fixed ones by comparing fingerprints between the base and the head pipeline, and
 * merges the reports of all jobs: the finding's own fingerprint (stable across line shifts) is salted with the
 * scanned folder, so two jobs that scan two packages of a monorepo do not collapse each other's identical findings.
 */
function issueFingerprint(report: Report, finding: Finding): string {
  return createHash('sha256')
    .update(`shipready/v1\0${report.repositoryPath ?? ''}\0${finding.fingerprint}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * GitLab requires a path: a file finding gets its path from the repository root; a live check's finding gets its
 * (redacted) URL, and a finding about the project as a whole the scanned folder.
 */
function issueLocation(report: Report, finding: Finding): CodeQualityIssue['location'] {
  const location = finding.location;
  if (location?.kind === 'file') return { path: repositoryRelativePath(report, location.path), lines: { begin: location.line ?? 1 } };
  return { path: location?.kind === 'url' ? location.url : (report.repositoryPath ?? '.'), lines: { begin: 1 } };
}

/**
 * The Code Quality issues: every active finding (suppressed ones are left out; baseline ones stay, since GitLab
 * itself shows only what the merge request changes).
 *
 * @example toCodeQuality(report)[0]?.severity // 'blocker' for a committed live key
 */
export function toCodeQuality(report: Report): CodeQualityIssue[] {
  return report.findings.filter(isActive).map((finding) => ({
    description: cleanControl(`${finding.message} Fix: ${finding.fix}`),
    check_name: finding.ruleId,
    fingerprint: issueFingerprint(report, finding),
    severity: codeQualitySeverity(finding.severity),
    location: issueLocation(report, finding),
  }));
}

/**
 * GitLab Code Quality JSON for `--format gitlab`; publish it with `artifacts: reports: codequality:`.
 *
 * @example writeFileSync('gl-code-quality-report.json', renderGitlab(report));
 */
export function renderGitlab(report: Report): string {
  return `${JSON.stringify(toCodeQuality(report), null, 2)}\n`;
}
