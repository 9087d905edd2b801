import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-dev-dependencies.js';

describe('performance/docker-dev-dependencies', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-dev-dependencies', import.meta.url)));
});
