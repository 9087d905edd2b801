import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule, { isAuthPath } from './auth-rate-limit.js';

describe('security/auth-rate-limit', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/auth-rate-limit', import.meta.url)));

  it('takes a session path for a login only when it is POSTed', () => {
    expect(isAuthPath('/api/sessions')).toBe(true);
    expect(isAuthPath('/api/sessions', 'POST')).toBe(true);
    expect(isAuthPath('/configs/oidc/session', 'PATCH')).toBe(false);
    expect(isAuthPath('/api/session', 'DELETE')).toBe(false);
    expect(isAuthPath('/api/login', 'PUT')).toBe(true);
  });
});
