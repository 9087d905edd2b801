// JSON reporter: the report model as-is, for machines. Format: docs/report-format.md
import { z } from 'zod';
import { reportSchema, type Report } from '../core/report.js';
import { DOCS_BASE_URL } from '../core/meta.js';

/** Where the published schema lives, so `$id` resolves for consumers that fetch it. */
export const REPORT_SCHEMA_ID = `${DOCS_BASE_URL}docs/report.schema.json`;

/**
 * The report exactly as the model declares it, pretty-printed with a trailing newline. Validates
 * against `docs/report.schema.json` for the report's `schemaVersion`.
 *
 * @example JSON.parse(renderJson(report)).verdict.label // 'not-ready'
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The JSON Schema (draft 2020-12) of the JSON output, generated from the zod model so the two cannot
 * drift. `scripts/write-report-schema.mjs` writes it to `docs/report.schema.json`; a test fails when the
 * committed file differs.
 *
 * @example JSON.stringify(reportJsonSchema(), null, 2)
 */
export function reportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'output' });
  return {
    $schema: generated.$schema,
    $id: REPORT_SCHEMA_ID,
    title: 'shipready report',
    description: 'The report every shipready command prints with --format json. See docs/report-format.md.',
    ...generated,
  };
}

/** The committed file's exact text: stable key order, two-space indent, trailing newline. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
