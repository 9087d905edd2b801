import { safeDecode, secretSpans, userinfoSpan, type FindSecretsOptions } from './secrets.js';

/**
 * Masks secrets before anything leaves the engine. Every reporter shows evidence through these functions,
 * so no format can print a secret in full: at most 4 leading characters survive, fewer for short values,
 * because a 7-character password with 4 characters shown is mostly disclosed. Secrets are masked by their
 * span — where the detector or the rule found them — whatever characters they hold; a pattern that re-finds
 * the value in the output would miss `p#ss$word` or the tail of a long JWT.
 */

export const MASK = '••••';

/**
 * @example maskSecret('sk_live_51HxYz…') // 'sk_l••••'
 * @example maskSecret('hunter2') // 'h••••'
 */
export function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return value.slice(0, shown) + MASK;
}

/** A half-open range of UTF-16 offsets in a text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Replaces each span by its mask. A one-line span keeps at most 4 leading characters; a span over several
 * lines (a private key body and footer) becomes one mask per line, so line numbers and the header line stay
 * as they were and no body line survives. Overlapping spans are merged first.
 *
 * @example maskSpans('KEY="p#ss word"', [{ start: 5, end: 14 }]) // 'KEY="p••••"'
 */
export function maskSpans(text: string, spans: readonly Span[]): string {
  const merged = mergeSpans(spans.filter((span) => span.end > span.start && span.start >= 0 && span.end <= text.length));
  if (merged.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const span of merged) {
    out += text.slice(cursor, span.start) + maskSegment(text.slice(span.start, span.end));
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

function maskSegment(value: string): string {
  if (!value.includes('\n')) return value.includes(MASK) ? value : maskSecret(value);
  return value
    .split('\n')
    .map((line) => {
      const carriage = line.endsWith('\r') ? '\r' : '';
      return line.trim() === '' ? line : MASK + carriage;
    })
    .join('\n');
}

/**
 * Sorted, non-overlapping union of `spans`.
 *
 * @example mergeSpans([{ start: 4, end: 9 }, { start: 0, end: 5 }]) // [{ start: 0, end: 9 }]
 */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<{ start: number; end: number }> = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}

/**
 * Replaces every occurrence of each known secret value by its mask (longest first so overlaps mask fully).
 * This is a literal search for the exact value, not a pattern: it works for any characters the value has.
 */
export function maskValues(text: string, secrets: readonly string[]): string {
  const spans: Span[] = [];
  for (const secret of new Set(secrets)) {
    if (secret.length < 4) continue;
    for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length)) spans.push({ start: at, end: at + secret.length });
  }
  return maskSpans(text, spans);
}

const SECRET_PARAM = /^(?:.*[-_])?(?:token|secret|password|passwd|pwd|pass|key|apikey|api_key|signature|sig|auth|credential|credentials|session|code|access_token|refresh_token|client_secret)$/i;

/**
 * The spans to mask in one URL as it is written: the userinfo password (up to the last `@` before the host,
 * so `#`, `@` and `/` inside a password are covered) and the values of secret-named query parameters. The
 * URL is taken apart by its structure (scheme, authority, query) rather than through `URL`, which re-encodes
 * what it prints and rejects passwords holding `#`.
 *
 * @example urlSecretSpans('https://u:p#w@h.io/?token=abc123') // password and token value spans
 */
export function urlSecretSpans(url: string): Span[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return [];
  const spans: Span[] = [];
  const userinfo = userinfoSpan(url);
  let rest = 0;
  if (userinfo !== undefined) {
    if (userinfo.passwordEnd > userinfo.passwordStart) spans.push({ start: userinfo.passwordStart, end: userinfo.passwordEnd });
    rest = userinfo.passwordEnd;
  }
  const query = url.indexOf('?', rest);
  if (query >= 0) {
    const fragment = url.indexOf('#', query);
    const end = fragment < 0 ? url.length : fragment;
    let at = query + 1;
    for (const pair of url.slice(query + 1, end).split('&')) {
      const equals = pair.indexOf('=');
      if (equals > 0 && equals < pair.length - 1 && SECRET_PARAM.test(safeDecode(pair.slice(0, equals)))) spans.push({ start: at + equals + 1, end: at + pair.length });
      at += pair.length + 1;
    }
  }
  return spans;
}

/**
 * Redacts a URL: the password of userinfo and the values of secret-named query parameters are masked. Text
 * that is not a URL is returned unchanged.
 *
 * @example redactUrl(databaseUrl) // the userinfo password keeps at most 4 leading characters, then '••••'
 */
export function redactUrl(raw: string): string {
  return maskSpans(raw, urlSecretSpans(raw));
}

/** Candidate URLs in free text (a scheme and `://` up to whitespace or a quote); each is then taken apart by `urlSecretSpans`. */
const URL_CANDIDATE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi;

/** Spans of URL credentials anywhere in `text`. */
export function urlSpansInText(text: string): Span[] {
  // Every candidate contains "://": most text has none, and the scan below is the costly part.
  if (!text.includes('://')) return [];
  const spans: Span[] = [];
  URL_CANDIDATE.lastIndex = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    if (match.index === undefined) continue;
    for (const span of urlSecretSpans(match[0])) spans.push({ start: match.index + span.start, end: match.index + span.end });
  }
  return spans;
}

/** Redacts every URL found in `text`. */
export function redactUrlsInText(text: string): string {
  return maskSpans(text, urlSpansInText(text));
}

/**
 * Every span of `text` that output must mask: what the detectors find (placeholders included: masking a fake
 * key costs nothing) and URL credentials.
 *
 * @example sensitiveSpans(fileText, { path: '.env' })
 */
export function sensitiveSpans(text: string, options: FindSecretsOptions = {}): Span[] {
  return [...secretSpans(text, options), ...urlSpansInText(text)];
}

/**
 * Everything a reporter may print passes through here: explicit secrets from the rule, then every detector
 * span, then URL credentials.
 *
 * @example redactText('token: ghp_R8tV2x…') // 'token: ghp_••••'
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  const explicit = maskValues(text, secrets);
  return maskSpans(explicit, sensitiveSpans(explicit));
}
