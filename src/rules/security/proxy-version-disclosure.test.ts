import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './proxy-version-disclosure.js';

describe('security/proxy-version-disclosure', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/proxy-version-disclosure', import.meta.url)));
});
