// Protects against secrets that ship with the code: a JWT/session secret or password literal, including `process.env.X || 'literal'` fallbacks. Docs: docs/rules/security/hardcoded-credential.md
import type { Node } from 'oxc-parser';
import { automaticSeedRun } from '../data/seed-not-idempotent.js';
import { noOptions } from '../../core/rule.js';
import { dottedName, methodCall, propertyName, stringValue, walkAst } from '../../project/ast.js';
import { isIdentifierLike, isPlaceholder, isSentence, isStructuredNonSecret, isUuid } from '../../core/secret-values.js';
import { isSecretName } from '../../core/secrets.js';
import { envVariable, nodeSite, parseGated, serverCodeFiles } from '../../project/code-scope.js';
import { isSourcePath, type ParsedSource, type Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Object keys whose value is a secret (session/JWT/cookie config, database and SMTP credentials). */
const SECRET_PROPERTY =
  /^(?:secret|secrets|jwtSecret|jwt_secret|sessionSecret|session_secret|cookieSecret|cookie_secret|secretOrKey|secretOrPrivateKey|password|passwd|pass|pwd|privateKey|private_key|clientSecret|client_secret|apiKey|api_key|secretKey|secret_key|accessToken|access_token|authToken|auth_token|signingKey|signing_key|encryptionKey|encryption_key|keys)$/i;
/** Variable names that end like a secret (`JWT_SECRET`, `dbPassword`, `stripeApiKey`). */
const SECRET_VARIABLE = /(?:secret|password|passwd|pwd|apikey|api_key|privatekey|private_key|accesstoken|access_token|authtoken|auth_token|signingkey|signing_key)$/i;
/**
 * Names whose value is a signing or encryption key whatever it looks like: a session secret of
 * `'keyboard cat'` or a `JWT_SECRET || 'dev-secret'` fallback signs real tokens. Passwords, tokens and API
 * keys are judged by their value, because the same names also hold error codes and storage keys.
 */
const KEY_NAME = /(?:secret|secrets|secret_?key|secretorkey|secretorprivatekey|private_?key|signing_?key|encryption_?key|jwt_?key|session_?key|cookie_?key|passphrase|^keys)$/i;
/** Calls whose argument at the index is a signing key or cookie secret. */
const SECRET_ARGUMENT: ReadonlyMap<string, number> = new Map([
  ['sign', 1], ['verify', 1], ['cookieParser', 0], ['createHmac', 1], ['cookieSession', -1],
]);
/** Config sections that only apply to local development or tests. */
const DEV_SECTION = /^(?:development|dev|local|test|testing)$/i;
/** Packages whose use means the code handles credentials even without an HTTP framework (workers, scripts). */
const CREDENTIAL_CONSUMERS = [
  'pg', 'mysql2', 'mysql', 'mongodb', 'mongoose', 'redis', 'ioredis', 'knex', 'sequelize', 'typeorm', '@prisma/client', 'drizzle-orm', 'postgres',
  'jsonwebtoken', 'jose', '@nestjs/jwt', 'passport-jwt', 'express-session', 'cookie-session', 'cookie-parser', 'nodemailer', 'amqplib', 'kafkajs', 'stripe',
];
/** First, cheap pass: any secret-like word at all. */
const WORD_GATE = /[Ss]ecret|SECRET|[Pp]assw|PASSW|[Tt]oken|TOKEN|[Aa]pi_?[Kk]ey|API_?KEY|[Pp]rivate_?[Kk]ey|PRIVATE_?KEY|[Ss]igning|SIGNING|[Ee]ncryption|ENCRYPTION|[Cc]redential|CREDENTIAL|cookieParser|createHmac|pwd|PWD/;
/** Second pass: a secret-named key or variable assigned a literal, a secret env read with a literal fallback, or a literal key argument. */
const GATE =
  /(?:secret|passw|pwd|token|api_?key|private_?key|signing_?key|encryption_?key|keys)\w*['"]?\s*[:=]\s*['"`]|(?:secret|passw|pwd|token|key|credential|passphrase)\w*['"\]]*\s*(?:\|\||\?\?)\s*['"`]|cookieParser\s*\(\s*['"`]|\b(?:sign|verify|createHmac)\s*\([^,()]+,\s*['"`]/i;
const CLIENT_PATH = /\.[cm]?[jt]sx$|(?:^|\/)(?:locales?|i18n|translations|lang)\//i;

/**
 * The folders of the seed scripts a deploy command runs, followed through npm scripts (`npm run seed:run:relational`
 * → `ts-node ./src/database/seeds/relational/run-seed.ts` → `src/database/seeds/relational/`); empty when none is named.
 */
function seedRoots(project: Project, command: string): string[] {
  const scripts = new Map(project.packages().flatMap((pkg) => Object.entries(pkg.manifest.scripts)));
  const roots = new Set<string>();
  const visit = (text: string, depth: number): void => {
    for (const token of text.split(/[\s"'`;&|()]+/)) {
      const file = token.replace(/^\.\//, '');
      if (/seed/i.test(file) && file.includes('/') && /\.[cm]?[jt]s$/.test(file)) roots.add(file.slice(0, file.lastIndexOf('/') + 1));
    }
    if (depth > 3) return;
    for (const match of text.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)/g)) {
      const script = match[1] === undefined ? undefined : scripts.get(match[1]);
      if (script !== undefined) visit(script, depth + 1);
    }
  };
  visit(command, 0);
  return [...roots];
}

/** Names a seed gives an account's password, clear or hashed. */
const SEED_PASSWORD_NAME = /^(?:password|passwd|pass|hashedPassword|passwordHash|adminPassword|defaultPassword)$/i;

/**
 * True when the fallback sits in connection settings whose host also falls back to the local machine
 * (`host: process.env.DB_HOST || 'localhost'`): the literal is the developer's local database password, a
 * default for a laptop rather than a production credential written into the code.
 */
function fallsBackToLocalHost(ancestors: readonly Node[]): boolean {
  const object = [...ancestors].reverse().find((ancestor) => ancestor.type === 'ObjectExpression');
  if (object === undefined || object.type !== 'ObjectExpression') return false;
  return object.properties.some((property) => {
    if (property.type !== 'Property' || !/^(?:host|hostname|server)$/i.test(propertyName(property) ?? '')) return false;
    const fallback = property.value.type === 'LogicalExpression' ? stringValue(property.value.right) : undefined;
    return fallback !== undefined && /^(?:localhost|127\.0\.0\.1|::1)$/i.test(fallback);
  });
}

type Messages = {
  seededAccount: { where: string }; envFallback: { name: string }; literal: { what: string } };

/** How strongly the place proves the literal is a key: `key` (it signs or encrypts), or `credential` (a password, token or API key by name only). */
type Sink = 'key' | 'credential';

/**
 * Why a literal is not worth reporting, or undefined when it is a credential. Everywhere: empty values,
 * placeholders (`'<client-secret>'`, `'N/A'`, `'dummy'`, `'string'`), the name itself, env references,
 * paths and URLs, prefixes (`'fbocs_'`), labels and messages. For passwords, tokens and API keys also
 * identifiers (`'incorrectPassword'`, `'umami.auth'`, `'password-reset'`), ids and values too short for a
 * credential: those names hold error codes, storage keys and template ids as often as secrets.
 */
function rejection(value: string, name: string, sink: Sink): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'empty';
  if (isPlaceholder(trimmed)) return 'a placeholder';
  if (trimmed.toLowerCase() === name.toLowerCase() || /^\$\{?[A-Z_]+\}?$/.test(trimmed)) return 'the name of the value, not the value';
  if (isStructuredNonSecret(trimmed) || trimmed.startsWith('/')) return 'a path, URL or other structured value';
  if (/^[A-Za-z]{1,10}[_-]$/.test(trimmed)) return 'a prefix';
  // 'Enter your password' is a label; 'keyboard cat' is a session secret.
  if (isSentence(trimmed) || (/pass|pwd/i.test(name) && /\s/.test(trimmed))) return 'a label or message';
  if (/^[A-Z][a-z]+$/.test(trimmed)) return 'a capitalised word (a label)';
  // `SMTP_SECRET = '_smtp'`, hashed with the instance secret into a per-purpose key: a label, not key material.
  if (/^_[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/.test(trimmed)) return 'a derivation label (a leading underscore and lowercase words)';
  if (sink === 'key') return undefined;
  if (isIdentifierLike(trimmed) || /^[a-z0-9]+(?:[-_.][a-z0-9]+)+$/.test(trimmed)) return 'an identifier (error code, storage key or template id)';
  if (isUuid(trimmed)) return 'an id';
  if (trimmed.length < 6) return 'too short for a credential';
  return undefined;
}

function sinkOf(name: string): Sink {
  return KEY_NAME.test(name) ? 'key' : 'credential';
}

function isSpaPackage(project: Project, file: string): boolean {
  const pkg = project.packageOf(file);
  return pkg?.frameworks.length === 1 && pkg.frameworks[0] === 'vite-spa';
}

function isServerFile(project: Project, file: string, text: string): boolean {
  if (CLIENT_PATH.test(file) || /^\s*['"]use client['"]/.test(text)) return false;
  const pkg = project.packageOf(file);
  return !(pkg?.frameworks.length === 1 && pkg.frameworks[0] === 'vite-spa');
}

export default defineScanRule({
  id: 'security/hardcoded-credential',
  title: 'No secrets or passwords written in the code',
  description:
    'A JWT or session secret written in the code is public to everyone with the repository and identical in every environment; a `process.env.X || "dev-secret"` fallback silently signs production tokens with it when the variable is missing.',
  category: 'security',
  severity: 'critical',
  checklist: 'secrets',
  docs: 'docs/rules/security/hardcoded-credential.md',
  fix: 'Read the secret from the environment with no fallback and fail at startup when it is missing (validate the environment), rotate the leaked value, and keep real values in a secret manager.',
  options: noOptions,
  messages: {
    envFallback: ({ name }: Messages['envFallback']) => `${name} falls back to a literal secret when the variable is not set`,
    literal: ({ what }: Messages['literal']) => `${what} is a literal written in the code`,
    seededAccount: ({ where }: Messages['seededAccount']) => `The seed that ${where} runs creates an account whose password is written in the code`,
  },
  check(ctx) {
    const { project } = ctx;
    // A seed is sample data, unless the deploy runs it: then its accounts, and their known passwords, exist in production.
    const seedRun = automaticSeedRun(project);
    if (seedRun !== undefined) {
      const roots = seedRoots(project, seedRun.text);
      const seeds = project.files
        .map((file) => file.path)
        .filter((file) => project.fileRole(file) === 'seed' && isSourcePath(file) && (roots.length === 0 || roots.some((root) => file.startsWith(root))));
      for (const source of parseGated(project, seeds, (text) => /passw/i.test(text))) {
        walkAst(source.program, (node) => {
          // `password: 'secret'`, `password: await bcrypt.hash('secret', salt)`, `const password = await hash('secret')`.
          const named = node.type === 'Property' ? propertyName(node) : node.type === 'VariableDeclarator' && node.id.type === 'Identifier' ? node.id.name : undefined;
          const valueNode = node.type === 'Property' ? node.value : node.type === 'VariableDeclarator' ? node.init : null;
          if (named === undefined || valueNode === null || !SEED_PASSWORD_NAME.test(named)) return;
          const value = valueNode.type === 'AwaitExpression' ? valueNode.argument : valueNode;
          const literal = stringValue(value) ?? (value.type === 'CallExpression' ? stringValue(value.arguments[0]) : undefined);
          if (literal === undefined || literal === '') return;
          const site = nodeSite(source, value);
          ctx.report({
            messageId: 'seededAccount',
            data: { where: seedRun.where },
            location: site,
            severity: 'high',
            secrets: [literal],
            detail: `${seedRun.where} (${seedRun.file}:${seedRun.line}) runs the seed on every deploy or start, and ${source.path}:${site.line} gives the account it creates a password written in the code (${literal.length} characters): anyone who reads the repository can log in to every environment it is deployed to.`,
            fix: 'Do not seed accounts on deploy; create the first admin from a one-off command that reads the password from the environment (and forces a change on first login), or seed only in development.',
            key: `seed ${site.line}`,
          });
        });
      }
    }
    // Server code: every server package's scope, plus packages that hold what secrets protect (database, tokens, sessions, mail).
    const files = serverCodeFiles(project, CREDENTIAL_CONSUMERS);
    const report = (source: ParsedSource, node: Node, value: string, finding: { messageId: 'envFallback'; name: string } | { messageId: 'literal'; what: string }, detail: string, severity?: 'high'): void => {
      const location = nodeSite(source, node);
      // The span inside the quotes, as written in the file (escapes included), is what the code frame masks.
      const inner = nodeSite(source, { start: node.start + 1, end: Math.max(node.start + 1, node.end - 1) });
      const raw = source.text.slice(node.start + 1, node.end - 1);
      const secretSpans = [{ line: inner.line, column: inner.column ?? 1, endLine: inner.endLine ?? inner.line, endColumn: inner.endColumn ?? 1 }];
      const shared = { location, secrets: [value, raw], secretSpans, detail: `${detail} File role: ${project.fileRole(source.path)}.`, ...(severity === undefined ? {} : { severity }) };
      if (finding.messageId === 'envFallback') ctx.report({ messageId: 'envFallback', data: { name: finding.name }, ...shared });
      else ctx.report({ messageId: 'literal', data: { what: finding.what }, ...shared });
    };
    const judged = (node: Node | null | undefined, name: string, sink: Sink): string | undefined => {
      const value = stringValue(node);
      return value === undefined || rejection(value, name, sink) !== undefined ? undefined : value;
    };
    const serverFiles = files.filter((file) => !CLIENT_PATH.test(file) && !isSpaPackage(project, file) && project.fileRole(file) === 'source');
    for (const source of parseGated(project, serverFiles, (text) => WORD_GATE.test(text) && GATE.test(text))) {
      if (!isServerFile(project, source.path, source.text)) continue;
      const reported = new Set<number>();
      walkAst(source.program, (node, ancestors) => {
        // `development: { connection: { password: 'postgres' } }` (knexfile, ormconfig): local-only credentials.
        if (ancestors.some((ancestor) => DEV_SECTION.test(propertyName(ancestor) ?? ''))) return false;
        if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '??')) {
          const name = envVariable(node.left);
          const sink = name === undefined ? 'credential' : sinkOf(name);
          const value = name === undefined || !isSecretName(name) ? undefined : judged(node.right, name, sink);
          if (name !== undefined && value !== undefined && !reported.has(node.right.start)) {
            reported.add(node.right.start);
            const localDefault = sink === 'credential' && fallsBackToLocalHost(ancestors);
            report(
              source,
              node.right,
              value,
              { messageId: 'envFallback', name },
              `${name} names ${sink === 'key' ? 'a signing or encryption key' : 'a credential'} and falls back to a ${value.length}-character string literal${sink === 'key' ? '' : ' that reads like a credential (not a placeholder, identifier, id or message)'}; a deploy without ${name} runs with this value instead of failing.` +
                (localDefault ? ' The same connection settings fall back to a localhost host, so this reads as the local development database password (high, not critical): still, require the variable in production rather than default it.' : ''),
              localDefault ? 'high' : undefined,
            );
          }
          return;
        }
        const key = propertyName(node);
        if (key !== undefined && node.type === 'Property' && SECRET_PROPERTY.test(key)) {
          const sink = sinkOf(key);
          const value = judged(node.value, key, sink);
          if (value !== undefined && !reported.has(node.value.start)) {
            reported.add(node.value.start);
            report(source, node.value, value, { messageId: 'literal', what: `The "${key}" option` }, `The object key "${key}" holds ${sink === 'key' ? 'a signing or encryption key' : 'a credential'}, and its value is a ${value.length}-character string literal in server code${sink === 'key' ? '' : ' that reads like a credential (not a placeholder, identifier, id or message)'}.`);
          }
          return;
        }
        if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && SECRET_VARIABLE.test(node.id.name)) {
          const sink = sinkOf(node.id.name);
          const value = judged(node.init, node.id.name, sink);
          if (value !== undefined && node.init !== null && !reported.has(node.init.start)) {
            reported.add(node.init.start);
            report(source, node.init, value, { messageId: 'literal', what: node.id.name }, `The variable ${node.id.name} is named like ${sink === 'key' ? 'a signing or encryption key' : 'a credential'} and is initialised with a ${value.length}-character string literal in server code${sink === 'key' ? '' : ' that reads like a credential (not a placeholder, identifier, id or message)'}.`);
          }
          return;
        }
        if (node.type === 'CallExpression') {
          const callee = methodCall(node)?.method ?? (node.callee.type === 'Identifier' ? node.callee.name : undefined);
          const index = callee === undefined ? undefined : SECRET_ARGUMENT.get(callee);
          if (callee === undefined || index === undefined || index < 0) return;
          if ((callee === 'sign' || callee === 'verify') && !/\bjwt|jsonwebtoken|jose\b/i.test(dottedName(node.callee) ?? '') && !source.text.includes('jsonwebtoken')) return;
          const argument = node.arguments[index];
          const value = argument === undefined ? undefined : judged(argument, '', 'key');
          if (argument !== undefined && value !== undefined && !reported.has(argument.start)) {
            reported.add(argument.start);
            report(source, argument, value, { messageId: 'literal', what: `The key passed to ${callee}()` }, `A ${value.length}-character string literal is passed as the signing key or secret of ${callee}() (looked at jwt.sign/verify, cookieParser and createHmac).`);
          }
        }
      });
    }
  },
});
