/** Probes one target: the order of checks, what runs in parallel, and the per-target summary. */

import type { DnsObservation, TlsObservation } from './capture.js';
import { CORS_PROBE_ORIGIN, runHeaderChecks, type HeaderInput } from './checks/headers.js';
import { runErrorChecks } from './checks/errors.js';
import { calibrate, runExposureChecks } from './checks/exposure.js';
import { fetchScripts, runFrontendChecks } from './checks/frontend.js';
import { runCachingCheck, runCompressionCheck, runHealthCheck, runLoginRateLimit } from './checks/operations.js';
import { describeHops, finalResponse, isHtml, type Hop, type ProbeClient } from './context.js';
import { checkDns, isIpLiteral } from './dns.js';
import { observatoryGrade, type ObservatoryGrade } from './observatory.js';
import { IssueSink } from './rules.js';
import { checkTls, type TlsInspector } from './tls.js';

export interface TargetSettings {
  readonly healthPath?: string;
  readonly loginPath?: string;
  readonly loginAttempts: number;
  /** Ports tried for the plain-HTTP redirect check and the HTTPS counterpart (default 80 and 443). */
  readonly httpPort?: number;
  readonly httpsPort?: number;
  /** Reference time for certificate expiry (the capture time when replaying). */
  readonly now: Date;
}

export interface TargetDeps {
  readonly client: ProbeClient;
  readonly tls: TlsInspector;
  readonly dns?: (host: string) => Promise<DnsObservation | undefined>;
  readonly settings: TargetSettings;
}

export interface TargetOutcome {
  readonly target: string;
  readonly sink: IssueSink;
  /** Set when the home page could not be fetched at all. */
  readonly unreachable?: string;
  readonly grade?: ObservatoryGrade;
  readonly serverClass?: string;
  readonly status?: number;
  readonly tls: TlsObservation[];
  readonly dns?: DnsObservation;
  readonly notes: string[];
}

/** Errors that mean nothing answered at all (wrong name, nothing listening, filtered). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

function defaultPort(url: URL): number {
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

function connected(hops: readonly Hop[]): boolean {
  return hops[0]?.exchange.response !== undefined;
}

export async function probeTarget(target: URL, deps: TargetDeps): Promise<TargetOutcome> {
  const { client, settings } = deps;
  const sink = new IssueSink();
  const notes: string[] = [];
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const dns = isIpLiteral(host) || deps.dns === undefined ? undefined : await deps.dns(host);
  if (dns !== undefined) checkDns(target.href, dns, sink);

  const home = await client.chain(target.href);
  const first = home.hops[0]?.exchange;
  if (first === undefined || first.response === undefined) {
    const reason = first?.error === undefined ? 'no answer' : `${first.error.code}: ${first.error.message}`;
    // A TCP connection that dies in the TLS handshake is a finding about the deployment, not a typo.
    if (target.protocol === 'https:' && first?.error?.code === 'NETWORK' && !UNREACHABLE_CODES.has(first.error.message)) {
      const tls = await deps.tls.inspect(host, defaultPort(target));
      const main = tls.find((observation) => observation.attempt === 'default');
      if (main?.error !== undefined) {
        checkTls(target.href, tls, settings.now, sink);
        notes.push(`${target.href}: no HTTP checks, the TLS handshake failed (${main.error})`);
        return { target: target.href, sink, tls, ...(dns === undefined ? {} : { dns }), notes };
      }
    }
    return { target: target.href, sink, unreachable: reason, tls: [], ...(dns === undefined ? {} : { dns }), notes };
  }
  if (home.offHost !== undefined) notes.push(`${target.href}: redirect to ${home.offHost} not followed (not a probe target)`);
  const page = finalResponse(home.hops) ?? { url: target.href, response: first.response };

  // Like the Observatory: the default ports whatever port the target uses, unless told otherwise.
  const httpStart = `http://${target.hostname}${settings.httpPort === undefined || settings.httpPort === 80 ? '' : `:${settings.httpPort}`}/`;
  const httpsStart = `https://${target.hostname}${settings.httpsPort === undefined || settings.httpsPort === 443 ? '' : `:${settings.httpsPort}`}/`;
  const isHttpsTarget = target.protocol === 'https:';
  const [httpChain, httpsChain, cors] = await Promise.all([
    isHttpsTarget ? client.chain(httpStart) : Promise.resolve(home),
    isHttpsTarget || page.url.startsWith('https:') ? Promise.resolve(undefined) : client.chain(httpsStart),
    client.get(page.url, 'page', { origin: CORS_PROBE_ORIGIN }),
  ]);
  const httpsHops = isHttpsTarget || page.url.startsWith('https:') ? home.hops : httpsChain?.hops;
  const httpsFinal = httpsHops === undefined || !connected(httpsHops) ? undefined : finalResponse(httpsHops);
  const httpsSecure = httpsFinal !== undefined && httpsFinal.url.startsWith('https:') ? httpsFinal : undefined;
  const httpHops = connected(httpChain.hops) && httpChain.hops[0]?.url.startsWith('http:') === true ? httpChain.hops : undefined;

  const tlsUrl = httpsSecure === undefined ? undefined : new URL(httpsSecure.url);
  const tlsPromise = tlsUrl === undefined ? Promise.resolve<TlsObservation[]>([]) : deps.tls.inspect(tlsUrl.hostname.replace(/^\[|\]$/g, ''), defaultPort(tlsUrl));

  const setCookies = [...home.hops, ...(httpHops ?? []), ...(httpsHops ?? [])].flatMap((hop) => hop.exchange.response?.setCookie ?? []);
  const uniqueCookies = [...new Set([...setCookies, ...(cors.response?.setCookie ?? [])])];
  const headerInput: HeaderInput = {
    page,
    ...(httpsSecure === undefined ? {} : { https: httpsSecure }),
    ...(httpHops === undefined ? {} : { httpHops }),
    ...(cors.response === undefined ? {} : { cors: { url: page.url, response: cors.response } }),
    setCookies: uniqueCookies,
  };
  runHeaderChecks(headerInput, sink);
  const authorized = (hops: readonly Hop[] | undefined): boolean => (hops ?? []).every((hop) => hop.exchange.tls === undefined || hop.exchange.tls.authorized);
  const httpRoute = httpHops === undefined ? undefined : [...httpHops.map((hop) => hop.url), ...(httpChain.offHost === undefined ? [] : [httpChain.offHost])];
  const grade = observatoryGrade({
    hostname: host,
    auto: httpsSecure ?? page,
    ...(httpsSecure === undefined ? {} : { https: { response: httpsSecure.response, verified: authorized(httpsHops) } }),
    ...(httpRoute === undefined ? {} : { http: { route: httpRoute, verified: authorized(httpHops) } }),
    ...(cors.response === undefined ? {} : { cors: { response: cors.response, origin: CORS_PROBE_ORIGIN } }),
    setCookies: uniqueCookies,
  });

  const origin = new URL(page.url).origin;
  const [calibration, scripts, tls] = await Promise.all([
    calibrate(client, origin),
    isHtml(page.response) ? fetchScripts(client, page.response.body, page.url) : Promise.resolve([]),
    tlsPromise,
  ]);
  if (tlsUrl !== undefined) checkTls(tlsUrl.href, tls, settings.now, sink);
  if (isHtml(page.response)) runFrontendChecks({ url: page.url, html: page.response.body }, scripts, sink);
  const baseline = calibration.baselines.get('plain')?.exchange.response?.body ?? '';
  await Promise.all([
    runExposureChecks(client, { origin, calibration, scripts }, sink, notes),
    runErrorChecks(client, origin, { home: page.response.body, baseline }, sink),
    runHealthCheck(client, origin, settings.healthPath, calibration, sink),
  ]);
  const scriptExchanges = scripts.map((script) => ({ url: script.url, exchange: script.exchange }));
  const lastHop = home.hops[home.hops.length - 1];
  const resources = lastHop === undefined ? scriptExchanges : [{ url: page.url, exchange: lastHop.exchange }, ...scriptExchanges];
  runCompressionCheck(resources, sink);
  runCachingCheck(page, scriptExchanges, sink);
  if (settings.loginPath !== undefined) await runLoginRateLimit(client, origin, settings.loginPath, settings.loginAttempts, sink);
  if (home.hops.length > 1) notes.push(`${target.href}: ${describeHops(home.hops)}`);
  return { target: target.href, sink, grade, serverClass: calibration.serverClass, status: page.response.status, tls, ...(dns === undefined ? {} : { dns }), notes };
}
