/**
 * Secret detectors shared by the secret rules and by the redaction of everything a report prints. A value
 * counts as a credential by its own shape — a provider's token format, a verified structure (a private key
 * block with a real body, a connection string with a real password to a real host, a service-role JWT), or a
 * high-entropy literal assigned to a secret-named key that is none of the things such literals usually are
 * (placeholders, identifiers, expressions, ids, hashes, public keys, documentation examples, tools' local
 * defaults). Names and entropy alone made almost every false "critical" finding on real repositories.
 */

import { keywordGate } from './keyword-gate.js';
import { NAMED_DETECTORS, PROVIDER_DETECTORS, PROVIDER_KEYWORDS } from './secret-providers.js';
import { SECRET_NAME_LITERALS, assignmentsIn, isInComment, isUnderExampleKey, surroundingLines, syntaxOf, type TextSyntax } from './secret-syntax.js';
import {
  NOT_SECRET_COMMENT,
  decodeJwt,
  isExpression,
  isIdentifierLike,
  isKnownLocalDefault,
  isPasswordHash,
  isPlaceholder,
  isPublicName,
  isReadOnlyNxCloudToken,
  isSentence,
  isStructuredNonSecret,
  isUuid,
  looksRandom,
  publicKeyKind,
  shannonEntropy,
} from './secret-values.js';

export { isPlaceholder, looksRandom, shannonEntropy } from './secret-values.js';
export { syntaxOf, type TextSyntax } from './secret-syntax.js';

/**
 * How much the match proves: a provider's token format, a verified structure, a high-entropy literal under a
 * secret name, or (`weak`) a secret-named literal that is masked in output but is no evidence of a leak.
 */
export type SecretStrength = 'provider' | 'structure' | 'generic' | 'weak';

/** Why a credential-shaped value is not a leak. */
export type DismissalReason = 'placeholder' | 'public' | 'documentation' | 'local-default' | 'test-mode' | 'password-hash' | 'declared-not-secret';

export interface SecretMatch {
  /** Stable name of the detector, e.g. `stripe-live-key`, `connection-string-password`, `secret-assignment`. */
  readonly kind: string;
  readonly description: string;
  /** Offsets of the secret value in the scanned text (quotes excluded; a private key's body and footer). */
  readonly start: number;
  readonly end: number;
  readonly value: string;
  readonly strength: SecretStrength;
  /** What matched: the format, the structure checked, or the entropy figure. */
  readonly evidence: string;
  /** The secret-named key the value is assigned to, when there is one. */
  readonly name?: string;
  /** Set when the value is credential-shaped but not a leak, with the reason shown to the reader. */
  readonly dismissed?: { readonly reason: DismissalReason; readonly detail: string };
  /** Kept for callers that only need "is this a stand-in": true when dismissed as a placeholder. */
  readonly isPlaceholder: boolean;
}

export interface FindSecretsOptions {
  /** The file the text comes from: decides how unquoted values and comments are read. */
  readonly path?: string;
  readonly syntax?: TextSyntax;
}

const STRENGTH_RANK: Readonly<Record<SecretStrength, number>> = { provider: 0, structure: 1, generic: 2, weak: 3 };

function match(fields: Omit<SecretMatch, 'isPlaceholder'>): SecretMatch {
  return { ...fields, isPlaceholder: fields.dismissed?.reason === 'placeholder' };
}

/** A provider token whose body is a stand-in (`ghp_xxxxxxxx…`, `sk_live_your_key_here…`, AWS's `…EXAMPLE`). */
function providerPlaceholder(value: string): boolean {
  const body = value.replace(/^[A-Za-z]{1,8}[_.-](?:[a-z]{2,8}[_-])?/, '');
  return isPlaceholder(value) || shannonEntropy(body) < 3 || /(.)\1{5,}/.test(body);
}

function providerMatches(text: string, hits: ReadonlySet<string>): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const provider of PROVIDER_DETECTORS) {
    if (!provider.keywords.some((keyword) => hits.has(keyword))) continue;
    provider.pattern.lastIndex = 0;
    for (const hit of text.matchAll(provider.pattern)) {
      const value = hit[1];
      if (value === undefined || hit.index === undefined) continue;
      const start = hit.index + hit[0].indexOf(value);
      const placeholder = providerPlaceholder(value);
      found.push(
        match({
          kind: provider.kind,
          description: provider.description,
          start,
          end: start + value.length,
          value,
          strength: 'provider',
          evidence: `${provider.description} format (${value.length} characters)`,
          ...(placeholder
            ? { dismissed: { reason: 'placeholder', detail: 'the token body is a stand-in (low entropy or a placeholder word)' } }
            : provider.testMode === true
              ? { dismissed: { reason: 'test-mode', detail: 'a test-mode key: it cannot reach live data or move money' } }
              : {}),
        }),
      );
    }
  }
  return found;
}

const PRIVATE_KEY_HEADER = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----/g;

/**
 * Private key blocks, masked whole: the span runs from the end of the header to the end of the footer, so
 * the header stays readable and no body line survives. A block counts when its body is real base64 (at
 * least 64 characters at key-like entropy), also inside a JSON string with `\n` escapes (GCP service-account
 * files).
 */
function privateKeyMatches(text: string, hits: ReadonlySet<string>): SecretMatch[] {
  if (!hits.has('private key')) return [];
  const found: SecretMatch[] = [];
  PRIVATE_KEY_HEADER.lastIndex = 0;
  for (const hit of text.matchAll(PRIVATE_KEY_HEADER)) {
    if (hit.index === undefined) continue;
    const start = hit.index + hit[0].length;
    const footer = `-----END ${hit[1] ?? ''}-----`;
    const footerAt = text.indexOf(footer, start);
    const limit = Math.min(text.length, start + 20_000);
    const end = footerAt >= 0 && footerAt < limit ? footerAt + footer.length : Math.min(limit, start + lineBlockLength(text, start));
    const body = text
      .slice(start, footerAt >= 0 && footerAt < limit ? footerAt : end)
      .replace(/\\[nr]/g, '\n')
      .replace(/^[A-Za-z-]+: .*$/gm, '')
      .replace(/[^A-Za-z0-9+/=]/g, '');
    const real = body.length >= 64 && shannonEntropy(body) >= 4.5;
    const isServiceAccount = /"type"\s*:\s*"service_account"/.test(text);
    found.push(
      match({
        kind: isServiceAccount ? 'gcp-service-account-key' : 'private-key',
        description: isServiceAccount ? 'GCP service-account private key' : 'private key block',
        start,
        end,
        value: text.slice(start, end),
        strength: 'structure',
        evidence: `${hit[1] ?? 'PRIVATE KEY'} block with a ${body.length}-character base64 body${footerAt >= 0 ? ' and its footer' : ''}`,
        ...(real ? {} : { dismissed: { reason: 'placeholder', detail: 'the block has no real base64 body' } }),
      }),
    );
  }
  return found;
}

/** Without a footer, a block ends at the first blank line or quote (a truncated paste still gets masked). */
function lineBlockLength(text: string, start: number): number {
  const rest = text.slice(start, start + 20_000);
  const stop = rest.search(/\n\s*\n|["'`]/);
  return stop < 0 ? rest.length : stop;
}

const CONNECTION_STRING = /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb):\/\/[^\s'"`<>]+/gi;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'host.docker.internal']);
const DEV_PASSWORDS = new Set(['password', 'postgres', 'pass', 'secret', 'root', 'admin', 'mysql', 'guest', 'changeme', 'example', 'test', 'dev']);

/** `decodeURIComponent` that keeps the raw text when it is not valid percent-encoding (a typo must not stop a scan). */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Userinfo of a URL as written: from `://` to the last `@` that a host name follows; offsets relative to `candidate`. */
export function userinfoSpan(candidate: string): { userStart: number; passwordStart: number; passwordEnd: number; host: string } | undefined {
  const authorityStart = candidate.indexOf('://') + 3;
  if (authorityStart < 3) return undefined;
  for (let at = candidate.lastIndexOf('@'); at > authorityStart; at = candidate.lastIndexOf('@', at - 1)) {
    const host = /^(?:\[[0-9a-f:.]+\]|[A-Za-z0-9._-]+)/i.exec(candidate.slice(at + 1))?.[0];
    if (host === undefined) continue;
    const colon = candidate.indexOf(':', authorityStart);
    if (colon < 0 || colon > at) return undefined;
    return { userStart: authorityStart, passwordStart: colon + 1, passwordEnd: at, host };
  }
  return undefined;
}

function connectionStringMatches(text: string, hits: ReadonlySet<string>): SecretMatch[] {
  if (!hits.has('://')) return [];
  const found: SecretMatch[] = [];
  CONNECTION_STRING.lastIndex = 0;
  for (const hit of text.matchAll(CONNECTION_STRING)) {
    if (hit.index === undefined) continue;
    const candidate = hit[0];
    const span = userinfoSpan(candidate);
    if (span === undefined || span.passwordEnd <= span.passwordStart) continue;
    const raw = candidate.slice(span.passwordStart, span.passwordEnd);
    const password = safeDecode(raw);
    // `$DB_PASSWORD`, `${DB_PASSWORD}` and already-masked output are references or redactions, not values.
    if (/^\$[A-Za-z_{(]/.test(password) || password.includes('${') || password.includes('•')) continue;
    const host = span.host.toLowerCase();
    const user = safeDecode(candidate.slice(span.userStart, span.passwordStart - 1));
    const scheme = candidate.slice(0, candidate.indexOf(':')).toLowerCase();
    // Dev credentials for a local or compose-internal database (single-label host) are not a leak.
    const hostIsLocal = LOCAL_HOSTS.has(host) || !host.includes('.') || host.endsWith('.local') || host.endsWith('.localhost');
    const placeholder = isPlaceholder(password) || DEV_PASSWORDS.has(password.toLowerCase()) || password === user;
    found.push(
      match({
        kind: 'connection-string-password',
        description: `password in a ${scheme} connection string`,
        start: hit.index + span.passwordStart,
        end: hit.index + span.passwordEnd,
        value: raw,
        strength: 'structure',
        evidence: `a ${password.length}-character password for user "${user}" on host ${host}`,
        ...(placeholder
          ? { dismissed: { reason: 'placeholder', detail: 'the password is a placeholder or a common development password' } }
          : hostIsLocal
            ? { dismissed: { reason: 'local-default', detail: `${host} is a local or compose-internal host` } }
            : {}),
      }),
    );
  }
  return found;
}

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/**
 * JWTs anywhere: a Supabase service-role key (a JWT whose payload says `role: service_role`) is a verified
 * credential; an `anon` key is public by design; any other JWT is masked, and judged as a literal only when
 * it is assigned to a secret-named key.
 */
function jwtMatches(text: string, hits: ReadonlySet<string>): SecretMatch[] {
  if (!hits.has('eyj')) return [];
  const found: SecretMatch[] = [];
  JWT.lastIndex = 0;
  for (const hit of text.matchAll(JWT)) {
    if (hit.index === undefined) continue;
    const decoded = decodeJwt(hit[0]);
    if (decoded === undefined) continue;
    const role = typeof decoded.payload.role === 'string' ? decoded.payload.role : undefined;
    const isServiceRole = role === 'service_role' || role === 'supabase_admin';
    found.push(
      match({
        kind: isServiceRole ? 'supabase-service-role-key' : 'jwt',
        description: isServiceRole ? 'service-role JWT (Supabase service key)' : 'JWT',
        start: hit.index,
        end: hit.index + hit[0].length,
        value: hit[0],
        strength: isServiceRole ? 'structure' : 'weak',
        evidence: `a JWT (alg ${String(decoded.header.alg)})${role === undefined ? '' : ` with role "${role}"`}`,
        ...(role === 'anon' ? { dismissed: { reason: 'public', detail: 'an anon-role JWT is public by design' } } : {}),
      }),
    );
  }
  return found;
}

/** Words a name may end with that say which environment or version it is for, not what it holds (`SECRET_KEY_BASE`, `DB_PASSWORD_PROD`). */
const QUALIFIER_WORD = /^(?:prod|production|live|staging|stage|dev|development|test|base|primary|secondary|old|new|current|next|previous|v?\d+)$/;
/** The last word of a secret's name: it holds a secret, password, token, API or private key, or credentials. */
const SECRET_WORD = /(?:secret|passw(?:or)?d|pwd|passphrase|token|apikey|privatekey|secretkey|accesskey|credentials?)$|^pass$/;
/** Words before a final `key` that make it a credential (`STRIPE_KEY` is one by convention, `cacheKey` is not). */
const KEY_QUALIFIER = /^(?:api|private|secret|access|auth|signing|sign|encryption|encrypt|master|client|app|service|license|webhook|jwt|session|cookie|hmac|crypto|write|admin|root|deploy|ssh|gpg|pgp|account|storage|server|stripe|openai|anthropic|sendgrid|mailgun|resend|twilio|aws|gcp|azure)$/;
/** camelCase form fields about a password rather than holding one (`forgotPassword`, `isPasswordValid`). */
const FIELD_HEAD = /^(?:is|has|show|hide|enable|disable|use|should|can|max|min|num|allow|require|validate|forgot|reset|confirm|new|old|current|repeat)$/;

/** The words of a name, lowercased: `dbPassword` → db, password; `AUTH_TOKEN_SECRET` → auth, token, secret. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/**
 * True when a name says its value is a secret (`JWT_SECRET`, `dbPassword`, `stripe.apiKey`, `SECRET_KEY_BASE`)
 * and not a setting about one (`PASSWORD_RESET`, `maxOutputTokens`, `isTokenValid`, `AUTH_TOKEN_EXPIRES`,
 * `ApiKeyEnvironment`): its last word, environment qualifiers aside, must name the secret.
 *
 * @example isSecretName('NOVU_TEMPLATEID_PASSWORD_RESET') // false
 * @example isSecretName('REFRESH_TOKEN_SECRET') // true
 */
export function isSecretName(name: string): boolean {
  const last = name.split(/[./:[\]]/).filter((part) => part !== '').pop() ?? name;
  const words = nameWords(last);
  while (words.length > 1 && QUALIFIER_WORD.test(words[words.length - 1] ?? '')) words.pop();
  const final = words[words.length - 1] ?? '';
  const isEnvStyle = /^[A-Z0-9_]+$/.test(last);
  if (!isEnvStyle && words.length > 1 && FIELD_HEAD.test(words[0] ?? '')) return false;
  if (SECRET_WORD.test(final)) return true;
  if (final !== 'key' || words.length < 2) return false;
  return isEnvStyle || KEY_QUALIFIER.test(words[words.length - 2] ?? '');
}

function genericAssignmentMatches(text: string, syntax: TextSyntax, hits: ReadonlySet<string>): SecretMatch[] {
  if (!hits.has(NAME_GATE)) return [];
  const found: SecretMatch[] = [];
  for (const assignment of assignmentsIn(text, syntax)) {
    const { name, value: span } = assignment;
    const value = span.value;
    if (!isSecretName(name) || value.length < 4 || value.length > 4096) continue;
    // In code an unquoted value is an expression (`encodeHex(bytes)`, `V3_MAX_TOKENS`, `Algorithm.Argon2i`).
    if (span.quote === undefined && (syntax === 'code' || syntax === 'json' || (syntax === 'text' && isExpression(value)))) continue;
    if (span.quote === '`' && value.includes('${')) continue;
    if (/^(?:true|false|null|undefined|\d{1,5})$/i.test(value) || /^\$[A-Za-z_{(]|\$\{|\{\{|^%\(|^<%/.test(value)) continue;
    const named = NAMED_DETECTORS.find((entry) => entry.name.test(name) && entry.value.test(value));
    const base = { start: span.start, end: span.end, value, name };
    if (named !== undefined) {
      found.push(match({ ...base, kind: named.kind, description: named.description, strength: 'provider', evidence: `${named.description} format under ${name}`, ...(isPlaceholder(value) ? { dismissed: { reason: 'placeholder', detail: 'a placeholder value' } } : {}) }));
      continue;
    }
    // Tokens are printable ASCII without spaces: labels, messages and translations are not (`"パスワード…"`, `"Minimum 8 characters"`).
    if (!/^[\x21-\x7e]+$/.test(value) || isIdentifierLike(value) || isUuid(value) || isStructuredNonSecret(value) || isSentence(value) || !looksRandom(value)) {
      // Not evidence of a leak, but still masked: `DB_PASSWORD=p#ss word` must not be printed either.
      if (!isPlaceholder(value) && !isIdentifierLike(value) && !isStructuredNonSecret(value) && value.length >= 6) {
        found.push(match({ ...base, kind: 'secret-literal', description: `literal assigned to ${name}`, strength: 'weak', evidence: 'a secret-named literal that does not look random' }));
      }
      continue;
    }
    const entropy = shannonEntropy(value);
    const dismissed = genericDismissal(text, span.start, value, name, syntax);
    found.push(
      match({
        ...base,
        kind: 'secret-assignment',
        description: `high-entropy value assigned to ${name}`,
        strength: 'generic',
        evidence: `Shannon entropy ${entropy.toFixed(2)} bits/char over ${value.length} characters`,
        ...(dismissed === undefined ? {} : { dismissed }),
      }),
    );
  }
  return found;
}

/**
 * True when a sibling setting of the same service points at a local host (`QSTASH_URL: http://127.0.0.1:8080`
 * beside `QSTASH_TOKEN`, `S3_ENDPOINT_URL=http://localhost:9000` beside `S3_SECRET_KEY`): the value is a
 * credential of a local dev server or emulator, which ships with documented defaults.
 */
function hasLocalServiceSibling(text: string, offset: number, name: string): boolean {
  const prefix = /^([A-Z][A-Z0-9]+)_/.exec(name)?.[1];
  if (prefix === undefined) return false;
  const window = text.slice(Math.max(0, offset - 1500), offset + 1500);
  return new RegExp(`\\b${prefix}_[A-Z0-9_]*(?:URL|HOST|ENDPOINT)[A-Z0-9_]*["']?\\s*[:=]\\s*["']?(?:[a-z+]+://)?(?:localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|host\\.docker\\.internal)\\b`).test(window);
}

function genericDismissal(text: string, offset: number, value: string, name: string, syntax: TextSyntax): SecretMatch['dismissed'] {
  if (isPlaceholder(value)) return { reason: 'placeholder', detail: 'a placeholder value' };
  const publicKind = publicKeyKind(value);
  if (publicKind !== undefined) return { reason: 'public', detail: `a ${publicKind}` };
  if (isPublicName(name)) return { reason: 'public', detail: `${name} is exposed to browsers or public by design` };
  if (isReadOnlyNxCloudToken(value)) return { reason: 'public', detail: 'a read-only Nx Cloud cache token, which Nx documents as safe to commit' };
  if (isKnownLocalDefault(value) || hasLocalServiceSibling(text, offset, name)) return { reason: 'local-default', detail: "a local dev server's documented default credential" };
  if (isPasswordHash(value)) return { reason: 'password-hash', detail: 'a password hash, not a password' };
  if (syntax === 'markdown' || isInComment(text, offset, syntax) || isUnderExampleKey(text, offset)) return { reason: 'documentation', detail: 'a documentation example (comment, `example:` field or Markdown)' };
  if (NOT_SECRET_COMMENT.test(surroundingLines(text, offset))) return { reason: 'declared-not-secret', detail: 'a comment beside it says it is not a secret' };
  return undefined;
}

const NAME_GATE = 'secret-name';
/**
 * Cheap gate, one pass: which detector keywords occur at all, and whether a secret word does (the generic
 * detector's gate). Most files contain none, and of the rest most contain one or two, so only those detectors run.
 */
const gateHits = keywordGate([
  ...[...new Set([...PROVIDER_KEYWORDS, 'private key', '://', 'eyj'])].map((literal) => ({ id: literal, literal })),
  ...SECRET_NAME_LITERALS.map((entry) => ({ id: NAME_GATE, ...entry })),
]);

function allMatches(text: string, options: FindSecretsOptions): SecretMatch[] {
  const hits = gateHits(text);
  if (hits.size === 0) return [];
  const syntax = options.syntax ?? syntaxOf(options.path);
  return [...providerMatches(text, hits), ...privateKeyMatches(text, hits), ...connectionStringMatches(text, hits), ...jwtMatches(text, hits), ...genericAssignmentMatches(text, syntax, hits)];
}

/**
 * Every secret-looking value in `text`, strongest first where two overlap, in offset order. Dismissed matches
 * (placeholders, public keys, documentation examples, local defaults) are included so that output still masks
 * them; rules read `strength` and `dismissed` to decide what is a finding.
 *
 * @example findSecrets('STRIPE_KEY=sk_live_51Hx…', { path: '.env' })[0]?.kind // 'stripe-live-key'
 */
export function findSecrets(text: string, options: FindSecretsOptions = {}): SecretMatch[] {
  const all = allMatches(text, options);
  all.sort((a, b) => STRENGTH_RANK[a.strength] - STRENGTH_RANK[b.strength] || a.start - b.start || b.end - a.end);
  const accepted: SecretMatch[] = [];
  for (const candidate of all) {
    if (accepted.some((kept) => candidate.start < kept.end && kept.start < candidate.end)) continue;
    accepted.push(candidate);
  }
  return accepted.sort((a, b) => a.start - b.start);
}

/**
 * Every span any detector found, overlapping ones included, for masking: where a weaker match reaches past a
 * stronger one, both are masked.
 *
 * @example secretSpans('DB_PASSWORD="p#ss word"', { path: '.env' }) // [{ start: 13, end: 22 }]
 */
export function secretSpans(text: string, options: FindSecretsOptions = {}): Array<{ start: number; end: number }> {
  return allMatches(text, options).map(({ start, end }) => ({ start, end }));
}
