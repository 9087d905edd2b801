/** Loopback servers and certificates for probe tests: 127.0.0.1, port 0, closed by the test. */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureVersion } from 'node:tls';

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Every request path the server saw, in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export interface TlsServerOptions {
  readonly key: string;
  readonly cert: string;
  readonly minVersion?: SecureVersion;
  readonly ciphers?: string;
}

export async function startServer(handler: Handler, tlsOptions?: TlsServerOptions): Promise<TestServer> {
  const seen: string[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    seen.push(`${req.method ?? 'GET'} ${req.url ?? ''}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  const server = tlsOptions === undefined ? http.createServer(listener) : https.createServer({ ...tlsOptions }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  const port = (address satisfies AddressInfo).port;
  return {
    url: `${tlsOptions === undefined ? 'http' : 'https'}://127.0.0.1:${port}/`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` with headers; `type` defaults to text/html. */
export function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
}

export const SPA_HTML = '<!doctype html><html><head><title>App</title><script type="module" src="/assets/index-B7xKq9a1.js"></script></head><body><div id="root"></div></body></html>';

/** A single-page app behind a catch-all: every unknown path gets index.html with 200. */
export const spaHandler: Handler = (req, res) => {
  if (req.url === '/assets/index-B7xKq9a1.js') {
    send(res, 200, 'const api="/api";fetch(api+"/me");', { 'content-type': 'application/javascript', 'cache-control': 'public, max-age=31536000, immutable' });
    return;
  }
  send(res, 200, SPA_HTML);
};

export interface Certs {
  readonly dir: string;
  readonly caCert: string;
  pair(name: 'good' | 'soon' | 'expired' | 'wronghost' | 'selfsigned' | 'nointermediate'): { key: string; cert: string };
  cleanup(): void;
}

/** P-256 keys: generated and used much faster than RSA, which keeps TLS tests quick on a busy machine. */
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function openssl(dir: string, args: string[]): void {
  execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'pipe' });
}

/**
 * Generates, with the openssl CLI: a root CA, an intermediate, and leaves for 127.0.0.1: `good` (served
 * with its intermediate), `expired`, `soon` (5 days), `wronghost`, `selfsigned`, `nointermediate`.
 */
export function generateCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'shipready-probe-certs-'));
  const run = (args: string[]): void => openssl(dir, args);
  run(['req', '-x509', ...EC_KEY, '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Shipready Test Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  writeFileSync(join(dir, 'int.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  run(['req', ...EC_KEY, '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=Shipready Test Intermediate']);
  run(['x509', '-req', '-in', 'int.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'int.pem', '-days', '30', '-extfile', 'int.ext']);
  /** `days` may be negative: OpenSSL 3.0 then writes a notAfter in the past (an expired certificate). */
  const leaf = (name: string, san: string, days: string, signer: 'int' | 'self'): void => {
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    if (signer === 'self') {
      run(['req', '-x509', ...EC_KEY, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', days, '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`]);
      return;
    }
    run(['req', ...EC_KEY, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', String(serial++), '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`]);
  };
  let serial = 1000;
  leaf('good', 'IP:127.0.0.1,DNS:localhost', '60', 'int');
  leaf('soon', 'IP:127.0.0.1,DNS:localhost', '5', 'int');
  leaf('expired', 'IP:127.0.0.1,DNS:localhost', '-1', 'int');
  leaf('wronghost', 'DNS:wrong.example', '60', 'int');
  leaf('selfsigned', 'IP:127.0.0.1', '60', 'self');
  const caCert = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const intCert = readFileSync(join(dir, 'int.pem'), 'utf8');
  return {
    dir,
    caCert,
    pair(name) {
      // `nointermediate` is the good leaf served without the intermediate that signed it.
      const file = name === 'nointermediate' ? 'good' : name;
      const key = readFileSync(join(dir, `${file}.key`), 'utf8');
      const cert = readFileSync(join(dir, `${file}.pem`), 'utf8');
      return name === 'selfsigned' || name === 'nointermediate' ? { key, cert } : { key, cert: cert + intCert };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
