/**
 * Secret detectors shared by `security/secret-committed` and by redaction of every evidence snippet.
 * Provider formats come first (they are precise); the generic detector needs a secret-named key *and* a
 * high-entropy value, because a false positive here trains people to ignore the tool.
 */

export interface SecretMatch {
  /** Stable name of the detector, e.g. `stripe-live-key`. */
  readonly kind: string;
  readonly description: string;
  /** Offsets of the secret value in the scanned text. */
  readonly start: number;
  readonly end: number;
  readonly value: string;
  /** True when the value reads like a placeholder (`changeme`, `xxxx`, `AKIA…EXAMPLE`). */
  readonly isPlaceholder: boolean;
}

interface ProviderPattern {
  readonly kind: string;
  readonly description: string;
  readonly pattern: RegExp;
  /** Index of the capture group holding the secret; 0 for the whole match. */
  readonly group: number;
  readonly accept?: (value: string, text: string, end: number) => boolean;
}

const PRIVATE_KEY_BODY = /^[\r\n]+(?:[A-Za-z-]+: [^\r\n]*[\r\n]+)*[\r\n]*[A-Za-z0-9+/=]{40,}/;

export const PROVIDER_PATTERNS: readonly ProviderPattern[] = [
  { kind: 'aws-access-key-id', description: 'AWS access key id', pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g, group: 1 },
  {
    kind: 'aws-secret-access-key',
    description: 'AWS secret access key',
    pattern: /aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  { kind: 'stripe-live-key', description: 'Stripe live secret key', pattern: /\b((?:sk|rk)_live_[A-Za-z0-9]{20,})\b/g, group: 1 },
  { kind: 'github-token', description: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255})\b/g, group: 1 },
  { kind: 'github-fine-grained-token', description: 'GitHub fine-grained token', pattern: /\b(github_pat_[A-Za-z0-9_]{60,255})\b/g, group: 1 },
  { kind: 'slack-token', description: 'Slack token', pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})\b/g, group: 1 },
  {
    kind: 'slack-webhook',
    description: 'Slack incoming webhook URL',
    pattern: /(https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/g,
    group: 1,
  },
  { kind: 'google-api-key', description: 'Google API key', pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g, group: 1 },
  { kind: 'openai-key', description: 'OpenAI API key', pattern: /\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})/g, group: 1 },
  { kind: 'anthropic-key', description: 'Anthropic API key', pattern: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,})/g, group: 1 },
  { kind: 'npm-token', description: 'npm access token', pattern: /\b(npm_[A-Za-z0-9]{36})\b/g, group: 1 },
  { kind: 'sendgrid-key', description: 'SendGrid API key', pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g, group: 1 },
  {
    kind: 'private-key',
    description: 'private key block',
    pattern: /(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----)/g,
    group: 1,
    accept: (_value, text, end) => PRIVATE_KEY_BODY.test(text.slice(end, end + 400)),
  },
];

const CONNECTION_STRING = /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^\s'"`<>]+)/gi;

const SECRET_NAME =
  /(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|private[_-]?key|access[_-]?key|auth[_-]?key|signing[_-]?key|encryption[_-]?key|credentials?)/i;

/** `NAME = "value"`, `NAME: value`, `"name": "value"`, `NAME=value` (env files). */
const ASSIGNMENT =
  /(["']?)([A-Za-z_][A-Za-z0-9_.-]{0,80})\1\s*(?:=|:|:=|=>)\s*(?:["'`])?([A-Za-z0-9+/=_\-.~!@#%^&*]{16,200})(?:["'`])?/g;

const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|change[-_]?me|changeit|replace|your[-_]|xxxx|\*\*\*\*|redacted|fake|not[-_]?a[-_]?secret|todo|insert|secret[-_]?here|<|>|\$\{|\{\{|%s|0123456789|abcdefgh|^(.)\1+$/i;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'host.docker.internal']);
const DEV_PASSWORDS = new Set(['password', 'postgres', 'pass', 'secret', 'root', 'admin', 'mysql', 'guest', 'changeme', 'example', 'test', 'dev']);

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Random-looking: enough entropy for its alphabet, and a mix of character classes. */
export function looksRandom(value: string): boolean {
  if (value.length < 16) return false;
  const isHex = /^[0-9a-f]+$/i.test(value);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
  if (isHex) return value.length >= 24 && /[0-9]/.test(value) && /[a-f]/i.test(value) && shannonEntropy(value) >= 3.2;
  if (classes < 2 || !/[0-9]/.test(value)) return false;
  return shannonEntropy(value) >= 3.7;
}

/** `decodeURIComponent` that keeps the raw text when it is not valid percent-encoding (a typo must not stop a scan). */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The password of a URL as it is written in the text (not as `URL` re-encodes it): between the first
 * `:` of the userinfo and the last `@` of the authority. Offsets are relative to `candidate`.
 */
function rawPasswordSpan(candidate: string): { start: number; end: number } | undefined {
  const authorityStart = candidate.indexOf('://') + 3;
  const authorityEnd = candidate.slice(authorityStart).search(/[/?#]/);
  const authority = candidate.slice(authorityStart, authorityEnd < 0 ? undefined : authorityStart + authorityEnd);
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return undefined;
  return { start: authorityStart + colon + 1, end: authorityStart + at };
}

function connectionStringSecret(candidate: string, offset: number): SecretMatch | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  const span = rawPasswordSpan(candidate);
  if (span === undefined || span.end <= span.start) return undefined;
  const raw = candidate.slice(span.start, span.end);
  const password = safeDecode(raw);
  // Already-masked output ('••••') is re-scanned when reports are redacted twice; it is not a secret.
  if (password.startsWith('$') || password.includes('${') || password.includes('•')) return undefined;
  // Dev credentials for a local or compose-internal database (single-label host) are not a leak.
  const hostIsLocal = LOCAL_HOSTS.has(url.hostname) || !url.hostname.includes('.');
  const isWeakDevPassword = DEV_PASSWORDS.has(password.toLowerCase()) || password === safeDecode(url.username);
  if (hostIsLocal && (isWeakDevPassword || !looksRandom(password))) return undefined;
  return {
    kind: 'connection-string-password',
    description: `password in a ${url.protocol.replace(':', '')} connection string`,
    start: offset + span.start,
    end: offset + span.end,
    value: raw,
    isPlaceholder: isPlaceholder(password) || DEV_PASSWORDS.has(password.toLowerCase()),
  };
}

/** Cheap gate: most files contain none of these, so the detailed patterns never run on them. */
const PREFILTER =
  /AKIA|ASIA|ABIA|ACCA|_live_|gh[pousr]_|github_pat_|xox[abposr]-|hooks\.slack|PRIVATE KEY|AIza|sk-|npm_|SG\.|:\/\/|secret|token|passw|pwd|api[_-]?key|access[_-]?key|auth[_-]?key|signing|encryption|credential/i;

/**
 * Every secret-looking value in `text`, in offset order, de-duplicated by span.
 *
 * @example findSecrets('STRIPE_KEY=sk_live_51Hx…')[0]?.kind // 'stripe-live-key'
 */
export function findSecrets(text: string): SecretMatch[] {
  if (!PREFILTER.test(text)) return [];
  const matches: SecretMatch[] = [];
  for (const provider of PROVIDER_PATTERNS) {
    provider.pattern.lastIndex = 0;
    for (const match of text.matchAll(provider.pattern)) {
      const value = match[provider.group];
      if (value === undefined || match.index === undefined) continue;
      const start = match.index + match[0].indexOf(value);
      const end = start + value.length;
      if (provider.accept !== undefined && !provider.accept(value, text, end)) continue;
      matches.push({ kind: provider.kind, description: provider.description, start, end, value, isPlaceholder: isPlaceholder(value) });
    }
  }
  for (const match of text.matchAll(CONNECTION_STRING)) {
    const candidate = match[1];
    if (candidate === undefined || match.index === undefined) continue;
    const secret = connectionStringSecret(candidate, match.index);
    if (secret !== undefined) matches.push(secret);
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const name = match[2];
    const value = match[3];
    if (name === undefined || value === undefined || match.index === undefined) continue;
    if (!SECRET_NAME.test(name) || !looksRandom(value)) continue;
    if (/^(?:process\.env|import\.meta|env\.|config\.|https?:)/i.test(value)) continue;
    const start = match.index + match[0].lastIndexOf(value);
    matches.push({
      kind: 'secret-assignment',
      description: `high-entropy value assigned to ${name}`,
      start,
      end: start + value.length,
      value,
      isPlaceholder: isPlaceholder(value),
    });
  }
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const distinct: SecretMatch[] = [];
  for (const match of matches) {
    const previous = distinct[distinct.length - 1];
    if (previous !== undefined && match.start < previous.end) continue;
    distinct.push(match);
  }
  return distinct;
}
