import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './runtime-version-pinned.js';

describe('team/runtime-version-pinned', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/runtime-version-pinned', import.meta.url)));
});
