// The five output formats of every command, behind one pure entry point. Docs: docs/reporters.md
import type { Report } from '../core/report.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { redactReport, type RenderOptions } from './shared.js';
import { renderText } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** @example isReportFormat(flagValue) ? renderReport(report, flagValue, options) : usageError() */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

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
  }
}

export { escapeData, escapeProperty, renderGithub } from './github.js';
export { renderJson, reportJsonSchema, reportJsonSchemaText } from './json.js';
export { escapeMarkdown, MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';
export { renderSarif, toSarif } from './sarif.js';
export type { RenderOptions } from './shared.js';
export { renderText } from './text.js';
