// Regenerates docs/report.schema.json from the zod report model (src/core/report.ts).
// Run after a build: `npm run build && node scripts/write-report-schema.mjs`.
// src/reporters/json.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchemaText } from '../dist/reporters/json.js';

const target = fileURLToPath(new URL('../docs/report.schema.json', import.meta.url));
writeFileSync(target, reportJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
