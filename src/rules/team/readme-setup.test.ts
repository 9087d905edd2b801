import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './readme-setup.js';

const fixtures = fileURLToPath(new URL('./fixtures/readme-setup', import.meta.url));

describe('team/readme-setup', () => {
  testRuleFixtures(rule, fixtures);

  it('is low when the README sends contributors to an external development guide it cannot read', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.external-development-guide`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.linked-docs-without-setup`)).toEqual([{ path: 'README.md', line: 1, severity: 'medium' }]);
  });

  it('reads the section and sentence around a link: a Developing section sending readers to set up is a guide, a request to pick an issue is not', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.developing-section-links-setup-guide`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.development-section-without-setup-link`)).toEqual([{ path: 'README.md', line: 1, severity: 'medium' }]);
  });
});
