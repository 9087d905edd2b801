/**
 * Judging a value, not a name: is this string a credential, or a placeholder, an identifier, an expression,
 * an id, a hash, a public key or a documented local default? Measured on real repositories, almost every
 * false "secret" was a value that no engineer would call one (`'incorrectPassword'`, `'umami.auth'`,
 * `encodeHex(bytes)`, a UUID, a translation hash), so each of these shapes is recognised here once and
 * shared by the secret detectors and the rules that judge literals.
 */

import { Buffer } from 'node:buffer';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * Random-looking: enough entropy for its alphabet, and a mix of character classes (hex needs 24+ digits).
 *
 * @example looksRandom('4f9a8b2c7d1e6f3a9b8c7d2e1f4a5b6c') // true
 * @example looksRandom('this-is-my-password-for-dev') // false
 */
export function looksRandom(value: string): boolean {
  if (value.length < 16) return false;
  const isHex = /^[0-9a-f]+$/i.test(value);
  if (isHex) return value.length >= 24 && /[0-9]/.test(value) && /[a-f]/i.test(value) && shannonEntropy(value) >= 3.2;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
  if (classes < 2 || !/[0-9]/.test(value)) return false;
  return shannonEntropy(value) >= 3.7;
}

/**
 * Words and shapes that mark a value as a stand-in: `<client-secret>`, `N/A`, `xxxx`, `changeme`, `your-…`,
 * `${VAR}`, `{{ var }}`, `%s`, AWS's documented `…EXAMPLE` key, a run of one character.
 */
const PLACEHOLDER =
  /example|sample|dummy|placeholder|change[-_ ]?(?:me|it|this)|\bchange\b|_change|change_|replace|your[-_ ]|xxxx|\*\*\*|•|redacted|fake|not[-_ ]?a[-_ ]?(?:real[-_ ]?)?secret|\btodo\b|insert|secret[-_]?here|key[-_]?here|<[^>]*>|^<|>$|\$\{|\{\{|%s|\.\.\.|…|0123456789|abcdefgh|^(.)\1+$/i;
/** Whole values that stand for "nothing here" or name a type, not a value (`password: 'string'` in an API doc object). */
const PLACEHOLDER_VALUE =
  /^(?:n\/?a|none|null|nil|undefined|empty|unset|unknown|tbd|string|number|boolean|text|secret|password|passwd|token|key|value|api[-_]?key|private[-_]?key|client[-_]?secret|access[-_]?token|test|testing|dev|development|local|demo|default|required|optional|true|false|yes|no|on|off|x+|\?+|-+|_+|\.+|0+)$/i;

/**
 * True when the value reads like a stand-in rather than a credential.
 *
 * @example isPlaceholder('<client-secret>') // true
 * @example isPlaceholder('N/A') // true
 * @example isPlaceholder('AKIAIOSFODNN7EXAMPLE') // true
 */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === '' || PLACEHOLDER_VALUE.test(trimmed) || PLACEHOLDER.test(trimmed);
}

/**
 * True for a value that describes the secret that belongs there instead of being one: two to six plain words,
 * no digits, one of them saying what it stands for (`SOME_SECRET_FOR_JWT`, `my-jwt-secret`). Nothing to rotate
 * if it is committed, but still a known value wherever code signs with it, so only the committed-file rule
 * treats it as a placeholder.
 *
 * @example describesASecret('SOME_SECRET_FOR_JWT') // true
 * @example describesASecret('correct-horse-battery-staple') // false
 */
export function describesASecret(value: string): boolean {
  return NAMES_A_SECRET.test(value.trim());
}

const NAMES_A_SECRET = /^(?=(?:.*[_-])?(?:secret|key|token|password|passwd|pass|jwt|salt)(?:[_-]|$))(?:[a-z]+[_-]){1,5}[a-z]+$|^(?=(?:.*_)?(?:SECRET|KEY|TOKEN|PASSWORD|PASSWD|PASS|JWT|SALT)(?:_|$))(?:[A-Z]+_){1,5}[A-Z]+$/;

const VOWEL = /[aeiouy]/i;
/** Words of an identifier: `encodeBase32LowerCase` → encode, Base, 32, Lower, Case. */
const IDENTIFIER_TOKEN = /[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)|[A-Z]?[a-z]+|[A-Z]+|\d+/g;

/**
 * True for names rather than values: camelCase, snake_case, kebab-case, dotted or path-like keys made of
 * words (`incorrectPassword`, `umami.auth`, `password-reset`, `V3_SURVEY_MAX_OUTPUT_TOKENS`,
 * `encodeBase32LowerCaseNoPadding`, `Argon2i`). A random string splits into short, vowel-less pieces; an
 * identifier into words, with at most a few digits between them.
 *
 * @example isIdentifierLike('incorrectPassword') // true
 * @example isIdentifierLike('h7Kq9vR2mX4pL8wN3zT6yB1cF5gJ0sDa') // false
 */
export function isIdentifierLike(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[._:/-]+[A-Za-z0-9]+)*$/.test(value)) return false;
  const tokens = value.match(IDENTIFIER_TOKEN) ?? [];
  let letters = 0;
  let wordLetters = 0;
  let wordCount = 0;
  for (const token of tokens) {
    if (/^\d+$/.test(token)) {
      // `v2`, `128`, `2024` are part of a name; a run of five or more digits is data.
      if (token.length > 4) return false;
      continue;
    }
    letters += token.length;
    if (token.length >= 3 && VOWEL.test(token) && !/[^aeiouy]{5}/i.test(token)) {
      wordLetters += token.length;
      wordCount += 1;
    }
  }
  if (letters === 0) return false;
  // One long word (`supersecret123`) is a password shape, not an identifier: names have two words or a separator.
  const hasStructure = wordCount >= 2 || /[._:/-]/.test(value);
  return hasStructure && wordLetters / letters >= 0.75;
}

/**
 * True for prose: several words separated by spaces (a label, an error message, a sentence).
 *
 * @example isSentence('Enter your password') // true
 */
export function isSentence(value: string): boolean {
  return /^[\p{L}'’,.!?-]+(?:\s+[\p{L}\d'’,.!?:()-]+){2,}$/u.test(value.trim());
}

/** Code, not a literal: a call, member access, template, interpolation or variable reference. */
export function isExpression(value: string): boolean {
  return (
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\s*\(/.test(value) ||
    /^(?:process\.env|import\.meta|env\.|config\.|Deno\.env|Bun\.env|this\.|self\.|window\.|os\.environ|ENV\[)/.test(value) ||
    /\$\{|\{\{|\$\(|^\$[A-Za-z_{(]|^%[A-Za-z_(]|^@[A-Za-z_]|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) ||
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @example isUuid('e47c7721-3c6e-434e-b49b-f8f9ea5d5134') // true */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A stored password hash (bcrypt, argon2, scrypt, crypt SHA): the hash of a password, useless as a credential. */
export function isPasswordHash(value: string): boolean {
  return /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$|^\$argon2(?:id|i|d)\$|^\$scrypt\$|^\$[56]\$[^$]+\$/.test(value);
}

/** Versions, dates, paths, URLs without credentials, e-mail addresses, file names, MIME types: data with a shape. */
export function isStructuredNonSecret(value: string): boolean {
  return (
    /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(value) ||
    /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/.test(value) ||
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) ||
    /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(value) ||
    /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value) ||
    /^[\w.-]+\.(?:pem|key|crt|cer|p12|pfx|json|ya?ml|txt|env|js|ts|html|png|jpg|svg)$/i.test(value) ||
    /^[a-z]+\/[a-z0-9.+-]+$/i.test(value)
  );
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The header and payload of a JWT whose header is JSON with an `alg`; undefined for anything else.
 *
 * @example decodeJwt(supabaseServiceKey)?.payload.role // 'service_role'
 */
export function decodeJwt(value: string): DecodedJwt | undefined {
  const parts = value.split('.');
  if (parts.length !== 3 || !value.startsWith('eyJ')) return undefined;
  const header = decodeJsonSegment(parts[0] ?? '');
  if (header === undefined || typeof header.alg !== 'string') return undefined;
  const payload = decodeJsonSegment(parts[1] ?? '');
  return payload === undefined ? undefined : { header, payload };
}

/**
 * Credentials that are the same on every developer's machine because a tool ships them: the QStash local
 * dev server's default user (its token is base64 JSON naming `defaultUser`), and similar base64-encoded
 * default logins.
 *
 * @example isKnownLocalDefault('eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=') // true
 */
export function isKnownLocalDefault(value: string): boolean {
  if (!/^eyJ[A-Za-z0-9+/=_-]+$/.test(value)) return false;
  const decoded = decodeJsonSegment(value.replace(/=+$/, ''));
  if (decoded === undefined) return false;
  const text = JSON.stringify(decoded);
  return /"(?:default|local|dev|test)(?:User|Password)"/i.test(text);
}

/** Names whose value is public by design: a browser-exposed variable, a publishable or site key, an anon key. */
const PUBLIC_NAME = /^(?:VITE_|NEXT_PUBLIC_|PUBLIC_|REACT_APP_|NUXT_PUBLIC_|EXPO_PUBLIC_|GATSBY_)|publishable|public[-_]?key|site[-_]?key|anon[-_]?key|client[-_]?id/i;

/**
 * True when a value under this name ships to browsers or is documented as safe to publish.
 *
 * @example isPublicName('NEXT_PUBLIC_POSTHOG_KEY') // true
 */
export function isPublicName(name: string): boolean {
  return PUBLIC_NAME.test(name);
}

/**
 * Keys that providers document as public: Stripe and Clerk publishable keys, PostHog project keys, Supabase
 * publishable keys, Mapbox public tokens, and JWTs whose role is `anon` (Supabase's anon key). Google `AIza`
 * keys are not here: a browser key still bills its owner unless restricted.
 *
 * @example publicKeyKind('phc_zJO1n3rjHlhqKiJ0gqLDwT4qvfWF1wzHDq2gfl0moQm') // 'PostHog project key'
 */
export function publicKeyKind(value: string): string | undefined {
  if (/^pk_(?:live|test)_/.test(value)) return 'publishable key (Stripe, Clerk)';
  if (/^phc_[A-Za-z0-9]{30,}$/.test(value)) return 'PostHog project key';
  if (/^sb_publishable_/.test(value)) return 'Supabase publishable key';
  if (/^pk\.eyJ/.test(value)) return 'Mapbox public token';
  const jwt = decodeJwt(value);
  if (jwt !== undefined && jwt.payload.role === 'anon') return 'anon-role JWT (public by design)';
  return undefined;
}

/**
 * Nx Cloud access tokens are base64 of `<id>|read` or `<id>|read-write`; Nx documents read-only ones as safe
 * to commit (they only let a clone read the remote cache).
 *
 * @example isReadOnlyNxCloudToken('ZTQ3Yzc3MjEtM2M2ZS00MzRlLWI0OWItZjhmOWVhNWQ1MTM0fHJlYWQ=') // true
 */
export function isReadOnlyNxCloudToken(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  return /^[0-9a-z-]{20,}\|read$/i.test(Buffer.from(value, 'base64').toString('utf8'));
}

/** A comment that says the value is not secret, on the line or just above it. */
export const NOT_SECRET_COMMENT = /not (?:actually |really |a real |really a )?(?:a )?secret|not sensitive|(?:safe|ok|okay|fine) to (?:commit|expose|share|publish)|public(?:ly)? (?:by design|safe|key)|read-?only (?:cache )?token/i;
