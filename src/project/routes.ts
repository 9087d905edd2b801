import type { CallExpression, Class, Node } from 'oxc-parser';
import { chainRoot, dottedName, methodCall, objectProperty, stringValue, walkAst } from './ast.js';
import type { Framework } from './packages.js';
import type { ParsedSource } from './project.js';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all'] as const;
const METHOD_SET: ReadonlySet<string> = new Set(HTTP_METHODS);
const NEST_METHOD_DECORATORS: ReadonlyMap<string, string> = new Map([
  ['Get', 'GET'], ['Post', 'POST'], ['Put', 'PUT'], ['Patch', 'PATCH'], ['Delete', 'DELETE'], ['Head', 'HEAD'], ['Options', 'OPTIONS'], ['All', 'ALL'],
]);

/** How the route was declared, so rules can explain where they looked. */
export type RouteStyle = 'method-call' | 'route-chain' | 'route-object' | 'nest-decorator' | 'controller-decorator' | 'next-app-route' | 'next-pages-api' | 'remix-route';

/** Libraries that declare routes with class and method decorators. */
export type DecoratorLibrary = 'nestjs' | 'routing-controllers' | 'tsoa';

export interface RouteDefinition {
  readonly file: string;
  readonly framework: Framework | 'unknown';
  readonly style: RouteStyle;
  /** Upper-case HTTP method, or `ALL`. */
  readonly method: string;
  /** The path as written (joined with a Nest controller prefix or derived from the file name); undefined when dynamic. */
  readonly path: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Handler expressions (functions or references), last one usually the final handler. */
  readonly handlers: readonly Node[];
  /** For decorator routes: the library whose decorators declare it (its own validation rules apply). */
  readonly decoratorLibrary?: DecoratorLibrary;
}

function joinPaths(...parts: Array<string | undefined>): string {
  const joined = parts
    .filter((part): part is string => part !== undefined && part !== '')
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
  return `/${joined}`;
}

function looksLikeRoutePath(value: string | undefined): value is string {
  return value !== undefined && (value.startsWith('/') || value === '*');
}

function decoratorCall(node: Node): { name: string; args: readonly Node[] } | undefined {
  if (node.type !== 'Decorator') return undefined;
  const expression = node.expression;
  if (expression.type === 'CallExpression') {
    const name = dottedName(expression.callee);
    return name === undefined ? undefined : { name, args: expression.arguments };
  }
  const name = dottedName(expression);
  return name === undefined ? undefined : { name, args: [] };
}

function decoratorPath(args: readonly Node[]): string | undefined {
  const first = args[0];
  if (first === undefined) return '';
  const literal = stringValue(first);
  if (literal !== undefined) return literal;
  if (first.type === 'ObjectExpression') return stringValue(objectProperty(first, 'path')) ?? '';
  if (first.type === 'ArrayExpression') return stringValue(first.elements[0]);
  return undefined;
}

/** Next.js app router: `app/(group)/api/health/route.ts` → `/api/health`. */
export function nextAppRoutePath(file: string): string | undefined {
  const match = /(?:^|\/)(?:src\/)?app\/(.*?)\/?route\.[cm]?[jt]sx?$/.exec(file);
  if (match === null) return undefined;
  const segments = (match[1] ?? '').split('/').filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
  return joinPaths(...segments);
}

/** Next.js pages router API: `pages/api/health/index.ts` → `/api/health`. */
export function nextPagesApiPath(file: string): string | undefined {
  const match = /(?:^|\/)(?:src\/)?pages\/(api\/.*?)\.[cm]?[jt]sx?$/.exec(file);
  if (match === null) return undefined;
  return joinPaths(...(match[1] ?? '').split('/').filter((segment) => segment !== 'index'));
}

/** Remix / React Router flat routes: `app/routes/api.health.ts` → `/api/health`. */
export function remixRoutePath(file: string): string | undefined {
  const match = /(?:^|\/)app\/routes\/(.+?)(?:\/route)?\.[cm]?[jt]sx?$/.exec(file);
  if (match === null) return undefined;
  const segments = (match[1] ?? '')
    .split(/[./]/)
    .filter((segment) => segment !== '' && segment !== '_index' && segment !== 'index' && !segment.startsWith('_'))
    .map((segment) => (segment.startsWith('$') ? `:${segment.slice(1)}` : segment.replace(/_$/, '')));
  return joinPaths(...segments);
}

const EXPORTED_HTTP_HANDLERS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function exportedNames(source: ParsedSource): Array<{ name: string; node: Node }> {
  const names: Array<{ name: string; node: Node }> = [];
  for (const statement of source.program.body) {
    if (statement.type !== 'ExportNamedDeclaration') continue;
    const declaration = statement.declaration;
    if (declaration?.type === 'FunctionDeclaration' && declaration.id !== null) names.push({ name: declaration.id.name, node: declaration });
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier') names.push({ name: declarator.id.name, node: declarator.init ?? declarator });
      }
    }
    for (const specifier of statement.specifiers) {
      const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : stringValue(specifier.exported);
      if (exported !== undefined) names.push({ name: exported, node: specifier });
    }
  }
  return names;
}

/**
 * Cheap text gate so most files are never parsed for routes: a method call whose first argument is a
 * path literal (optionally after a method name, as in Hono's `app.on('GET', '/x')`), a Fastify route
 * object, or a Nest decorator. `cache.get(key)` does not pass, so utility files stay unparsed.
 */
export const ROUTE_HINT = /\.(?:get|post|put|patch|delete|all|head|options|route|on)\s*\(\s*(?:['"`][A-Z]*['"`]\s*,\s*)?['"`][/*]|@(?:Get|Post|Put|Patch|Delete|All|Controller|JsonController|Route)\b|\.route\s*\(\s*\{|\bmethod\s*:\s*['"`](?:GET|POST|PUT|PATCH|DELETE)['"`][\s\S]{0,200}?\burl\s*:\s*['"`]\//;

/**
 * Every route a file declares, across Express, Fastify, Hono, Koa, NestJS, routing-controllers, tsoa, Next.js and Remix/React Router.
 * Method calls need a literal path and a handler argument, so `map.get('/x')` is never a route.
 *
 * @example extractRoutes(project.parseSource('src/app.ts')!, 'express')
 */
export function extractRoutes(source: ParsedSource, framework: Framework | 'unknown'): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  const at = (node: Node): Pick<RouteDefinition, 'line' | 'column' | 'endLine' | 'endColumn'> => {
    const start = source.lineIndex.position(node.start);
    const end = source.lineIndex.position(node.end);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
  const fileRoute = (style: RouteStyle, routePath: string | undefined, routeFramework: Framework | 'unknown'): void => {
    for (const { name, node } of exportedNames(source)) {
      const isHandler = style === 'remix-route' ? name === 'loader' || name === 'action' : style === 'next-pages-api' ? name === 'default' : EXPORTED_HTTP_HANDLERS.has(name);
      if (!isHandler) continue;
      const method = style === 'remix-route' ? (name === 'loader' ? 'GET' : 'POST') : style === 'next-pages-api' ? 'ALL' : name;
      routes.push({ file: source.path, framework: routeFramework, style, method, path: routePath, ...at(node), handlers: [node] });
    }
    if (style === 'next-pages-api' && !routes.some((route) => route.file === source.path)) {
      for (const statement of source.program.body) {
        if (statement.type === 'ExportDefaultDeclaration') {
          routes.push({ file: source.path, framework: routeFramework, style, method: 'ALL', path: routePath, ...at(statement), handlers: [statement.declaration] });
        }
      }
    }
  };

  const appRoute = nextAppRoutePath(source.path);
  if (appRoute !== undefined) fileRoute('next-app-route', appRoute, 'nextjs');
  const pagesRoute = nextPagesApiPath(source.path);
  if (pagesRoute !== undefined) fileRoute('next-pages-api', pagesRoute, 'nextjs');
  const remixRoute = remixRoutePath(source.path);
  if (remixRoute !== undefined) fileRoute('remix-route', remixRoute, framework === 'react-router' ? 'react-router' : 'remix');
  if (!ROUTE_HINT.test(source.text)) return routes;

  const routeCallOptions = new Set<number>();
  walkAst(source.program, (node) => {
    if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') {
      collectNestRoutes(node, source, routes, at, framework);
      return;
    }
    // Fastify route objects kept in a list and registered in a loop (`routes.forEach((route) => fastify.route(route))`):
    // an object with a literal method, a path `url` and a handler is a route wherever it is written.
    if (node.type === 'ObjectExpression' && framework === 'fastify' && !routeCallOptions.has(node.start)) {
      const url = stringValue(objectProperty(node, 'url'));
      const methodNode = objectProperty(node, 'method');
      const handler = objectProperty(node, 'handler');
      const methods = methodNode?.type === 'ArrayExpression' ? methodNode.elements.map((element) => stringValue(element)) : [stringValue(methodNode)];
      if (handler !== undefined && looksLikeRoutePath(url) && methods.every((name) => name !== undefined && METHOD_SET.has(name.toLowerCase()))) {
        for (const routeMethod of methods) routes.push({ file: source.path, framework, style: 'route-object', method: (routeMethod ?? 'ALL').toUpperCase(), path: url, ...at(node), handlers: [handler] });
      }
      return;
    }
    if (node.type !== 'CallExpression') return;
    const call = methodCall(node);
    if (call === undefined) return;
    const method = call.method.toLowerCase();
    if (METHOD_SET.has(call.method) && node.arguments.length >= 2) {
      const routePath = stringValue(node.arguments[0]);
      const isChain = node.callee.type === 'MemberExpression' && node.callee.object.type === 'CallExpression';
      if (isChain) {
        const root = chainRoot(node);
        const rootCall = methodCall(root);
        if (rootCall?.method === 'route' && looksLikeRoutePath(stringValue(root.arguments[0]))) return;
      }
      if (looksLikeRoutePath(routePath) && !isOutboundRequest(node)) {
        routes.push({ file: source.path, framework, style: 'method-call', method: method.toUpperCase(), path: routePath, ...at(node), handlers: node.arguments.slice(1) });
      }
      return;
    }
    if (METHOD_SET.has(call.method) && node.arguments.length >= 1 && node.callee.type === 'MemberExpression' && node.callee.object.type === 'CallExpression') {
      const root = chainRoot(node);
      const rootCall = methodCall(root);
      const routePath = stringValue(root.arguments[0]);
      if (rootCall?.method === 'route' && looksLikeRoutePath(routePath)) {
        // Point at `.get` / `.post` itself: every call of one chain starts at the same offset.
        const anchor = node.callee.type === 'MemberExpression' ? node.callee.property : node;
        routes.push({ file: source.path, framework, style: 'route-chain', method: method.toUpperCase(), path: routePath, ...at(anchor), handlers: node.arguments });
      }
      return;
    }
    if (call.method === 'route' && node.arguments[0]?.type === 'ObjectExpression') {
      const options = node.arguments[0];
      routeCallOptions.add(options.start);
      const url = stringValue(objectProperty(options, 'url') ?? objectProperty(options, 'path'));
      const methodNode = objectProperty(options, 'method');
      const methods = methodNode?.type === 'ArrayExpression' ? methodNode.elements.map((element) => stringValue(element)) : [stringValue(methodNode)];
      const handler = objectProperty(options, 'handler');
      for (const routeMethod of methods) {
        if (!looksLikeRoutePath(url)) continue;
        routes.push({ file: source.path, framework, style: 'route-object', method: (routeMethod ?? 'ALL').toUpperCase(), path: url, ...at(node), handlers: handler === undefined ? [] : [handler] });
      }
      return;
    }
    if (call.method === 'on' && node.arguments.length >= 3) {
      const methodName = stringValue(node.arguments[0]);
      const routePath = stringValue(node.arguments[1]);
      if (methodName !== undefined && looksLikeRoutePath(routePath)) {
        routes.push({ file: source.path, framework, style: 'method-call', method: methodName.toUpperCase(), path: routePath, ...at(node), handlers: node.arguments.slice(2) });
      }
    }
  });
  return routes.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * `client.post('/sessions', { input, inputSchema })` and `this.get('/users', config)` send a request; they do not
 * register a route. A route call has a handler after the path: a lone object after it is a request body or
 * client options (unless it carries the handler, as Fastify's `app.get(path, { handler })` does), and a class
 * calling its own `get`/`post` is an HTTP client extending a base client, not a router.
 */
function isOutboundRequest(call: CallExpression): boolean {
  if (call.callee.type === 'MemberExpression' && call.callee.object.type === 'ThisExpression') return true;
  const [, second, third] = call.arguments;
  return third === undefined && second?.type === 'ObjectExpression' && objectProperty(second, 'handler') === undefined;
}

/** The decorator library a file uses, by its imports: routing-controllers and tsoa share Nest's decorator names. */
function decoratorLibraryOf(source: ParsedSource): DecoratorLibrary {
  if (/from\s*['"]routing-controllers['"]/.test(source.text)) return 'routing-controllers';
  if (/from\s*['"]tsoa['"]/.test(source.text)) return 'tsoa';
  return 'nestjs';
}

/** Class decorators that make a class a controller: Nest and routing-controllers `@Controller`, routing-controllers `@JsonController`, tsoa `@Route`. */
const CONTROLLER_DECORATORS = new Set(['Controller', 'JsonController', 'Route']);

function collectNestRoutes(
  node: Class,
  source: ParsedSource,
  routes: RouteDefinition[],
  at: (node: Node) => Pick<RouteDefinition, 'line' | 'column' | 'endLine' | 'endColumn'>,
  framework: Framework | 'unknown',
): void {
  const library = decoratorLibraryOf(source);
  const controller = node.decorators.map(decoratorCall).find((decorator) => decorator !== undefined && CONTROLLER_DECORATORS.has(decorator.name) && (decorator.name !== 'Route' || library === 'tsoa'));
  if (controller === undefined) return;
  const prefix = decoratorPath(controller.args);
  for (const element of node.body.body) {
    if (element.type !== 'MethodDefinition') continue;
    for (const decorator of element.decorators) {
      const call = decoratorCall(decorator);
      const method = call === undefined ? undefined : NEST_METHOD_DECORATORS.get(call.name);
      if (call === undefined || method === undefined) continue;
      const methodPath = decoratorPath(call.args);
      const routePath = prefix === undefined || methodPath === undefined ? undefined : joinPaths(prefix, methodPath);
      routes.push(
        library === 'nestjs'
          ? { file: source.path, framework: 'nestjs', style: 'nest-decorator', method, path: routePath, ...at(decorator), handlers: [element.value], decoratorLibrary: library }
          : { file: source.path, framework, style: 'controller-decorator', method, path: routePath, ...at(decorator), handlers: [element.value], decoratorLibrary: library },
      );
    }
  }
}
