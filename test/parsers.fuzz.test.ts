// Property tests over every parser entry point a repository's content reaches: random and mutated inputs (small
// valid seeds with insertions, deletions, duplications and syntax tokens spliced in) must give a value or notes,
// never an exception, and must finish within a time budget. The seed is fixed so a failure reproduces; fast-check
// prints the shrunk counterexample.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText, validateConfig, type KnownRules } from '../src/core/config.js';
import type { Note } from '../src/core/report.js';
import { findSuppressions } from '../src/core/suppressions.js';
import { ensureParser, parseSql } from '../src/migrations/sql/parse.js';
import { composeServices, serviceDependencies, servicePorts, serviceVolumes } from '../src/project/compose.js';
import { dockerCommand, dockerStages } from '../src/project/dockerfile.js';
import { mapEntries, parseDockerfile, parseEnvFile, parseMarkdown, parseYamlFile } from '../src/project/documents.js';
import { estimateNesting } from '../src/project/nesting.js';
import { parseNginx } from '../src/project/nginx.js';
import { parseManifest } from '../src/project/packages.js';
import { scan } from '../src/scan.js';
import { makeTree } from './helpers.js';

const SEED = 20261207;
const RUNS = 300;
/** A hang guard, not a speed target: each case is small (a few KiB), so anything near this is a runaway. */
const CASE_BUDGET_MS = 2_000;

/** Tokens that matter to one syntax or another, spliced into seeds to reach the parsers' edge cases. */
const TOKENS = ['{', '}', '[', ']', '(', ')', ':', ': ', '- ', '&a ', '*a', '<<: *a', '!!binary ', '|', '>-', '"', "'", '`', '${', '\\', '\n', '\r\n', '\t', '#', '--', '/*', '*/', ';', ',', '=', '\0', '\uFFFD', '\uFEFF', '\u2028', '𝒳', '%YAML 1.2\n---\n', '...', 'FROM ', 'RUN ', '\\\n', 'export ', '```', '<!--', 'shipready-ignore x -- y', '$$', 'E\'', 'BEGIN;', 'DO $$', '\u00e9', '\udc00', '9'.repeat(400)];

type Mutation = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number } | { kind: 'duplicate'; at: number; length: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 12 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 50 }) }),
);

function mutate(seed: string, mutations: readonly Mutation[]): string {
  let text = seed;
  for (const change of mutations) {
    const at = text.length === 0 ? 0 : change.at % (text.length + 1);
    if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at);
    else if (change.kind === 'delete') text = text.slice(0, at) + text.slice(at + change.length);
    else text = text.slice(0, at) + text.slice(at, at + change.length).repeat(change.times) + text.slice(at + change.length);
  }
  return text;
}

/** Half random text of every kind, half valid seeds bent out of shape. */
function inputs(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({ unit: fc.constantFrom(...TOKENS, 'a', ' ', '1'), maxLength: 200 }),
    fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([seed, mutations]) => mutate(seed, mutations)),
  );
}

/** Runs `parse` on each generated input: it must not throw (a Result or notes carry failures) and must not hang. */
function fuzz(name: string, seeds: readonly string[], parse: (text: string) => void): void {
  it(`${name}: no exception, no hang`, () => {
    fc.assert(
      fc.property(inputs(seeds), (text) => {
        const started = performance.now();
        parse(text);
        const elapsed = performance.now() - started;
        if (elapsed > CASE_BUDGET_MS) throw new Error(`${name} took ${Math.round(elapsed)} ms on ${JSON.stringify(text.slice(0, 200))}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
}

const COMPOSE = `services:
  api:
    build: { context: ., dockerfile: Dockerfile, target: prod }
    ports: ["127.0.0.1:3000:3000", "8000-8002:8000-8002/udp", { target: 80, published: 8080 }]
    environment: { NODE_ENV: production, DATABASE_URL: "postgres://u:p@db/app" }
    depends_on: { db: { condition: service_healthy } }
    volumes: [ "./data:/var/lib/data", { type: tmpfs, target: /tmp } ]
  db: &db
    image: postgres:16
    volumes: [pgdata:/var/lib/postgresql/data]
  replica:
    <<: *db
volumes: { pgdata: {} }
`;
const WORKFLOW = `on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    services: { postgres: { image: "postgres:15" } }
    steps:
      - uses: actions/checkout@v4
      - run: |
          npm ci
          npm test
        env: { NODE_ENV: test, SECRET_KEY: abc }
`;
const DOCKERFILE = 'FROM node:20-alpine AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci \\\n  && npm run build\nFROM node:20-alpine\nUSER node\nHEALTHCHECK CMD wget -q localhost:3000/healthz\nCMD ["node", "dist/index.js"]\n';
const ENV = 'PORT=3000\nexport DATABASE_URL="postgres://u:p@db:5432/app"\nSECRET=\'x y\' # comment\nEMPTY=\n';
const MANIFEST = JSON.stringify({ name: 'api', private: true, workspaces: ['apps/*'], scripts: { start: 'node dist/index.js', test: 'vitest' }, dependencies: { express: '4.21.0' }, engines: { node: '>=20' } }, null, 2);
const CONFIG_YAML = 'rules:\n  security/secret-committed: off\n  reliability/health-endpoint: { severity: low, options: { paths: [/ping] } }\nignore: ["fixtures/**"]\nfailOn: medium\nmaxFileSize: 2MiB\nattest:\n  load-testing: { by: ana, date: 2026-10-01, evidence: k6 }\n';
const SQL = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nALTER TABLE users ADD COLUMN age int DEFAULT 0;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nDO $$ BEGIN EXECUTE 'ALTER TABLE t ADD c int'; END $$;\nINSERT INTO users VALUES (1, E'a\\\\b');\n-- squawk-ignore ban-drop-column\n";
const MARKDOWN = '# Runbook\n\n## Rollback\n\n```sh\nkubectl rollout undo\n```\n\n<!-- shipready-ignore team/adr -- none -->\n### Backups {#backups}\n';
const NGINX = 'server {\n  listen 443 ssl;\n  server_name example.com;\n  location / { proxy_pass http://app:3000; limit_req zone=api burst=20; }\n}\n';
const SOURCE = "import express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => { res.json(await fetch(`${base}/y`, { signal })); }); // shipready-ignore a -- b\nconst re = /[(]/g; const s = \"((\";\n";

const known: KnownRules = { ids: ['security/secret-committed', 'reliability/health-endpoint'], validateOptions: () => [] };

describe('parsers under random and mutated input', () => {
  beforeAll(async () => {
    await ensureParser();
  });

  fuzz('YAML compose files (parseYamlFile + compose views)', [COMPOSE, WORKFLOW], (text) => {
    const notes: Note[] = [];
    const file = parseYamlFile('docker-compose.yml', text, notes);
    if (file === undefined) {
      expect(notes.length).toBeGreaterThan(0);
      return;
    }
    for (const service of composeServices(file)) {
      servicePorts(service);
      serviceVolumes(service);
      serviceDependencies(service);
    }
    mapEntries(file.document.contents);
  });

  fuzz('Dockerfiles (parseDockerfile + stages and commands)', [DOCKERFILE], (text) => {
    const { dockerfile } = parseDockerfile('Dockerfile', text);
    for (const stage of dockerStages(dockerfile)) for (const instruction of stage.instructions) if (['CMD', 'ENTRYPOINT', 'RUN'].includes(instruction.getKeyword())) dockerCommand(instruction);
  });

  fuzz('env files (parseEnvFile)', [ENV], (text) => {
    parseEnvFile('.env', text);
  });

  fuzz('package.json (parseManifest)', [MANIFEST], (text) => {
    const notes: Note[] = [];
    const manifest = parseManifest(text, 'package.json', notes);
    if (manifest === undefined) expect(notes.length).toBeGreaterThan(0);
  });

  fuzz('config files (parseConfigText + validateConfig)', [CONFIG_YAML, JSON.stringify({ rules: { 'security/secret-committed': 'off' }, failOn: 'low' })], (text) => {
    for (const file of ['shipready.config.yaml', 'shipready.config.json']) {
      const raw = parseConfigText(text, file);
      if (raw.ok) validateConfig(raw.value ?? {}, file, known);
      else expect(raw.error.code).toBe('CONFIG_INVALID');
    }
  });

  fuzz('SQL migrations (parseSql)', [SQL], (text) => {
    const parsed = parseSql({ path: 'migrations/001.sql', text, start: 0, end: text.length });
    // Whatever the input, statements are located inside the file (reports point at these offsets).
    for (const statement of parsed.statements) expect(statement.start >= 0 && statement.start <= statement.end && statement.end <= text.length).toBe(true);
  });

  fuzz('Markdown (parseMarkdown + suppressions)', [MARKDOWN], (text) => {
    parseMarkdown('docs/RUNBOOK.md', text);
    findSuppressions('docs/RUNBOOK.md', text);
  });

  fuzz('nginx configuration (parseNginx)', [NGINX], (text) => {
    parseNginx('nginx.conf', text);
  });

  fuzz('source pre-checks (estimateNesting + suppressions)', [SOURCE], (text) => {
    estimateNesting(text);
    findSuppressions('src/app.ts', text);
  });

  // Every rule over a whole repository of mutated files: rules meet the parsers' output in shapes no fixture has.
  it('a whole scan of mutated files: every rule returns findings or notes, never an exception', async () => {
    // The config stays valid (config fuzzing is above): a broken one would end the scan before any rule ran.
    const files = { 'package.json': MANIFEST, 'src/app.ts': SOURCE, 'src/server.js': SOURCE, 'docker-compose.yml': COMPOSE, '.github/workflows/ci.yml': WORKFLOW, Dockerfile: DOCKERFILE, '.env': ENV, 'migrations/001_init.sql': SQL, 'docs/RUNBOOK.md': MARKDOWN, 'nginx.conf': NGINX };
    const tree = fc.record(Object.fromEntries(Object.entries(files).map(([name, seed]) => [name, fc.array(mutation, { maxLength: 6 }).map((mutations) => mutate(seed, mutations))])));
    await fc.assert(
      fc.asyncProperty(tree, async (contents) => {
        const written = makeTree(contents);
        try {
          const started = performance.now();
          const result = await scan(written.dir, { now: new Date('2026-12-01T00:00:00Z') });
          expect(result.ok).toBe(true);
          // The rules ran: a repository this incomplete always has findings.
          expect(result.ok && result.value.findings.length > 0).toBe(true);
          const elapsed = performance.now() - started;
          if (elapsed > 10 * CASE_BUDGET_MS) throw new Error(`scan took ${Math.round(elapsed)} ms`);
        } finally {
          written.cleanup();
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  }, 60_000);
});
