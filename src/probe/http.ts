/**
 * The live HTTP client of the probe: bounded (budget, timeout, body cap), identifiable (User-Agent),
 * never follows redirects by itself, and refuses any host that is not a target, so a redirect or a URL
 * found in a bundle can never make the probe contact a third party.
 */

import http from 'node:http';
import https from 'node:https';
import { rootCertificates, TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { RequestBudget, type BudgetOptions } from './budget.js';
import type { CertificateFacts, Exchange, ExchangeError, ProbeRequest, ProbeResponse, TlsFacts, Transport } from './transport.js';
import { PROJECT_URL } from '../core/meta.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_BODY_CAP_BYTES = 512 * 1024;

export function userAgent(version: string): string {
  return `shipready-probe/${version} (+${PROJECT_URL})`;
}

export interface LiveTransportOptions {
  /** Hostnames the probe may contact; anything else is refused before a socket opens. */
  readonly allowedHosts: readonly string[];
  readonly version: string;
  readonly timeoutMs?: number;
  readonly bodyCapBytes?: number;
  /** PEM of extra trusted CAs (`--ca`). */
  readonly ca?: string;
  readonly budget?: RequestBudget | BudgetOptions;
}

/** Lower-cases and strips IPv6 brackets so `[::1]` and `::1` compare equal. */
export function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, '');
}

function certificateFacts(socket: TLSSocket): CertificateFacts | undefined {
  const cert = socket.getPeerCertificate();
  if (cert === null || typeof cert !== 'object' || cert.valid_to === undefined) return undefined;
  const subject = cert.subject === undefined ? '' : Object.entries(cert.subject).map(([key, value]) => `${key}=${String(value)}`).join(', ');
  const issuer = cert.issuer === undefined ? '' : Object.entries(cert.issuer).map(([key, value]) => `${key}=${String(value)}`).join(', ');
  return {
    subject,
    issuer,
    subjectAltName: cert.subjectaltname ?? '',
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    fingerprint256: cert.fingerprint256,
  };
}

export function tlsFacts(socket: TLSSocket): TlsFacts {
  const certificate = certificateFacts(socket);
  const authorizationError = socket.authorizationError === null || socket.authorizationError === undefined ? undefined : String(socket.authorizationError);
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.name ?? null,
    authorized: socket.authorized,
    ...(authorizationError === undefined ? {} : { authorizationError }),
    ...(certificate === undefined ? {} : { certificate }),
  };
}

function decode(wire: Buffer, encoding: string | undefined, cap: number): string {
  // Sync flush lets a body cut at the cap still decompress as far as it goes.
  const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: cap };
  const brotli = { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH, maxOutputLength: cap };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(wire, options).toString('utf8');
      case 'deflate':
        return zlib.inflateSync(wire, options).toString('utf8');
      case 'br':
        return zlib.brotliDecompressSync(wire, brotli).toString('utf8');
      default:
        return wire.toString('utf8');
    }
  } catch {
    // A body we cannot decode is evidence of nothing; checks see it as empty.
    return '';
  }
}

function errorCode(cause: unknown): string {
  if (cause !== null && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * @example
 * const transport = new LiveTransport({ allowedHosts: ['app.example.com'], version: '0.1.0' });
 * const exchange = await transport.request({ method: 'GET', url: 'https://app.example.com/', kind: 'page' });
 */
export class LiveTransport implements Transport {
  readonly budget: RequestBudget;
  private readonly allowed: ReadonlySet<string>;
  private readonly timeoutMs: number;
  private readonly bodyCap: number;
  private readonly agent: string;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(options: LiveTransportOptions) {
    this.allowed = new Set(options.allowedHosts.map(normaliseHost));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.bodyCap = options.bodyCapBytes ?? DEFAULT_BODY_CAP_BYTES;
    this.agent = userAgent(options.version);
    this.budget = options.budget instanceof RequestBudget ? options.budget : new RequestBudget(options.budget);
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    // Unverified chains still get graded (headers, exposure); the TLS checks report the chain error.
    // A `ca` option replaces Node's roots, so they are added back.
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false, ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }) });
  }

  async request(request: ProbeRequest): Promise<Exchange> {
    const startedAt = new Date().toISOString();
    const fail = (error: ExchangeError): Exchange => ({ request, error, startedAt, durationMs: 0 });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return fail({ code: 'INVALID_URL', message: `not a URL: ${request.url}` });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail({ code: 'INVALID_URL', message: `unsupported scheme ${url.protocol}` });
    if (!this.allowed.has(normaliseHost(url.hostname))) {
      return fail({ code: 'REFUSED_HOST', message: `${url.hostname} is not a probe target` });
    }
    const slot = await this.budget.acquire(request.kind);
    if (!slot.ok) return fail({ code: slot.reason, message: slot.reason === 'THROTTLED' ? 'path probes stopped after repeated 429/503' : 'request budget exhausted' });
    const started = performance.now();
    try {
      const outcome = await this.send(url, request);
      if (outcome.response !== undefined) this.budget.observe(outcome.response.status, outcome.response.headers['retry-after']);
      const durationMs = Math.round(performance.now() - started);
      return { request, startedAt, durationMs, ...outcome };
    } finally {
      slot.release();
    }
  }

  /** Closes idle keep-alive sockets so the process (and tests) can exit promptly. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private send(url: URL, request: ProbeRequest): Promise<{ response?: ProbeResponse; error?: ExchangeError; tls?: TlsFacts }> {
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = {
      'user-agent': this.agent,
      accept: '*/*',
      'accept-encoding': 'gzip, deflate, br',
      ...request.headers,
    };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    return new Promise((resolve) => {
      let settled = false;
      const done = (value: { response?: ProbeResponse; error?: ExchangeError; tls?: TlsFacts }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      };
      const options: https.RequestOptions = {
        method: request.method,
        headers,
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        ...(isHttps && !/^[\d.:[\]]+$/.test(url.hostname) ? { servername: url.hostname } : {}),
      };
      const req = (isHttps ? https : http).request(url, options, (res) => {
        const tls = res.socket instanceof TLSSocket ? tlsFacts(res.socket) : undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = (): void => {
          const wire = Buffer.concat(chunks);
          const setCookie = res.headers['set-cookie'] ?? [];
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (name === 'set-cookie' || value === undefined) continue;
            flat[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          done({
            response: {
              status: res.statusCode ?? 0,
              headers: flat,
              setCookie,
              body: request.method === 'HEAD' ? '' : decode(wire, flat['content-encoding'], this.bodyCap),
              wireBytes: size,
              truncated,
            },
            ...(tls === undefined ? {} : { tls }),
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = this.bodyCap - size;
          if (chunk.length >= room) {
            chunks.push(chunk.subarray(0, room));
            size += room;
            truncated = true;
            finish();
            res.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', finish);
        res.on('error', finish);
        res.on('close', finish);
      });
      const timer = setTimeout(() => {
        done({ error: { code: 'TIMEOUT', message: `no complete answer within ${this.timeoutMs} ms` } });
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (cause) => done({ error: { code: 'NETWORK', message: errorCode(cause) } }));
      if (request.body !== undefined) req.write(request.body);
      req.end();
    });
  }
}
