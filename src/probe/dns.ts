/**
 * DNS observations (addresses, CNAME chain, CNAME targets that no longer resolve) with node:dns, and
 * the checks reliability/dns-resolution and security/dangling-cname. The resolver is injected so the
 * logic is testable without real DNS.
 */

import { promises as dnsPromises } from 'node:dns';
import type { DnsObservation } from './capture.js';
import type { IssueSink } from './rules.js';

export interface Resolver {
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
  resolveCname(host: string): Promise<string[]>;
}

function code(cause: unknown): string {
  if (cause !== null && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Codes that mean "this name does not exist" (not a transient failure). */
const NXDOMAIN = new Set(['ENOTFOUND', 'NXDOMAIN']);
const NO_DATA = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

async function addressesOf(resolver: Resolver, host: string): Promise<{ addresses: string[]; error?: string }> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  if (addresses.length > 0) return { addresses };
  const reason = v4.status === 'rejected' ? code(v4.reason) : v6.status === 'rejected' ? code(v6.reason) : 'ENODATA';
  return { addresses, error: reason };
}

export function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/**
 * @example
 * const observation = await observeDns('app.example.com', new Resolver());
 */
export async function observeDns(host: string, resolver: Resolver = dnsPromises): Promise<DnsObservation> {
  const { addresses, error } = await addressesOf(resolver, host);
  let cname: string[] = [];
  try {
    cname = await resolver.resolveCname(host);
  } catch (cause) {
    if (!NO_DATA.has(code(cause))) cname = [];
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
    sink.report({ ruleId: 'reliability/dns-resolution', messageId: 'unresolved', message: `${observation.host} does not resolve (${observation.error ?? 'no A/AAAA records'})`, url, detail: `A and AAAA lookups for ${observation.host} → ${observation.error ?? 'no records'}${observation.cname.length > 0 ? `; CNAME → ${observation.cname.join(', ')}` : ''}` });
  }
  for (const dangling of observation.danglingTargets ?? []) {
    sink.report({ ruleId: 'security/dangling-cname', messageId: 'dangling', message: `${observation.host} is a CNAME to ${dangling.target}, which does not exist: whoever registers it serves this host`, url, detail: `CNAME ${observation.host} → ${dangling.target}; A/AAAA lookup of ${dangling.target} → ${dangling.error}`, key: dangling.target });
  }
}
