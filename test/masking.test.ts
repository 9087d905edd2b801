import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema, type Finding } from '../src/core/report.js';
import { makeTree, parseJson, runBin } from './helpers.js';

/**
 * Secrets of every awkward shape, planted where the scan reports them (or on a line its code frame shows),
 * then looked for in every output the CLI can write. A value counts as leaked if it appears whole, or if any
 * 8 characters of it do: masking keeps at most the first 4.
 */
interface Shape {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** The secret as it is written in the file. */
  readonly value: string;
  /** Other spellings that must not appear either (decoded, unescaped). */
  readonly also?: readonly string[];
}

const PEM_BODY = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8sQ3v9Lk2Xp7Rw4TtY',
];
const JWT = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify({ sub: 'svc-billing', scope: 'admin'.repeat(40), iat: 1700000000 })).toString('base64url')}.Zq8vN3kP2xL7wR4tYb6Hc1Jd9Mf5Gs0Ka3LxQm8vT2k`;

/** One env file per shape: env-file-committed reports its first real entry, so each value is on a reported line. */
const ENV_SHAPES: ReadonlyArray<{ name: string; key: string; written: string; value: string; also?: string[] }> = [
  { name: 'a password with #', key: 'DB_PASSWORD', written: 'p#ss#word9Xk2', value: 'p#ss#word9Xk2' },
  { name: 'a password with $', key: 'REDIS_PASSWORD', written: 'pa$$w0rd$Zq8vN', value: 'pa$$w0rd$Zq8vN' },
  { name: "a password with '", key: 'PG_PASSWORD', written: `"it'sMyPa55'word"`, value: "it'sMyPa55'word" },
  { name: 'a password with "', key: 'SMTP_PASSWORD', written: `'say"Pa55"word7x'`, value: 'say"Pa55"word7x' },
  { name: 'a password with spaces', key: 'ADMIN_PASSWORD', written: '"correct horse battery 9"', value: 'correct horse battery 9' },
  { name: 'a password with \\', key: 'LDAP_PASSWORD', written: "'back\\slash\\Pa55w'", value: 'back\\slash\\Pa55w' },
  { name: 'a password with @', key: 'MAIL_PASSWORD', written: 'm@il@Pa55w0rd', value: 'm@il@Pa55w0rd' },
  { name: 'a unicode password', key: 'SESSION_SECRET', written: '"pässwörd✓Zq8v9"', value: 'pässwörd✓Zq8v9' },
  { name: 'a base64 blob', key: 'ENCRYPTION_KEY', written: 'p5e5k2j3+HIErjm02dzSrlhXc1xhdgoWvC6pox410rE=', value: 'p5e5k2j3+HIErjm02dzSrlhXc1xhdgoWvC6pox410rE=' },
  { name: 'an env value with = inside', key: 'COOKIE_SECRET', written: 'a1B2=c3D4=e5F6=g7H8', value: 'a1B2=c3D4=e5F6=g7H8' },
];

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'api', dependencies: { express: '5.1.0', 'express-session': '1.18.0' }, scripts: { start: 'node src/server.js' } }),
  'deploy/key.pem': ['-----BEGIN RSA PRIVATE KEY-----', ...PEM_BODY, '-----END RSA PRIVATE KEY-----', ''].join('\n'),
  'src/config.ts': `export const ACCESS_TOKEN = '${JWT}';\n`,
  'src/server.js': "const session = require('express-session');\nmodule.exports = session({ secret: 'p#ss w$rd \"q\" \\\\ ü-9', resave: false });\n",
  // The URLs sit on the line after a reported entry: the code frame shows them, nothing reports them.
  'ops/.env': [
    'DATABASE_URL=postgres://app:Zq8v%23N3kP%40x9@db.prod.example.net/app',
    'REGISTRY_URL=https://deploy:Hk3mQ9xL2vN7pR4t@registry.example.com/v2',
    '',
  ].join('\n'),
  'hooks/.env': ['API_SECRET=Xk9vLm3QpT7wZb4NcY2Rk9vL', 'WEBHOOK_URL=https://hooks.example.com/notify?token=Qm8vT2kxN3pYc0Rw&channel=ops', ''].join('\n'),
  'config/secrets.json': '{\n  "apiSecret": "Zq8v\\"N3kP\\\\x9L7wR4t#"\n}\n',
};
ENV_SHAPES.forEach((shape, index) => {
  FILES[`env/${String(index).padStart(2, '0')}/.env`] = `NODE_ENV=production\n${shape.key}=${shape.written}\n`;
});

const SHAPES: readonly Shape[] = [
  ...ENV_SHAPES.map((shape, index) => ({ name: shape.name, file: `env/${String(index).padStart(2, '0')}/.env`, line: 2, value: shape.value })),
  { name: 'a %-encoded connection-string password', file: 'ops/.env', line: 1, value: 'Zq8v%23N3kP%40x9', also: ['Zq8v#N3kP@x9'] },
  { name: 'a URL with credentials in userinfo', file: 'ops/.env', line: 2, value: 'Hk3mQ9xL2vN7pR4t' },
  { name: 'a URL with a token in its query string', file: 'hooks/.env', line: 2, value: 'Qm8vT2kxN3pYc0Rw' },
  { name: 'a JWT', file: 'src/config.ts', line: 1, value: JWT },
  { name: 'a multi-line PEM body', file: 'deploy/key.pem', line: 1, value: PEM_BODY.join('\n'), also: [...PEM_BODY, '-----END RSA'] },
  { name: 'a JSON-escaped value', file: 'config/secrets.json', line: 2, value: 'Zq8v\\"N3kP\\\\x9L7wR4t#', also: ['Zq8v"N3kP\\x9L7wR4t#'] },
  { name: 'a session secret with quotes, spaces, $ and unicode', file: 'src/server.js', line: 2, value: 'p#ss w$rd "q" \\\\ ü-9', also: ['p#ss w$rd "q" \\ ü-9'] },
];

/** Every 8-character slice of each spelling: masking shows at most 4 leading characters, so none may appear. */
function leaksIn(haystack: string, shape: Shape): string[] {
  const spellings = [shape.value, ...(shape.also ?? [])];
  const found: string[] = [];
  for (const spelling of spellings) {
    for (const line of spelling.split('\n')) {
      for (let at = 0; at + 8 <= line.length; at++) {
        const slice = line.slice(at, at + 8);
        if (haystack.includes(slice)) found.push(slice);
      }
    }
  }
  return found;
}

/** JSON output escapes `"` and `\`: the unescaped strings are searched too. */
function haystacks(text: string): string {
  try {
    const strings: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') strings.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
    };
    walk(JSON.parse(text));
    return `${text}\n${strings.join('\n')}`;
  } catch {
    return text;
  }
}

const FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;

describe('masking holds for every value shape, in every output', () => {
  let tree: ReturnType<typeof makeTree>;
  let findings: Finding[];
  beforeAll(async () => {
    tree = makeTree(FILES);
    const git = (args: readonly string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: tree.dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    };
    git(['init', '--quiet']);
    git(['add', '-A']);
    const result = await runBin(['scan', tree.dir, '--format', 'json', '--fail-on', 'none']);
    findings = reportSchema.parse(parseJson(result.stdout)).findings;
  }, 60_000);
  afterAll(() => tree.cleanup());

  it('shows every planted line in some code frame (so the checks below are not vacuous)', () => {
    for (const shape of SHAPES) {
      const shown = findings.some((finding) => {
        const snippet = finding.evidence.snippet;
        return finding.location?.kind === 'file' && finding.location.path === shape.file && snippet !== undefined && snippet.startLine <= shape.line && snippet.startLine + snippet.lines.length > shape.line;
      });
      expect(shown, shape.name).toBe(true);
    }
  });

  it.each(FORMATS)('prints no secret in %s, on stdout or with --output', async (format) => {
    const printed = await runBin(['scan', tree.dir, '--format', format, '--fail-on', 'none']);
    const file = path.join(tree.dir, `report.${format}`);
    const written = await runBin(['scan', tree.dir, '--format', format, '--fail-on', 'none', '--output', file]);
    expect(printed.stdout.length).toBeGreaterThan(0);
    for (const output of [printed.stdout + printed.stderr, readFileSync(file, 'utf8') + written.stdout + written.stderr]) {
      const haystack = haystacks(output);
      for (const shape of SHAPES) expect(leaksIn(haystack, shape), `${shape.name} in ${format}`).toEqual([]);
    }
  }, 60_000);

  it('writes no secret into the baseline file', async () => {
    const result = await runBin(['scan', tree.dir, '--write-baseline', '--format', 'json', '--fail-on', 'none']);
    const baseline = readFileSync(path.join(tree.dir, '.shipready-baseline.json'), 'utf8');
    expect(baseline).toContain('security/env-file-committed');
    for (const shape of SHAPES) expect(leaksIn(haystacks(baseline) + haystacks(result.stdout) + result.stderr, shape), shape.name).toEqual([]);
  }, 60_000);
});
