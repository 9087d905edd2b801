import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './adr.js';

describe('team/adr', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/adr', import.meta.url)));
});
