import { it } from 'vitest';
import { scan } from '../scan.js';
import { scanRules } from './index.js';

it('bench', async () => {
  for (let run = 0; run < 2; run++) {
    const marks: Array<[string, number]> = [];
    const started = performance.now();
    const result = await scan('/tmp/h3/bench-tree', { rules: scanRules, failOn: 'none', onProgress: (message) => marks.push([message, performance.now()]) });
    if (!result.ok) throw new Error(result.error.message);
    const end = performance.now();
    const costs = marks.map(([label, at], index) => [label, (marks[index + 1]?.[1] ?? end) - at] as const).sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`BENCH total ${(end - started).toFixed(0)} ms`);
    for (const [label, ms] of costs) console.log(`BENCH   ${label} ${ms.toFixed(0)} ms`);
  }
}, 600_000);
