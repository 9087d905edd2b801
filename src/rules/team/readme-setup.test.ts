import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './readme-setup.js';

describe('team/readme-setup', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/readme-setup', import.meta.url)));
});
