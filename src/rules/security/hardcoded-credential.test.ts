import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './hardcoded-credential.js';

describe('security/hardcoded-credential', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/hardcoded-credential', import.meta.url)));
});
