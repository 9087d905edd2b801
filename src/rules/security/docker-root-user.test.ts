import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-root-user.js';

describe('security/docker-root-user', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-root-user', import.meta.url)));

  it('is low for a deprecated Dockerfile that CI does not publish while it publishes another, medium once CI publishes it', async () => {
    const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/docker-root-user/${name}`, import.meta.url));
    expect(await severitiesOf(rule, fixture('ng.deprecated-unpublished'))).toEqual([{ path: 'services/legacy-web/Dockerfile', line: 6, severity: 'low' }]);
    expect(await severitiesOf(rule, fixture('ng.deprecated-but-published'))).toEqual([{ path: 'services/legacy-web/Dockerfile', line: 6, severity: 'medium' }]);
  });
});
