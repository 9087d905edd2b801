import { readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { buildFixtureReport, kitchenSinkProject, kitchenSinkReport } from './report-fixture.js';
import { FINGERPRINT_KEY, renderSarif, toSarif, type SarifResult } from './sarif.js';

/** Vendored from ../shared/schemas so CI clones validate without the shared checkout. */
const SARIF_SCHEMA = new URL('../../test/schemas/sarif-schema-2.1.0.json', import.meta.url);

function loadSchema(): Record<string, unknown> {
  const schema: unknown = JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8'));
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error('SARIF schema is not an object');
  return Object.fromEntries(Object.entries(schema));
}

function compileSarifSchema(): ReturnType<InstanceType<typeof AjvDraft04Module.default>['compile']> {
  const schema = loadSchema();
  // The SARIF schema declares draft-04, which ajv 8 only supports through its ajv-draft-04 build.
  expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  // `format` (uri, date-time) is not checked: ajv-formats would be a dependency for no gain here.
  const ajv = new AjvDraft04Module.default({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile(schema);
}

const kitchenSink = kitchenSinkReport;

function resultFor(report: Report, predicate: (result: SarifResult) => boolean): SarifResult {
  const result = toSarif(report).runs[0]?.results.find(predicate);
  if (result === undefined) throw new Error('no such result');
  return result;
}

describe('renderSarif', () => {
  it('validates against the SARIF 2.1.0 schema with suppressed, baseline, URL and location-less findings', async () => {
    const report = await kitchenSink();
    const validate = compileSarifSchema();
    const log: unknown = JSON.parse(renderSarif(report));
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const results = toSarif(report).runs[0]?.results ?? [];
    expect(results.some((result) => result.suppressions !== undefined)).toBe(true);
    expect(results.some((result) => result.baselineState === 'unchanged')).toBe(true);
    expect(results.some((result) => result.locations?.[0]?.physicalLocation.artifactLocation.uriBaseId === undefined && result.locations !== undefined)).toBe(true);
    expect(results.some((result) => result.locations === undefined)).toBe(true);
  });

  it('the schema check can fail: an invalid level is rejected', async () => {
    const validate = compileSarifSchema();
    const text = renderSarif(await kitchenSink()).replace('"level": "error"', '"level": "fatal"');
    expect(text).toContain('"fatal"');
    expect(validate(JSON.parse(text))).toBe(false);
  });

  it('is deterministic', async () => {
    const report = await kitchenSink();
    expect(renderSarif(report)).toBe(renderSarif(report));
  });

  it('describes every rule with metadata, help and GitHub security severity for security rules', async () => {
    const report = await kitchenSink();
    const rules = toSarif(report).runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toEqual(report.rules.map((rule) => rule.id));
    const secret = rules.find((rule) => rule.id === 'security/test-secret');
    expect(secret?.name).toBe('TestSecret');
    expect(secret?.helpUri).toBe('https://github.com/shipready/shipready/blob/main/docs/rules/security/test-secret.md');
    expect(secret?.defaultConfiguration.level).toBe('error');
    expect(secret?.properties).toEqual({ tags: ['security', 'shipready'], precision: 'high', 'security-severity': '9.5' });
    const team = rules.find((rule) => rule.id === 'team/test-setup');
    expect(team?.defaultConfiguration.level).toBe('note');
    expect(team?.properties['security-severity']).toBeUndefined();
  });

  it('maps each finding to a result with rule index, level, region and partial fingerprint', async () => {
    const report = await kitchenSink();
    const log = toSarif(report);
    const run = log.runs[0];
    expect(run?.results).toHaveLength(report.findings.length);
    for (const [index, result] of (run?.results ?? []).entries()) {
      const finding = report.findings[index];
      expect(run?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toBe(finding?.fingerprint);
    }
    const stripe = resultFor(report, (result) => result.locations?.[0]?.physicalLocation.region?.startLine === 2);
    expect(stripe.level).toBe('error');
    expect(stripe.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'config/keys.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 23, endColumn: 55 },
    });
    expect(stripe.properties).toEqual({ severity: 'critical', category: 'security', checklist: 'secrets' });
  });

  it('percent-encodes paths, marks suppressions and baseline state, and leaves URL findings without a base', async () => {
    const report = await kitchenSink();
    const odd = resultFor(report, (result) => result.locations?.[0]?.physicalLocation.artifactLocation.uri.startsWith('src/server') === true);
    expect(odd.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe('src/server%2C%20main%3A1.ts');
    const suppressed = resultFor(report, (result) => result.suppressions !== undefined);
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', justification: 'pool is tuned in infra' }]);
    expect(suppressed.locations?.[0]?.physicalLocation.region).toEqual({ startLine: 1, endLine: 4 });
    const url = resultFor(report, (result) => result.locations?.[0]?.physicalLocation.artifactLocation.uri.startsWith('https://') === true);
    expect(url.locations?.[0]?.physicalLocation.artifactLocation).toEqual({ uri: 'https://admin:hu••••@app.example.com/health?token=abc••••' });
    expect(url.properties.inconclusive).toBe(true);
    const nowhere = resultFor(report, (result) => result.locations === undefined);
    expect(nowhere.baselineState).toBe('unchanged');
    expect(nowhere.level).toBe('note');
    const wholeFile = resultFor(report, (result) => result.locations?.[0]?.physicalLocation.artifactLocation.uri === 'README.md');
    expect(wholeFile.locations?.[0]?.physicalLocation.region).toBeUndefined();
  });

  it('omits baselineState when no baseline was given', async () => {
    const report = await buildFixtureReport({ project: kitchenSinkProject() });
    expect(toSarif(report).runs[0]?.results.every((result) => result.baselineState === undefined)).toBe(true);
  });

  it('adds a descriptor for a finding whose rule is not in report.rules, so ruleIndex stays valid', async () => {
    const report = await kitchenSink();
    const trimmed: Report = { ...report, rules: report.rules.filter((rule) => rule.id !== 'team/test-setup') };
    const run = toSarif(trimmed).runs[0];
    const result = run?.results.find((entry) => entry.ruleId === 'team/test-setup');
    expect(result).toBeDefined();
    expect(run?.tool.driver.rules[result?.ruleIndex ?? -1]?.id).toBe('team/test-setup');
    expect(compileSarifSchema()(JSON.parse(renderSarif(trimmed)))).toBe(true);
  });
});
