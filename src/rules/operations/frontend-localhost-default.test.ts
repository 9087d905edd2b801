import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './frontend-localhost-default.js';

describe('operations/frontend-localhost-default', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/frontend-localhost-default', import.meta.url)));
});
