import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './seed-not-idempotent.js';

describe('data/seed-not-idempotent', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/seed-not-idempotent', import.meta.url)));
});
