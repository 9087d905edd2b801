// The HTTP side of a smoke step: one request on a fresh connection, so the timing phases (DNS, TCP, TLS, first
// byte) and the server certificate are observed, with a deadline on the whole exchange and a cap on the body.
// Redirects are followed here, one hop at a time, only to origins the flow names: a smoke test never sends
// traffic (or the session cookie) anywhere else.
import * as http from 'node:http';
import * as https from 'node:https';
import { TLSSocket } from 'node:tls';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import { err, ok, type Result } from '../core/result.js';
import type { SessionJar, SetCookieRecord } from './cookies.js';

/** A body beyond this is cut (and marked truncated): a smoke check reads pages and API answers, not downloads. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
const MAX_REDIRECTS = 10;

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly followRedirects: boolean;
  readonly timeoutMs: number;
}

export interface Timing {
  readonly dns?: number;
  readonly tcp?: number;
  readonly tls?: number;
  readonly ttfb: number;
  readonly total: number;
}

export interface HttpResponse {
  readonly status: number;
  /** The URL of the last response, after redirects. */
  readonly url: URL;
  /** Lower-cased names; repeated headers keep every value. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  readonly body: string;
  readonly truncated: boolean;
  /** Timing of the last hop; `total` covers every hop. */
  readonly timing: Timing;
  readonly redirects: readonly string[];
  /** Every Set-Cookie of every hop, with whether the jar kept it. */
  readonly setCookies: readonly SetCookieRecord[];
  readonly tls?: { readonly validTo: Date; readonly subject: string };
  /** Set when a redirect pointed at an origin the flow does not name and was not followed. */
  readonly redirectRefused?: string;
}

export interface TransportError {
  readonly kind: 'connect' | 'timeout' | 'error';
  /** The system error code: ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, … */
  readonly code: string;
  readonly message: string;
}

interface Hop {
  readonly status: number;
  readonly headers: Map<string, string[]>;
  readonly body: Buffer;
  readonly truncated: boolean;
  readonly timing: Omit<Timing, 'total'> & { total: number };
  readonly tls?: { validTo: Date; subject: string };
}

function since(start: number): number {
  return Math.round(performance.now() - start);
}

function errorCode(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return 'EHTTP';
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

function toTransportError(error: unknown, timedOut: boolean): TransportError {
  const code = timedOut ? 'ETIMEDOUT' : errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut || code === 'ETIMEDOUT') return { kind: 'timeout', code: 'ETIMEDOUT', message: 'no complete answer within the timeout' };
  // TLS failures (an expired or mismatched certificate) stop the connection before HTTP: a connect failure.
  if (CONNECT_CODES.has(code) || /CERT|SSL|TLS|SELF_SIGNED|ERR_TLS/i.test(code)) return { kind: 'connect', code, message };
  return { kind: 'error', code, message };
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  // Asked for identity; a server that compresses anyway is decoded with the same cap on the output.
  const options = { maxOutputLength: MAX_BODY_BYTES };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, options);
    if (encoding === 'deflate') return inflateSync(body, options);
    if (encoding === 'br') return brotliDecompressSync(body, options);
  } catch {
    return body;
  }
  return body;
}

function oneHop(url: URL, method: string, body: string | undefined, headers: Record<string, string>, deadline: number): Promise<Result<Hop, TransportError>> {
  return new Promise((resolve) => {
    const start = performance.now();
    const marks: { dns?: number; tcp?: number; tls?: number } = {};
    let certificate: Hop['tls'];
    let timedOut = false;
    let settled = false;
    const finish = (result: Result<Hop, TransportError>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const client = url.protocol === 'https:' ? https : http;
    // agent: false gives each request its own connection, so every phase is measured and no socket outlives the run.
    const req = client.request(url, { method, headers, agent: false });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, Math.max(1, deadline - performance.now()));
    req.on('socket', (socket) => {
      socket.once('lookup', () => (marks.dns = since(start)));
      socket.once('connect', () => (marks.tcp = since(start)));
      socket.once('secureConnect', () => {
        marks.tls = since(start);
        const peer = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined;
        if (peer !== undefined && typeof peer.valid_to === 'string' && peer.valid_to !== '') certificate = { validTo: new Date(peer.valid_to), subject: typeof peer.subject?.CN === 'string' ? peer.subject.CN : '' };
      });
    });
    req.on('error', (error) => finish(err(toTransportError(error, timedOut))));
    req.on('response', (res) => {
      const ttfb = since(start);
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = MAX_BODY_BYTES - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = MAX_BODY_BYTES;
          truncated = true;
          res.destroy();
          done();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      const done = (): void => {
        const responseHeaders = new Map<string, string[]>();
        for (let index = 0; index + 1 < res.rawHeaders.length; index += 2) {
          const name = (res.rawHeaders[index] ?? '').toLowerCase();
          responseHeaders.set(name, [...(responseHeaders.get(name) ?? []), res.rawHeaders[index + 1] ?? '']);
        }
        const raw = Buffer.concat(chunks);
        finish(
          ok({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            body: decode(raw, responseHeaders.get('content-encoding')?.[0]?.toLowerCase()),
            truncated,
            timing: { ...marks, ttfb, total: since(start) },
            ...(certificate === undefined ? {} : { tls: certificate }),
          }),
        );
      };
      res.on('end', done);
      res.on('error', (error) => (truncated ? undefined : finish(err(toTransportError(error, timedOut)))));
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Sends one request with the session's cookies, follows redirects (when asked) to origins in `allowed`, and
 * stores every Set-Cookie in the jar as a browser would (a `Secure` cookie over plain http is refused).
 *
 * @example
 * const res = await send({ method: 'GET', url: new URL('https://app.io/login'), headers: {}, followRedirects: true, timeoutMs: 10_000 }, jar, allowed);
 * if (res.ok) res.value.status // 200
 */
export async function send(request: HttpRequest, jar: SessionJar, allowed: ReadonlySet<string>): Promise<Result<HttpResponse, TransportError>> {
  const started = performance.now();
  const deadline = started + request.timeoutMs;
  let url = request.url;
  let method = request.method.toUpperCase();
  let body = request.body;
  const redirects: string[] = [];
  const setCookies: SetCookieRecord[] = [];
  for (let hop = 0; ; hop++) {
    const cookie = await jar.cookieHeader(url);
    const headers: Record<string, string> = { 'accept-encoding': 'identity', ...request.headers, ...(cookie === '' ? {} : { cookie }) };
    if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const result = await oneHop(url, method, body, headers, deadline);
    if (!result.ok) return result;
    const response = result.value;
    setCookies.push(...(await jar.store(response.headers.get('set-cookie') ?? [], url)));
    const location = response.headers.get('location')?.[0];
    const isRedirect = [301, 302, 303, 307, 308].includes(response.status) && location !== undefined;
    let refused: string | undefined;
    if (isRedirect && request.followRedirects && hop < MAX_REDIRECTS) {
      const next = new URL(location, url);
      if (allowed.has(next.host) && (next.protocol === 'http:' || next.protocol === 'https:')) {
        redirects.push(next.href);
        // 303 (and, as browsers do, 301/302 after a POST) turns into a GET without a body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      refused = next.origin;
    }
    return ok({
      status: response.status,
      url,
      headers: response.headers,
      body: response.body.toString('utf8'),
      truncated: response.truncated,
      timing: { ...response.timing, total: since(started) },
      redirects,
      setCookies,
      ...(response.tls === undefined ? {} : { tls: response.tls }),
      ...(refused === undefined ? {} : { redirectRefused: refused }),
    });
  }
}
