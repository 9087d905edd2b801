// Protects against secrets that ship with the code: a JWT/session secret or password literal, including `process.env.X || 'literal'` fallbacks. Docs: docs/rules/security/hardcoded-credential.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { dottedName, methodCall, propertyName, stringValue, walkAst } from '../../project/ast.js';
import { envVariable, nodeSite, parseGated, serverCodeFiles } from '../../project/code-scope.js';
import type { ParsedSource, Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

/** Environment variable names that hold a secret. */
const SECRET_ENV = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|PRIVATE_KEY|API_KEY|APIKEY|SIGNING_KEY|ENCRYPTION_KEY|CREDENTIAL|COOKIE_KEY|SESSION_KEY/i;
/** Object keys whose value is a secret (session/JWT/cookie config, database and SMTP credentials). */
const SECRET_PROPERTY =
  /^(?:secret|secrets|jwtSecret|jwt_secret|sessionSecret|session_secret|cookieSecret|cookie_secret|secretOrKey|secretOrPrivateKey|password|passwd|pass|pwd|privateKey|private_key|clientSecret|client_secret|apiKey|api_key|secretKey|secret_key|accessToken|access_token|authToken|auth_token|signingKey|signing_key|encryptionKey|encryption_key|keys)$/i;
/** Variable names that end like a secret (`JWT_SECRET`, `dbPassword`, `stripeApiKey`). */
const SECRET_VARIABLE = /(?:secret|password|passwd|pwd|apikey|api_key|privatekey|private_key|accesstoken|access_token|authtoken|auth_token|signingkey|signing_key)$/i;
/** Calls whose argument at the index is a signing key or cookie secret. */
const SECRET_ARGUMENT: ReadonlyMap<string, number> = new Map([
  ['sign', 1], ['verify', 1], ['cookieParser', 0], ['createHmac', 1], ['cookieSession', -1],
]);
/** Config sections that only apply to local development or tests. */
const DEV_SECTION = /^(?:development|dev|local|test|testing)$/i;
/** Cheap gate: a secret-named key or variable assigned a literal, a secret env read with a literal fallback, or a literal key argument. */
/** Packages whose use means the code handles credentials even without an HTTP framework (workers, scripts). */
const CREDENTIAL_CONSUMERS = [
  'pg', 'mysql2', 'mysql', 'mongodb', 'mongoose', 'redis', 'ioredis', 'knex', 'sequelize', 'typeorm', '@prisma/client', 'drizzle-orm', 'postgres',
  'jsonwebtoken', 'jose', '@nestjs/jwt', 'passport-jwt', 'express-session', 'cookie-session', 'cookie-parser', 'nodemailer', 'amqplib', 'kafkajs', 'stripe',
];
/** First, cheap pass: any secret-like word at all. */
const WORD_GATE = /[Ss]ecret|SECRET|[Pp]assw|PASSW|[Tt]oken|TOKEN|[Aa]pi_?[Kk]ey|API_?KEY|[Pp]rivate_?[Kk]ey|PRIVATE_?KEY|[Ss]igning|SIGNING|[Ee]ncryption|ENCRYPTION|[Cc]redential|CREDENTIAL|cookieParser|createHmac|pwd|PWD/;
const GATE =
  /(?:secret|passw|pwd|token|api_?key|private_?key|signing_?key|encryption_?key|keys)\w*['"]?\s*[:=]\s*['"`]|(?:secret|passw|pwd|token|key|credential|passphrase)\w*['"\]]*\s*(?:\|\||\?\?)\s*['"`]|cookieParser\s*\(\s*['"`]|\b(?:sign|verify|createHmac)\s*\([^,()]+,\s*['"`]/i;
const CLIENT_PATH = /\.[cm]?[jt]sx$|(?:^|\/)(?:locales?|i18n|translations|lang)\//i;

type Messages = { envFallback: { name: string }; literal: { what: string } };

function envName(node: Node): string | undefined {
  return envVariable(node);
}

/** A literal worth reporting: not empty, not a label ('Password'), not a placeholder of the name itself. */
function secretLiteral(node: Node | null | undefined, key: string): string | undefined {
  const value = stringValue(node);
  if (value === undefined || value.trim() === '') return undefined;
  // 'Enter your password' is a label; 'keyboard cat' is a session secret.
  if (/pass|pwd/i.test(key) && /\s/.test(value.trim())) return undefined;
  // Route, field and header names: '/reset-password', 'forgot-password', 'x-auth-token', 'reset_token'.
  if (value.startsWith('/') || (/^[a-z0-9]+(?:[-_.][a-z0-9]+)+$/.test(value) && /passw|token|pwd/.test(value))) return undefined;
  if (value.toLowerCase() === key.toLowerCase() || /^[A-Z][a-z]+$/.test(value) || /^\$\{?[A-Z_]+\}?$/.test(value)) return undefined;
  return value;
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
  },
  check(ctx) {
    const { project } = ctx;
    // Server code: every server package's scope, plus packages that hold what secrets protect (database, tokens, sessions, mail).
    const files = serverCodeFiles(project, CREDENTIAL_CONSUMERS);
    const report = (source: ParsedSource, node: Node, value: string, finding: { messageId: 'envFallback'; name: string } | { messageId: 'literal'; what: string }, detail: string): void => {
      const location = nodeSite(source, node);
      if (finding.messageId === 'envFallback') ctx.report({ messageId: 'envFallback', data: { name: finding.name }, location, detail, secrets: [value] });
      else ctx.report({ messageId: 'literal', data: { what: finding.what }, location, detail, secrets: [value] });
    };
    const serverFiles = files.filter((file) => !CLIENT_PATH.test(file) && !isSpaPackage(project, file));
    for (const source of parseGated(project, serverFiles, (text) => WORD_GATE.test(text) && GATE.test(text))) {
      if (!isServerFile(project, source.path, source.text)) continue;
      const reported = new Set<number>();
      walkAst(source.program, (node, ancestors) => {
        // `development: { connection: { password: 'postgres' } }` (knexfile, ormconfig): local-only credentials.
        if (ancestors.some((ancestor) => DEV_SECTION.test(propertyName(ancestor) ?? ''))) return false;
        if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '??')) {
          const name = envName(node.left);
          const value = name === undefined ? undefined : secretLiteral(node.right, name);
          if (name !== undefined && value !== undefined && SECRET_ENV.test(name) && !reported.has(node.right.start)) {
            reported.add(node.right.start);
            report(source, node.right, value, { messageId: 'envFallback', name }, `Looked for secret-named environment reads (${SECRET_ENV.source}) with a || / ?? fallback to a string literal; a deploy without ${name} runs with this value instead of failing.`);
          }
          return;
        }
        const key = propertyName(node);
        if (key !== undefined && node.type === 'Property' && SECRET_PROPERTY.test(key)) {
          const value = secretLiteral(node.value, key);
          if (value !== undefined && !reported.has(node.value.start)) {
            reported.add(node.value.start);
            report(source, node.value, value, { messageId: 'literal', what: `The "${key}" option` }, `Looked for secret-named object keys (secret, password, privateKey, apiKey, clientSecret, …) whose value is a string literal in server code.`);
          }
          return;
        }
        if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && SECRET_VARIABLE.test(node.id.name)) {
          const value = secretLiteral(node.init, node.id.name);
          if (value !== undefined && node.init !== null && !reported.has(node.init.start)) {
            reported.add(node.init.start);
            report(source, node.init, value, { messageId: 'literal', what: node.id.name }, `Looked for variables named like a secret (…SECRET, …PASSWORD, …API_KEY, …TOKEN) initialised with a string literal in server code.`);
          }
          return;
        }
        if (node.type === 'CallExpression') {
          const callee = methodCall(node)?.method ?? (node.callee.type === 'Identifier' ? node.callee.name : undefined);
          const index = callee === undefined ? undefined : SECRET_ARGUMENT.get(callee);
          if (callee === undefined || index === undefined || index < 0) return;
          if ((callee === 'sign' || callee === 'verify') && !/\bjwt|jsonwebtoken|jose\b/i.test(dottedName(node.callee) ?? '') && !source.text.includes('jsonwebtoken')) return;
          const argument = node.arguments[index];
          const value = argument === undefined ? undefined : secretLiteral(argument, '');
          if (argument !== undefined && value !== undefined && !reported.has(argument.start)) {
            reported.add(argument.start);
            report(source, argument, value, { messageId: 'literal', what: `The key passed to ${callee}()` }, `Looked for string literals passed as the signing key or secret of jwt.sign/verify, cookieParser and createHmac.`);
          }
        }
      });
    }
  },
});
