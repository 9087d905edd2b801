import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf } from './fixture-harness.js';
import structuredLogging from './operations/structured-logging.js';
import errorHandler from './reliability/error-handler.js';
import healthEndpoint from './reliability/health-endpoint.js';
import processErrorHandlers from './reliability/process-error-handlers.js';
import corsCredentials from './security/cors-credentials.js';
import rateLimit from './security/rate-limit.js';
import securityHeaders from './security/security-headers.js';

const fixture = (category: string, rule: string, name: string): string => fileURLToPath(new URL(`./${category}/fixtures/${rule}/${name}`, import.meta.url));
const severities = async (...args: Parameters<typeof severitiesOf>): Promise<string[]> => (await severitiesOf(...args)).map((finding) => finding.severity);

/** The same gap weighs differently by context: each pair is the low case and the case that keeps the rule's severity. */
describe('severity by context', () => {
  it('error-handler: a framework whose default handler answers a bare 500 and logs is low; Express is high', async () => {
    expect(await severities(errorHandler, fixture('reliability', 'error-handler', 'ng.fastify-no-error-handler'))).toEqual(['low']);
    expect(await severities(errorHandler, fixture('reliability', 'error-handler', 'ng.express-no-error-middleware'))).toEqual(['high']);
  });

  it('process-error-handlers: without a logger or tracker to report to it is low; with pino it is medium', async () => {
    expect(await severities(processErrorHandlers, fixture('reliability', 'process-error-handlers', 'ng.express-none'))).toEqual(['low']);
    expect(await severities(processErrorHandlers, fixture('reliability', 'process-error-handlers', 'ng.pino-without-handlers'))).toEqual(['medium']);
  });

  it('health-endpoint: a Next app a serverless platform runs is low; a self-hosted server is high', async () => {
    expect(await severities(healthEndpoint, fixture('reliability', 'health-endpoint', 'ng.next-on-serverless-platform'))).toEqual(['low']);
    expect(await severities(healthEndpoint, fixture('reliability', 'health-endpoint', 'ng.express-no-health'))).toEqual(['high']);
  });

  it('rate-limit: an API of GET routes (webhooks aside) is low; one with write routes is high', async () => {
    expect(await severities(rateLimit, fixture('security', 'rate-limit', 'ng.get-only-api'))).toEqual(['low']);
    expect(await severities(rateLimit, fixture('security', 'rate-limit', 'ng.limiter-defined-never-called'))).toEqual(['high']);
  });

  it('security-headers: a CSP switched off on a JSON API is low, on rendered pages medium; a sign-in-less serverless site is low', async () => {
    expect(await severities(securityHeaders, fixture('security', 'security-headers', 'ng.csp-disabled'))).toEqual(['low']);
    expect(await severities(securityHeaders, fixture('security', 'security-headers', 'ng.csp-disabled-on-rendered-pages'))).toEqual(['medium']);
    expect(await severities(securityHeaders, fixture('security', 'security-headers', 'ng.next-no-headers'))).toEqual(['low']);
    expect(await severities(securityHeaders, fixture('security', 'security-headers', 'ng.express-no-headers'))).toEqual(['medium']);
  });

  it('cors-credentials: a reflected origin behind SameSite=strict cookies only is low', async () => {
    expect(await severities(corsCredentials, fixture('security', 'cors-credentials', 'ng.reflected-with-strict-cookies'))).toEqual(['low']);
    expect(await severities(corsCredentials, fixture('security', 'cors-credentials', 'ng.express-origin-true'))).toEqual(['high']);
  });

  it('structured-logging: up to three console calls, each lint-suppressed, is low; more keeps medium', async () => {
    expect(await severities(structuredLogging, fixture('operations', 'structured-logging', 'ng.lint-sanctioned-console'))).toEqual(['low']);
    expect(await severities(structuredLogging, fixture('operations', 'structured-logging', 'ng.many-suppressed-console'))).toEqual(['medium']);
    expect(await severities(structuredLogging, fixture('operations', 'structured-logging', 'ng.express-console-only'))).toEqual(['medium']);
  });
});
