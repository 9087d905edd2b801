import { findSecrets, safeDecode } from './secrets.js';

/**
 * Masks secrets before anything leaves the engine. Every reporter shows evidence through these
 * functions, so no format can print a secret in full: at most 4 leading characters survive, fewer
 * for short values, because a 7-character password with 4 characters shown is mostly disclosed.
 */

const MASK = '••••';

/**
 * @example maskSecret('sk_live_51HxYz…') // 'sk_l••••'
 * @example maskSecret('hunter2') // 'h••••'
 */
export function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return value.slice(0, shown) + MASK;
}

/** Replaces every occurrence of each secret in `text` by its mask; longest first so overlaps mask fully. */
export function maskValues(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < 4) continue;
    masked = masked.split(secret).join(maskSecret(secret));
  }
  return masked;
}

const SECRET_PARAM = /^(?:.*[-_])?(?:token|secret|password|passwd|pwd|key|apikey|api_key|signature|sig|auth|credential|session|code)$/i;

/**
 * Redacts a URL by parsing it: the password of userinfo and the values of secret-named query
 * parameters are masked. Text that is not a URL is returned unchanged.
 *
 * @example redactUrl(databaseUrl) // the userinfo password keeps at most 4 leading characters, then '••••'
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  let changed = false;
  // A value already holding the mask was redacted before; masking it again would only shorten it.
  if (url.password !== '' && !safeDecode(url.password).includes(MASK)) {
    url.password = maskSecret(safeDecode(url.password));
    changed = true;
  }
  for (const [name, value] of url.searchParams) {
    if (SECRET_PARAM.test(name) && value !== '' && !value.includes(MASK)) {
      url.searchParams.set(name, maskSecret(value));
      changed = true;
    }
  }
  return changed ? safeDecodeUri(url.toString()) : raw;
}

function safeDecodeUri(value: string): string {
  try {
    return decodeURI(value);
  } catch {
    return value;
  }
}

/** Candidate URLs in free text; each is then parsed (never rewritten by regex) by `redactUrl`. */
const URL_CANDIDATE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi;

/** Redacts every URL found in `text` by parsing it. */
export function redactUrlsInText(text: string): string {
  // Every candidate contains "://": most text has none, and the scan below is the costly part.
  if (!text.includes('://')) return text;
  return text.replace(URL_CANDIDATE, (candidate) => redactUrl(candidate));
}

/**
 * Everything a reporter may print passes through here: explicit secrets from the rule, then every
 * detector match (placeholders included: masking a fake key costs nothing), then URL credentials.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  const explicit = maskValues(text, secrets);
  let out = '';
  let cursor = 0;
  for (const match of findSecrets(explicit)) {
    out += explicit.slice(cursor, match.start) + maskSecret(match.value);
    cursor = match.end;
  }
  out += explicit.slice(cursor);
  return redactUrlsInText(out);
}
