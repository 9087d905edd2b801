// Runs one scan in a fresh process so its peak RSS is measured alone; prints a JSON line.
import { scan } from '../dist/scan.js';

const started = performance.now();
const result = await scan(process.argv[2], { failOn: 'none' });
const durationMs = performance.now() - started;
if (!result.ok) {
  console.error(result.error.message);
  process.exit(2);
}
console.log(
  JSON.stringify({
    durationMs,
    files: result.value.stats.files,
    bytes: result.value.stats.bytes,
    findings: result.value.findings.length,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
