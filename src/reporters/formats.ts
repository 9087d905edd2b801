// The names of the output formats, apart from the renderers, so argument parsing stays cheap to load.

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github', 'junit', 'gitlab'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** @example isReportFormat(flagValue) ? renderReport(report, flagValue, options) : usageError() */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
