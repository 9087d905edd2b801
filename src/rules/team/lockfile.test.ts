import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule, { looseInstalls } from './lockfile.js';

const fixtures = fileURLToPath(new URL('./fixtures/lockfile', import.meta.url));

describe('team/lockfile', () => {
  testRuleFixtures(rule, fixtures);

  it('tells an install that ignores the lockfile from one that uses it without freezing it', async () => {
    expect(looseInstalls('RUN yarn install --pure-lockfile', true).map((install) => install.kind)).toEqual(['unfrozen']);
    expect(looseInstalls('RUN yarn install', true).map((install) => install.kind)).toEqual(['loose']);
    expect(looseInstalls('RUN yarn install --frozen-lockfile && yarn --immutable', true)).toEqual([]);
    expect(await severitiesOf(rule, `${fixtures}/ng.yarn-pure-lockfile`)).toEqual([{ path: 'Dockerfile', line: 5, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.excluded-from-workspace`)).toEqual([{ path: 'packages/legacy-vue/package.json', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.docker-npm-install`)).toEqual([{ path: 'Dockerfile', line: 5, severity: 'medium' }]);
  });
});
