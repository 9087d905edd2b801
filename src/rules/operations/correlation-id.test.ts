import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './correlation-id.js';

describe('operations/correlation-id', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/correlation-id', import.meta.url)));
});
