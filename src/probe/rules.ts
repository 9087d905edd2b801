/**
 * Metadata of every probe check. Findings go through `toFinding` + `assignFingerprints` from
 * src/core/engine.ts, so probe findings share the scan's shape, redaction and fingerprints; ids share
 * the scan's namespace where the concern is the same, so one checklist item gathers both kinds of evidence.
 */

import type { KnownRules } from '../core/config.js';
import type { RuleMetadata } from '../core/rule.js';
import type { Severity } from '../core/severity.js';

const DOCS = 'docs/probe.md';

function rule(meta: Omit<RuleMetadata, 'docs'> & { readonly anchor?: string }): RuleMetadata {
  const { anchor, ...rest } = meta;
  return { ...rest, docs: `${DOCS}#${anchor ?? meta.id.replace('/', '-')}` };
}

export const PROBE_RULES = [
  rule({ id: 'reliability/dns-resolution', title: 'Host name resolves', category: 'reliability', severity: 'critical', description: 'The target host name resolves to at least one address.', fix: 'Create the A/AAAA (or CNAME) record for the host, or fix the typo in the URL.' }),
  rule({ id: 'security/dangling-cname', title: 'No dangling CNAME', category: 'security', severity: 'high', description: 'A CNAME pointing at a name that no longer resolves can be claimed by someone else (subdomain takeover).', fix: 'Remove the CNAME record or re-create the resource it points to.' }),
  rule({ id: 'security/tls-handshake', title: 'TLS handshake succeeds', category: 'security', severity: 'critical', checklist: 'tls', description: 'An HTTPS target completes a TLS handshake.', fix: 'Serve a valid certificate and key on port 443 (check the reverse proxy or load balancer listener).' }),
  rule({ id: 'security/tls-certificate-chain', title: 'Certificate chain verifies', category: 'security', severity: 'high', checklist: 'tls', description: 'The certificate chain verifies against the trusted roots (plus --ca).', fix: 'Serve the full chain (leaf + intermediates, e.g. fullchain.pem) from a trusted CA.' }),
  rule({ id: 'security/tls-hostname', title: 'Certificate matches the host', category: 'security', severity: 'high', checklist: 'tls', description: 'The certificate names the host (subjectAltName).', fix: 'Issue the certificate for this host name (add it to the SANs).' }),
  rule({ id: 'operations/tls-certificate-expiry', title: 'Certificate not expiring', category: 'operations', severity: 'medium', checklist: 'tls', description: 'The certificate is valid for at least 30 more days: expired is critical, < 7 days high, < 30 days medium.', fix: 'Renew the certificate and automate renewal (ACME/cert-manager), with an alert on failure.' }),
  rule({ id: 'security/tls-legacy-protocols', title: 'No TLS 1.0/1.1', category: 'security', severity: 'medium', checklist: 'tls', description: 'The server refuses TLS 1.0 and TLS 1.1 handshakes.', fix: 'Set the minimum protocol to TLS 1.2 (nginx: ssl_protocols TLSv1.2 TLSv1.3;).' }),
  rule({ id: 'security/tls-deep-scan', title: 'testssl.sh findings', category: 'security', severity: 'medium', checklist: 'tls', description: 'Findings of Debian testssl.sh in --deep mode, with its severities.', fix: 'Follow the testssl.sh finding.' }),
  rule({ id: 'security/https-redirect', title: 'HTTP redirects to HTTPS', category: 'security', severity: 'high', checklist: 'tls', description: 'Plain HTTP answers with a redirect whose first hop is HTTPS on the same host.', fix: 'Redirect http:// to https:// on the same host first (301/308), then anywhere else.' }),
  rule({ id: 'security/hsts', title: 'Strict-Transport-Security', category: 'security', severity: 'medium', checklist: 'security-headers', description: 'HTTPS responses send HSTS with max-age of at least six months.', fix: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains' }),
  rule({ id: 'security/content-security-policy', title: 'Content-Security-Policy', category: 'security', severity: 'medium', checklist: 'security-headers', description: 'HTML pages send a parseable CSP without unsafe script sources.', fix: "Send a Content-Security-Policy, starting from default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'." }),
  rule({ id: 'security/clickjacking', title: 'Framing restricted', category: 'security', severity: 'medium', checklist: 'security-headers', description: 'HTML pages restrict framing (CSP frame-ancestors or X-Frame-Options).', fix: "Send Content-Security-Policy: frame-ancestors 'self' (or X-Frame-Options: DENY)." }),
  rule({ id: 'security/header-hygiene', title: 'Header hygiene', category: 'security', severity: 'low', checklist: 'security-headers', description: 'X-Content-Type-Options, Referrer-Policy, Permissions-Policy and cross-origin policies are valid and safe; absent ones are info only.', fix: 'Send X-Content-Type-Options: nosniff and Referrer-Policy: strict-origin-when-cross-origin.' }),
  rule({ id: 'security/cookie-flags', title: 'Session cookie flags', category: 'security', severity: 'high', checklist: 'security-headers', description: 'Session-like cookies carry Secure, HttpOnly and SameSite.', fix: 'Set session cookies with Secure; HttpOnly; SameSite=Lax.' }),
  rule({ id: 'security/cors-reflection', title: 'CORS does not reflect arbitrary origins', category: 'security', severity: 'critical', checklist: 'security-headers', description: 'An arbitrary Origin is not echoed in Access-Control-Allow-Origin together with credentials.', fix: 'Allow a fixed list of origins; never echo the request Origin with Access-Control-Allow-Credentials: true.' }),
  rule({ id: 'security/version-disclosure', title: 'No version disclosure', category: 'security', severity: 'low', checklist: 'security-headers', description: 'Server, X-Powered-By and similar headers do not announce software versions.', fix: 'Hide versions (nginx: server_tokens off; Express: app.disable("x-powered-by")).' }),
  rule({ id: 'security/exposed-env-file', title: 'No exposed .env', category: 'security', severity: 'critical', checklist: 'secrets', description: 'Environment files are not served.', fix: 'Stop serving dotfiles (deny /\\. in the web server) and rotate every secret the file held.' }),
  rule({ id: 'security/exposed-vcs', title: 'No exposed VCS metadata', category: 'security', severity: 'high', checklist: 'secrets', description: '.git/.svn/.hg metadata is not served.', fix: 'Deny /.git (and other dotfiles) in the web server; deploy build output, not the working tree.' }),
  rule({ id: 'security/exposed-source-maps', title: 'Source maps not public', category: 'security', severity: 'low', checklist: 'secrets', description: 'Production source maps are not served, or at least carry no sourcesContent or secrets.', fix: 'Do not deploy .map files (or upload them to the error tracker only).' }),
  rule({ id: 'security/exposed-config-files', title: 'No exposed config files', category: 'security', severity: 'high', checklist: 'secrets', description: 'Configuration files (compose, npmrc, cloud credentials) are not served.', fix: 'Serve only the build output directory.' }),
  rule({ id: 'security/exposed-backups', title: 'No exposed backups', category: 'security', severity: 'critical', checklist: 'secrets', description: 'Database dumps and archives are not served.', fix: 'Move backups out of the web root into private storage.' }),
  rule({ id: 'security/exposed-debug-endpoints', title: 'No debug endpoints', category: 'security', severity: 'high', description: 'Debug and introspection endpoints (actuator, pprof, phpinfo, server-status) are not public.', fix: 'Disable the endpoint in production or restrict it to an internal network.' }),
  rule({ id: 'security/directory-listing', title: 'No directory listing', category: 'security', severity: 'medium', description: 'Directories do not list their files.', fix: 'Turn off autoindex (nginx autoindex off; Apache Options -Indexes).' }),
  rule({ id: 'operations/frontend-localhost-default', title: 'Frontend does not call localhost', category: 'operations', severity: 'high', checklist: 'env-config', description: 'Shipped scripts do not point at localhost, loopback, private or .local addresses, and carry no dev-server artefacts.', fix: 'Set the API base URL at build time for production (e.g. VITE_API_URL) or use a relative path; never default to localhost.' }),
  rule({ id: 'security/error-stack-leak', title: 'Errors do not leak stack traces', category: 'security', severity: 'medium', checklist: 'error-handling', description: 'Malformed requests do not produce stack traces or framework debug pages.', fix: 'Run in production mode (NODE_ENV=production, DEBUG=False) and return a generic error body.' }),
  rule({ id: 'reliability/health-endpoint', title: 'Health endpoint answers', category: 'reliability', severity: 'medium', checklist: 'health-check', description: 'A health path answers 2xx quickly with a health-like body that is not the catch-all page.', fix: 'Expose GET /healthz returning 200 {"status":"ok"} and point the orchestrator at it.' }),
  rule({ id: 'performance/compression', title: 'Text responses compressed', category: 'performance', severity: 'low', description: 'HTML, JS and CSS over 1 KiB are served with gzip or br when asked.', fix: 'Enable gzip/brotli for text/html, application/javascript and text/css.' }),
  rule({ id: 'performance/asset-caching', title: 'Asset caching', category: 'performance', severity: 'low', description: 'Hashed assets are long-cached (immutable) and HTML is not.', fix: 'Serve hashed assets with Cache-Control: public, max-age=31536000, immutable and HTML with no-cache.' }),
  rule({ id: 'security/auth-rate-limit', title: 'Login is rate limited', category: 'security', severity: 'medium', checklist: 'rate-limiting', description: 'Opt-in (--login-path): repeated failed logins get throttled (429) within the attempt cap.', fix: 'Rate-limit the login route per IP and per account (e.g. 5 attempts/minute) and answer 429.' }),
] as const satisfies readonly RuleMetadata[];

export type ProbeRuleId = (typeof PROBE_RULES)[number]['id'];

export const PROBE_RULE_BY_ID: ReadonlyMap<string, RuleMetadata> = new Map(PROBE_RULES.map((meta) => [meta.id, meta]));

/**
 * Probe rule ids for config validation (`rules: { "security/hsts": "off" }`); probe checks take no options.
 *
 * @example probeKnownRules().ids.includes('security/hsts') // true
 */
export function probeKnownRules(): KnownRules {
  return {
    ids: PROBE_RULES.map((meta) => meta.id),
    validateOptions: (_ruleId, raw) => (raw === undefined ? [] : ['options: probe checks take no options']),
  };
}

/** What a check hands over; becomes a `Finding` through `toFinding`. */
export interface ProbeIssue {
  readonly ruleId: ProbeRuleId;
  readonly messageId: string;
  readonly message: string;
  readonly url: string;
  /** What was sent and what came back, so a reader can verify it with one curl. */
  readonly detail: string;
  readonly severity?: Severity;
  readonly secrets?: readonly string[];
  readonly key?: string;
  readonly fix?: string;
  readonly inconclusive?: boolean;
}

/** Collects issues and which checks actually ran (their silence is a pass). */
export class IssueSink {
  readonly issues: ProbeIssue[] = [];
  readonly applied = new Set<ProbeRuleId>();

  ran(...ids: ProbeRuleId[]): void {
    for (const id of ids) this.applied.add(id);
  }

  report(issue: ProbeIssue): void {
    this.applied.add(issue.ruleId);
    this.issues.push(issue);
  }
}
