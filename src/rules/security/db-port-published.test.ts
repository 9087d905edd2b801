import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './db-port-published.js';

describe('security/db-port-published', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/db-port-published', import.meta.url)));
});
