/** Shared plumbing for checks: requests through the transport, redirect chains, evidence text. */

import { createHash } from 'node:crypto';
import type { Exchange, ProbeMethod, ProbeResponse, RequestKind, Transport } from './transport.js';

export interface Hop {
  readonly url: string;
  readonly exchange: Exchange;
}

export const MAX_REDIRECT_HOPS = 5;

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** Resolves a Location header against the URL that sent it; undefined when it is not a URL. */
export function resolveLocation(base: string, location: string | undefined): string | undefined {
  if (location === undefined || location === '') return undefined;
  try {
    return new URL(location, base).toString();
  } catch {
    return undefined;
  }
}

export class ProbeClient {
  constructor(
    readonly transport: Transport,
    /** Hosts the chain may follow redirects to; other hops are recorded but never requested. */
    private readonly allowedHosts: ReadonlySet<string>,
    /** Seeds the "random" calibration paths, so a capture replays them exactly. */
    readonly seed: string,
  ) {}

  /** A path token unique to this run and label, reproducible from the seed. */
  token(label: string): string {
    return `shipready-${createHash('sha256').update(`${this.seed}\0${label}`).digest('hex').slice(0, 12)}`;
  }

  get(url: string, kind: RequestKind, headers?: Record<string, string>): Promise<Exchange> {
    return this.transport.request({ method: 'GET', url, kind, ...(headers === undefined ? {} : { headers }) });
  }

  send(method: ProbeMethod, url: string, kind: RequestKind, headers?: Record<string, string>, body?: string): Promise<Exchange> {
    return this.transport.request({ method, url, kind, ...(headers === undefined ? {} : { headers }), ...(body === undefined ? {} : { body }) });
  }

  /**
   * GETs `url` and follows redirects by hand (each hop recorded), staying on target hosts. The returned
   * list ends with the last response received; `offHost` names a redirect that was not followed.
   */
  async chain(url: string, kind: RequestKind = 'page'): Promise<{ hops: Hop[]; offHost?: string }> {
    const hops: Hop[] = [];
    let next: string | undefined = url;
    const visited = new Set<string>();
    while (next !== undefined && hops.length <= MAX_REDIRECT_HOPS && !visited.has(next)) {
      visited.add(next);
      const exchange = await this.get(next, kind);
      hops.push({ url: next, exchange });
      const response = exchange.response;
      if (response === undefined || !isRedirect(response.status)) break;
      const location = resolveLocation(next, response.headers['location']);
      if (location === undefined) break;
      if (!this.allowedHosts.has(new URL(location).hostname.toLowerCase().replace(/^\[|\]$/g, ''))) return { hops, offHost: location };
      next = location;
    }
    return { hops };
  }
}

/** The last real response of a chain. */
export function finalResponse(hops: readonly Hop[]): { url: string; response: ProbeResponse } | undefined {
  const last = hops[hops.length - 1];
  return last?.exchange.response === undefined ? undefined : { url: last.url, response: last.exchange.response };
}

/** One line per hop: `GET http://x/ → 301 Location: https://x/`. */
export function describeHops(hops: readonly Hop[]): string {
  return hops
    .map(({ url, exchange }) => {
      if (exchange.response === undefined) return `GET ${url} → ${exchange.error?.code ?? 'no answer'} (${exchange.error?.message ?? ''})`;
      const location = exchange.response.headers['location'];
      return `GET ${url} → ${exchange.response.status}${location === undefined ? '' : ` Location: ${location}`}`;
    })
    .join('; ');
}

export function contentType(response: ProbeResponse): string {
  return (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isHtml(response: ProbeResponse): boolean {
  const type = contentType(response);
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/** First characters of a body for evidence, on one line. */
export function excerpt(body: string, length = 120): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}
