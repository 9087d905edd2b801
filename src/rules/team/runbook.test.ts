import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './runbook.js';

const fixtures = fileURLToPath(new URL('./fixtures/runbook', import.meta.url));

describe('team/runbook', () => {
  testRuleFixtures(rule, fixtures);

  it('is medium when a self-hosted deploy is undocumented, low when only a gap another rule reports (rollback) or a restart note is missing', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.self-hosted-no-deploy-docs`)).toEqual([{ path: 'README.md', line: 1, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.rollback-reported-elsewhere`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.no-docs`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
  });
});
