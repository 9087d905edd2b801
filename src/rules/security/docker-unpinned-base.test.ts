import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './docker-unpinned-base.js';

describe('security/docker-unpinned-base', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/docker-unpinned-base', import.meta.url)));
});
