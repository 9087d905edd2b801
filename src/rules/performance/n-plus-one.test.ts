import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './n-plus-one.js';

const fixtures = fileURLToPath(new URL('./fixtures/n-plus-one', import.meta.url));

describe('performance/n-plus-one', () => {
  testRuleFixtures(rule, fixtures);

  it('is medium for a read per row on a request path, low for per-row writes and cron jobs', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.prisma-loop`)).toEqual([{ path: 'src/projects.ts', line: 6, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.per-row-update`)).toEqual([{ path: 'src/reminders.ts', line: 6, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.cron-route`)).toEqual([{ path: 'app/api/cron/domains/route.ts', line: 6, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.helper-of-cron`)).toEqual([{ path: 'lib/digest/send-digests.ts', line: 5, severity: 'low' }]);
  });

  it('is low for a recursive tree walk and for parallel lookups over one parent\'s children, medium over a whole table', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.recursive-tree-walk`)).toEqual([{ path: 'src/folders.ts', line: 8, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.parallel-children-of-one-parent`)).toEqual([{ path: 'src/steps.ts', line: 7, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.parallel-over-a-table`)).toEqual([{ path: 'src/projects.ts', line: 7, severity: 'medium' }]);
  });
});
