import { describe, expect, it } from 'vitest';
import { engineAllows } from './version-drift.js';

describe('engineAllows (engines.node against a major)', () => {
  it.each([
    ['>=20.19 <21', 20, true],
    ['>=20.19 <21', 22, false],
    ['>=18', 22, true],
    ['^18.18.0', 20, false],
    ['^18 || ^20', 20, true],
    ['20.x', 20, true],
    ['<20.5', 20, true],
    ['<20', 20, false],
  ] as const)('%s allows %i: %s', (range, major, expected) => {
    expect(engineAllows(range, major)).toBe(expected);
  });

  it('does not judge ranges it does not understand', () => {
    expect(engineAllows('lts/*', 20)).toBeUndefined();
  });
});
