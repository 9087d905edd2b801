import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-root-user.js';

describe('security/docker-root-user', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-root-user', import.meta.url)));
});
