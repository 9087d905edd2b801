// The output formats of every command, behind one pure entry point. Docs: docs/reporters.md
import type { Report } from '../core/report.js';
import { renderGithub } from './github.js';
import { renderGitlab } from './gitlab.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { redactReport, type RenderOptions } from './shared.js';
import { renderText } from './text.js';
import type { ReportFormat } from './formats.js';

export { isReportFormat, REPORT_FORMATS, type ReportFormat } from './formats.js';

/**
 * Renders `report` in `format`. Pure: the same report always gives the same string. Text outside the
 * findings (target, notes, sections, checklist reasons) is redacted once more here, because it does not
 * pass through the engine's `toFinding`.
 *
 * @example
 * const out = renderReport(report, 'sarif', { color: false });
 */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions): string {
  const safe = redactReport(report);
  switch (format) {
    case 'text':
      return renderText(safe, options);
    case 'json':
      return renderJson(safe);
    case 'sarif':
      return renderSarif(safe);
    case 'markdown':
      return renderMarkdown(safe);
    case 'github':
      return renderGithub(safe);
    case 'junit':
      return renderJunit(safe);
    case 'gitlab':
      return renderGitlab(safe);
  }
}

export { escapeData, escapeProperty, renderGithub } from './github.js';
export { codeQualitySeverity, renderGitlab, toCodeQuality, type CodeQualityIssue, type CodeQualitySeverity } from './gitlab.js';
export { renderJson, reportJsonSchema, reportJsonSchemaText } from './json.js';
export { escapeXml, renderJunit, toJunitSuites } from './junit.js';
export { escapeMarkdown, MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';
export { renderSarif, toSarif } from './sarif.js';
export type { RenderOptions } from './shared.js';
export { renderText } from './text.js';
