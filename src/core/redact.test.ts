import { describe, expect, it } from 'vitest';
import { maskSecret, maskSpans, maskValues, redactText, redactUrl } from './redact.js';
import { findSecrets, looksRandom } from './secrets.js';

const STRIPE = `sk_live_${'51NzQ8rKp3Lm7Tw2Vx9Yb4Hc6Jd'}`;

describe('redaction', () => {
  it('never keeps more than 4 leading characters', () => {
    expect(maskSecret(STRIPE)).toBe('sk_l••••');
    expect(maskSecret('hunter2')).toBe('h••••');
    expect(maskSecret('abc')).toBe('••••');
  });

  it('masks detected secrets in free text', () => {
    const out = redactText(`const stripe = new Stripe('${STRIPE}');`);
    expect(out).not.toContain(STRIPE);
    expect(out).toContain('sk_l••••');
  });

  it('redacts URL passwords and secret query values by parsing the URL', () => {
    const url = redactUrl('https://user:Zq8vN3kP2xL7wR4t@api.acme.io/hook?token=abcdef123456&page=2');
    expect(url).not.toContain('Zq8vN3kP2xL7wR4t');
    expect(url).not.toContain('abcdef123456');
    expect(url).toContain('page=2');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('is idempotent on already-masked output', () => {
    const once = redactText(`DATABASE_URL=postgres://app:Zq8vN3kP2xL7wR4t@db.prod.acme.net/app`);
    expect(redactText(once)).toBe(once);
  });
});

describe('secret detectors', () => {
  it('finds provider keys and ignores placeholders', () => {
    expect(findSecrets(`key = "${STRIPE}"`).map((match) => match.kind)).toEqual(['stripe-live-key']);
    expect(findSecrets('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE')[0]?.isPlaceholder).toBe(true);
  });

  it('needs both a secret-like name and a random value for generic assignments', () => {
    expect(findSecrets('SESSION_SECRET=4f9a8b2c7d1e6f3a9b8c7d2e1f4a5b6c', { path: '.env' }).map((match) => match.kind)).toEqual(['secret-assignment']);
    expect(findSecrets('BUILD_ID=4f9a8b2c7d1e6f3a9b8c7d2e1f4a5b6c')).toEqual([]);
    expect(looksRandom('this-is-my-password-for-dev')).toBe(false);
  });

  it('dismisses local development connection strings (still masked, never a finding)', () => {
    expect(findSecrets('DATABASE_URL=postgres://postgres:postgres@localhost:5432/app').map((match) => match.dismissed?.reason)).toEqual(['placeholder']);
    expect(findSecrets('DATABASE_URL=postgres://app:Zq8vN3kP2xL7wR4t@db:5432/app').map((match) => match.dismissed?.reason)).toEqual(['local-default']);
  });
});

describe('connection-string passwords with awkward characters', () => {
  it('masks a password containing characters URL re-encodes (^, |, {)', () => {
    for (const password of ['ab^cdXk9Qz2LmN8pQ', 'xY7|kQ2mN8pL4vB9', 'kQ2{mN8pL4vB9xY7']) {
      const out = redactText(`const v = "postgres://admin:${password}@db.example.com/app";`);
      expect(out).not.toContain(password.slice(4));
      expect(out).toContain('@db.example.com/app');
    }
  });

  it('does not fail on malformed percent-encoding and still masks the password', () => {
    const out = redactText('DATABASE_URL=postgres://admin:pa%zzword9XkQ2@db.example.com/app');
    expect(out).not.toContain('word9XkQ2');
    expect(findSecrets('postgres://admin:pa%zzword9XkQ2@db.example.com/app').map((match) => match.kind)).toEqual(['connection-string-password']);
  });
});

describe('masking by span', () => {
  it('masks whatever the value holds', () => {
    for (const value of ['p#ss$w0rd!x', "it's \"q\" \\ x", 'pa ss wo rd 9', 'pässwörd✓9x', 'a=b=c=d=e=f']) {
      const text = `KEY="${value}" # note`;
      const out = maskSpans(text, [{ start: 5, end: 5 + value.length }]);
      expect(out).toBe(`KEY="${maskSecret(value)}" # note`);
      expect(maskValues(text, [value])).toBe(out);
    }
  });

  it('masks a multi-line span line by line, keeping line count and the header', () => {
    const text = 'k = `-----BEGIN PRIVATE KEY-----\nAAAA\nBBBB\n-----END PRIVATE KEY-----`;\nnext';
    const start = text.indexOf('\n');
    const end = text.indexOf('`;');
    const out = maskSpans(text, [{ start, end }]);
    expect(out.split('\n')).toEqual(['k = `-----BEGIN PRIVATE KEY-----', '••••', '••••', '••••`;', 'next']);
  });

  it('masks a private key block whole in free text, and a JWT past any length', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s';
    const pem = `-----BEGIN PRIVATE KEY-----\n${body.slice(0, 64)}\n${body.slice(64)}\n-----END PRIVATE KEY-----`;
    const out = redactText(pem);
    expect(out.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(out).not.toContain(body.slice(0, 12));
    expect(out).not.toContain(body.slice(70, 82));
    expect(out).not.toContain('-----END');
    const token = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${'s1gNaTuRe'.repeat(30)}`;
    expect(redactText(`ACCESS_TOKEN=${token}`)).toBe('ACCESS_TOKEN=eyJh••••');
  });

  it('masks URL passwords holding # and @, and secret query values, without re-encoding', () => {
    expect(redactUrl('postgres://app:p#ss@w0rd@db.example.com/app')).toBe('postgres://app:p#••••@db.example.com/app');
    expect(redactUrl('https://api.example.com/hook?page=2&api_key=Zq8vN3kP2xL7&x=1')).toBe('https://api.example.com/hook?page=2&api_key=Zq8••••&x=1');
  });
});
