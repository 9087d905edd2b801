import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './tls-auto-renewal.js';

describe('operations/tls-auto-renewal', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/tls-auto-renewal', import.meta.url)));
});
