import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAtLeast } from '../core/severity.js';
import { scan } from '../scan.js';
import { applicationRules } from './application-rules.js';

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** Rules of this registry that the prototype example is meant to trigger (every one that applies to it). */
const PROTOTYPE_TRIGGERS: readonly string[] = ['reliability/graceful-shutdown', 'security/input-validation', 'reliability/error-handler', 'security/rate-limit', 'security/security-headers', 'security/sql-injection', 'security/hardcoded-credential', 'operations/frontend-localhost-default', 'security/cors-credentials', 'security/csrf', 'operations/structured-logging', 'operations/correlation-id', 'operations/env-documented', 'operations/env-validated', 'reliability/process-error-handlers', 'reliability/outbound-timeout', 'reliability/strict-null-checks', 'operations/error-tracking', 'performance/n-plus-one', 'data/seed-not-idempotent'];

// The precision guard: a well-run app must give no medium+ finding, the prototype must give the ones it was built to show.
describe('application rules on the examples', () => {
  it('report nothing at medium or above on examples/production-app', async () => {
    const result = await scan(example('production-app'), { rules: applicationRules });
    if (!result.ok) throw new Error(result.error.message);
    const serious = result.value.findings.filter((finding) => isAtLeast(finding.severity, 'medium'));
    expect(serious.map((finding) => `${finding.ruleId} ${finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line ?? ''}` : ''}`)).toEqual([]);
  });

  it('trigger their rules on examples/prototype-app', async () => {
    const result = await scan(example('prototype-app'), { rules: applicationRules });
    if (!result.ok) throw new Error(result.error.message);
    const fired = new Set(result.value.findings.map((finding) => finding.ruleId));
    expect(PROTOTYPE_TRIGGERS.filter((id) => !fired.has(id))).toEqual([]);
  });
});
