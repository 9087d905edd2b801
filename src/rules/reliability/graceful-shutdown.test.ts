import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './graceful-shutdown.js';

describe('reliability/graceful-shutdown', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/graceful-shutdown', import.meta.url)));
});
