import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-build-secrets.js';

describe('security/docker-build-secrets', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-build-secrets', import.meta.url)));
});
