import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './container-healthcheck.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/container-healthcheck/${name}`, import.meta.url));

describe('reliability/container-healthcheck', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/container-healthcheck', import.meta.url)));

  it('is low for a service that a deprecated profile or comment marks as kept for old deployments', async () => {
    expect(await severitiesOf(rule, fixture('ng.deprecated-profile'))).toEqual([{ path: 'compose.yaml', line: 6, severity: 'low' }]);
    expect(await severitiesOf(rule, fixture('ng.deprecated-comment'))).toEqual([{ path: 'compose.yaml', line: 8, severity: 'low' }]);
    expect(await severitiesOf(rule, fixture('ng.migrate-then-serve'))).toEqual([{ path: 'compose.yaml', line: 2, severity: 'medium' }]);
  });
});
