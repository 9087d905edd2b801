import { it } from 'vitest';
import { scan } from '../scan.js';
import { scanRules } from './index.js';
import { applicationRules } from './application-rules.js';

it('bench', async () => {
  const without = scanRules.filter((rule) => !applicationRules.includes(rule));
  for (const [label, rules] of [['without', without], ['with', scanRules], ['without', without], ['with', scanRules], ['mine-only', applicationRules]] as const) {
    const started = performance.now();
    const result = await scan('/tmp/h3/bench-tree', { rules, failOn: 'none' });
    if (!result.ok) throw new Error(result.error.message);
    console.log(`BENCH ${label} ${(performance.now() - started).toFixed(0)} ms, ${result.value.findings.length} findings, ${rules.length} rules`);
  }
}, 600_000);
