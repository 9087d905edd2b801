// The layers every component shares: DNS, TCP and TLS, with failures named by their error code. docs/doctor.md#layers
import * as dns from 'node:dns';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { errorCode } from '../core/fs-errors.js';
import type { LayerResult } from './types.js';

/** `dns.lookup` (getaddrinfo, the path the app's own driver takes), injectable for tests. */
export type Lookup = (host: string) => Promise<readonly { address: string; family: number }[]>;

export const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** `dns.resolveSrv` (what a `mongodb+srv://` driver asks first), injectable for tests. */
export type ResolveSrv = (name: string) => Promise<readonly { name: string; port: number }[]>;

export const systemResolveSrv: ResolveSrv = (name) => dns.promises.resolveSrv(name);

/**
 * Layer `dns` of a `mongodb+srv://` URL: the SRV record `_mongodb._tcp.<host>` names the hosts and ports the
 * driver connects to (the host itself usually has no address); the first one is checked.
 */
export async function srvLayer(host: string, resolveSrv: ResolveSrv, timeoutMs: number): Promise<{ result: LayerResult; target?: { host: string; port: number } }> {
  const started = performance.now();
  const name = `_mongodb._tcp.${host}`;
  try {
    const records = await withTimeout(resolveSrv(name), timeoutMs, `SRV lookup of ${name}`);
    const first = records[0];
    if (first === undefined) return { result: { layer: 'dns', status: 'fail', code: 'ENODATA', output: `${name} has no SRV record`, ms: elapsed(started), hint: 'A mongodb+srv:// URL needs an SRV record: check the cluster host name, or use a mongodb:// URL with the hosts.' } };
    return { result: { layer: 'dns', status: 'pass', output: `${name} → ${records.map((record) => `${record.name}:${record.port}`).slice(0, 3).join(', ')}`, ms: elapsed(started), observedValue: records.length, observedUnit: 'records' }, target: { host: first.name, port: first.port } };
  } catch (error) {
    const code = errorCode(error) ?? 'EDNS';
    return { result: { layer: 'dns', status: 'fail', code, output: `${name} does not resolve (${code})`, ms: elapsed(started), hint: DNS_HINTS[code] ?? 'The SRV record does not resolve: check the cluster host name and the resolver.' } };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** Rejects after `ms` with a `ETIMEDOUT`-coded error, so a layer that never answers ends. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const DNS_HINTS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'The name does not resolve here. A compose service name (db, api) exists only inside the compose network: check from the host with the published port, or run doctor inside the container.',
  EAI_AGAIN: 'The resolver did not answer (temporary failure): check /etc/resolv.conf and the network, then retry.',
  ETIMEDOUT: 'The resolver did not answer in time: check /etc/resolv.conf and the network.',
};

/** Layer `dns`: every address the name resolves to; an IP literal passes without a lookup. */
export async function dnsLayer(host: string, lookup: Lookup, timeoutMs: number): Promise<{ result: LayerResult; addresses: readonly string[] }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIP(bare) !== 0) return { result: { layer: 'dns', status: 'pass', output: `${bare} (an IP address, no lookup)`, ms: 0 }, addresses: [bare] };
  const started = performance.now();
  try {
    const records = await withTimeout(lookup(bare), timeoutMs, `DNS lookup of ${bare}`);
    const addresses = records.map((record) => record.address);
    if (addresses.length === 0) return { result: { layer: 'dns', status: 'fail', output: `${bare} has no address`, code: 'ENODATA', ms: elapsed(started), hint: DNS_HINTS['ENOTFOUND'] ?? '' }, addresses };
    return { result: { layer: 'dns', status: 'pass', output: `${bare} → ${addresses.join(', ')}`, ms: elapsed(started), observedValue: addresses.length, observedUnit: 'addresses' }, addresses };
  } catch (error) {
    const code = errorCode(error) ?? 'EDNS';
    return { result: { layer: 'dns', status: 'fail', output: `${bare} does not resolve (${code})`, code, ms: elapsed(started), hint: DNS_HINTS[code] ?? 'The name does not resolve: check its spelling and the resolver.' }, addresses: [] };
  }
}

const TCP_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'The host answers but nothing listens on that port: the service is down, on another port, or bound to 127.0.0.1 inside its container (listen on 0.0.0.0).',
  ETIMEDOUT: 'No answer at all: a firewall or security group drops the traffic, or the host is down.',
  EHOSTUNREACH: 'No route to the host: it is down or on a network this machine cannot reach.',
  ENETUNREACH: 'No route to that network from here (an IPv6 address without IPv6, a VPN that is down).',
  ECONNRESET: 'The connection was reset as it opened: a proxy or the service rejected it.',
};

/** Layer `tcp`: opens a connection and reports its latency; the socket is handed on for the handshake. */
export async function tcpLayer(host: string, port: number, timeoutMs: number): Promise<{ result: LayerResult; socket?: net.Socket }> {
  const started = performance.now();
  const bare = host.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host: bare, port });
    const fail = (code: string, message: string): void => {
      socket.destroy();
      resolve({ result: { layer: 'tcp', status: 'fail', output: `${bare}:${port} ${message}`, code, ms: elapsed(started), hint: TCP_HINTS[code] ?? 'The connection failed: check the host and port.' } });
    };
    socket.setTimeout(timeoutMs, () => fail('ETIMEDOUT', `did not answer within ${timeoutMs} ms`));
    socket.once('error', (error) => {
      const code = errorCode(error) ?? 'ECONNECT';
      fail(code, code === 'ECONNREFUSED' ? 'refused the connection (ECONNREFUSED)' : `cannot be reached (${code})`);
    });
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.removeAllListeners('error');
      // A permanent listener: a reset between two reads (no readUntil listening) must end this component's
      // check, not the process with an unhandled 'error'. readUntil sees the close that follows.
      socket.on('error', () => undefined);
      const ms = elapsed(started);
      resolve({ result: { layer: 'tcp', status: 'pass', output: `${bare}:${port} open`, ms, observedValue: ms, observedUnit: 'ms' }, socket });
    });
  });
}

export const TLS_HINTS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'The certificate has expired: renew it (certbot renew, or the platform’s certificate settings) and reload the server.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate does not name this host: issue one that lists it, or use the host name it was issued for.',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'A self-signed certificate: use a CA-issued one, or give the client the CA (sslrootcert, NODE_EXTRA_CA_CERTS).',
  SELF_SIGNED_CERT_IN_CHAIN: 'The chain ends in a private CA this machine does not trust: install it or give the client the CA file.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The server does not send its intermediate certificates: configure the full chain (fullchain.pem).',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'The issuer is not trusted here: send the full chain, or install the CA.',
};

/** Certificates closer to expiry than this are a warning. */
const EXPIRY_WARN_DAYS = 14;

/**
 * Layer `tls`: a handshake with `servername`, over `socket` when given (Postgres upgrades after SSLRequest);
 * reports days left, the names the certificate covers and chain errors by their code.
 */
export async function tlsLayer(host: string, port: number, timeoutMs: number, now: Date, socket?: net.Socket, ca?: string): Promise<{ result: LayerResult; secure?: tls.TLSSocket }> {
  const started = performance.now();
  const bare = host.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const secure = tls.connect({ ...(socket === undefined ? { host: bare, port } : { socket }), ...(net.isIP(bare) === 0 ? { servername: bare } : {}), rejectUnauthorized: true, ...(ca === undefined ? {} : { ca: [...tls.rootCertificates, ca] }) });
    const fail = (code: string, message: string): void => {
      secure.destroy();
      resolve({ result: { layer: 'tls', status: 'fail', output: message, code, ms: elapsed(started), hint: TLS_HINTS[code] ?? 'The TLS handshake failed: check the certificate and the protocol versions the server accepts.' } });
    };
    secure.setTimeout(timeoutMs, () => fail('ETIMEDOUT', `no TLS handshake within ${timeoutMs} ms`));
    secure.once('error', (error) => {
      const code = errorCode(error) ?? 'ETLS';
      fail(code, `${code}: ${error.message}`);
    });
    secure.once('secureConnect', () => {
      secure.setTimeout(0);
      secure.removeAllListeners('error');
      // As for TCP: an error after the handshake is seen by the next read as a close, never unhandled.
      secure.on('error', () => undefined);
      const certificate = secure.getPeerCertificate();
      const validTo = certificate.valid_to === undefined ? undefined : new Date(certificate.valid_to);
      const daysLeft = validTo === undefined || Number.isNaN(validTo.getTime()) ? undefined : Math.floor((validTo.getTime() - now.getTime()) / 86_400_000);
      const names = (certificate.subjectaltname ?? '').split(', ').map((entry) => entry.replace(/^(?:DNS|IP Address):/, '')).filter((entry) => entry !== '');
      const output = `${secure.getProtocol() ?? 'TLS'}, certificate for ${names.slice(0, 4).join(', ') || 'no names'}${names.length > 4 ? ` (+${names.length - 4})` : ''}${daysLeft === undefined ? '' : `, ${daysLeft} days left`}`;
      const expiring = daysLeft !== undefined && daysLeft < EXPIRY_WARN_DAYS;
      resolve({
        result: {
          layer: 'tls',
          status: expiring ? 'warn' : 'pass',
          output,
          ms: elapsed(started),
          ...(daysLeft === undefined ? {} : { observedValue: daysLeft, observedUnit: 'days' }),
          ...(expiring ? { code: 'CERT_EXPIRING', hint: 'The certificate expires within two weeks: check that renewal runs (certbot timer, the platform’s auto-renew).' } : {}),
        },
        secure,
      });
    });
  });
}
