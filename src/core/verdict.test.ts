import { describe, expect, it } from 'vitest';
import { assignFingerprints, toFinding } from './engine.js';
import type { RuleMeta } from './report.js';
import type { RuleMetadata } from './rule.js';
import { acceptAsBaseline, buildReport, score } from './verdict.js';

const HEALTH: RuleMetadata = { id: 'reliability/health-endpoint', title: 't', description: 'd', category: 'reliability', severity: 'high', checklist: 'health-check', docs: 'd.md', fix: 'f' };
const SECRET: RuleMetadata = { id: 'security/secret-committed', title: 't', description: 'd', category: 'security', severity: 'critical', checklist: 'secrets', docs: 'd.md', fix: 'f' };
const asMeta = (rule: RuleMetadata): RuleMeta => ({ id: rule.id, title: rule.title, description: rule.description, category: rule.category, severity: rule.severity, ...(rule.checklist === undefined ? {} : { checklist: rule.checklist }), docsUrl: rule.docs });
const sources = { text: () => undefined };
const secretFindings = (count: number) =>
  assignFingerprints(Array.from({ length: count }, (_, index) => toFinding(SECRET, { messageId: 'm', message: `s${index}`, location: { path: `f${index}.ts`, line: 1 } }, sources, '')));

describe('score', () => {
  it('is 100 with no findings and halves the cost of each repeat of one rule', () => {
    expect(score([])).toBe(100);
    expect(score(secretFindings(1))).toBe(75);
    expect(score(secretFindings(2))).toBe(63);
    expect(score(secretFindings(50))).toBe(50);
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

  it('does not fail the run for findings accepted into the baseline', () => {
    const report = buildReport({ ...base, findings: secretFindings(1), applied: new Set([SECRET.id]) });
    expect(acceptAsBaseline(report).verdict.failed).toBe(false);
  });
});
