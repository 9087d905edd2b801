import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './input-validation.js';

const fixtures = fileURLToPath(new URL('./fixtures/input-validation', import.meta.url));

describe('security/input-validation', () => {
  testRuleFixtures(rule, fixtures);

  it('is high for a whole body written to the database, medium for body fields, low for ids and background jobs', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.mass-assignment`)).toEqual([{ path: 'src/routes.ts', line: 6, severity: 'high' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.body-into-service-write`)).toEqual([{ path: 'src/routes.ts', line: 6, severity: 'high' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.express-trusts-body`)).toEqual([
      { path: 'src/routes.ts', line: 6, severity: 'medium' },
      { path: 'src/routes.ts', line: 11, severity: 'low' },
    ]);
    expect(await severitiesOf(rule, `${fixtures}/ng.cron-route`)).toEqual([{ path: 'app/api/cron/digest/route.ts', line: 3, severity: 'low' }]);
  });

  it('is low for a body only handed to a third-party library that parses it, not when the library is a datastore driver', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.body-to-sdk-transport`)).toEqual([{ path: 'src/server.ts', line: 8, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.body-to-datastore-driver`)).toEqual([{ path: 'src/server.ts', line: 8, severity: 'medium' }]);
  });

  it('reports the same body-fields gap on many routes of a package once at medium, each route at low', async () => {
    const found = await severitiesOf(rule, `${fixtures}/ng.many-routes-one-practice`);
    expect(found.filter((finding) => finding.severity === 'medium')).toEqual([{ path: 'src/index.ts', line: 6, severity: 'medium' }]);
    expect(found.filter((finding) => finding.severity === 'low')).toHaveLength(9);
  });
});
