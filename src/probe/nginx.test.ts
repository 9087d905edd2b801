/**
 * Soft-404 and header tests against a real nginx serving an SPA with a catch-all. Runs only when
 * `.ci/nginx.sh start` has exported SHIPREADY_TEST_NGINX_URL (as `.ci/run` does).
 */
import { describe, expect, it } from 'vitest';
import { runProbe } from './index.js';

const url = process.env['SHIPREADY_TEST_NGINX_URL'];

describe.runIf(url !== undefined && url !== '')('probe against nginx (SPA catch-all)', () => {
  it('classifies the catch-all as soft-404 and reports no exposure', async () => {
    const run = await runProbe([url ?? ''], { version: '0.0.0-test', ratePerSecond: Number.POSITIVE_INFINITY });
    if (!run.ok) throw new Error(run.error.message);
    const { report } = run.value;
    expect(report.sections[1]?.lines[0]).toContain('server class soft-404');
    expect(report.findings.filter((finding) => finding.ruleId.startsWith('security/exposed-') || finding.ruleId === 'security/directory-listing')).toEqual([]);
    expect(report.findings.filter((finding) => finding.ruleId === 'reliability/health-endpoint').map((finding) => finding.messageId)).toEqual(['notFound']);
  });

  it('grades the headers nginx sends', async () => {
    const run = await runProbe([url ?? ''], { version: '0.0.0-test', ratePerSecond: Number.POSITIVE_INFINITY });
    if (!run.ok) throw new Error(run.error.message);
    const { report } = run.value;
    const byRule = (id: string): string[] => report.findings.filter((finding) => finding.ruleId === id).map((finding) => finding.messageId);
    expect(byRule('security/content-security-policy')).toEqual(['missing']);
    expect(byRule('security/clickjacking')).toEqual(['missing']);
    // nosniff and Referrer-Policy are set in .ci/nginx.sh; only Permissions-Policy is missing (info).
    expect(byRule('security/header-hygiene')).toEqual(['missing']);
    // Debian's nginx sends "Server: nginx/1.x" unless server_tokens is off.
    expect(byRule('security/version-disclosure')).toEqual(['header']);
    expect(byRule('performance/asset-caching')).toEqual([]);
    const grade = report.sections[0]?.data;
    expect(Array.isArray(grade) ? grade.length : 0).toBe(1);
  });
});
