/**
 * The one seam between probe checks and the network: every check reads HTTP exchanges through a
 * `Transport`, implemented by the live client (`http.ts`) and by the capture replayer (`capture.ts`),
 * so a result can be re-graded offline and tests run checks with no socket at all.
 */

export type ProbeMethod = 'GET' | 'HEAD' | 'POST' | 'OPTIONS';

/**
 * `page` requests (home page, redirects, scripts) always run while budget remains; `path` requests
 * (exposure and error probes) stop once the server keeps answering 429/503, because a throttled
 * server tells us nothing and more traffic would only add load.
 */
export type RequestKind = 'page' | 'path';

export interface ProbeRequest {
  readonly method: ProbeMethod;
  readonly url: string;
  /** Extra request headers (lower-case names); the client adds User-Agent and Accept-Encoding. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly kind: RequestKind;
}

export interface ProbeResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", " (as node:http does), `set-cookie` kept apart. */
  readonly headers: Readonly<Record<string, string>>;
  readonly setCookie: readonly string[];
  /** Decoded (decompressed) body as UTF-8 text, cut at the body cap. */
  readonly body: string;
  /** Bytes on the wire before decompression (up to the cap). */
  readonly wireBytes: number;
  readonly truncated: boolean;
  /**
   * Set on responses replayed from a capture: how many credential-shaped values the capture masked in the
   * body, so a replay grades an exposed file as the live run did although the values are gone.
   */
  readonly maskedCredentials?: number;
}

export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltName: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly fingerprint256: string;
}

/** What the TLS layer said about the connection that carried an exchange. */
export interface TlsFacts {
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly authorized: boolean;
  /** OpenSSL error code, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, when the chain did not verify. */
  readonly authorizationError?: string;
  readonly certificate?: CertificateFacts;
}

export type ExchangeErrorCode = 'REFUSED_HOST' | 'BUDGET_EXHAUSTED' | 'THROTTLED' | 'TIMEOUT' | 'NETWORK' | 'NOT_CAPTURED' | 'INVALID_URL';

export interface ExchangeError {
  readonly code: ExchangeErrorCode;
  /** Node error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`) or a plain explanation. */
  readonly message: string;
}

/** One request and what came back (or why nothing did). Network failures are values, not throws. */
export interface Exchange {
  readonly request: ProbeRequest;
  readonly response?: ProbeResponse;
  readonly error?: ExchangeError;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly tls?: TlsFacts;
}

export interface Transport {
  request(request: ProbeRequest): Promise<Exchange>;
}

/** Case-insensitive header read. */
export function header(response: ProbeResponse | undefined, name: string): string | undefined {
  return response?.headers[name.toLowerCase()];
}

/** Canonical key for matching a replayed request to a captured one. */
export function requestKey(request: Pick<ProbeRequest, 'method' | 'url' | 'headers' | 'body'>): string {
  const origin = request.headers?.['origin'] ?? '';
  const contentType = request.headers?.['content-type'] ?? '';
  return `${request.method} ${request.url} ${origin} ${contentType} ${request.body ?? ''}`;
}
