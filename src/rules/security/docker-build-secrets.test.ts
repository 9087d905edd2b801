import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-build-secrets.js';

const fixtures = fileURLToPath(new URL('./fixtures/docker-build-secrets', import.meta.url));

describe('security/docker-build-secrets', () => {
  testRuleFixtures(rule, fixtures);

  it('weighs a secret ARG no RUN follows as low, and one a RUN can record as high', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.arg-nothing-reads`)).toEqual([{ path: 'Dockerfile', line: 10, severity: 'low' }]);
    expect((await severitiesOf(rule, `${fixtures}/ng.arg-to-env`)).map((finding) => finding.severity)).not.toContain('low');
  });
});
