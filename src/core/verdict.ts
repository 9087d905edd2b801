import { CHECKLIST, type ChecklistItem, type EvidenceSource } from './checklist.js';
import {
  countsTowardExit,
  isActive,
  REPORT_SCHEMA_VERSION,
  type Attestation,
  type ChecklistEntry,
  type Finding,
  type Note,
  type Report,
  type ReportSection,
  type RuleMeta,
  type Verdict,
} from './report.js';
import { isAtLeast, SEVERITIES, severityRank, type Severity } from './severity.js';

export const DEFAULT_ATTESTATION_MAX_AGE_DAYS = 90;

export interface AttestationInput extends Attestation {
  /** Overrides the config-wide maximum age for this one item. */
  readonly maxAgeDays?: number;
}

export interface BuildReportInput {
  readonly command: string;
  readonly target: string;
  readonly version: string;
  readonly findings: readonly Finding[];
  readonly rules: readonly RuleMeta[];
  /** Ids of rules that applied to the target: their silence proves a pass. */
  readonly applied: ReadonlySet<string>;
  readonly attestations?: Readonly<Record<string, AttestationInput>>;
  readonly maxAgeDays?: number;
  /** Injected so attestation expiry is testable; the CLI passes the current time. */
  readonly now: Date;
  readonly failOn: Severity | 'none';
  readonly sections?: readonly ReportSection[];
  readonly notes?: readonly Note[];
  readonly stats?: Readonly<Record<string, number>>;
  /**
   * Set when the target holds no web application (why, in a phrase): the verdict is `nothing-to-audit`, never
   * `READY`; findings are still listed and still decide the exit code.
   */
  readonly nothingToAudit?: string;
  /** The scanned folder's place in its git repository, when it is a sub-folder (see `Report.repositoryPath`). */
  readonly repositoryPath?: string;
}

/** How much of a failing checklist item still stands, by the worst active finding in it. */
export const FAILED_ITEM_CREDIT: Record<Severity, number> = { critical: 0, high: 0.25, medium: 0.5, low: 0.75, info: 1 };

/** Points a finding outside the checklist costs, by severity; repeats of one rule cost half the previous one. */
export const UNLISTED_WEIGHT: Record<Severity, number> = { critical: 15, high: 6, medium: 3, low: 1, info: 0 };

/** Findings outside the checklist (a root container, a published database port) never cost more than this. */
export const UNLISTED_PENALTY_CAP = 30;

/** With an active critical finding (a leaked key, data loss now) the score stays below this. */
export const CRITICAL_SCORE_CAP = 40;

/**
 * Readiness score, 0–100, from the checklist first: the share of the items this run could judge (pass,
 * attested or fail; unknown items are left out, not guessed) that stand, where a failing item keeps part
 * of its credit by its worst finding (low 75 %, medium 50 %, high 25 %, critical 0). Findings of rules
 * outside the checklist subtract up to 30 points (first finding of a rule its weight — critical 15, high 6,
 * medium 3, low 1 — each repeat half the previous). Any active critical caps the score at 40. So a product
 * with a few real gaps scores far above a prototype that fails most items, however many times one rule fires.
 *
 * @example score([], []) // 100
 */
export function score(findings: readonly Finding[], checklist: readonly Pick<ChecklistEntry, 'id' | 'status'>[] = []): number {
  const active = findings.filter(isActive);
  const worst = new Map<string, Severity>();
  for (const finding of active) {
    if (finding.checklist === undefined || finding.severity === 'info') continue;
    const known = worst.get(finding.checklist);
    if (known === undefined || severityRank(finding.severity) > severityRank(known)) worst.set(finding.checklist, finding.severity);
  }
  const judged = checklist.filter((entry) => entry.status !== 'unknown');
  const credit = judged.reduce((sum, entry) => sum + (entry.status === 'fail' ? FAILED_ITEM_CREDIT[worst.get(entry.id) ?? 'info'] : 1), 0);
  const checklistScore = judged.length === 0 ? 100 : (100 * credit) / judged.length;
  const perRule = new Map<string, Map<Severity, number>>();
  for (const finding of active) {
    if (finding.checklist !== undefined) continue;
    const counts = perRule.get(finding.ruleId) ?? new Map<Severity, number>();
    counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
    perRule.set(finding.ruleId, counts);
  }
  let penalty = 0;
  for (const counts of perRule.values()) for (const [severity, count] of counts) penalty += UNLISTED_WEIGHT[severity] * (2 - 2 ** (1 - count));
  let value = Math.max(0, Math.round(checklistScore - Math.min(UNLISTED_PENALTY_CAP, penalty)));
  if (active.some((finding) => finding.severity === 'critical')) value = Math.min(value, CRITICAL_SCORE_CAP);
  return value;
}

const NEEDS: Record<EvidenceSource, string> = {
  scan: 'no scan rule could check it here',
  probe: 'run `shipready probe <url>` against the deployment',
  rehearsal: 'run `shipready migrations --rehearse`',
  human: 'attest it in config (`attest`) with who, when and the evidence',
};

function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

function unknownReason(item: ChecklistItem, ranRuleIds: readonly string[]): string {
  const next = item.sources.filter((source) => source !== 'scan').map((source) => NEEDS[source]);
  const prefix = ranRuleIds.length > 0 ? `${ranRuleIds.join(', ')} did not apply here` : 'no rule of this command checks it';
  return next.length > 0 ? `${prefix}; ${next.join(', or ')}` : prefix;
}

const NAMES_SHOWN = 4;

/** `a, b, c, d and 32 more`: a checklist reason stays one readable line; the JSON `rules` keeps them all. */
function namesText(ids: readonly string[]): string {
  if (ids.length <= NAMES_SHOWN + 1) return ids.join(', ');
  return `${ids.slice(0, NAMES_SHOWN).join(', ')} and ${ids.length - NAMES_SHOWN} more`;
}

function evaluateItem(
  item: ChecklistItem,
  input: BuildReportInput,
  notes: Note[],
): ChecklistEntry {
  const ruleIds = input.rules.filter((rule) => rule.checklist === item.id).map((rule) => rule.id);
  const failing = input.findings.filter((finding) => finding.checklist === item.id && isActive(finding) && finding.severity !== 'info');
  const base = { id: item.id, title: item.title, category: item.category, rules: ruleIds, findings: failing.map((finding) => finding.fingerprint) };
  if (failing.length > 0) {
    const ids = [...new Set(failing.map((finding) => finding.ruleId))];
    return { ...base, status: 'fail', reason: `${failing.length} finding(s) from ${namesText(ids)}` };
  }
  const attestation = input.attestations?.[item.id];
  if (attestation !== undefined) {
    const maxAge = attestation.maxAgeDays ?? input.maxAgeDays ?? DEFAULT_ATTESTATION_MAX_AGE_DAYS;
    const { by, date, evidence } = attestation;
    const age = daysBetween(new Date(date), input.now);
    if (age < 0) {
      // A date in the future would never expire: treat it as a typo, not as evidence.
      const message = `attestation of "${item.id}" by ${by} is dated ${date}, in the future; fix the date`;
      notes.push({ kind: 'attestation', message });
      return { ...base, status: 'unknown', reason: message, attestation: { by, date, evidence } };
    }
    if (age <= maxAge) {
      return { ...base, status: 'attested', reason: `attested by ${by} on ${date}: ${evidence}`, attestation: { by, date, evidence } };
    }
    const message = `attestation of "${item.id}" by ${by} on ${date} is ${age} days old (max ${maxAge}); re-check and renew it`;
    notes.push({ kind: 'attestation', message });
    return { ...base, status: 'unknown', reason: message, attestation: { by, date, evidence } };
  }
  const appliedRules = ruleIds.filter((id) => input.applied.has(id));
  if (appliedRules.length > 0) return { ...base, status: 'pass', reason: `checked by ${namesText(appliedRules)}: no findings` };
  return { ...base, status: 'unknown', reason: unknownReason(item, ruleIds) };
}

const LABEL_TEXT: Record<Verdict['label'], string> = { ready: 'READY', 'ready-with-gaps': 'READY WITH GAPS', 'not-ready': 'NOT READY', 'nothing-to-audit': 'NOTHING TO AUDIT' };

function buildVerdict(findings: readonly Finding[], checklist: readonly ChecklistEntry[], failOn: Severity | 'none', nothingToAudit: string | undefined): Verdict {
  const active = findings.filter(isActive);
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of active) counts[finding.severity] += 1;
  const tally = { pass: 0, fail: 0, unknown: 0, attested: 0 };
  for (const entry of checklist) tally[entry.status] += 1;
  const label: Verdict['label'] =
    nothingToAudit !== undefined
      ? 'nothing-to-audit'
      : counts.critical + counts.high > 0
        ? 'not-ready'
        : counts.medium > 0 || tally.fail > 0 || tally.unknown > 0
          ? 'ready-with-gaps'
          : 'ready';
  const value = nothingToAudit !== undefined ? null : score(findings, checklist);
  const failed = findings.some((finding) => countsTowardExit(finding) && isAtLeast(finding.severity, failOn));
  const severityText = SEVERITIES.filter((severity) => severity !== 'info' && counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${severity}`)
    .join(', ');
  const summary =
    nothingToAudit !== undefined
      ? [LABEL_TEXT[label], nothingToAudit, severityText === '' ? 'no findings' : severityText].join(' · ')
      : [
          LABEL_TEXT[label],
          `score ${value ?? 0}/100`,
          severityText === '' ? 'no findings' : severityText,
          `checklist: ${tally.pass} pass, ${tally.fail} fail, ${tally.unknown} unknown, ${tally.attested} attested`,
        ].join(' · ');
  return { label, score: value, counts, checklist: tally, failOn, failed, summary };
}

/**
 * Assembles the shared report: checklist statuses, verdict and score, in the canonical order.
 *
 * @example
 * const report = buildReport({ command: 'scan', target: '.', version: '0.1.0', findings, rules,
 *   applied, now: new Date(), failOn: 'high' });
 * report.verdict.summary; // 'NOT READY · score 61/100 · 1 critical, …'
 */
export function buildReport(input: BuildReportInput): Report {
  const notes: Note[] = [...(input.notes ?? [])];
  const checklist = CHECKLIST.map((item) => evaluateItem(item, input, notes));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'shipready', version: input.version },
    command: input.command,
    target: input.target,
    ...(input.repositoryPath === undefined || input.repositoryPath === '' ? {} : { repositoryPath: input.repositoryPath }),
    verdict: buildVerdict(input.findings, checklist, input.failOn, input.nothingToAudit),
    checklist,
    findings: [...input.findings],
    rules: [...input.rules],
    sections: [...(input.sections ?? [])],
    notes,
    stats: { ...input.stats },
  };
}

/**
 * Marks every finding as already known (baseline `unchanged`) and recomputes whether the run fails;
 * used right after `--write-baseline`, whose point is to accept the current state.
 */
export function acceptAsBaseline(report: Report): Report {
  const findings = report.findings.map((finding) => ({ ...finding, baseline: 'unchanged' as const }));
  const failed = findings.some((finding) => countsTowardExit(finding) && isAtLeast(finding.severity, report.verdict.failOn));
  return { ...report, findings, verdict: { ...report.verdict, failed } };
}
