// Applied migrations already ran and cannot be changed (Prisma checksums them): their findings describe the team's
// practice, so they fold into one low finding per rule instead of one ticket per file. docs/migrations.md#pending-and-applied-migrations
import { assignFingerprints, compareFindings, type RuleSetting, type SourceText, toFinding } from '../../core/engine.js';
import type { Finding } from '../../core/report.js';
import type { RawReport } from '../../core/rule.js';
import type { Severity } from '../../core/severity.js';
import type { LintedFile, MigrationRule } from './context.js';

export interface HistoryOptions {
  /** Up-migration paths of the pending migrations (added or changed since the base, or not committed): reported in full. */
  readonly pending: ReadonlySet<string>;
  /** Which base decided what is pending, and why (`changes of this branch since it left origin/main`). */
  readonly explanation: string;
  /** Last commit dates (`YYYY-MM-DD`) of files, from git, settled before the summary is written; a migration whose id carries a date is dated from it. */
  readonly dates?: Promise<ReadonlyMap<string, string>>;
}

export interface HistoryContext extends Omit<HistoryOptions, 'dates'> {
  readonly dates?: ReadonlyMap<string, string>;
  readonly rules: readonly MigrationRule[];
  readonly files: readonly LintedFile[];
  readonly sources: SourceText;
  readonly docsBaseUrl: string;
  readonly settings?: ReadonlyMap<string, RuleSetting>;
}

function isValidDate(year: number, month: number, day: number): boolean {
  return year >= 1990 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The date a migration id or folder name carries: a `YYYYMMDD…` or `YYYY-MM-DD` / `YYYY_MM_DD` prefix, or a
 * 13-digit millisecond timestamp (TypeORM, Drizzle). Undefined for sequence numbers such as `0003`.
 *
 * @example dateFromId('20260820130000_add_footer') // '2026-08-20'
 * @example dateFromId('1700000000000-Init') // '2023-11-14'
 */
export function dateFromId(id: string): string | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})(?:\d{0,6})(?!\d)/.exec(id) ?? /^(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)/.exec(id);
  if (compact !== null) {
    const [year, month, day] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
    if (isValidDate(year, month, day)) return `${compact[1] ?? ''}-${compact[2] ?? ''}-${compact[3] ?? ''}`;
  }
  const millis = /^(\d{13})(?!\d)/.exec(id)?.[1];
  if (millis !== undefined) {
    const date = new Date(Number(millis));
    if (isValidDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) return date.toISOString().slice(0, 10);
  }
  return undefined;
}

/** Where a file stands: its set (in discovery order) and its place in the set's run order. */
interface Placement {
  readonly file: LintedFile;
  readonly set: number;
  readonly order: number;
}

function lineOf(finding: Finding): number {
  return finding.location?.kind === 'file' ? (finding.location.line ?? 0) : 0;
}

function pathOf(finding: Finding): string | undefined {
  return finding.location?.kind === 'file' ? finding.location.path : undefined;
}

/**
 * Keeps the findings of pending migrations and replaces those of the applied history with at most one `low`
 * finding per rule (message id `history`): how many applied migrations have the finding (for rules about the schema
 * as it stands, how many findings), the most recent one as example and location, its date, and the base that
 * decided what is pending. Suppressed findings of applied migrations are left out of the count.
 *
 * @example summariseHistory(findings, { pending: new Set(['prisma/migrations/2/migration.sql']), explanation, rules, files, sources, docsBaseUrl })
 */
export function summariseHistory(findings: readonly Finding[], context: HistoryContext): Finding[] {
  const placements = new Map<string, Placement>();
  const setIndex = new Map<unknown, number>();
  context.files.forEach((file, order) => {
    if (!setIndex.has(file.set)) setIndex.set(file.set, setIndex.size);
    placements.set(file.parsed.source.path, { file, set: setIndex.get(file.set) ?? 0, order });
  });
  const kept: Finding[] = [];
  const applied = new Map<string, Finding[]>();
  for (const finding of findings) {
    const path = pathOf(finding);
    if (path === undefined || context.pending.has(path) || !placements.has(path)) {
      kept.push(finding);
      continue;
    }
    // A finding silenced in an applied migration was already judged by someone: it is not counted.
    if (finding.suppression !== undefined) continue;
    const list = applied.get(finding.ruleId) ?? [];
    list.push(finding);
    applied.set(finding.ruleId, list);
  }
  if (applied.size === 0) return kept;
  // Per set the newest offending migration is the last in run order; across sets their dates decide.
  const newestPerRule = new Map<string, Finding[]>();
  for (const [ruleId, list] of applied) {
    const perSet = new Map<number, Finding>();
    for (const finding of list) {
      const placement = placements.get(pathOf(finding) ?? '');
      if (placement === undefined) continue;
      const current = perSet.get(placement.set);
      const currentPlacement = current === undefined ? undefined : placements.get(pathOf(current) ?? '');
      if (current === undefined || currentPlacement === undefined || placement.order > currentPlacement.order || (placement.order === currentPlacement.order && lineOf(finding) > lineOf(current))) {
        perSet.set(placement.set, finding);
      }
    }
    newestPerRule.set(ruleId, [...perSet.values()]);
  }
  // A timestamped id (Prisma's `20240820130000_…`, Flyway's `V20240820…`) dates the migration without a git log walk,
  // which on a long history costs more than the whole lint; git dates only the rest (decidePending asks it).
  const idDate = (path: string): string | undefined => dateFromId(placements.get(path)?.file.migration.id ?? '');
  const dateOf = (path: string): string | undefined => idDate(path) ?? context.dates?.get(path);
  const drafts: Array<ReturnType<typeof toFinding>> = [];
  for (const [ruleId, list] of applied) {
    const rule = context.rules.find((candidate) => candidate.id === ruleId);
    const newest = [...(newestPerRule.get(ruleId) ?? [])].sort((a, b) => {
      const dateA = dateOf(pathOf(a) ?? '') ?? '';
      const dateB = dateOf(pathOf(b) ?? '') ?? '';
      return dateA < dateB ? 1 : dateA > dateB ? -1 : (placements.get(pathOf(b) ?? '')?.set ?? 0) - (placements.get(pathOf(a) ?? '')?.set ?? 0);
    })[0];
    const newestPath = newest === undefined ? undefined : pathOf(newest);
    const placement = newestPath === undefined ? undefined : placements.get(newestPath);
    if (rule === undefined || newest === undefined || newestPath === undefined || placement === undefined || newest.location?.kind !== 'file') {
      kept.push(...list);
      continue;
    }
    const migrations = new Set(list.map((finding) => pathOf(finding)));
    const dirs = [...new Set(list.map((finding) => placements.get(pathOf(finding) ?? '')?.file.set.dir ?? ''))].sort();
    const count = rule.historyCounts === 'findings' ? list.length : migrations.size;
    const date = dateOf(newestPath);
    const { kind, ...location } = newest.location;
    // Config can lower a rule to info; the summary of applied migrations is never above low.
    const configured = context.settings?.get(rule.id)?.severity;
    const severity: Severity = configured === 'info' ? 'info' : 'low';
    const raw: RawReport = {
      messageId: 'history',
      message: `${rule.history(count)}; most recent: ${placement.file.migration.id}${date === undefined ? '' : ` (${date})`}`,
      location,
      detail:
        `${list.length} finding(s) of this rule in ${migrations.size} applied migration(s) of ${dirs.join(', ')}. ` +
        `Applied means not added or changed in the change under review (${context.explanation}): those migrations already ran and cannot be edited, so they count as the team's practice, summarised in one finding. ` +
        `Most recent, ${newestPath} line ${location.line ?? 1}: ${newest.message}. ` +
        'Run with --all-migrations to list each finding.',
      fix: `For the next migrations: ${rule.fix}`,
      key: 'history',
    };
    const draft = toFinding(rule, raw, context.sources, context.docsBaseUrl, severity);
    // One summary per rule: its fingerprint must not move each time a newer migration becomes the example.
    drafts.push({ ...draft, fingerprintPath: '', fingerprintContext: 'history' });
  }
  return [...kept, ...assignFingerprints(drafts)].sort(compareFindings);
}
