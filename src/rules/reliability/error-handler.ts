// Protects against errors that escape every handler: stack traces sent to users, hung requests, crashed processes. Docs: docs/rules/reliability/error-handler.md
import type { Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import type { Framework, PackageInfo } from '../../project/packages.js';
import {
  findText,
  isFunctionNode,
  routesIn,
  nodeText,
  packageScope,
  scopeUses,
  serverPackagesWithCode,
  SELF_HOSTED_FRAMEWORKS,
  type CodeSite,
  type PackageScope,
} from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';

/** One parameter of a signature: a name with an optional type annotation, generics included (`req: Request<{}, {}, Body>`). */
const TYPE = String.raw`(?::\s*(?:[^,()<>]|<(?:[^<>]|<[^<>]*>)*>)*)?`;
const PARAM = String.raw`_?[\w$]+\s*\??${TYPE}\s*`;
/** Express error middleware: a function whose four parameters start with the error, or anything typed ErrorRequestHandler. */
const EXPRESS_ERROR_MIDDLEWARE = new RegExp(
  String.raw`\bErrorRequestHandler\b|\(\s*_?(?:err|error|e|ex|exception)\b\s*\??${TYPE}\s*,\s*${PARAM},\s*${PARAM},\s*${PARAM}\)\s*(?::[^={]*)?(?:=>|\{)`,
);

/** Cheap first pass for the Express pattern: most files have no `(err,` or ErrorRequestHandler at all. */
const EXPRESS_ERROR_HINT = /ErrorRequestHandler|\((?:_?err|_?error|e|ex|exception)[\s,:?]/;

interface Boundary {
  readonly pattern: RegExp;
  readonly hint?: RegExp;
  readonly libraries: readonly string[];
  readonly looked: string;
}

const BOUNDARIES: Partial<Record<Framework, Boundary>> = {
  express: { pattern: EXPRESS_ERROR_MIDDLEWARE, hint: EXPRESS_ERROR_HINT, libraries: [], looked: 'an Express error middleware (a 4-argument (err, req, res, next) function or an ErrorRequestHandler)' },
  fastify: { pattern: /\.setErrorHandler\s*\(/, libraries: [], looked: 'fastify.setErrorHandler()' },
  hono: { pattern: /\.onError\s*\(/, libraries: [], looked: 'app.onError()' },
  koa: {
    pattern: /try\s*\{[^}]{0,300}?await\s+next\s*\(\s*\)[\s\S]{0,600}?\}\s*catch\b|\.on\s*\(\s*['"]error['"]/,
    libraries: ['koa-onerror', 'koa-json-error', 'koa-error'],
    looked: 'a Koa middleware wrapping `await next()` in try/catch, app.on(\'error\'), koa-onerror or koa-json-error',
  },
};

/** An inline async route handler; group 1 is set when its body opens with `try {` (the common guarded shape). */
const INLINE_ASYNC_ROUTE =
  /\.(?:get|post|put|patch|delete|all|head|options)\s*\(\s*(?:['"`][^'"`]*['"`]\s*,)?(?:\s*[\w$.]+(?:\([^()]*\))?\s*,)*\s*async\s*(?:function\s*[\w$]*\s*)?\([^)]*\)\s*(?::[^={]*)?(?:=>)?\s*\{\s*(try\s*\{)?/g;

/** Files with at least one inline async handler whose body does not open with try: only these are parsed. */
function hasUnguardedAsyncText(text: string): boolean {
  INLINE_ASYNC_ROUTE.lastIndex = 0;
  for (let match = INLINE_ASYNC_ROUTE.exec(text); match !== null; match = INLINE_ASYNC_ROUTE.exec(text)) {
    if (match[1] === undefined) return true;
  }
  return false;
}

/** Frameworks whose built-in error handling answers 500 without the stack and logs: a missing custom handler is low. */
const SAFE_DEFAULT_HANDLER: ReadonlySet<string> = new Set(['fastify', 'hono', 'koa']);

/** Wrappers that forward rejected promises of Express 4 handlers to `next`. */
const ASYNC_WRAPPER_LIBRARIES = ['express-async-errors', 'express-async-handler', 'express-promise-router', '@awaitjs/express'];

/** The handler answers with the error's own text: `res.status(500).json({ message: err.message })`, `res.send(err.stack)`. */
const SENDS_ERROR_TEXT = /\b(?:res|response|reply|ctx|c)\s*(?:\.status\s*\([^)]*\)\s*)?\.(?:json|send|end|render|text|code\s*\([^)]*\)\s*\.send)\s*\([^;]{0,200}?\b(?:err|error|e|ex|exception)\.(?:message|stack)\b/;
/** Signs the handler decides what is safe to show: client errors only, operational errors, production mode, `expose`. */
const SAFE_EXPOSURE = /\b(?:statusCode|status)\s*(?:<|>=?)\s*500|\bexpose\b|isOperational|instanceof\s+\w*(?:Http|App|Api|Client|Validation|Operational)\w*Error|NODE_ENV|isProduction|isDev\b|process\.env\.\w*(?:ENV|DEBUG)/;

/** The text of the function starting at `start`, up to its closing brace (or 1,500 characters). */
function functionText(text: string, start: number): string {
  const open = text.indexOf('{', start);
  if (open < 0) return text.slice(start, start + 300);
  let depth = 0;
  for (let index = open; index < Math.min(text.length, open + 1500); index++) {
    const char = text[index];
    if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) return text.slice(start, index + 1);
  }
  return text.slice(start, open + 1500);
}

type Messages = {
  leaksError: { pkg: string };
  missing: { pkg: string; framework: string };
  asyncUnwrapped: { method: string; path: string };
};

function expressMajor(pkg: PackageInfo): number | undefined {
  const range = pkg.manifest.dependencies['express'] ?? pkg.manifest.devDependencies['express'];
  const match = range === undefined ? null : /^\D*(\d+)/.exec(range);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** An inline `async` handler whose awaits are not all inside a try/catch: in Express 4 a rejection hangs the request. */
function isUnguardedAsync(handler: Node, text: string): boolean {
  if (!isFunctionNode(handler) || !('async' in handler) || handler.async !== true || !('body' in handler)) return false;
  const body = handler.body;
  if (body === null || body.type !== 'BlockStatement') return text.includes('await');
  return body.body.some((statement) => statement.type !== 'TryStatement' && text.slice(statement.start - handler.start, statement.end - handler.start).includes('await'));
}

function unguardedRoutes(project: Project, scope: PackageScope): Array<{ site: CodeSite; method: string; path: string }> {
  const found: Array<{ site: CodeSite; method: string; path: string }> = [];
  const candidates = scope.files.filter((file) => hasUnguardedAsyncText(project.text(file) ?? ''));
  for (const route of routesIn(project, candidates)) {
    if (route.style !== 'method-call' && route.style !== 'route-chain') continue;
    const source = project.parseSource(route.file);
    const handler = route.handlers[route.handlers.length - 1];
    if (source === undefined || handler === undefined) continue;
    if (!isUnguardedAsync(handler, nodeText(source, handler))) continue;
    found.push({ site: { path: route.file, line: route.line, column: route.column, endLine: route.endLine, endColumn: route.endColumn }, method: route.method, path: route.path ?? '(dynamic path)' });
  }
  return found;
}

export default defineScanRule({
  id: 'reliability/error-handler',
  title: 'Framework-level error handler',
  description:
    'Errors that escape a handler need one place that logs them with the request, answers a clean 500 and never leaks a stack trace; in Express 4, async handlers also need a wrapper or a rejection hangs the request.',
  category: 'reliability',
  severity: 'high',
  checklist: 'error-handling',
  docs: 'docs/rules/reliability/error-handler.md',
  fix: 'Register one error boundary: Express `app.use((err, req, res, next) => …)` last, Fastify `setErrorHandler`, Hono `app.onError`, a Nest `@Catch()` filter, a Koa try/catch around `await next()`. In Express 4, wrap async handlers (asyncHandler or express-async-errors).',
  options: noOptions,
  messages: {
    missing: ({ pkg, framework }: Messages['missing']) => `${pkg} (${framework}) has no framework-level error handler`,
    leaksError: ({ pkg }: Messages['leaksError']) => `${pkg}'s error handler sends the error's own message or stack to the client, 500s included`,
    asyncUnwrapped: ({ method, path }: Messages['asyncUnwrapped']) => `${method} ${path} is an async Express 4 handler with no wrapper: a rejected promise never reaches the error handler`,
  },
  applies: (project: Project) => serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS)) {
      const scope = packageScope(project, pkg);
      const where = `${scope.files.length} production source file(s) of ${listText(scope.members.map((member) => member.displayName))}`;
      for (const framework of pkg.frameworks) {
        const boundary = BOUNDARIES[framework];
        if (boundary === undefined) continue;
        // In a Nest app Express/Fastify is only the HTTP adapter: Nest's own exception layer catches what controllers throw.
        if (pkg.frameworks.includes('nestjs') && (framework === 'express' || framework === 'fastify')) continue;
        const hint = boundary.hint;
        const files = hint === undefined ? scope.files : scope.files.filter((file) => hint.test(project.text(file) ?? ''));
        if (scopeUses(project, scope, boundary.libraries) !== undefined) continue;
        const handler = findText(project, files, boundary.pattern);
        if (handler !== undefined) {
          const text = project.text(handler.path) ?? '';
          const offset = text.split('\n').slice(0, handler.line - 1).join('\n').length + handler.column;
          const body = functionText(text, offset);
          const leak = SENDS_ERROR_TEXT.exec(body);
          if (leak !== null && !SAFE_EXPOSURE.test(body)) {
            const at = offset + leak.index;
            const line = text.slice(0, at).split('\n').length;
            ctx.report({
              messageId: 'leaksError',
              data: { pkg: pkg.displayName },
              location: { path: handler.path, line },
              severity: 'medium',
              detail: `The ${framework} error handler at ${handler.path}:${handler.line} answers with err.message/err.stack whatever the status, and checks neither the status (< 500), an \`expose\`/operational flag nor NODE_ENV: database errors, file paths and stack frames reach the client.`,
              fix: 'Send err.message only for client errors you raise on purpose (status < 500, an HttpError with expose); for everything else log the error with the request id and answer a generic { error: "Internal Server Error" }.',
              key: framework,
            });
          }
          continue;
        }
        // Fastify, Hono and Koa answer an unhandled error with a bare 500 and log it (Fastify through its pino logger)
        // by default: a handler of the team's own adds reporting and a consistent body, it does not stop a leak or a hang.
        const safeDefault = SAFE_DEFAULT_HANDLER.has(framework);
        ctx.report({
          messageId: 'missing',
          data: { pkg: pkg.displayName, framework },
          location: serverAnchor(project, pkg),
          ...(safeDefault ? { severity: 'low' as const } : {}),
          detail: `Looked in ${where} for ${boundary.looked}; found none.${safeDefault ? ` ${framework}'s default handler already answers a plain 500 without the stack and logs the error, so this is low: add one to report errors to the tracker and shape the response.` : ''}`,
          key: framework,
        });
      }
      if (!pkg.frameworks.includes('express')) continue;
      const major = expressMajor(pkg);
      if (major === undefined || major >= 5 || scopeUses(project, scope, ASYNC_WRAPPER_LIBRARIES) !== undefined) continue;
      for (const route of unguardedRoutes(project, scope)) {
        ctx.report({
          messageId: 'asyncUnwrapped',
          data: { method: route.method, path: route.path },
          location: route.site,
          detail: `express ${pkg.manifest.dependencies['express'] ?? ''} does not catch rejected promises. The handler is an inline async function passed straight to the route, with awaits outside try/catch, and the package has none of ${ASYNC_WRAPPER_LIBRARIES.join(', ')}.`,
          key: `${route.method} ${route.path}`,
        });
      }
    }
  },
});
