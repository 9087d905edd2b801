import { describe, expect, it } from 'vitest';
import { keywordGate } from './keyword-gate.js';
import { SECRET_NAME_LITERALS, SECRET_NAME_WORDS } from './secret-syntax.js';

describe('keywordGate', () => {
  const gate = keywordGate([
    { id: 'github', literal: 'ghp_' },
    { id: 'github', literal: 'gho_' },
    { id: 'stripe', literal: 'sk_live_' },
    { id: 'short', literal: 'sk' },
    { id: 'pass', literal: 'pass', wordEnd: true },
  ]);

  it('reports every literal that occurs, case-insensitively, by id', () => {
    expect([...gate('const a = "GHP_x"; // sk_LIVE_y')].sort()).toEqual(['github', 'short', 'stripe']);
  });

  it('finds literals that overlap or sit at the very start and end of the text', () => {
    expect([...gate('sk_live_')].sort()).toEqual(['short', 'stripe']);
    expect([...gate('xgho_')]).toEqual(['github']);
  });

  it('reports nothing for text without the literals, empty text or one character', () => {
    expect(gate('const answer = 42;').size).toBe(0);
    expect(gate('').size).toBe(0);
    expect(gate('s').size).toBe(0);
  });

  it('counts a word-end literal only where no word character follows it', () => {
    expect(gate('db.pass = x').has('pass')).toBe(true);
    expect(gate('DB_PASS').has('pass')).toBe(true);
    expect(gate('passage').has('pass')).toBe(false);
    expect(gate('pass_through').has('pass')).toBe(false);
  });

  it('steps over non-ASCII characters without losing a literal right after them', () => {
    expect(gate('é€ghp_ü').has('github')).toBe(true);
  });

  it('rejects literals it cannot match', () => {
    expect(() => keywordGate([{ id: 'x', literal: 'k' }])).toThrow(/two characters/);
    expect(() => keywordGate([{ id: 'x', literal: 'clé' }])).toThrow(/ASCII/);
  });
});

describe('SECRET_NAME_LITERALS', () => {
  const gate = keywordGate(SECRET_NAME_LITERALS.map((entry) => ({ id: 'name', ...entry })));
  const samples = [
    'JWT_SECRET=x', 'accessToken', 'DB_PASSWORD', 'passphrase', 'pwd', 'API-KEY', 'apiKey', 'api_key', 'PRIVATE_KEY', 'privateKey',
    'access-key', 'AUTH_KEY', 'signingKey', 'ENCRYPTION_KEY', 'masterkey', 'credentials', 'client_key', 'STRIPE_KEY', 'db.pass', 'DB_PASS=',
    'passage', 'monkey', 'keyboard', 'api_keys_list', '_keyring', 'compass', 'bypass_cache', 'authority', 'const answer = 42',
  ];

  it.each(samples)('agrees with SECRET_NAME_WORDS on %s', (sample) => {
    const expected = new RegExp(SECRET_NAME_WORDS.source, 'i').test(sample);
    expect(gate(sample).has('name')).toBe(expected);
  });
});
