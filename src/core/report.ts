import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from './severity.js';

/**
 * The one report model every command produces and every reporter reads. Declared with zod so the
 * TypeScript types and the published JSON Schema (`docs/report.schema.json`) cannot drift apart.
 * Bump `REPORT_SCHEMA_VERSION` on any breaking change to this file.
 */
export const REPORT_SCHEMA_VERSION = 2;

export const severitySchema = z.enum(SEVERITIES);
export const categorySchema = z.enum(CATEGORIES);

export const fileLocationSchema = z.object({
  kind: z.literal('file'),
  /** POSIX path relative to the scanned root. */
  path: z.string(),
  /** 1-based; absent when the finding is about a whole file. */
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  endLine: z.number().int().positive().optional(),
  endColumn: z.number().int().positive().optional(),
});

export const urlLocationSchema = z.object({
  kind: z.literal('url'),
  /** Redacted: credentials and secret-looking query values are masked. */
  url: z.string(),
});

export const locationSchema = z.discriminatedUnion('kind', [fileLocationSchema, urlLocationSchema]);

export const snippetSchema = z.object({
  /** Line number of `lines[0]`. */
  startLine: z.number().int().positive(),
  /** Redacted source lines, each cut to a readable width. */
  lines: z.array(z.string()),
});

export const evidenceSchema = z.object({
  snippet: snippetSchema.optional(),
  /** What was looked for and what was (or was not) found, in plain words. */
  detail: z.string().optional(),
});

export const suppressionSchema = z.object({
  kind: z.literal('inline'),
  reason: z.string(),
  path: z.string(),
  line: z.number().int().positive(),
});

export const findingSchema = z.object({
  ruleId: z.string(),
  messageId: z.string(),
  severity: severitySchema,
  category: categorySchema,
  /** The readiness checklist item this finding is evidence against, if any. */
  checklist: z.string().optional(),
  message: z.string(),
  location: locationSchema.optional(),
  evidence: evidenceSchema,
  fix: z.string(),
  docsUrl: z.string(),
  /** Stable across line shifts: rule, path and the normalised text of the flagged line. */
  fingerprint: z.string(),
  /** Present when an inline `shipready-ignore` comment silenced the finding. */
  suppression: suppressionSchema.optional(),
  /** Present only when a baseline was given: `unchanged` findings do not count toward the exit code. */
  baseline: z.enum(['new', 'unchanged']).optional(),
  /** True for live checks that could not observe enough to decide (e.g. a login limiter not triggered). */
  inconclusive: z.boolean().optional(),
});

export const checklistStatusSchema = z.enum(['pass', 'fail', 'unknown', 'attested']);

export const attestationSchema = z.object({
  by: z.string(),
  date: z.string(),
  evidence: z.string(),
});

export const checklistEntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  category: categorySchema,
  status: checklistStatusSchema,
  /** Why the item has this status, in one sentence. */
  reason: z.string(),
  /** Rule ids that can evidence this item and ran in this command. */
  rules: z.array(z.string()),
  /** Fingerprints of the active findings that fail this item. */
  findings: z.array(z.string()),
  attestation: attestationSchema.optional(),
});

export const verdictSchema = z.object({
  /** `nothing-to-audit`: the target holds no web application (no server, front end, container or migration). */
  label: z.enum(['ready', 'ready-with-gaps', 'not-ready', 'nothing-to-audit']),
  /** 0–100, see README "Verdict and score"; null when there is nothing to audit. */
  score: z.number().int().min(0).max(100).nullable(),
  /** Active (not suppressed) findings per severity; baseline-unchanged ones included. */
  counts: z.object({
    critical: z.number().int(),
    high: z.number().int(),
    medium: z.number().int(),
    low: z.number().int(),
    info: z.number().int(),
  }),
  checklist: z.object({
    pass: z.number().int(),
    fail: z.number().int(),
    unknown: z.number().int(),
    attested: z.number().int(),
  }),
  failOn: z.union([severitySchema, z.literal('none')]),
  /** True when a finding that is active and new (not in the baseline) is at or above `failOn`: the exit code is 1. */
  failed: z.boolean(),
  summary: z.string(),
});

export const noteSchema = z.object({
  kind: z.enum(['skipped-file', 'parse-error', 'config', 'attestation', 'rule-error', 'info']),
  path: z.string().optional(),
  message: z.string(),
});

export const ruleMetaSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: categorySchema,
  severity: severitySchema,
  checklist: z.string().optional(),
  docsUrl: z.string(),
});

/** Command-specific extras (port map, migration timeline, probe grade): pre-rendered lines plus data. */
export const sectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  lines: z.array(z.string()),
  data: z.unknown().optional(),
  /** `top` sections (e.g. the probe grade) print before the checklist; the rest after the findings. */
  placement: z.enum(['top', 'bottom']).optional(),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('shipready'), version: z.string() }),
  command: z.string(),
  /** The scanned root (as given) or the probed URL(s). */
  target: z.string(),
  /**
   * Where the scanned folder sits in its git repository (POSIX, e.g. `apps/api`), when it is a sub-folder:
   * finding paths stay relative to the scanned folder, and SARIF and GitHub annotations prefix them with this so
   * code scanning and the Checks UI find the files.
   */
  repositoryPath: z.string().optional(),
  verdict: verdictSchema,
  checklist: z.array(checklistEntrySchema),
  findings: z.array(findingSchema),
  rules: z.array(ruleMetaSchema),
  sections: z.array(sectionSchema),
  notes: z.array(noteSchema),
  stats: z.record(z.string(), z.number()),
});

export type FileLocation = z.infer<typeof fileLocationSchema>;
export type UrlLocation = z.infer<typeof urlLocationSchema>;
export type Location = z.infer<typeof locationSchema>;
export type Snippet = z.infer<typeof snippetSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type Suppression = z.infer<typeof suppressionSchema>;
export type Finding = z.infer<typeof findingSchema>;
export type ChecklistStatus = z.infer<typeof checklistStatusSchema>;
export type Attestation = z.infer<typeof attestationSchema>;
export type ChecklistEntry = z.infer<typeof checklistEntrySchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type Note = z.infer<typeof noteSchema>;
export type RuleMeta = z.infer<typeof ruleMetaSchema>;
export type ReportSection = z.infer<typeof sectionSchema>;
export type Report = z.infer<typeof reportSchema>;

/** Not silenced by an inline suppression: counts in the checklist, score and verdict. */
export function isActive(finding: Finding): boolean {
  return finding.suppression === undefined;
}

/** Active and not already in the baseline: only these decide the exit code. */
export function countsTowardExit(finding: Finding): boolean {
  return isActive(finding) && finding.baseline !== 'unchanged';
}
