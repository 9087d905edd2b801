import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './container-healthcheck.js';

describe('reliability/container-healthcheck', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/container-healthcheck', import.meta.url)));
});
