// Validators for the CI formats, shared by the reporter tests and the CLI tests: the JUnit XSD through libxml2
// (xmllint-wasm, no native build) and GitLab's Code Quality format through ajv.
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { validateXML } from 'xmllint-wasm';

const JUNIT_XSD = readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8');
const CODE_QUALITY_SCHEMA: unknown = JSON.parse(readFileSync(new URL('./gitlab-code-quality.schema.json', import.meta.url), 'utf8'));

/** Validates `xml` against test/schemas/junit.xsd; `errors` holds libxml2's messages. */
export async function validateJunit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [JUNIT_XSD] });
  return { valid: result.valid, errors: result.errors.map((error) => error.rawMessage) };
}

/** Compiles test/schemas/gitlab-code-quality.schema.json. */
export function compileCodeQualitySchema(): ReturnType<InstanceType<typeof AjvModule.default>['compile']> {
  if (typeof CODE_QUALITY_SCHEMA !== 'object' || CODE_QUALITY_SCHEMA === null) throw new Error('schema is not an object');
  // `oneOf` names `lines` and `positions` as alternatives declared one level up, which strictRequired would refuse.
  return new AjvModule.default({ strict: true, strictRequired: false, allErrors: true }).compile(CODE_QUALITY_SCHEMA);
}
