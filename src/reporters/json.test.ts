import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../core/report.js';
import { renderJson, reportJsonSchemaText } from './json.js';
import { buildFixtureReport, FIXTURE_NOTES, FIXTURE_SECTIONS, kitchenSinkProject } from './report-fixture.js';

const COMMITTED_SCHEMA = new URL('../../docs/report.schema.json', import.meta.url);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCommittedSchema(): unknown {
  return JSON.parse(readFileSync(COMMITTED_SCHEMA, 'utf8'));
}

async function fixtureJson(): Promise<unknown> {
  const report = await buildFixtureReport({
    project: kitchenSinkProject(),
    notes: FIXTURE_NOTES,
    sections: [...FIXTURE_SECTIONS, { id: 'data', title: 'With data', lines: [], data: { ports: [5432] } }],
    suppress: (finding) => (finding.location?.kind === 'file' && finding.location.path === 'src/db.ts' ? 'tuned in infra' : undefined),
    baseline: (finding) => (finding.location === undefined ? 'unchanged' : 'new'),
    attestations: { 'load-testing': { by: 'ops', date: '2026-10-20', evidence: 'k6 at 3x, see wiki' } },
  });
  return JSON.parse(renderJson(report));
}

function compileCommittedSchema(): ReturnType<InstanceType<typeof Ajv2020Module.default>['compile']> {
  // The generated schema declares draft 2020-12, so the 2020 build of ajv validates it.
  const ajv = new Ajv2020Module.default({ strict: true, allErrors: true });
  const schema = readCommittedSchema();
  if (!isRecord(schema)) throw new Error('docs/report.schema.json is not an object');
  return ajv.compile(schema);
}

describe('renderJson', () => {
  it('prints the report model unchanged, pretty-printed, with a trailing newline', async () => {
    const report = await buildFixtureReport({ project: kitchenSinkProject() });
    const out = renderJson(report);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('\n  "schemaVersion": 2,\n');
    expect(reportSchema.parse(JSON.parse(out))).toEqual(report);
    expect(renderJson(report)).toBe(out);
  });

  it('docs/report.schema.json is the schema generated from the zod model (run scripts/write-report-schema.mjs)', () => {
    expect(readFileSync(COMMITTED_SCHEMA, 'utf8')).toBe(reportJsonSchemaText());
  });

  it('a real JSON report validates against the committed schema', async () => {
    const validate = compileCommittedSchema();
    const valid = validate(await fixtureJson());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the committed schema rejects a report with an unknown severity or a missing verdict', async () => {
    const validate = compileCommittedSchema();
    const report = await fixtureJson();
    if (!isRecord(report)) throw new Error('not an object');
    const withoutVerdict = Object.fromEntries(Object.entries(report).filter(([key]) => key !== 'verdict'));
    expect(validate(withoutVerdict)).toBe(false);
    const text = JSON.stringify(report).replace('"severity":"critical"', '"severity":"urgent"');
    expect(text).toContain('"urgent"');
    expect(validate(JSON.parse(text))).toBe(false);
  });
});
