import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './schema-push-deploy.js';

describe('data/schema-push-deploy', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/schema-push-deploy', import.meta.url)));
});
