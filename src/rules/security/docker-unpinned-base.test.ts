import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-unpinned-base.js';

describe('security/docker-unpinned-base', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-unpinned-base', import.meta.url)));

  it('is low for a deprecated Dockerfile that CI does not publish while it publishes another', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/docker-unpinned-base/ng.deprecated-unpublished', import.meta.url));
    expect(await severitiesOf(rule, fixture)).toEqual([{ path: 'services/legacy-web/Dockerfile', line: 1, severity: 'low' }]);
  });
});
