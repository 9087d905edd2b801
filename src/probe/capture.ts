/**
 * Captures make a probe reproducible: every exchange (and every TLS and DNS observation) the checks
 * used is written to JSON, and a capture replays through the same `Transport` interface so a result can
 * be reviewed, re-graded offline and used in tests without network.
 */

import { z } from 'zod';
import { maskSecret, redactText, redactUrl } from '../core/redact.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { findSecrets } from '../core/secrets.js';
import { requestKey, type Exchange, type ProbeRequest, type Transport } from './transport.js';

export const CAPTURE_FORMAT_VERSION = 1;

const certificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  subjectAltName: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
});

const tlsFactsSchema = z.object({
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  authorized: z.boolean(),
  authorizationError: z.string().optional(),
  certificate: certificateSchema.optional(),
});

const requestSchema = z.object({
  method: z.enum(['GET', 'HEAD', 'POST', 'OPTIONS']),
  url: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  kind: z.enum(['page', 'path']),
});

const exchangeSchema = z.object({
  request: requestSchema,
  response: z
    .object({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()),
      setCookie: z.array(z.string()),
      body: z.string(),
      wireBytes: z.number().int(),
      truncated: z.boolean(),
      maskedCredentials: z.number().int().optional(),
    })
    .optional(),
  error: z
    .object({
      code: z.enum(['REFUSED_HOST', 'BUDGET_EXHAUSTED', 'THROTTLED', 'TIMEOUT', 'NETWORK', 'NOT_CAPTURED', 'INVALID_URL']),
      message: z.string(),
    })
    .optional(),
  startedAt: z.string(),
  durationMs: z.number(),
  tls: tlsFactsSchema.optional(),
});

/** One handshake made by the TLS checks (default, or pinned to one protocol version). */
export const tlsObservationSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  /** `default`, or the single protocol offered (`TLSv1`, `TLSv1.1`). */
  attempt: z.string(),
  facts: tlsFactsSchema.optional(),
  /** Why the handshake failed (OpenSSL or Node error code). */
  error: z.string().optional(),
  /** Validation with the system (+ `--ca`) trust store and the real hostname. */
  verifyError: z.string().optional(),
  /** Whole chain as the server sent it, leaf first (subject → issuer). */
  chain: z.array(z.object({ subject: z.string(), issuer: z.string() })).optional(),
});

export const dnsObservationSchema = z.object({
  host: z.string(),
  addresses: z.array(z.string()),
  cname: z.array(z.string()),
  error: z.string().optional(),
  /** CNAME targets that did not resolve, with the error code. */
  danglingTargets: z.array(z.object({ target: z.string(), error: z.string() })).optional(),
});

/** The raw testssl.sh JSON of a `--deep` run, so a replay grades it without running testssl.sh again. */
export const deepScanSchema = z.object({ hostPort: z.string(), json: z.string() });

export const captureSchema = z.object({
  format: z.literal('shipready-probe-capture'),
  version: z.literal(CAPTURE_FORMAT_VERSION),
  tool: z.string(),
  createdAt: z.string(),
  targets: z.array(z.string()),
  /** Seed of the calibration paths, so a replay asks for the same "random" paths. */
  seed: z.string(),
  exchanges: z.array(exchangeSchema),
  tls: z.array(tlsObservationSchema),
  dns: z.array(dnsObservationSchema),
  /** Present when the probe ran with `--deep` (optional: captures without it stay valid). */
  deep: z.array(deepScanSchema).optional(),
});

export type Capture = z.infer<typeof captureSchema>;
export type TlsObservation = z.infer<typeof tlsObservationSchema>;
export type DnsObservation = z.infer<typeof dnsObservationSchema>;
export type DeepScanRecord = z.infer<typeof deepScanSchema>;

/** Wraps a transport and keeps every exchange it made, in order. */
export class RecordingTransport implements Transport {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly inner: Transport) {}

  async request(request: ProbeRequest): Promise<Exchange> {
    const exchange = await this.inner.request(request);
    this.exchanges.push(exchange);
    return exchange;
  }
}

/**
 * Answers requests from a capture. Repeated identical requests are answered in capture order, and a
 * request the capture does not hold is a `NOT_CAPTURED` error, never a guess.
 */
export class ReplayTransport implements Transport {
  private readonly queues = new Map<string, Exchange[]>();

  constructor(exchanges: readonly Exchange[]) {
    for (const exchange of exchanges) {
      const key = requestKey(exchange.request);
      const queue = this.queues.get(key) ?? [];
      queue.push(exchange);
      this.queues.set(key, queue);
    }
  }

  async request(request: ProbeRequest): Promise<Exchange> {
    const queue = this.queues.get(requestKey(request));
    const next = queue !== undefined && queue.length > 1 ? queue.shift() : queue?.[0];
    if (next === undefined) {
      return { request, error: { code: 'NOT_CAPTURED', message: `the capture holds no ${request.method} ${request.url}` }, startedAt: new Date(0).toISOString(), durationMs: 0 };
    }
    return { ...next, request };
  }
}

/** `name=value; attributes` with the value masked: the checks read names and attributes, never values. */
function maskCookie(raw: string): string {
  const equals = raw.indexOf('=');
  if (equals < 0) return raw;
  const end = raw.indexOf(';', equals);
  const value = raw.slice(equals + 1, end < 0 ? undefined : end).trim();
  return value.length < 4 ? raw : `${raw.slice(0, equals + 1)}${maskSecret(value)}${end < 0 ? '' : raw.slice(end)}`;
}

/**
 * An exchange as a capture stores it: URLs, header values and bodies pass through the same redaction as
 * every report, and cookie values are masked, so a capture shared for review holds no session token, no
 * exposed `.env` value and no credential from a source map. The number of credentials masked in the body is
 * kept, so a replay grades the exposure as the live run did.
 *
 * @example toCapturedExchange(exchange).response?.body // '…STRIPE_SECRET_KEY=sk_l••••…'
 */
export function toCapturedExchange(exchange: Exchange): Capture['exchanges'][number] {
  const { request, response, ...rest } = exchange;
  const redactHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, redactText(value)]));
  const credentials = response === undefined ? 0 : findSecrets(response.body).filter((match) => match.strength !== 'weak' && match.dismissed === undefined).length + (response.maskedCredentials ?? 0);
  return {
    ...rest,
    request: { ...request, url: redactUrl(request.url), ...(request.headers === undefined ? {} : { headers: redactHeaders(request.headers) }) },
    ...(response === undefined
      ? {}
      : {
          response: {
            ...response,
            headers: redactHeaders(response.headers),
            setCookie: response.setCookie.map(maskCookie),
            body: redactText(response.body),
            ...(credentials === 0 ? {} : { maskedCredentials: credentials }),
          },
        }),
  };
}

/** Parses capture JSON; a malformed file is a user error naming the first problems. */
export function parseCapture(text: string, source: string): Result<Capture, UserError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    return err(userError('INPUT_INVALID', `${source} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`, 'pass a file written by --save-capture'));
  }
  const parsed = captureSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return err(userError('INPUT_INVALID', `${source} is not a shipready probe capture`, 'pass a file written by --save-capture', details));
  }
  return ok(parsed.data);
}

export function serialiseCapture(capture: Capture): string {
  return `${JSON.stringify(capture, null, 2)}\n`;
}
