import { describe, expect, it } from 'vitest';
import { assignFingerprints, toFinding } from './engine.js';
import type { ChecklistId } from './checklist.js';
import type { RuleMeta } from './report.js';
import type { RuleMetadata } from './rule.js';
import { acceptAsBaseline, buildReport, score } from './verdict.js';

const HEALTH: RuleMetadata = { id: 'reliability/health-endpoint', title: 't', description: 'd', category: 'reliability', severity: 'high', checklist: 'health-check', docs: 'd.md', fix: 'f' };
const SECRET: RuleMetadata = { id: 'security/secret-committed', title: 't', description: 'd', category: 'security', severity: 'critical', checklist: 'secrets', docs: 'd.md', fix: 'f' };
const asMeta = (rule: RuleMetadata): RuleMeta => ({ id: rule.id, title: rule.title, description: rule.description, category: rule.category, severity: rule.severity, ...(rule.checklist === undefined ? {} : { checklist: rule.checklist }), docsUrl: rule.docs });
const sources = { text: () => undefined };
const secretFindings = (count: number) =>
  assignFingerprints(Array.from({ length: count }, (_, index) => toFinding(SECRET, { messageId: 'm', message: `s${index}`, location: { path: `f${index}.ts`, line: 1 } }, sources, '')));

const DOCKER_ROOT: RuleMetadata = { id: 'security/docker-root-user', title: 't', description: 'd', category: 'security', severity: 'medium', docs: 'd.md', fix: 'f' };
const findingsOf = (rule: RuleMetadata, count: number, severity?: RuleMetadata['severity']) =>
  assignFingerprints(Array.from({ length: count }, (_, index) => toFinding(rule, { messageId: 'm', message: `${rule.id}${index}`, location: { path: `f${index}.ts`, line: 1 }, ...(severity === undefined ? {} : { severity }) }, sources, '')));
const entries = (statuses: Record<string, 'pass' | 'fail' | 'unknown'>) => Object.entries(statuses).map(([id, status]) => ({ id, status }));

describe('score', () => {
  it('is 100 with nothing judged and nothing found', () => {
    expect(score([], [])).toBe(100);
  });

  it('is the standing share of the judged checklist items, a failing item keeping credit by its worst finding', () => {
    const checklist = entries({ 'health-check': 'fail', secrets: 'pass', csrf: 'pass', 'load-testing': 'unknown' });
    // (0.25 + 1 + 1) / 3 judged items; the unknown item is left out.
    expect(score(findingsOf(HEALTH, 1), checklist)).toBe(75);
    expect(score(findingsOf(HEALTH, 30), checklist)).toBe(75);
    expect(score(findingsOf(HEALTH, 1, 'low'), checklist)).toBe(92);
  });

  it('subtracts rules outside the checklist with halving repeats, and caps a critical at 40', () => {
    const checklist = entries({ secrets: 'pass' });
    expect(score(findingsOf(DOCKER_ROOT, 1), checklist)).toBe(97);
    expect(score(findingsOf(DOCKER_ROOT, 50), checklist)).toBe(94);
    expect(score(secretFindings(1), entries({ secrets: 'fail', csrf: 'pass', 'health-check': 'pass', 'error-handling': 'pass' }))).toBe(40);
  });

  it('puts a product with a few real gaps far above a prototype that fails most items', () => {
    const ids: ChecklistId[] = ['error-handling', 'health-check', 'graceful-shutdown', 'migration-strategy', 'input-validation', 'rate-limiting', 'csrf', 'security-headers', 'secrets', 'dependency-audit', 'structured-logging', 'monitoring', 'env-config', 'ci-cd', 'rollback-plan', 'architecture-decisions', 'local-setup'];
    const product = score(findingsOf(HEALTH, 1, 'low'), ids.map((id) => ({ id, status: id === 'health-check' ? ('fail' as const) : ('pass' as const) })));
    const prototypeFindings = ids.slice(0, 13).flatMap((id) => findingsOf({ ...HEALTH, id: `rule/${id}`, checklist: id }, 3));
    const prototype = score(prototypeFindings, ids.map((id, index) => ({ id, status: index < 13 ? ('fail' as const) : ('pass' as const) })));
    expect(product).toBeGreaterThanOrEqual(95);
    expect(prototype).toBeLessThanOrEqual(45);
  });
});

describe('buildReport', () => {
  const base = { command: 'scan', target: '.', version: '0', rules: [asMeta(HEALTH), asMeta(SECRET)], now: new Date('2026-11-23T00:00:00Z'), failOn: 'high' as const };

  it('passes an item whose applied rule found nothing, fails one with findings, and leaves the rest unknown', () => {
    const report = buildReport({ ...base, findings: secretFindings(1), applied: new Set([HEALTH.id, SECRET.id]) });
    const status = Object.fromEntries(report.checklist.map((entry) => [entry.id, entry.status]));
    expect(status['health-check']).toBe('pass');
    expect(status.secrets).toBe('fail');
    expect(status['load-testing']).toBe('unknown');
    expect(report.verdict.label).toBe('not-ready');
    expect(report.verdict.failed).toBe(true);
  });

  it('honours a fresh attestation and expires an old one with a note', () => {
    const report = buildReport({
      ...base,
      findings: [],
      applied: new Set(),
      attestations: {
        'load-testing': { by: 'ana', date: '2026-10-01', evidence: 'k6' },
        'backup-restore': { by: 'bo', date: '2026-01-05', evidence: 'drill' },
        'rollback-plan': { by: 'cy', date: '2099-01-01', evidence: 'typo in the year' },
      },
    });
    const entries = Object.fromEntries(report.checklist.map((entry) => [entry.id, entry]));
    expect(entries['load-testing']?.status).toBe('attested');
    expect(entries['backup-restore']?.status).toBe('unknown');
    expect(entries['rollback-plan']?.status).toBe('unknown');
    expect(report.notes.some((note) => note.kind === 'attestation')).toBe(true);
  });

  it('says there is nothing to audit, with no score and never READY, when told so', () => {
    const report = buildReport({ ...base, findings: [], applied: new Set(), nothingToAudit: 'no web application here' });
    expect(report.verdict.label).toBe('nothing-to-audit');
    expect(report.verdict.score).toBeNull();
    expect(report.verdict.failed).toBe(false);
  });

  it('does not fail the run for findings accepted into the baseline', () => {
    const report = buildReport({ ...base, findings: secretFindings(1), applied: new Set([SECRET.id]) });
    expect(acceptAsBaseline(report).verdict.failed).toBe(false);
  });
});
