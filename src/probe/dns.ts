/**
 * DNS observations (addresses, CNAME chain, CNAME targets that no longer resolve) with node:dns, and
 * the checks reliability/dns-resolution and security/dangling-cname. The resolver is injected so the
 * logic is testable without real DNS.
 */

import { promises as dnsPromises } from 'node:dns';
import type { DnsObservation } from './capture.js';
import type { IssueSink } from './rules.js';

export interface Resolver {
  /** Addresses as the system resolver gives them (getaddrinfo: /etc/hosts included, like the HTTP client). */
  lookup(host: string): Promise<string[]>;
  resolveCname(host: string): Promise<string[]>;
}

/** node:dns with a short timeout, so a missing DNS server costs seconds, not half a minute. */
export function systemResolver(timeoutMs = 3000): Resolver {
  const resolver = new dnsPromises.Resolver({ timeout: timeoutMs, tries: 1 });
  return {
    lookup: async (host) => (await dnsPromises.lookup(host, { all: true })).map((entry) => entry.address),
    resolveCname: (host) => resolver.resolveCname(host),
  };
}

function code(cause: unknown): string {
  if (cause !== null && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Codes that mean "this name does not exist" (not a transient failure). */
const NXDOMAIN = new Set(['ENOTFOUND', 'NXDOMAIN']);

async function addressesOf(resolver: Resolver, host: string): Promise<{ addresses: string[]; error?: string }> {
  try {
    const addresses = await resolver.lookup(host);
    return addresses.length > 0 ? { addresses } : { addresses, error: 'ENODATA' };
  } catch (cause) {
    return { addresses: [], error: code(cause) };
  }
}

export function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/**
 * @example
 * const observation = await observeDns('app.example.com', systemResolver());
 */
export async function observeDns(host: string, resolver: Resolver = systemResolver()): Promise<DnsObservation> {
  const { addresses, error } = await addressesOf(resolver, host);
  let cname: string[] = [];
  try {
    cname = await resolver.resolveCname(host);
  } catch {
    // No CNAME (ENODATA), or the lookup failed: either way there is no CNAME target to check.
  }
  const danglingTargets: Array<{ target: string; error: string }> = [];
  for (const target of cname) {
    const resolved = await addressesOf(resolver, target);
    if (resolved.addresses.length === 0 && resolved.error !== undefined && NXDOMAIN.has(resolved.error)) danglingTargets.push({ target, error: resolved.error });
  }
  return { host, addresses, cname, ...(error === undefined ? {} : { error }), ...(danglingTargets.length > 0 ? { danglingTargets } : {}) };
}

export function checkDns(url: string, observation: DnsObservation, sink: IssueSink): void {
  sink.ran('reliability/dns-resolution', 'security/dangling-cname');
  if (observation.addresses.length === 0) {
    sink.report({ ruleId: 'reliability/dns-resolution', messageId: 'unresolved', message: `${observation.host} does not resolve (${observation.error ?? 'no A/AAAA records'})`, url, detail: `address lookup (getaddrinfo) for ${observation.host} → ${observation.error ?? 'no records'}${observation.cname.length > 0 ? `; CNAME → ${observation.cname.join(', ')}` : ''}` });
  }
  for (const dangling of observation.danglingTargets ?? []) {
    sink.report({ ruleId: 'security/dangling-cname', messageId: 'dangling', message: `${observation.host} is a CNAME to ${dangling.target}, which does not exist: whoever registers it serves this host`, url, detail: `CNAME ${observation.host} → ${dangling.target}; address lookup of ${dangling.target} → ${dangling.error}`, key: dangling.target });
  }
}
