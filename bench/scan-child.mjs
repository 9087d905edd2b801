// Runs one scan in a fresh process so its peak RSS is measured alone; prints a JSON line.
import { applicationRules } from '../dist/rules/application-rules.js';
import { foundationRules } from '../dist/rules/foundation-rules.js';
import { infrastructureRules } from '../dist/rules/infrastructure-rules.js';
import { scan } from '../dist/scan.js';

// Rule sets, so each part of the catalogue is measured against the foundation-only figure it started from.
const RULE_SETS = {
  foundation: foundationRules,
  application: [...foundationRules, ...applicationRules],
  infrastructure: [...foundationRules, ...infrastructureRules],
};
const ruleSet = RULE_SETS[process.argv[3]];
const rules = ruleSet === undefined ? {} : { rules: ruleSet };
// bench/hostile.mjs raises the limit so that its bundle and SQL file are read at every size.
const maxFileSize = process.env.BENCH_MAX_FILE_SIZE === undefined ? {} : { maxFileSize: Number(process.env.BENCH_MAX_FILE_SIZE) };
const started = performance.now();
const result = await scan(process.argv[2], { failOn: 'none', ...rules, ...maxFileSize });
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
