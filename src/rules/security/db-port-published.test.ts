import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTree } from '../../../test/helpers.js';
import { runRules } from '../../core/engine.js';
import { Project } from '../../project/project.js';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './db-port-published.js';

describe('security/db-port-published', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/db-port-published', import.meta.url)));

  it('rates a published database by the stack it belongs to: production critical, default high (a plain file beside a production one is the dev stack), development stacks, dev-profile services and database-only files low', async () => {
    const service = (extra = '') => `services:\n  app:\n    build: .\n  db:\n    image: postgres:16\n${extra}    ports:\n      - 5432:5432\n`;
    const tree = makeTree({
      'docker-compose.prod.yml': service(),
      'stack/compose.yml': service(),
      'docker/development/compose.yml': service(),
      'tools/compose.yml': service('    profiles: [debug]\n'),
      'local-db/compose.yml': 'services:\n  db:\n    image: postgres:16\n    ports:\n      - 5432:5432\n',
    });
    try {
      const opened = Project.open(tree.dir);
      if (!opened.ok) throw new Error(opened.error.message);
      const outcome = await runRules([rule], opened.value, opened.value, { docsBaseUrl: '', settings: new Map() });
      const severities = Object.fromEntries(outcome.findings.map((finding) => [finding.location?.kind === 'file' ? finding.location.path : '', finding.severity]));
      expect(severities).toEqual({ 'docker-compose.prod.yml': 'critical', 'stack/compose.yml': 'high', 'docker/development/compose.yml': 'low', 'tools/compose.yml': 'low', 'local-db/compose.yml': 'low' });
    } finally {
      tree.cleanup();
    }
  });

  it('is low on a stack of backing services and their admin UI, and on a file whose header says it is for testing only', async () => {
    const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/db-port-published/${name}`, import.meta.url));
    expect(await severitiesOf(rule, fixture('ng.backing-stack-with-admin-ui'))).toEqual([{ path: 'docker-compose.yml', line: 5, severity: 'low' }]);
    expect(await severitiesOf(rule, fixture('ng.header-for-testing-only'))).toEqual([{ path: 'docker-compose.yml', line: 12, severity: 'low' }]);
    expect(await severitiesOf(rule, fixture('ng.postgres-all-interfaces'))).toEqual([{ path: 'docker-compose.yml', line: expect.any(Number), severity: 'high' }]);
  });
});
