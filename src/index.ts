/**
 * shipready as a library: the same engine the CLI runs, with no process access.
 *
 * @example
 * import { scan, renderReport } from 'shipready';
 * const result = await scan('.');
 * if (result.ok) process.stdout.write(renderReport(result.value, 'markdown', { color: false }));
 */
export { scan, VERSION, DOCS_BASE_URL, type ScanOptions } from './scan.js';
export { probe, runProbe, type ProbeOptions } from './probe/index.js';
export { smoke, type SmokeOptions, type SmokeResult, type FlowResult, type StepResult, type FailureKind } from './smoke/index.js';
export { listMigrations, lintMigrations, rehearseMigrations, type MigrationOptions, type RehearseOptions } from './migrations/index.js';
export { renderReport, isReportFormat, REPORT_FORMATS, type ReportFormat } from './reporters/index.js';
export { defineRule, noOptions, type Rule, type RuleContext, type RegisteredRule, type ReportInput } from './core/rule.js';
export { defineScanRule } from './rules/support.js';
export { scanRules } from './rules/index.js';
export { Project, type ParsedSource } from './project/project.js';
export { CHECKLIST, type ChecklistId, type ChecklistItem } from './core/checklist.js';
export { SEVERITIES, CATEGORIES, type Severity, type Category } from './core/severity.js';
export { reportSchema, REPORT_SCHEMA_VERSION } from './core/report.js';
export type { Report, Finding, ChecklistEntry, Verdict, Note, ReportSection, Location } from './core/report.js';
export { ok, err, type Result, type UserError } from './core/result.js';
