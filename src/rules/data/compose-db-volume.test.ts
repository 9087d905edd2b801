import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './compose-db-volume.js';

describe('data/compose-db-volume', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/compose-db-volume', import.meta.url)));
});
