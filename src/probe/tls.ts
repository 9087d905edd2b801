/**
 * TLS observations with node:tls (handshake, chain, hostname, expiry, legacy protocols) and the checks
 * that grade them. Observing and grading are split so a capture can be re-graded offline.
 */

import { checkServerIdentity, connect, rootCertificates, type DetailedPeerCertificate, type PeerCertificate, type SecureVersion, type TLSSocket } from 'node:tls';
import type { TlsObservation } from './capture.js';
import { tlsFacts } from './http.js';
import type { IssueSink } from './rules.js';

export interface TlsInspector {
  inspect(host: string, port: number): Promise<TlsObservation[]>;
}

export interface LiveTlsOptions {
  readonly timeoutMs: number;
  /** PEM of extra trusted CAs (`--ca`). */
  readonly ca?: string;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function chainOf(certificate: DetailedPeerCertificate): Array<{ subject: string; issuer: string }> {
  const chain: Array<{ subject: string; issuer: string }> = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = certificate;
  while (current !== undefined && current.fingerprint256 !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push({ subject: String(current.subject?.CN ?? ''), issuer: String(current.issuer?.CN ?? '') });
    current = current.issuerCertificate;
  }
  return chain;
}

function errorCode(cause: unknown): string {
  if (cause !== null && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return cause instanceof Error ? cause.message : String(cause);
}

/** One handshake; `version` pins both ends of the protocol range (for the legacy-protocol test). */
function handshake(host: string, port: number, options: LiveTlsOptions, version?: SecureVersion): Promise<TlsObservation> {
  const attempt = version ?? 'default';
  return new Promise((resolve) => {
    let settled = false;
    const finish = (observation: TlsObservation, socket: TLSSocket): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(observation);
    };
    const socket = connect({
      host,
      port,
      ...(isIp(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }),
      // OpenSSL 3 refuses TLS 1.0/1.1 at the default security level: lower it only for the pinned probes.
      ...(version === undefined ? {} : { minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' }),
    });
    const timer = setTimeout(() => finish({ host, port, attempt, error: 'TIMEOUT' }, socket), options.timeoutMs);
    socket.once('secureConnect', () => {
      const facts = tlsFacts(socket);
      const peer = socket.getPeerCertificate(true);
      const identity = peerIdentityError(host, peer);
      finish(
        {
          host,
          port,
          attempt,
          facts,
          ...(identity === undefined ? {} : { verifyError: identity }),
          ...(version === undefined && peer.fingerprint256 !== undefined ? { chain: chainOf(peer) } : {}),
        },
        socket,
      );
    });
    socket.once('error', (cause) => finish({ host, port, attempt, error: errorCode(cause) }, socket));
  });
}

function peerIdentityError(host: string, peer: PeerCertificate): string | undefined {
  if (peer.subject === undefined && peer.subjectaltname === undefined) return undefined;
  const error = checkServerIdentity(host, peer);
  return error === undefined ? undefined : errorCode(error);
}

/**
 * @example
 * const observations = await new LiveTlsInspector({ timeoutMs: 5000 }).inspect('app.example.com', 443);
 */
export class LiveTlsInspector implements TlsInspector {
  constructor(private readonly options: LiveTlsOptions) {}

  async inspect(host: string, port: number): Promise<TlsObservation[]> {
    const main = await handshake(host, port, this.options);
    if (main.error !== undefined) return [main];
    const legacy = await Promise.all((['TLSv1', 'TLSv1.1'] as const).map((version) => handshake(host, port, this.options, version)));
    return [main, ...legacy];
  }
}

/** Replays TLS observations from a capture. */
export class ReplayTlsInspector implements TlsInspector {
  constructor(private readonly observations: readonly TlsObservation[]) {}

  async inspect(host: string, port: number): Promise<TlsObservation[]> {
    return this.observations.filter((observation) => observation.host === host && observation.port === port);
  }
}

const DAY_MS = 86_400_000;

/** Grades TLS observations of one host:port. */
export function checkTls(url: string, observations: readonly TlsObservation[], now: Date, sink: IssueSink): void {
  const main = observations.find((observation) => observation.attempt === 'default');
  if (main === undefined) return;
  sink.ran('security/tls-handshake');
  const where = `${main.host}:${main.port}`;
  if (main.error !== undefined || main.facts === undefined) {
    sink.report({ ruleId: 'security/tls-handshake', messageId: 'failed', message: `the TLS handshake with ${where} failed (${main.error ?? 'no session'})`, url, detail: `node:tls connect to ${where} (SNI ${main.host}) → ${main.error ?? 'no session'}` });
    return;
  }
  sink.ran('security/tls-certificate-chain', 'security/tls-hostname', 'operations/tls-certificate-expiry', 'security/tls-legacy-protocols');
  const facts = main.facts;
  const chainText = (main.chain ?? []).map((link) => `${link.subject} ← ${link.issuer}`).join(' | ');
  const authError = facts.authorizationError;
  // Expiry and host name are their own checks (Node reports a name mismatch as ERR_TLS_CERT_ALTNAME_INVALID).
  if (authError !== undefined && authError !== 'CERT_HAS_EXPIRED' && authError !== 'ERR_TLS_CERT_ALTNAME_INVALID') {
    sink.report({
      ruleId: 'security/tls-certificate-chain',
      messageId: 'unverified',
      message: `the certificate chain of ${where} does not verify: ${authError}`,
      url,
      detail: `OpenSSL verify error ${authError}; chain as sent (subject ← issuer): ${chainText === '' ? '(none)' : chainText}`,
      key: authError,
      fix: authError === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ? 'The server does not send the intermediate certificate: serve the full chain (e.g. fullchain.pem, not cert.pem).' : undefined,
      severity: authError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || authError === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'high' : undefined,
    });
  }
  if (main.verifyError !== undefined) {
    sink.report({ ruleId: 'security/tls-hostname', messageId: 'mismatch', message: `the certificate of ${where} does not name ${main.host}`, url, detail: `${main.verifyError}; subjectAltName: ${facts.certificate?.subjectAltName || '(none)'}; subject: ${facts.certificate?.subject ?? ''}` });
  }
  const validTo = facts.certificate === undefined ? Number.NaN : Date.parse(facts.certificate.validTo);
  if (!Number.isNaN(validTo)) {
    const days = Math.floor((validTo - now.getTime()) / DAY_MS);
    const detail = `certificate of ${where} valid until ${facts.certificate?.validTo ?? ''} (${days} days from ${now.toISOString().slice(0, 10)})`;
    if (validTo <= now.getTime()) {
      sink.report({ ruleId: 'operations/tls-certificate-expiry', messageId: 'expired', message: `the certificate of ${where} has expired`, url, detail, severity: 'critical' });
    } else if (days < 7) {
      sink.report({ ruleId: 'operations/tls-certificate-expiry', messageId: 'expiresVerySoon', message: `the certificate of ${where} expires in ${days} day(s)`, url, detail, severity: 'high' });
    } else if (days < 30) {
      sink.report({ ruleId: 'operations/tls-certificate-expiry', messageId: 'expiresSoon', message: `the certificate of ${where} expires in ${days} days`, url, detail, severity: 'medium' });
    }
  }
  for (const legacy of observations.filter((observation) => observation.attempt !== 'default')) {
    if (legacy.facts === undefined) continue;
    sink.report({ ruleId: 'security/tls-legacy-protocols', messageId: 'accepted', message: `${where} accepts ${legacy.attempt}`, url, detail: `a handshake offering only ${legacy.attempt} succeeded (negotiated ${legacy.facts.protocol ?? '?'}, cipher ${legacy.facts.cipher ?? '?'})`, key: legacy.attempt });
  }
}
