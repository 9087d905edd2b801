import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './sql-injection.js';

const fixtures = fileURLToPath(new URL('./fixtures/sql-injection', import.meta.url));

describe('security/sql-injection', () => {
  testRuleFixtures(rule, fixtures);

  it('is critical only for a demonstrated flow from the request, medium when the source is not visible', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.express-request-to-sql`)).toEqual([{ path: 'src/routes.ts', line: 8, severity: 'critical' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.request-through-service`)).toEqual([{ path: 'src/projects.service.ts', line: 6, severity: 'critical' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.nest-query-param`)).toEqual([{ path: 'src/reports.service.ts', line: 9, severity: 'critical' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.pg-template`)).toEqual([{ path: 'src/users.ts', line: 4, severity: 'medium' }]);
  });
});
