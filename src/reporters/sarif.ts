// SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers. Docs: docs/reporters.md#sarif
import type { Finding, Report, RuleMeta } from '../core/report.js';
import type { Severity } from '../core/severity.js';
import { pascalCaseRuleName, repositoryRelativePath } from './shared.js';
import { PROJECT_URL } from '../core/meta.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const TOOL_INFORMATION_URI = PROJECT_URL;
/** Versioned key, so a future change of the fingerprint recipe can ship under `shipready/v2` without clashing. */
export const FINGERPRINT_KEY = 'shipready/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

/** The subset of SARIF 2.1.0 this reporter writes (see test/schemas/sarif-schema-2.1.0.json). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly columnKind: 'utf16CodeUnits';
  readonly results: readonly SarifResult[];
  readonly properties: { readonly command: string; readonly verdict: string; readonly score: number | null; readonly summary: string };
}

export interface SarifDriver {
  readonly name: 'shipready';
  readonly version: string;
  readonly informationUri: string;
  readonly rules: readonly SarifRule[];
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly helpUri: string;
  readonly help: { readonly text: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[]; readonly precision: 'high'; readonly 'security-severity'?: string };
}

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export interface SarifLocation {
  readonly physicalLocation: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: '%SRCROOT%' };
    readonly region?: SarifRegion;
  };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations?: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: ReadonlyArray<{ readonly kind: 'inSource'; readonly justification: string }>;
  readonly baselineState?: 'new' | 'unchanged';
  readonly properties: { readonly severity: Severity; readonly category: string; readonly checklist?: string; readonly inconclusive?: true };
}

const LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub reads this (as a string holding a number) to rank security alerts: ≥9 critical, ≥7 high, ≥4 medium. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0', info: '0.0' };

/** @example sarifLevel('medium') // 'warning' */
export function sarifLevel(severity: Severity): SarifLevel {
  return LEVEL[severity];
}

function toSarifRule(rule: RuleMeta): SarifRule {
  return {
    id: rule.id,
    name: pascalCaseRuleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    helpUri: rule.docsUrl,
    help: { text: `${rule.description}\n\nDocumentation: ${rule.docsUrl}` },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      tags: [rule.category, 'shipready'],
      precision: 'high',
      ...(rule.category === 'security' ? { 'security-severity': SECURITY_SEVERITY[rule.severity] } : {}),
    },
  };
}

/**
 * A finding whose rule is missing from `report.rules` (a producer outside `runRules`) still needs a
 * descriptor so `ruleIndex` is valid; this one is built from what the finding knows.
 */
function ruleFromFinding(finding: Finding): RuleMeta {
  return {
    id: finding.ruleId,
    title: finding.ruleId,
    description: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    ...(finding.checklist === undefined ? {} : { checklist: finding.checklist }),
    docsUrl: finding.docsUrl,
  };
}

/** Paths are POSIX and relative; each segment is percent-encoded so spaces and `#` stay valid URI references. */
function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function toLocations(finding: Finding, report: Report): SarifLocation[] | undefined {
  const location = finding.location;
  if (location === undefined) return undefined;
  if (location.kind === 'url') return [{ physicalLocation: { artifactLocation: { uri: location.url } } }];
  // %SRCROOT% is the repository root for code scanning: a sub-folder scan's paths get the folder in front.
  const artifactLocation = { uri: pathToUri(repositoryRelativePath(report, location.path)), uriBaseId: '%SRCROOT%' as const };
  if (location.line === undefined) return [{ physicalLocation: { artifactLocation } }];
  const region: SarifRegion = {
    startLine: location.line,
    ...(location.column === undefined ? {} : { startColumn: location.column }),
    ...(location.endLine === undefined ? {} : { endLine: location.endLine }),
    ...(location.endColumn === undefined ? {} : { endColumn: location.endColumn }),
  };
  return [{ physicalLocation: { artifactLocation, region } }];
}

function toResult(finding: Finding, ruleIndex: number, report: Report): SarifResult {
  const locations = toLocations(finding, report);
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: `${finding.message} Fix: ${finding.fix}` },
    ...(locations === undefined ? {} : { locations }),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.suppression === undefined ? {} : { suppressions: [{ kind: 'inSource' as const, justification: finding.suppression.reason }] }),
    ...(finding.baseline === undefined ? {} : { baselineState: finding.baseline }),
    properties: {
      severity: finding.severity,
      category: finding.category,
      ...(finding.checklist === undefined ? {} : { checklist: finding.checklist }),
      ...(finding.inconclusive === true ? { inconclusive: true as const } : {}),
    },
  };
}

/**
 * Builds the SARIF log: one run, every rule that ran as a reporting descriptor, every finding as a
 * result (inline-suppressed ones carry `suppressions`, baseline comparisons carry `baselineState`).
 *
 * @example toSarif(report).runs[0]?.results.length // number of findings, suppressed ones included
 */
export function toSarif(report: Report): SarifLog {
  const rules: RuleMeta[] = [...report.rules];
  const index = new Map<string, number>(rules.map((rule, position) => [rule.id, position]));
  for (const finding of report.findings) {
    if (index.has(finding.ruleId)) continue;
    index.set(finding.ruleId, rules.length);
    rules.push(ruleFromFinding(finding));
  }
  const results = report.findings.map((finding) => toResult(finding, index.get(finding.ruleId) ?? 0, report));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'shipready', version: report.tool.version, informationUri: TOOL_INFORMATION_URI, rules: rules.map(toSarifRule) } },
        columnKind: 'utf16CodeUnits',
        results,
        properties: { command: report.command, verdict: report.verdict.label, score: report.verdict.score, summary: report.verdict.summary },
      },
    ],
  };
}

/**
 * SARIF 2.1.0 text for `--format sarif`; upload it with `github/codeql-action/upload-sarif`.
 *
 * @example writeFileSync('shipready.sarif', renderSarif(report));
 */
export function renderSarif(report: Report): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}
