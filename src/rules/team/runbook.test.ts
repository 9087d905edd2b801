import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './runbook.js';

describe('team/runbook', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/runbook', import.meta.url)));
});
