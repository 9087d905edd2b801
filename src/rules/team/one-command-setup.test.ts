import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './one-command-setup.js';

describe('team/one-command-setup', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/one-command-setup', import.meta.url)));
});
