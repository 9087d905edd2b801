import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-signal-handling.js';

describe('reliability/docker-signal-handling', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-signal-handling', import.meta.url)));
});
