import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './health-endpoint.js';

describe('reliability/health-endpoint', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/health-endpoint', import.meta.url)));
});
