import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './structured-logging.js';

describe('operations/structured-logging', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/structured-logging', import.meta.url)));
});
