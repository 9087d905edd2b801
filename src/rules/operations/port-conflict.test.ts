import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './port-conflict.js';

describe('operations/port-conflict', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/port-conflict', import.meta.url)));
});
