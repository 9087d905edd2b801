// Protects against deploys that cut in-flight requests: a server that dies on SIGTERM instead of draining. Docs: docs/rules/reliability/graceful-shutdown.md
import type { CallExpression, Node } from 'oxc-parser';
import { noOptions } from '../../core/rule.js';
import { dottedName, methodCall, stringValue, walkAst } from '../../project/ast.js';
import {
  filesNaming,
  findText,
  namedFunctions,
  nodeSite,
  nodeText,
  packageScope,
  parseGated,
  scopeUses,
  serverPackagesWithCode,
  SELF_HOSTED_FRAMEWORKS,
  type CodeSite,
  type PackageScope,
} from '../../project/code-scope.js';
import type { ParsedSource, Project } from '../../project/project.js';
import { defineScanRule, listText } from '../support.js';

/** Libraries that install signal handlers which close the server and drain connections. */
const SHUTDOWN_LIBRARIES = ['close-with-grace', '@godaddy/terminus', 'lightship', 'http-terminator', 'fastify-graceful-shutdown', '@fastify/graceful-shutdown', 'stoppable', 'graceful-shutdown-express'];

/** The line that starts a long-running server; Next/Remix servers are started (and stopped) by their own CLI. */
const SERVER_START = /\.listen\s*\(|NestFactory\.create\w*\s*(?:<[^>]*>)?\s*\(|\bserve\s*\(\s*\{[^}]*\bfetch\b|\bserve\s*\(\s*app\b/;
const CUSTOM_SERVER_START = /\.listen\s*\(/;
/** A call that stops accepting connections or drains them. */
const DRAIN_CALL = /\.(?:close|closeAllConnections|closeIdleConnections|stop|terminate|drain|shutdown)\s*\(|\b(?:closeWithGrace|createHttpTerminator|createLightship)\b/;
/** Helper names that say what they do when the helper itself cannot be found. */
const DRAIN_NAME = /shutdown|graceful|drain|terminate|close|stop/i;
const TEST_MODE = /NODE_ENV\s*[!=]==?\s*['"`]test['"`]|['"`]test['"`]\s*[!=]==?\s*process\.env\.NODE_ENV|\bVITEST\b|\bJEST_WORKER_ID\b/;
const SIGNALS = new Set(['SIGTERM', 'SIGINT']);

type Messages = {
  missing: { pkg: string };
  exitOnly: { signal: string };
  testOnly: { signal: string };
};

interface SignalHandler {
  readonly site: CodeSite;
  readonly signal: string;
  readonly drains: boolean;
  readonly testOnly: boolean;
}

/** Text of a function found by name anywhere in the scope (a `shutdown()` helper imported from another module). */
function helperText(project: Project, scope: PackageScope, name: string): string | undefined {
  const declaration = new RegExp(`(?:function\\s*\\*?\\s*${name}\\b|(?:const|let|var)\\s+${name}\\s*=)`);
  for (const file of scope.files) {
    const text = project.text(file);
    if (text === undefined || !text.includes(name)) continue;
    const match = declaration.exec(text);
    if (match !== null) return text.slice(match.index, match.index + 4000);
  }
  return undefined;
}

function handlerDrains(project: Project, scope: PackageScope, source: ParsedSource, handler: Node, local: Map<string, Node>): boolean {
  const seen = new Set<string>();
  const pending = [nodeText(source, handler)];
  if (handler.type === 'Identifier') {
    const declared = local.get(handler.name);
    pending[0] = declared === undefined ? (helperText(project, scope, handler.name) ?? handler.name) : nodeText(source, declared);
  }
  // Follow helper calls two levels deep: `process.on('SIGTERM', () => shutdown())` → `async function shutdown() { server.close() }`.
  for (let depth = 0; depth < 3 && pending.length > 0; depth += 1) {
    const texts = pending.splice(0);
    for (const text of texts) {
      if (DRAIN_CALL.test(text)) return true;
      for (const match of text.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g)) {
        const name = match[1];
        if (name === undefined || seen.has(name) || ['process', 'exit', 'setTimeout', 'Promise', 'resolve', 'reject', 'log', 'info', 'error', 'warn'].includes(name)) continue;
        seen.add(name);
        const declared = local.get(name);
        const body = declared === undefined ? helperText(project, scope, name) : nodeText(source, declared);
        if (body !== undefined) pending.push(body);
        else if (DRAIN_NAME.test(name)) return true;
      }
    }
  }
  return false;
}

function signalOf(call: CallExpression, source: ParsedSource): string | undefined {
  const first = call.arguments[0];
  const literal = stringValue(first);
  if (literal !== undefined) return SIGNALS.has(literal) ? literal : undefined;
  // `for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, …)`
  if (first?.type === 'Identifier' && /['"`]SIG(?:TERM|INT)['"`]/.test(source.text)) return 'SIGTERM';
  return undefined;
}

function signalHandlers(project: Project, scope: PackageScope): SignalHandler[] {
  const handlers: SignalHandler[] = [];
  for (const source of parseGated(project, scope.files, (text) => text.includes('SIGTERM') || text.includes('SIGINT'))) {
    const local = namedFunctions(source);
    walkAst(source.program, (node, ancestors) => {
      if (node.type !== 'CallExpression') return;
      const call = methodCall(node);
      if (call === undefined || !['on', 'once', 'addListener', 'prependListener'].includes(call.method)) return;
      if (dottedName(call.object) !== 'process') return;
      const signal = signalOf(node, source);
      const handler = node.arguments[1];
      if (signal === undefined || handler === undefined) return;
      const testOnly = ancestors.some((ancestor) => (ancestor.type === 'IfStatement' || ancestor.type === 'ConditionalExpression') && TEST_MODE.test(nodeText(source, ancestor.test)));
      handlers.push({ site: nodeSite(source, node), signal, drains: handlerDrains(project, scope, source, handler, local), testOnly });
    });
  }
  return handlers;
}

/** Nest's shutdown hooks, called (not mentioned in a comment: `findText` skips comments). */
const ENABLE_SHUTDOWN_HOOKS = /\.enableShutdownHooks\s*\(/;

export default defineScanRule({
  id: 'reliability/graceful-shutdown',
  title: 'Server drains connections on SIGTERM',
  description:
    'On every deploy the orchestrator sends SIGTERM. A server that does not stop accepting connections and let in-flight requests finish cuts them off: users see errors on every release.',
  category: 'reliability',
  severity: 'high',
  checklist: 'graceful-shutdown',
  docs: 'docs/rules/reliability/graceful-shutdown.md',
  fix: "Handle SIGTERM and SIGINT: stop accepting (server.close() / app.close()), wait for in-flight requests with a timeout, close the database pool, then exit. NestJS: app.enableShutdownHooks(). Or use close-with-grace / @godaddy/terminus / http-terminator.",
  options: noOptions,
  messages: {
    missing: ({ pkg }: Messages['missing']) => `${pkg} starts a long-running server but never handles SIGTERM/SIGINT to drain it`,
    exitOnly: ({ signal }: Messages['exitOnly']) => `The ${signal} handler exits without closing the server: in-flight requests are cut off`,
    testOnly: ({ signal }: Messages['testOnly']) => `The ${signal} handler is only installed in test mode`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      // Cheapest evidence first: most well-run packages stop here without scanning for the server start.
      if (scopeUses(project, scope, SHUTDOWN_LIBRARIES) !== undefined) continue;
      if (findText(project, filesNaming(project, scope.files, 'enableShutdownHooks'), ENABLE_SHUTDOWN_HOOKS) !== undefined) continue;
      const handlers = signalHandlers(project, scope);
      if (handlers.some((handler) => handler.drains && !handler.testOnly)) continue;
      const selfHosted = pkg.frameworks.some((framework) => SELF_HOSTED_FRAMEWORKS.has(framework));
      const start = findText(project, scope.files, selfHosted ? SERVER_START : CUSTOM_SERVER_START);
      // No server start in the code (serverless handlers, `next start`): the platform owns the process.
      if (start === undefined) continue;
      const where = `${scope.files.length} production source file(s) of ${listText(scope.members.map((member) => member.displayName))}`;
      const looked = `Looked in ${where} for process.on('SIGTERM'|'SIGINT') handlers that call server.close()/app.close()/stop()/terminate(), for app.enableShutdownHooks() and for ${SHUTDOWN_LIBRARIES.slice(0, 4).join(', ')}`;
      const testOnly = handlers.find((handler) => handler.testOnly);
      const exitOnly = handlers.find((handler) => !handler.drains && !handler.testOnly);
      if (exitOnly !== undefined) {
        ctx.report({ messageId: 'exitOnly', data: { signal: exitOnly.signal }, location: exitOnly.site, detail: `${looked}; this handler (and the helpers it calls) closes nothing.` });
      } else if (testOnly !== undefined) {
        ctx.report({ messageId: 'testOnly', data: { signal: testOnly.signal }, location: testOnly.site, detail: `${looked}; the only handler sits behind a test-mode condition.` });
      } else {
        ctx.report({ messageId: 'missing', data: { pkg: pkg.displayName }, location: start, detail: `${looked}; found none. The server starts here.` });
      }
    }
  },
});
