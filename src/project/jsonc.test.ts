import { describe, expect, it } from 'vitest';
import { parseJsonc } from './jsonc.js';

describe('parseJsonc', () => {
  it('reads comments and trailing commas as tsconfig allows them', () => {
    const text = '{\n  // base options\n  "compilerOptions": { /* strict mode */ "strict": false, "paths": { "@/*": ["src/*",], }, },\n}\n';
    expect(parseJsonc(text)).toEqual({ compilerOptions: { strict: false, paths: { '@/*': ['src/*'] } } });
  });

  it('leaves comment-like text inside strings alone', () => {
    expect(parseJsonc('{ "url": "http://example.com/*x*/", "glob": "src/**/*.ts", "odd": "a,}" }')).toEqual({ url: 'http://example.com/*x*/', glob: 'src/**/*.ts', odd: 'a,}' });
  });

  it('gives undefined for text that is not JSON even then', () => {
    expect(parseJsonc('{ compilerOptions: }')).toBeUndefined();
  });
});
