import { describe, expect, it } from 'vitest';
import { cleanControl } from './shared.js';

describe('cleanControl', () => {
  it('shows terminal escapes, bidirectional overrides and line separators as visible escapes, and keeps tabs and newlines', () => {
    expect(cleanControl('src/\u001b[31mred\u001b[0m.ts')).toBe('src/\\u001b[31mred\\u001b[0m.ts');
    expect(cleanControl('src/\u202eevil.ts\u2066x\u2069')).toBe('src/\\u202eevil.ts\\u2066x\\u2069');
    expect(cleanControl('a\u2028b')).toBe('a\\u2028b');
    expect(cleanControl('a\tb\r\nc')).toBe('a\tb\nc');
    expect(cleanControl('ünïcødé-名前.ts')).toBe('ünïcødé-名前.ts');
  });
});
