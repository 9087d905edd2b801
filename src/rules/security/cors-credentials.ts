// Protects against any website reading a logged-in user's data: CORS that reflects every origin (or `*`) with credentials. Docs: docs/rules/security/cors-credentials.md
import type { Node, ObjectExpression } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { dottedName, methodCall, objectProperty, stringValue, walkAst } from '../../project/ast.js';
import { findText, nodeSite, nodeText, parseGated, serverCodeFiles, type CodeSite } from '../../project/code-scope.js';
import type { ParsedSource, Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const GATE = /credentials|Credentials/;
const CONDITION = /\bif\b|\?|includes|indexOf|\.test\(|\.has\(|===?|!==?|match|\.some\(|\.find\(|endsWith|startsWith|switch/;

type Messages = { reflected: { how: string } };

const PRODUCTION_TEST = /\b(?:is_?prod(?:uction)?|production|prod)\b/i;
const DEVELOPMENT_TEST = /\b(?:is_?dev(?:elopment)?|development|dev|local)\b/i;

/**
 * True when `node` sits in the development branch of an environment check: the `else` of `if (isProduction)`,
 * the body of `if (NODE_ENV !== 'production')` or `if (isDev)`, or the matching side of `isProd ? a : b`.
 * hoppscotch reflects every origin only when PRODUCTION is not 'true' and lists its origins otherwise.
 */
function inDevelopmentBranch(node: Node, ancestors: readonly Node[], source: ParsedSource): boolean {
  let child: Node = node;
  for (let index = ancestors.length - 1; index >= 0; index -= 1) {
    const parent = ancestors[index];
    if (parent === undefined) break;
    if ((parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') && child !== parent.test) {
      const test = nodeText(source, parent.test);
      const negated = /^\s*!|!==?/.test(test);
      const inConsequent = child === parent.consequent;
      if (PRODUCTION_TEST.test(test) && inConsequent === negated) return true;
      if (!PRODUCTION_TEST.test(test) && DEVELOPMENT_TEST.test(test) && inConsequent !== negated) return true;
    }
    child = parent;
  }
  return false;
}

/** `(x)`, `x as T`, `x!`, `x satisfies T` → `x`. */
function unwrap(node: Node): Node {
  if (node.type === 'ParenthesizedExpression' || node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSSatisfiesExpression') return unwrap(node.expression);
  return node;
}

/** How the origin option lets every site in, or undefined when it restricts origins. */
function permissiveOrigin(option: Node | undefined, source: ParsedSource): string | undefined {
  if (option === undefined) return 'no origin option (the default is *)';
  const origin = unwrap(option);
  // `env.SITE_URL || true`: the configured origin wins, but a server where the variable is unset reflects every origin.
  if (origin.type === 'LogicalExpression' && (origin.operator === '||' || origin.operator === '??')) {
    const fallback = permissiveOrigin(origin.right, source);
    const variable = nodeText(source, origin.left).replace(/\s+/g, ' ');
    return fallback === undefined ? undefined : `${fallback} as the fallback when ${variable.length > 60 ? `${variable.slice(0, 57)}...` : variable} is unset`;
  }
  if (origin.type === 'Literal' && origin.value === true) return 'origin: true (reflects the request origin)';
  if (stringValue(origin) === '*') return "origin: '*'";
  if (origin.type === 'Literal' && 'regex' in origin && origin.regex !== undefined && origin.regex !== null && /^\^?\.[*+]\$?$/.test(origin.regex.pattern)) return `origin: /${origin.regex.pattern}/`;
  if (origin.type === 'ArrowFunctionExpression' || origin.type === 'FunctionExpression') {
    const text = nodeText(source, origin);
    const first = origin.params[0]?.type === 'Identifier' ? origin.params[0].name : undefined;
    if (CONDITION.test(text.slice(text.indexOf('=>') >= 0 ? text.indexOf('=>') + 2 : text.indexOf('{')))) return undefined;
    const returnedName = origin.type === 'ArrowFunctionExpression' && origin.body.type === 'Identifier' ? origin.body.name : undefined;
    if (first !== undefined && returnedName === first) return 'an origin function that returns the request origin';
    if (/\(\s*null\s*,\s*(?:true|[\w$]+)\s*\)/.test(text)) return 'an origin callback that allows every origin';
  }
  return undefined;
}

export default defineScanRule({
  id: 'security/cors-credentials',
  title: 'CORS never allows every origin together with credentials',
  description:
    'CORS that reflects the request origin (or answers *) while allowing credentials lets any website a user visits call the API with their cookies and read the answers.',
  category: 'security',
  severity: 'high',
  checklist: 'csrf',
  docs: 'docs/rules/security/cors-credentials.md',
  fix: 'List the allowed origins explicitly (from configuration), e.g. cors({ origin: env.CORS_ORIGINS, credentials: true }); or drop credentials if the API does not use cookies.',
  options: noOptions,
  messages: {
    reflected: ({ how }: Messages['reflected']) => `CORS allows credentials for every origin (${how})`,
  },
  check(ctx) {
    const { project } = ctx;
    const files = serverCodeFiles(project);
    // SameSite=strict cookies are never sent on a request another site starts, so a reflected origin reads nothing
    // behind them: still worth an allow-list, no longer high.
    const strict = strictCookiesOnly(project, files);
    const report = ctx.report.bind(ctx);
    const reportSite: typeof ctx.report = (input) =>
      report(strict === undefined ? input : { ...input, severity: 'low', detail: `${input.detail ?? ''} Every cookie the server sets is SameSite=strict (first at ${strict.path}:${strict.line}), which browsers never attach to a cross-site request, so this is low.` });
    for (const source of parseGated(project, files, (text) => GATE.test(text) && /cors|Access-Control-Allow-Origin/i.test(text))) {
      // vite/webpack dev-server `cors` options never run in production.
      const isDevServerConfig = /(?:^|\/)(?:vite|vitest|webpack|rspack|astro|nuxt|svelte)\.config\.[cm]?[jt]s$/.test(source.path);
      walkAst(source.program, (node, ancestors) => {
        // NestFactory.create(AppModule, { cors: { … } }) and Fastify({ … }) style `cors` options.
        if (!isDevServerConfig && node.type === 'Property' && !node.computed && node.key.type === 'Identifier' && node.key.name === 'cors' && node.value.type === 'ObjectExpression') {
          const credentials = objectProperty(node.value, 'credentials');
          const how = credentials?.type === 'Literal' && credentials.value === true ? permissiveOrigin(objectProperty(node.value, 'origin'), source) : undefined;
          if (how !== undefined && !inDevelopmentBranch(node, ancestors, source)) {
            reportSite({ messageId: 'reflected', data: { how }, location: nodeSite(source, node.value), detail: `Looked at CORS options (a \`cors\` option object) with credentials: true and found ${how}.` });
          }
          return;
        }
        if (node.type !== 'CallExpression') return;
        const method = methodCall(node)?.method;
        // Fastify: register(cors, { … }) — the plugin is the first argument.
        const registerOptions = method === 'register' && /cors/i.test(dottedName(node.arguments[0]) ?? (node.arguments[0] === undefined ? '' : nodeText(source, node.arguments[0])));
        const options = registerOptions ? (node.arguments[1]?.type === 'ObjectExpression' ? node.arguments[1] : undefined) : corsOptions(node);
        if (options !== undefined) {
          const credentials = objectProperty(options, 'credentials');
          if (!(credentials?.type === 'Literal' && credentials.value === true)) return;
          const how = permissiveOrigin(objectProperty(options, 'origin'), source);
          if (how === undefined || inDevelopmentBranch(node, ancestors, source)) return;
          reportSite({ messageId: 'reflected', data: { how }, location: nodeSite(source, options), detail: `Looked at CORS options (cors(), enableCors(), register(cors, …)) with credentials: true and found ${how}.` });
          return;
        }
        // Hand-written headers: Access-Control-Allow-Origin set to the request's origin or * in a file that also allows credentials.
        if (method === undefined || !['setHeader', 'header', 'set', 'append'].includes(method)) return;
        if (stringValue(node.arguments[0])?.toLowerCase() !== 'access-control-allow-origin') return;
        const value = node.arguments[1];
        if (value === undefined) return;
        const valueText = nodeText(source, value);
        const reflects = stringValue(value) === '*' || /headers\.origin|headers\[['"]origin['"]\]|get\(\s*['"]origin['"]\s*\)|header\(\s*['"]origin['"]\s*\)/i.test(valueText);
        if (!reflects || !/Access-Control-Allow-Credentials['"`]\s*,\s*['"`]?true/i.test(source.text)) return;
        // A reusable helper (documenso's lib/cors.ts) that sends credentials only when its caller asks: judged by its callers.
        if (credentialsOnlyWhenAsked(source) && !callerAsksForCredentials(project, files, source.path)) return;
        reportSite({
          messageId: 'reflected',
          data: { how: stringValue(value) === '*' ? 'Access-Control-Allow-Origin: *' : 'Access-Control-Allow-Origin copied from the request' },
          location: nodeSite(source, node),
          detail: 'Looked for Access-Control-Allow-Origin set by hand to * or the request Origin in a file that also sends Access-Control-Allow-Credentials: true.',
        });
      });
    }
  },
});

/**
 * True when every `Access-Control-Allow-Credentials` header the file sets is inside a branch on a `credentials`
 * option (`if (opts.credentials) headers.set('Access-Control-Allow-Credentials', 'true')`): a helper whose callers decide.
 */
function credentialsOnlyWhenAsked(source: ParsedSource): boolean {
  let sets = 0;
  let conditional = 0;
  walkAst(source.program, (node, ancestors) => {
    if (node.type !== 'CallExpression' || stringValue(node.arguments[0])?.toLowerCase() !== 'access-control-allow-credentials') return;
    sets += 1;
    if (ancestors.some((ancestor) => (ancestor.type === 'IfStatement' || ancestor.type === 'ConditionalExpression' || ancestor.type === 'LogicalExpression') && /\bcredentials\b/.test(nodeText(source, ancestor.type === 'LogicalExpression' ? ancestor.left : ancestor.test)))) conditional += 1;
  });
  return sets > 0 && conditional === sets;
}

/**
 * True when a server file that imports the helper passes `credentials: true` (the option that turns the header on).
 * Imports are matched by the helper's module path without extension (`@/lib/cors`, `../lib/cors`, `./cors`).
 */
function callerAsksForCredentials(project: Project, files: readonly string[], helper: string): boolean {
  const module = helper.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
  const tail = module.split('/').slice(-2).join('/');
  const name = module.split('/').pop() ?? module;
  const imports = new RegExp(`(?:from\\s*|import\\s*\\(\\s*|require\\s*\\(\\s*)['"][^'"]*(?:${escapeRegExp(tail)}|/${escapeRegExp(name)})['"]`);
  return files.some((file) => {
    if (file === helper) return false;
    const text = project.text(file) ?? '';
    return imports.test(text) && /\bcredentials\s*:\s*true\b/.test(text);
  });
}

/** The first `sameSite: 'strict'` of the server code when no cookie there is set lax or none. */
function strictCookiesOnly(project: Project, files: readonly string[]): CodeSite | undefined {
  const strict = findText(project, files, /sameSite\s*:\s*['"`]strict['"`]/i);
  if (strict === undefined) return undefined;
  return findText(project, files, /sameSite\s*:\s*(?:['"`](?:lax|none)['"`]|false)/i) === undefined ? strict : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The options object of `cors({…})` (express, hono) or `app.enableCors({…})` (Nest). */
function corsOptions(node: Node): ObjectExpression | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const name = dottedName(node.callee) ?? '';
  const first = node.arguments[0];
  if (/(?:^|\.)cors$/i.test(name) || methodCall(node)?.method === 'enableCors') return first?.type === 'ObjectExpression' ? first : undefined;
  return undefined;
}
