import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-signal-handling.js';

describe('reliability/docker-signal-handling', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-signal-handling', import.meta.url)));

  it('is low for a deprecated Dockerfile that CI does not publish while it publishes another', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/docker-signal-handling/ng.deprecated-unpublished', import.meta.url));
    expect(await severitiesOf(rule, fixture)).toEqual([{ path: 'services/legacy-web/Dockerfile', line: 6, severity: 'low' }]);
  });
});
